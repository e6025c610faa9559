"""What the application service hands back to adapters, and the user-facing words for each status.

Apart from the Advisor because every part of it returns these, and renderers use nothing else.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

from bot.engine.replies import Reply
from bot.engine.state import State
from bot.export import DecisionRecord
from bot.store.base import Scope

Status = Literal["ok", "stale", "replaced", "expired", "not_owner", "invalid", "nothing_to_share", "already_shared",
                 "sharing"]

MESSAGES: dict[str, str] = {
    "stale": "That button belongs to an earlier step of this conversation, which has already been answered.",
    "replaced": "This conversation was replaced by a newer one. Carry on there, or start again with /framework.",
    "expired": "This conversation has expired or was never started here. Start again with /framework.",
    "not_owner": "This conversation belongs to someone else. Start your own with /framework.",
    "no_result": "There is no recommendation yet: answer the questions first.",
    "nothing_to_share": "There is no recommendation to share yet. Answer the questions first.",
    "sharing": "This result is being shared right now. The result will say where once the post is up.",
}
# How long a signed request is remembered, to apply a replay of it at most once: Slack (and so
# Bolt) refuses timestamps older than 5 minutes, plus room for clock skew between replicas.
REPLAY_WINDOW = 600.0
# How long a share's claim holds before its post is confirmed (Advisor.confirm_share): a post that
# takes longer (or a poster that crashed) leaves the result unshared, to be shared again.
SHARE_CLAIM = 60.0


def shared_note(channel: str) -> str:
    """Said wherever a shared result is shown privately. `<#id>` is a channel reference on
    both Slack and Discord; `channel` is an id the platform gave us, never user text."""
    return f"Shared in <#{channel}>."


@dataclass(frozen=True)
class Ref:
    """What a button carries: which conversation, at which step."""

    session: str
    version: int


@dataclass(frozen=True)
class Outcome:
    status: Status
    reply: Reply | None = None
    session: str = ""
    version: int = 0
    message: str = ""  # for every status but "ok": short and safe to show
    resumed: bool = False
    state: State | None = None  # the conversation's state (current, act, whatif)
    record: DecisionRecord | None = None  # export only
    shared: str = ""  # where the current recommendation was shared ("" if not)
    team: str = ""  # a team member's conversation: the team decision's id (bot/service/team.py)
    team_note: str = ""  # when a member's finished answers were not recorded: why (safe to show)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def ref(self) -> Ref:
        return Ref(self.session, self.version)


@dataclass(frozen=True)
class Recent:
    """One of a user's conversations, for an overview (the Slack App Home)."""

    scope: Scope
    ref: Ref
    updated: float  # unix time of its last step
    reply: Reply  # the pending question, or the recommendation


def new_session_id() -> str:
    return secrets.token_urlsafe(6)  # 8 characters; ids only need to be unique per scope
