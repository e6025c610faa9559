"""Team decisions on Slack (issue 16): the card, Answer, Close and decide, the deadline, Ask my
team, and the team result. The rules are the service's (bot/service/team.py); this module posts
and edits messages.

- The card is one public message (chat.postMessage; in the thread when started from one). Its
  reference (the message ts) is kept on the record, so edits and buttons survive restarts.
- Card edits go through one Coalescer per process (bot/adapters/coalesce.py): a burst of
  members finishing is one chat.update (Tier 3, ~50 a minute), at most one a second per card.
- Listeners ack at once and do everything after the ack (Dispatch.spawn): no ack waits on the store.
- A card that was deleted (chat.update: message_not_found) loses nothing: answers live in the
  store, Close still posts the result in the channel.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.adapters.coalesce import Coalescer
from bot.service.outcome import MESSAGES
from bot.service.team import TeamOutcome
from bot.store.base import Scope

from .. import ids, render
from ..render import team as team_render
from .dispatch import Dispatch, Responder, notify, scope_of
from .export import deliver, display_name

log = logging.getLogger("bot.slack")

SWEEP = 30.0  # s between two looks for team decisions past their deadline
CANNOT_POST = ("I can't post in this channel. Invite me with /invite and try again; "
               "a team decision needs a card everyone in the channel can see.")
ASKED = "I posted a team card in the channel. Your answers count as yours; the others press Answer."
# Slack's answers that mean "not here", not "something broke".
_POST_REFUSALS = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
_GONE = {"message_not_found", "channel_not_found", "cant_update_message", "is_archived", "not_in_channel"}

CardKey = tuple[str, str, str]  # (workspace, channel, team id)


def _error(exc: SlackApiError) -> str:
    return str((exc.response.get("error") if exc.response is not None else "") or "")


class TeamHandlers(Dispatch):
    """The team listeners, and the card edits and deadline sweep behind them."""

    def team_setup(self, web: Any) -> None:
        """`web`: the Bolt app's Web client; card edits and the sweep run outside any request."""
        self.web = web
        self.cards: Coalescer[CardKey] = Coalescer(self.edit_card, name="team card edit")
        self.gone: set[str] = set()  # message ts of cards Slack says are gone: never edited again

    # -- starting -------------------------------------------------------------------------------

    async def start_team(self, card_scope: Scope, user: str, name: str, description: str, respond: Any,
                         client: Any) -> bool:
        """Record a new team decision and post its card where `card_scope` says (channel, thread)."""
        started: TeamOutcome = await self.call(self.advisor.start_team, card_scope, user, description, None, None,
                                               name)
        return await self.post_card(started, respond, client)

    async def post_card(self, started: TeamOutcome, respond: Any, client: Any) -> bool:
        """Post the card of a team decision just started; keep its reference for the edits."""
        if not started.ok or started.team is None:
            await notify(respond, started.message)
            return False
        team = started.team
        try:
            posted = await client.chat_postMessage(channel=team.channel, blocks=team_render.card_dicts(team),
                                                   text=team_render.fallback(team),
                                                   **({"thread_ts": team.thread} if team.thread else {}))
        except SlackApiError as exc:
            if _error(exc) not in _POST_REFUSALS:
                raise
            log.info("team card refused by Slack: %s", _error(exc))
            await notify(respond, CANNOT_POST)
            return False
        scope = Scope("slack", team.workspace, team.channel)
        await self.call(self.advisor.set_team_card, scope, team.id, str(posted.get("ts") or ""))
        self.cards.mark((team.workspace, team.channel, team.id))  # answers that landed before the ts was kept
        return True

    async def ask(self, body: dict[str, Any], action: dict[str, Any], workspace: str, channel: str, user: str,
                  respond: Any, client: Any) -> None:
        """"Ask my team" on a result: a team card where the result is (the thread of a thread
        conversation), with the clicker's answers as the first member's."""
        tok = ids.parse_token(action.get("value"))
        if tok is None or tok.team or not user:
            await notify(respond, MESSAGES["stale"])
            return
        scope = scope_of(workspace, channel, user, tok.thread)
        started: TeamOutcome = await self.call(self.advisor.ask_team, scope, user, tok.ref, display_name(body))
        if await self.post_card(started, respond, client):
            await notify(respond, ASKED)

    # -- the card's buttons -----------------------------------------------------------------------

    async def team_action(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any,
                          context: Any) -> None:
        await ack()
        respond = Responder(body.get("response_url", ""), client)
        self.spawn(self.team_click(body, action, client, context, respond), "block_actions", respond)

    async def team_click(self, body: dict[str, Any], action: dict[str, Any], client: Any, context: Any,
                         respond: Any) -> None:
        parsed = ids.parse_team_action(action.get("action_id"))
        if action.get("type") == "static_select":
            team_id = ids.team_from_block_id(action.get("block_id"))
            value = (action.get("selected_option") or {}).get("value", "")
        else:
            team_id = ids.parse_team_value(action.get("value"))
            value = ""
        user = (body.get("user") or {}).get("id") or ""
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
        workspace = context.team_id or (body.get("team") or {}).get("id") or ""
        if parsed is not None and parsed.kind == ids.TEAM_ASK:
            await self.ask(body, action, workspace, channel, user, respond, client)
            return
        if parsed is None or not team_id or not user:
            await notify(respond, MESSAGES["stale"])
            return
        scope = Scope("slack", workspace, channel)
        if parsed.kind == ids.TEAM_ANSWER:
            await self.join(scope, team_id, user, display_name(body), respond)
        elif parsed.kind == ids.TEAM_CLOSE:
            await self.close(scope, team_id, user, respond, client)
        elif parsed.kind == ids.TEAM_DEADLINE:
            await self.deadline(scope, team_id, user, value, respond)
        elif parsed.kind == ids.TEAM_EXPORT:
            outcome = await self.call(self.advisor.team_export, scope, team_id)
            if not outcome.ok or outcome.record is None:
                await notify(respond, outcome.message)
                return
            await deliver(outcome.record, user, respond, client)
        else:
            await self.team_view(parsed, scope, team_id, respond)

    async def join(self, scope: Scope, team_id: str, user: str, name: str, respond: Any) -> None:
        """Answer: the member's private conversation, offered every question (replacing an earlier one)."""
        joined: TeamOutcome = await self.call(self.advisor.join_team, scope, team_id, user, name)
        conversation = joined.conversation
        if not joined.ok or conversation is None or not conversation.ok or conversation.reply is None:
            await notify(respond, joined.message or (conversation.message if conversation else ""), channels=True)
            return
        blocks = render.dicts(conversation.reply, ids.token(conversation.ref(), team=team_id), names=self.names(),
                              member=True)
        await respond(blocks=blocks, text=render.fallback_text(conversation.reply), response_type="ephemeral",
                      replace_original=False)

    async def close(self, scope: Scope, team_id: str, user: str, respond: Any, client: Any) -> None:
        closed: TeamOutcome = await self.call(self.advisor.close_team, scope, team_id, user)
        if not closed.ok:
            await notify(respond, closed.message, channels=True)
            return
        await self.publish_result(closed, client, respond)

    async def deadline(self, scope: Scope, team_id: str, user: str, value: str, respond: Any) -> None:
        seconds = team_render.deadline_seconds(value)
        if seconds is None:
            await notify(respond, MESSAGES["stale"])
            return
        changed: TeamOutcome = await self.call(self.advisor.set_team_deadline, scope, team_id, user, seconds)
        if not changed.ok:
            await notify(respond, changed.message, channels=True)
            return
        self.cards.mark((scope.workspace, scope.channel, team_id))

    async def team_view(self, parsed: ids.TeamAction, scope: Scope, team_id: str, respond: Any) -> None:
        """Compare top 3 and what-if on a team result: a new private message for the clicker (the
        result itself is public and stays as it is)."""
        if parsed.kind == ids.TEAM_COMPARE:
            outcome = await self.call(self.advisor.team_matrix, scope, team_id)
        else:
            outcome = await self.call(self.advisor.team_whatif, scope, team_id, parsed.question, parsed.option)
        if not outcome.ok or outcome.reply is None:
            await notify(respond, outcome.message)
            return
        blocks = render.dicts(outcome.reply, None)
        await respond(blocks=blocks, text=render.fallback_text(outcome.reply), response_type="ephemeral",
                      replace_original=False)

    # -- the result and the card ------------------------------------------------------------------

    async def publish_result(self, closed: TeamOutcome, client: Any, respond: Any = None) -> None:
        """Post a team result (the decision was just closed by this process) where its card is,
        record where it went, and show the card closed. The card may be gone: the result still posts."""
        team, result = closed.team, closed.result
        assert team is not None and result is not None
        scope = Scope("slack", team.workspace, team.channel)
        try:
            await client.chat_postMessage(channel=team.channel, blocks=team_render.result_dicts(result, team),
                                          text=team_render.fallback(team, result),
                                          **({"thread_ts": team.thread} if team.thread else {}))
        except SlackApiError as exc:
            if _error(exc) not in _POST_REFUSALS:
                raise
            log.info("team result refused by Slack: %s", _error(exc))
            if respond is not None:
                await notify(respond, CANNOT_POST)
            return
        await self.call(self.advisor.team_posted, scope, team.id, team.channel)
        self.cards.mark((team.workspace, team.channel, team.id))

    async def edit_card(self, key: CardKey) -> bool:
        """The coalescer's edit: the card as the record stands now. True when the record moved on
        while editing (another replica recorded someone): one more round then."""
        workspace, channel, team_id = key
        scope = Scope("slack", workspace, channel)
        seen: TeamOutcome = await self.call(self.advisor.team_record, scope, team_id)
        team = seen.team
        if team is None or not team.card or team.card in self.gone:
            return False
        try:
            await self.web.chat_update(channel=team.channel, ts=team.card, blocks=team_render.card_dicts(team),
                                       text=team_render.fallback(team))
        except SlackApiError as exc:
            if _error(exc) not in _GONE:
                raise
            self.gone.add(team.card)
            if _error(exc) == "message_not_found" and team.open:
                return await self.repost_card(scope, team_id)
            log.info("team card %s can no longer be edited (%s): answers and the result are unaffected",
                     team.id, _error(exc))
            return False
        now: TeamOutcome = await self.call(self.advisor.team_record, scope, team_id)
        return now.team is not None and now.team.version != team.version

    async def repost_card(self, scope: Scope, team_id: str) -> bool:
        """Someone deleted the card of an open decision: post it again, so the channel can still
        answer (answers are in the store either way). Of all replicas, one reposts, and at most
        once per REPLAY_WINDOW per decision, so a channel that keeps losing it is not flooded."""
        if not await self.call(self.advisor.first_delivery, f"slack-card-repost:{scope.workspace}:{team_id}"):
            return False
        seen: TeamOutcome = await self.call(self.advisor.team_record, scope, team_id)
        team = seen.team
        if team is None or not team.open:
            return False
        try:
            posted = await self.web.chat_postMessage(channel=team.channel, blocks=team_render.card_dicts(team),
                                                     text=team_render.fallback(team),
                                                     **({"thread_ts": team.thread} if team.thread else {}))
        except SlackApiError as exc:
            if _error(exc) not in _POST_REFUSALS:
                raise
            log.info("team card %s was deleted and cannot be posted again (%s)", team.id, _error(exc))
            return False
        log.info("team card %s was deleted: posted again", team.id)
        await self.call(self.advisor.set_team_card, scope, team.id, str(posted.get("ts") or ""))
        return True  # one more round: answers that landed meanwhile

    # -- deadlines --------------------------------------------------------------------------------

    async def close_due(self) -> int:
        """Close and post every team decision past its deadline that this replica wins."""
        closed = await self.call(self.advisor.close_due_teams, None, 100, "slack")
        for outcome in closed:
            try:
                await self.publish_result(outcome, self.web)
            except Exception as exc:  # noqa: BLE001 - one line; the others still post
                log.warning("team %s: result not posted: %s: %s", outcome.team.id if outcome.team else "?",
                            type(exc).__name__, exc)
        return len(closed)

    async def sweep(self, every: float = SWEEP) -> None:
        """Runs beside the Slack adapter until cancelled."""
        while True:
            try:
                await self.close_due()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - a store away: one line, try again next time
                log.warning("team deadlines: %s: %s", type(exc).__name__, exc)
            await asyncio.sleep(every)
