"""What a conversation screen needs besides the engine's reply."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ctx:
    """`session`/`version`: what every button carries (see ids).
    `questions`: question id -> short name, to name the open questions of an unsettled result.
    `shared`: where the result was shared (a channel id), once it was; "" before
    (Outcome.shared, recorded on the session by Advisor.share; the result then says where
    instead of offering Share).
    `confirm_restart`: show "Discard your N answers?" instead of the navigation row.
    `not_shared`: why the last Share did not post (shown on the result, which keeps Share).
    `team`: a team member's conversation: its team decision's id ("" otherwise); `session` is
    then ids.member_session(...), so every button finds the member's conversation again.
    `team_note`: why the member's answers were not recorded ("" when they were)."""

    session: str
    version: int
    questions: Mapping[str, str] = field(default_factory=dict)
    shared: str = ""
    confirm_restart: bool = False
    not_shared: str = ""
    team: str = ""
    team_note: str = ""
