"""The discord.py client: auto-sharded, no privileged intents, no mentions, persistent components."""
from __future__ import annotations

import discord
from discord import app_commands

from bot.bootstrap import App

from . import commands, components, flow

DEFAULT_API_URL = "https://discord.com/api/v10"


def set_api_url(url: str) -> None:
    """Point discord.py's REST (and webhook/interaction) calls at `url`, e.g.
    http://127.0.0.1:8765/api/v10. The gateway address then comes from that server's
    GET /gateway/bot answer."""
    discord.http.Route.BASE = (url or DEFAULT_API_URL).rstrip("/")


discord.VoiceClient.warn_nacl = False  # no voice here: silence the PyNaCl warning
discord.VoiceClient.warn_dave = False


class AdvisorClient(discord.AutoShardedClient):
    """Holds the App for the handlers (interaction.client.app) and the command tree."""

    def __init__(self, app: App, **options) -> None:  # noqa: ANN003
        super().__init__(
            intents=discord.Intents.default(),  # no message_content: everything comes as interactions
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.app = app
        self.defer_after: float = flow.DEFER_AFTER
        self.notes: dict = {}  # user id -> (when, handle) of their latest note (flow.note)
        self.tree = app_commands.CommandTree(self)
        commands.install(self.tree)
        self.ready_event = None  # an asyncio.Event set on on_ready, if given

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*components.ITEMS)

    async def on_ready(self) -> None:
        flow.log.info("Discord: connected as %s (%s shards)", self.user, self.shard_count)
        if self.ready_event is not None:
            self.ready_event.set()


def build_client(app: App) -> AdvisorClient:
    set_api_url(app.settings.discord_api_url)
    return AdvisorClient(app)
