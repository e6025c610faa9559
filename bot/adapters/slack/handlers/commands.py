"""Text in: the `/framework` slash command and `app_mention` (a public thread conversation)."""
from __future__ import annotations

import asyncio
import re
from typing import Any

from bot import engine
from bot.store.base import Scope

from .dispatch import Blocks, Dispatch, Responder, note_blocks, outcome_blocks, reply_blocks, scope_of

MAX_TEXT = 2000  # longer free text is cut before it reaches the engine
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


class Commands(Dispatch):
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
        scope = scope_of(context.team_id or command.get("team_id", ""), command.get("channel_id", ""), user)
        respond = Responder(command.get("response_url", ""), client)
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
        blocks, text = await self.text_reply(scope, user, _MENTION.sub(" ", event.get("text", "")), thread)
        await client.chat_postMessage(channel=channel, thread_ts=thread, blocks=blocks, text=text)
