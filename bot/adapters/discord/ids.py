"""The custom_id contract of every component the Discord adapter sends (at most 100 characters).

    fa:<session>:<version>:<question_id>:<option_id>   answer button
    fa:<session>:<version>:<question_id>               select menu; its option values are option ids
    fa:<session>:<version>:<question_id>~<n>           the n-th further menu (n >= 1) of a question with
                                                       more options than one menu holds (25 each)
    fa:<session>:<version>:nav:<action>                navigation: skip, back, decide (decide now),
                                                       more (more questions after a result), restart
                                                       (asks first), reset (confirmed restart), cancel
                                                       (keep going: back from the restart question)
    fa:<session>:<version>:share                       post the recommendation publicly
    fa:<session>:<version>:export                      the decision record, as an ephemeral .md attachment
    fa:<session>:<version>:compare                     "Compare top 3", as a new ephemeral message
    fa:<session>:<version>:whatif:<question>:<option>  the result with that one answer changed (read-only;
                                                       "Back to my answers" is nav:cancel, showing the step again)
    fa:<session>:<version>:askteam                     "Ask my team": a team card with these answers as the first
    fa:team:<team>:<action>                            a team card or team result: answer, close, export, compare
    fa:team:<team>:whatif:<question>:<option>          the team result with that one answer changed, privately

`<session>` is the session id the service hands out, `<version>` the session version the
component was rendered for (a click on an older version is "stale"). A team member's
conversation (it lives apart from their own, bot.service.team.member_scope) carries its team
decision's id too: `<session>` is then `<session id>.<team id>`. `<team>` is a team
decision's id. Everything needed to handle a click is in the id and the session store, so
components keep working after a restart. Question ids "nav", "share", "export", "compare",
"whatif" and "askteam" are reserved, and no session is called "team".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 100
PREFIX = "fa"
NAV_ACTIONS = ("skip", "back", "decide", "more", "restart", "reset", "cancel")
TEAM_ACTIONS = ("answer", "close", "export", "compare")
RESERVED = frozenset({"nav", "share", "export", "compare", "whatif", "askteam"})

_TEAM_ID = r"[A-Za-z0-9_-]{1,32}"
_SESSION = rf"(?!team:)(?P<session>[A-Za-z0-9_-]{{1,64}})(?:\.(?P<team>{_TEAM_ID}))?"
_VERSION = r"(?P<version>[0-9]{1,12})"
_ID = r"[A-Za-z0-9_.-]{1,64}"
_RESERVED = r"(?!(?:nav|share|export|compare|whatif|askteam)(?::|$))"

ANSWER_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:{_RESERVED}(?P<question>{_ID}):(?P<option>{_ID})"
SELECT_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:{_RESERVED}(?P<question>{_ID})(?:~(?P<page>[1-9][0-9]?))?"
NAV_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:nav:(?P<action>{'|'.join(NAV_ACTIONS)})"
SHARE_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:share"
EXPORT_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:export"
COMPARE_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:compare"
WHATIF_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:whatif:(?P<question>{_ID}):(?P<option>{_ID})"
ASKTEAM_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:askteam"
TEAM_TEMPLATE = rf"{PREFIX}:team:(?P<team>{_TEAM_ID}):(?P<action>{'|'.join(TEAM_ACTIONS)})"
TEAM_WHATIF_TEMPLATE = rf"{PREFIX}:team:(?P<team>{_TEAM_ID}):whatif:(?P<question>{_ID}):(?P<option>{_ID})"

_ID_RE = re.compile(_ID)


class CustomIdError(ValueError):
    """An id cannot be encoded within the contract (bad characters, reserved, too long)."""


@dataclass(frozen=True)
class Parsed:
    kind: str  # "answer", "select", "nav", "share", "export", "compare", "whatif", "askteam", "team", "team_whatif"
    session: str  # the session id alone ("" for "team" and "team_whatif")
    version: int
    question: str = ""
    option: str = ""
    action: str = ""
    team: str = ""  # the team decision: of a member's conversation, or of a card or team result


def _part(value: str, what: str) -> str:
    if not _ID_RE.fullmatch(value):
        raise CustomIdError(f"{what} {value[:40]!r} cannot go into a custom_id")
    return value


def _head(session: str, version: int) -> str:
    """`session`: a session id, or `<session id>.<team id>` for a team member's conversation."""
    if not re.fullmatch(rf"[A-Za-z0-9_-]{{1,64}}(?:\.{_TEAM_ID})?", session) or session.split(".")[0] == "team":
        raise CustomIdError("session id cannot go into a custom_id")
    if not isinstance(version, int) or version < 0 or version >= 10**12:
        raise CustomIdError("version out of range")
    return f"{PREFIX}:{session}:{version}"


