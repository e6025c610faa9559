"""Text in: the `/framework` slash command and `app_mention` (a public thread conversation).
`/framework team [description]`, or a mention starting with "team" (whose card goes in the
mention's thread: slash commands carry no thread), starts a team decision (handlers.team)."""
from __future__ import annotations

import asyncio
import re
from typing import Any

from bot import engine
from bot.store.base import Scope

from .team import TeamHandlers
from .dispatch import Blocks, Responder, note_blocks, outcome_blocks, reply_blocks, scope_of

MAX_TEXT = 2000  # longer free text is cut before it reaches the engine
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def team_text(text: str) -> str | None:
    """The description after a leading "team" (cut to MAX_TEXT); None when it does not start with it."""
    word, _, rest = text.strip().partition(" ")
    return rest.strip()[:MAX_TEXT] if word.lower() == "team" else None


class EphemeralNote:
    """A mention has no response_url: its notes go to the person alone, in the thread."""

    def __init__(self, client: Any, channel: str, user: str, thread: str) -> None:
        self.client, self.channel, self.user, self.thread = client, channel, user, thread

    async def __call__(self, *, blocks: Any = None, text: str = "", **_: Any) -> None:
        await self.client.chat_postEphemeral(channel=self.channel, user=self.user, thread_ts=self.thread,
                                             blocks=blocks, text=text)


class Commands(TeamHandlers):
    async def text_reply(self, scope: Scope, user: str, text: str, thread: str = "") -> Blocks:
        """Blocks and fallback text for `/framework <text>` or a mention's text."""
        text = text.strip()[:MAX_TEXT]
        word, _, rest = text.partition(" ")
        word = word.lower()
        knowledge = self.app.knowledge()
        try:
            if word == "help" and not rest.strip():
                return reply_blocks(engine.help_reply(knowledge))
            if word == "about":
                return reply_blocks(engine.about(knowledge, rest))
            if word == "compare":
                return reply_blocks(engine.compare(knowledge, rest.replace(",", " ").split()))
        except engine.EngineError as exc:
            return note_blocks(str(exc))
        start_text = "" if word == "restart" and not rest.strip() else text
        outcome = await self.call(self.advisor.start, scope, user, start_text)
        return outcome_blocks(outcome, thread, self.names())

    async def command(self, ack: Any, command: dict[str, Any], client: Any, context: Any) -> None:
        """The ack always leaves within `inline_budget` (well inside Slack's 3 s). If the
        reply is ready by then it travels in the ack itself (one round trip, no
        response_url post); otherwise the ack is empty and the reply follows on
        response_url when the work is done."""
        user = command.get("user_id", "")
        workspace, channel = context.team_id or command.get("team_id", ""), command.get("channel_id", "")
        scope = scope_of(workspace, channel, user)
        respond = Responder(command.get("response_url", ""), client)
        description = team_text(command.get("text", ""))
        if description is not None:  # the card is public, posted after an empty ack
            await ack()
            card = Scope("slack", workspace or "", channel or "", command.get("thread_ts") or "")
            self.spawn(self.start_team(card, user, command.get("user_name") or "", description, respond, client),
                       "command", respond)
            return
        work = asyncio.ensure_future(self.text_reply(scope, user, command.get("text", "")))
        if self.inline_budget > 0:
            await asyncio.wait({work}, timeout=self.inline_budget)
        if work.done() and work.exception() is None:
            blocks, text = work.result()
            await ack(blocks=blocks, text=text, response_type="ephemeral")
            return
        await ack()

        async def later() -> None:
            blocks, text = await work
            await respond(blocks=blocks, text=text, response_type="ephemeral", replace_original=False)

        self.spawn(later(), "command", respond)

    async def mention(self, event: dict[str, Any], client: Any, context: Any) -> None:
        # events are acknowledged when this returns; the work goes on in the background
        self.spawn(self.mentioned(event, client, context), "app_mention")

    async def mentioned(self, event: dict[str, Any], client: Any, context: Any) -> None:
        if event.get("bot_id") or not event.get("user"):
            return
        user, channel = event["user"], event.get("channel", "")
        thread = event.get("thread_ts") or event.get("ts", "")
        scope = scope_of(context.team_id or "", channel, user, thread)
        existing = await self.call(self.advisor.current, scope, user)
        if existing.status == "not_owner":
            blocks, text = note_blocks(existing.message)
            await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread, blocks=blocks, text=text)
            return
        said = _MENTION.sub(" ", event.get("text", ""))
        description = team_text(said)
        if description is not None:
            await self.start_team(Scope("slack", context.team_id or "", channel, thread), user, "", description,
                                  EphemeralNote(client, channel, user, thread), client)
            return
        blocks, text = await self.text_reply(scope, user, said, thread)
        await client.chat_postMessage(channel=channel, thread_ts=thread, blocks=blocks, text=text)
