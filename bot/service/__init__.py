"""The application service every adapter calls: engine + session store + compare-and-set.

Adapters pass a Scope, the acting user, an engine event and, for clicks, the Ref the
button carried. They get an Outcome back and render it; they never touch the store.
"""
from __future__ import annotations

from bot.service.outcome import (
    MESSAGES,
    REPLAY_WINDOW,
    SHARE_CLAIM,
    Outcome,
    Recent,
    Ref,
    Status,
    new_session_id,
    shared_note,
)
from bot.service.share import Sharing
from bot.service.team import TEAM_MESSAGES, TeamOutcome, member_scope
from bot.service.teamcard import TeamCard, member_scope_at
from bot.service.views import Views

__all__ = ["MESSAGES", "REPLAY_WINDOW", "SHARE_CLAIM", "TEAM_MESSAGES", "Advisor", "Outcome", "Recent", "Ref",
           "Status", "TeamOutcome", "member_scope", "member_scope_at", "new_session_id", "shared_note"]


class Advisor(TeamCard, Sharing, Views):
    """One object for adapters to hold; each concern lives in its own module."""