def _checked(custom_id: str) -> str:
    if len(custom_id) > MAX_LENGTH:
        raise CustomIdError(f"custom_id of {len(custom_id)} characters exceeds {MAX_LENGTH}")
    return custom_id


def _question(question: str) -> str:
    if question in RESERVED:
        raise CustomIdError(f"question id {question!r} is reserved")
    return _part(question, "question id")


def answer(session: str, version: int, question: str, option: str) -> str:
    return _checked(f"{_head(session, version)}:{_question(question)}:{_part(option, 'option id')}")


def select(session: str, version: int, question: str, page: int = 0) -> str:
    """`page`: which of a question's menus (0, the first, has no suffix)."""
    if not isinstance(page, int) or not 0 <= page < 100:
        raise CustomIdError("menu number out of range")
    suffix = f"~{page}" if page else ""
    return _checked(f"{_head(session, version)}:{_question(question)}{suffix}")


def nav(session: str, version: int, action: str) -> str:
    if action not in NAV_ACTIONS:
        raise CustomIdError(f"unknown navigation {action!r}")
    return _checked(f"{_head(session, version)}:nav:{action}")


def share(session: str, version: int) -> str:
    return _checked(f"{_head(session, version)}:share")


def export(session: str, version: int) -> str:
    return _checked(f"{_head(session, version)}:export")


def compare(session: str, version: int) -> str:
    return _checked(f"{_head(session, version)}:compare")


def whatif(session: str, version: int, question: str, option: str) -> str:
    return _checked(f"{_head(session, version)}:whatif:{_part(question, 'question id')}:{_part(option, 'option id')}")


def askteam(session: str, version: int) -> str:
    return _checked(f"{_head(session, version)}:askteam")


def member_session(session: str, team: str) -> str:
    """What a team member's conversation puts where a session id goes (see the module doc)."""
    return f"{session}.{team}" if team else session


def _team(team: str) -> str:
    if not re.fullmatch(_TEAM_ID, team):
        raise CustomIdError("team id cannot go into a custom_id")
    return f"{PREFIX}:team:{team}"


def team(team_id: str, action: str) -> str:
    if action not in TEAM_ACTIONS:
        raise CustomIdError(f"unknown team action {action!r}")
    return _checked(f"{_team(team_id)}:{action}")


def team_whatif(team_id: str, question: str, option: str) -> str:
    return _checked(f"{_team(team_id)}:whatif:{_part(question, 'question id')}:{_part(option, 'option id')}")


_PARSERS = (
    ("team", re.compile(TEAM_TEMPLATE)),
    ("team_whatif", re.compile(TEAM_WHATIF_TEMPLATE)),
    ("nav", re.compile(NAV_TEMPLATE)),
    ("share", re.compile(SHARE_TEMPLATE)),
    ("export", re.compile(EXPORT_TEMPLATE)),
    ("compare", re.compile(COMPARE_TEMPLATE)),
    ("whatif", re.compile(WHATIF_TEMPLATE)),
    ("askteam", re.compile(ASKTEAM_TEMPLATE)),
    ("answer", re.compile(ANSWER_TEMPLATE)),
    ("select", re.compile(SELECT_TEMPLATE)),
)


def parse(custom_id: str) -> Parsed | None:
    """The meaning of a custom_id, or None if it is not ours."""
    if len(custom_id) > MAX_LENGTH:
        return None
    for kind, pattern in _PARSERS:
        m = pattern.fullmatch(custom_id)
        if m:
            g = m.groupdict()
            return Parsed(kind, g.get("session") or "", int(g.get("version") or 0), g.get("question") or "",
                          g.get("option") or "", g.get("action") or "", g.get("team") or "")
    return None
