"""Clicks: answers, navigation and Share, by the action_id contract in `ids`."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.engine.events import Answer, Back, Decide, Event, More, Restart, Skip
from bot.engine.replies import Recommendation
from bot.service.outcome import MESSAGES
from bot.service.teamcard import member_scope_at
from bot.store.base import Scope

from .. import ids, render
from .team import TeamHandlers
from .dispatch import Responder, notify, outcome_blocks, reply_blocks, scope_of
from .export import deliver, display_name

log = logging.getLogger("bot.slack")

NOT_SHARED = ("I can't post in this channel. Invite me with /invite and press Share again, "
              "or copy the recommendation yourself.")
SHARED = "Shared with the channel."
NOTHING_TO_SHARE = MESSAGES["nothing_to_share"]
# Slack's answers to chat.postMessage that mean "not here", not "something broke".
_SHARE_REFUSALS = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


# The navigation buttons, as the engine's events.
_NAV_EVENTS: dict[str, Callable[[], Event]] = {"skip": Skip, "back": Back, "decide": Decide, "restart": Restart,
                                                "more": More}

class Actions(TeamHandlers):
    async def action(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any,
                     context: Any) -> None:
        await ack()
        respond = Responder(body.get("response_url", ""), client)
        self.spawn(self.click(body, action, client, context, respond), "block_actions", respond)

    async def click(self, body: dict[str, Any], action: dict[str, Any], client: Any, context: Any,
                    respond: Any) -> None:
        parsed = ids.parse_action(action.get("action_id"))
        if action.get("type") == "static_select":
            tok = ids.token_from_block_id(action.get("block_id"))
            option = (action.get("selected_option") or {}).get("value", "")
        else:
            tok = ids.parse_token(action.get("value"))
            option = parsed.option if parsed else ""
        if parsed is None or tok is None or (parsed.kind == ids.ANSWER and not option):
            await notify(respond, MESSAGES["stale"])
            return
        user = (body.get("user") or {}).get("id", "")
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        workspace = context.team_id or (body.get("team") or {}).get("id") or ""
        scope = scope_of(workspace, channel, user, tok.thread)
        if tok.team:  # a member's conversation in a team decision
            scope = member_scope_at(scope, tok.team, user)

        if parsed.kind == ids.SHARE:
            await self.share(scope, user, tok, channel, respond, client)
            return
        if parsed.kind == ids.EXPORT:
            await self.export(scope, user, display_name(body), tok, respond, client)
            return
        if parsed.kind in (ids.COMPARE, ids.WHATIF, ids.ANSWERS):
            await self.look(parsed, scope, user, tok, respond)
            return
        event: Event = Answer(parsed.question, option) if parsed.kind == ids.ANSWER else _NAV_EVENTS[parsed.nav]()
        outcome = await self.call(self.advisor.act, scope, user, event, tok.ref)
        if not outcome.ok:
            await notify(respond, outcome.message)
            return
        if outcome.team and not outcome.team_note:  # their answers were recorded: the card shows them
            self.cards.mark((workspace, channel, outcome.team))
        blocks, text = outcome_blocks(outcome, tok.thread, self.names(), tok.team)
        await respond(blocks=blocks, text=text, replace_original=True)

    async def look(self, parsed: ids.Action, scope: Scope, user: str, tok: ids.Token, respond: Any) -> None:
        """Compare, what-if and back: read-only views of the conversation at the clicked step.
        What-if replaces the result (and back restores it); the matrix is a new private message."""
        if parsed.kind == ids.COMPARE:
            outcome = await self.call(self.advisor.matrix, scope, user, tok.ref)
        elif parsed.kind == ids.WHATIF:
            outcome = await self.call(self.advisor.whatif, scope, user, parsed.question, parsed.option, tok.ref)
        else:
            outcome = await self.call(self.advisor.current, scope, user, tok.ref)
        if not outcome.ok:
            await notify(respond, outcome.message)
            return
        blocks, text = outcome_blocks(outcome, tok.thread, team=tok.team)
        if parsed.kind == ids.COMPARE:
            await respond(blocks=blocks, text=text, response_type="ephemeral", replace_original=False)
        else:
            await respond(blocks=blocks, text=text, replace_original=True)

    async def export(self, scope: Scope, user: str, name: str, tok: ids.Token, respond: Any, client: Any) -> None:
        outcome = await self.call(self.advisor.export, scope, user, [name], tok.ref)
        if not outcome.ok or outcome.record is None:
            await notify(respond, outcome.message)
            return
        await deliver(outcome.record, user, respond, client)

    async def share(self, scope: Scope, user: str, tok: ids.Token, channel: str, respond: Any,
                    client: Any) -> None:
        """One public message per result: the service records a claim on the session first
        (compare-and-set), only the click that won it posts, and the post confirms it (a claim
        left by a crash lapses, so the result can be shared again). The private result says
        "Shared" only after the post is up; a click while it is under way gets a note."""
        outcome = await self.call(self.advisor.share, scope, user, tok.ref, channel)
        if outcome.status == "already_shared":  # a double click, an older copy: show where it went
            blocks, text = reply_blocks(outcome.reply, ids.token(outcome.ref(), tok.thread), outcome.shared,
                                        self.names())
            await respond(blocks=blocks, text=text, replace_original=True)
            return
        if not outcome.ok:
            await notify(respond, outcome.message)
            return
        assert isinstance(outcome.reply, Recommendation)
        blocks = render.dicts(outcome.reply, shared_by=user, names=self.names())
        try:
            await client.chat_postMessage(channel=channel, blocks=blocks, text=render.fallback_text(outcome.reply))
        except SlackApiError as exc:
            await self.call(self.advisor.unshare, scope, outcome.ref())
            error = exc.response.get("error") if exc.response is not None else ""
            if error in _SHARE_REFUSALS:
                log.info("share refused by Slack: %s", error)
                await notify(respond, NOT_SHARED)
                return
            raise
        except Exception:
            await self.call(self.advisor.unshare, scope, outcome.ref())
            raise
        confirmed = await self.call(self.advisor.confirm_share, scope, outcome.ref())  # posted: shared for good
        if not confirmed.ok:  # a step landed while posting: that click already showed the new state
            log.info("Slack share posted; the conversation moved on before the confirmation")
            return
        # Only now, with the post up, the private result says where it went and offers no second Share.
        blocks, text = outcome_blocks(confirmed, tok.thread, self.names())
        await respond(blocks=blocks, text=text, replace_original=True)
