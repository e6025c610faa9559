"""The application service every adapter calls: engine + session store + compare-and-set.

Adapters pass a Scope, the acting user, an engine event and, for clicks, the Ref the
button carried. They get an Outcome back and render it; they never touch the store.
"""
from __future__ import annotations

from bot.service.share import Sharing
from bot.service.teamcard import TeamCard
from bot.service.views import Views


class Advisor(TeamCard, Sharing, Views):
    """One object for adapters to hold; each concern lives in its own module."""
