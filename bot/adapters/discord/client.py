"""The discord.py client: auto-sharded, no privileged intents, no mentions, persistent components."""
from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import discord
from discord import app_commands

from bot.bootstrap import App

from . import commands, components, ids, notes
from .cards import Cards, keep_deadlines
from .reply import DEFER_AFTER, log

DEFAULT_API_URL = "https://discord.com/api/v10"
STOP_INTAKE_TIMEOUT = 2.0  # s per shard for the websocket close handshake
UNKNOWN_BUTTON = "That button is out of date. Start again with /framework start."


def set_api_url(url: str) -> None:
    """Point discord.py's REST (and webhook/interaction) calls at `url`, e.g.
    http://127.0.0.1:8765/api/v10. The gateway address then comes from that server's
    GET /gateway/bot answer."""
    discord.http.Route.BASE = (url or DEFAULT_API_URL).rstrip("/")


discord.VoiceClient.warn_nacl = False  # no voice here: silence the PyNaCl warning
discord.VoiceClient.warn_dave = False


class AdvisorClient(discord.AutoShardedClient):
    """Holds the App for the handlers (interaction.client.app) and the command tree."""

    def __init__(self, app: App, **options: Any) -> None:
        super().__init__(
            intents=discord.Intents.default(),  # no message_content: everything comes as interactions
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.app = app
        self.defer_after: float = DEFER_AFTER
        # (user id, channel id) -> (when, handle) of their latest note there (notes.note)
        self.notes: dict[tuple[int, int | None], tuple[float, Any]] = {}
        self.tree = app_commands.CommandTree(self)
        commands.install(self.tree)
        self.ready_event: asyncio.Event | None = None  # set on on_ready, if given
        self.in_flight: set[asyncio.Task[object]] = set()  # tasks of interactions not finished yet
        self.cards = Cards(self)  # team cards' coalesced edits
        self.deadlines: asyncio.Task[None] | None = None  # closes team decisions at their deadline
        self._track_interactions()

    def _track_interactions(self) -> None:
        """Remember every task an INTERACTION_CREATE starts (the command tree's invoker, a
        component's callback): discord.py creates them synchronously while parsing the event,
        so a task factory set around the parser sees exactly those. The shutdown waits for
        them instead of guessing which tasks are work."""
        parsers = self._connection.parsers  # the gateway reads this same dict
        parse = parsers["INTERACTION_CREATE"]
        in_flight = self.in_flight

        def tracked(data: object) -> None:
            loop = asyncio.get_running_loop()
            previous = loop.get_task_factory()

            def factory(loop: asyncio.AbstractEventLoop, coro: Any, **kw: Any) -> asyncio.Future[Any]:
                task = previous(loop, coro, **kw) if previous else asyncio.Task(coro, loop=loop, **kw)
                if not isinstance(task, asyncio.Task):  # typed as a Future; factories make Tasks
                    return task
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
                return task

            loop.set_task_factory(factory)
            try:
                parse(data)
            finally:
                loop.set_task_factory(previous)

        parsers["INTERACTION_CREATE"] = tracked

    async def stop_intake(self) -> set[asyncio.Task[object]]:
        """Shutdown, step 1: stop reading the gateway, so no new interaction is taken, and
        return the tasks of those already received, to be waited for. Every shard's websocket
        closes; its reader is cancelled at a read, never halfway through an event (a DISPATCH
        is parsed and dispatched without awaiting). The HTTP session stays open, so replies
        still go out; `close()` comes after them."""
        for shard in list(self.shards.values()):
            try:
                await asyncio.wait_for(shard.disconnect(), STOP_INTAKE_TIMEOUT)
            except Exception:  # noqa: BLE001 - timed out or a dead socket: stopped either way
                log.debug("shard %s: disconnect did not finish cleanly", shard.id)
        return {t for t in self.in_flight if not t.done()}

    async def setup_hook(self) -> None:
        self.add_dynamic_items(*components.ITEMS)
        self.deadlines = asyncio.create_task(keep_deadlines(self), name="discord-team-deadlines")

    async def close(self) -> None:
        if self.deadlines is not None:
            self.deadlines.cancel()
        try:  # the last card edits go out before the HTTP session closes
            await asyncio.wait_for(self.cards.coalescer.drain(), STOP_INTAKE_TIMEOUT)
        except TimeoutError:
            log.info("Discord: closing with team card edits still pending")
        await super().close()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A click on an `fa:` custom_id that no dynamic item matches (garbled, or from a newer or
        older contract): discord.py would drop it and the user would see "This interaction failed"."""
        data: Mapping[str, object] = interaction.data or {}
        custom_id = data.get("custom_id", "")
        if (interaction.type is discord.InteractionType.component and isinstance(custom_id, str)
                and custom_id.startswith(f"{ids.PREFIX}:") and ids.parse(custom_id) is None):
            log.info("Discord: unknown custom_id %r", custom_id[:ids.MAX_LENGTH])
            await notes.note(interaction, UNKNOWN_BUTTON)

    async def on_ready(self) -> None:
        log.info("Discord: connected as %s (%s shards)", self.user, self.shard_count)
        if self.ready_event is not None:
            self.ready_event.set()


def build_client(app: App) -> AdvisorClient:
    set_api_url(app.settings.discord_api_url)
    return AdvisorClient(app)
