"""Bolt listeners: Slack payload -> engine event / service call -> rendered reply.

`register(bolt, app)` adds:
- the `/framework` command (help, about, compare, restart, or free text to start);
- every click whose action_id matches the contract in `ids` (answers, nav, share);
- `app_mention`: a public conversation in a thread, owned by whoever mentioned the bot;
- `app_home_opened` and the Home tab's buttons (see `home`);
- team decisions (`team`): the card's buttons, Ask my team, the team result's buttons, and
  behind them the coalesced card edits and the deadline sweep.

No business rules here: the Advisor decides, `render` draws. Modules: `dispatch` (the
thread pool, background work, error report, response_url), `commands` (text in:
/framework and mentions), `actions` (clicks).
"""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.bootstrap import App

from .. import ids
from .actions import Actions
from .commands import Commands
from .dispatch import INLINE_BUDGET
from .home import Home


class Handlers(Commands, Actions, Home):
    """Every listener, over one shared `Dispatch` (pool, background tasks)."""


def register(bolt: AsyncApp, app: App, inline_budget: float = INLINE_BUDGET) -> Handlers:
    h = Handlers(app, inline_budget)
    h.team_setup(bolt.client)
    bolt.command(ids.SLASH_COMMAND)(h.command)
    bolt.action(ids.ACTION_PATTERN)(h.action)
    bolt.event("app_mention")(h.mention)
    bolt.event("app_home_opened")(h.home_opened)
    bolt.action(ids.HOME_PATTERN)(h.home_action)
    bolt.action(ids.TEAM_PATTERN)(h.team_action)
    return h

