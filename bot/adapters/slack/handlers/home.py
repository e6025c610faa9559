"""The App Home tab: `app_home_opened` publishes the user's recent results (views.publish);
"Start a new one" opens a conversation in the app's DM; "Continue" reopens an unfinished one
as a private message where it lives."""
from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from .. import ids
from bot.adapters.slack.render.home import home_view
from bot.adapters.slack.render.text import escape
from .dispatch import ERROR_MESSAGE, Dispatch, outcome_blocks, scope_of

log = logging.getLogger("bot.slack")

REOPENED = "Reopened below the conversation's last message in {where}: carry on there."
CANNOT_REOPEN = ("I can't post in the channel that conversation is in (am I a member?). "
                 "Run /framework there to start again, or press *Start a new one*.")
STARTED = "Started a new conversation in our direct messages: see the Messages tab."
# Slack's answers that mean "not there", not "something broke".
_REFUSALS = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action", "user_not_in_channel"}


class HomeNotice:
    """The error report's way to tell the user on the Home tab, which has no response_url:
    the tab is published with the error note and without the list (reading it is what failed)."""

    def __init__(self, client: Any, user: str) -> None:
        self.client = client
        self.user = user

    async def __call__(self, **_: Any) -> None:
        await self.client.views_publish(user_id=self.user, view=home_view(None, escape(ERROR_MESSAGE)))


class Home(Dispatch):
    async def home_opened(self, event: dict[str, Any], client: Any, context: Any) -> None:
        if event.get("tab") != "home" or not event.get("user"):
            return
        user = event["user"]
        self.spawn(self.publish(context.team_id or "", user, client), "app_home_opened", HomeNotice(client, user))

    async def publish(self, team: str, user: str, client: Any, notice: str = "") -> None:
        """Only `user`'s own conversations: the per-owner index is looked up with their id."""
        recent = await self.call(self.advisor.recent, "slack", team, user)
        await client.views_publish(user_id=user, view=home_view(recent, notice))

    async def home_action(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any,
                          context: Any) -> None:
        await ack()
        user = (body.get("user") or {}).get("id", "")
        self.spawn(self.home_click(body, action, client, context), "home", HomeNotice(client, user) if user else None)

    async def home_click(self, body: dict[str, Any], action: dict[str, Any], client: Any, context: Any) -> None:
        user = (body.get("user") or {}).get("id", "")
        team = context.team_id or (body.get("team") or {}).get("id", "")
        if not user:
            return
        if action.get("action_id") == ids.HOME_START:
            await self.start_in_dm(team, user, client)
            return
        parsed = ids.parse_home_value(action.get("value"))
        if parsed is None:
            await self.publish(team, user, client, escape("That button is out of date."))
            return
        channel, thread, ref = parsed
        # Any version of that session: Continue shows wherever the conversation stands now.
        outcome = await self.call(self.advisor.current, scope_of(team, channel, user, thread), user, ref, True)
        if not outcome.ok:
            await self.publish(team, user, client, escape(outcome.message))
            return
        blocks, text = outcome_blocks(outcome, thread, self.names())
        try:
            await client.chat_postEphemeral(channel=channel, user=user, blocks=blocks, text=text,
                                            **({"thread_ts": thread} if thread else {}))
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else ""
            if error not in _REFUSALS:
                raise
            log.info("home: cannot reopen a conversation: %s", error)
            await self.publish(team, user, client, CANNOT_REOPEN)
            return
        where = f"<#{channel}>" if channel[:1] in ("C", "G") else "our direct messages"
        await self.publish(team, user, client, REOPENED.format(where=where))

    async def start_in_dm(self, team: str, user: str, client: Any) -> None:
        opened = await client.conversations_open(users=user)
        dm = (opened.get("channel") or {}).get("id", "")
        outcome = await self.call(self.advisor.start, scope_of(team, dm, user), user, "")
        blocks, text = outcome_blocks(outcome, "", self.names())
        await client.chat_postMessage(channel=dm, blocks=blocks, text=text)
        await self.publish(team, user, client, STARTED)
