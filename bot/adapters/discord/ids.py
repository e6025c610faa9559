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

`<session>` is the session id the service hands out, `<version>` the session version the
component was rendered for (a click on an older version is "stale"). Everything needed
to handle a click is in the id and the session store, so components keep working after
a restart. Question ids "nav", "share", "export", "compare" and "whatif" are reserved.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 100
PREFIX = "fa"
NAV_ACTIONS = ("skip", "back", "decide", "more", "restart", "reset", "cancel")
RESERVED = frozenset({"nav", "share", "export", "compare", "whatif"})

_SESSION = r"(?P<session>[A-Za-z0-9_-]{1,64})"
_VERSION = r"(?P<version>[0-9]{1,12})"
_ID = r"[A-Za-z0-9_.-]{1,64}"
_RESERVED = r"(?!(?:nav|share|export|compare|whatif)(?::|$))"

ANSWER_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:{_RESERVED}(?P<question>{_ID}):(?P<option>{_ID})"
SELECT_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:{_RESERVED}(?P<question>{_ID})(?:~(?P<page>[1-9][0-9]?))?"
NAV_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:nav:(?P<action>{'|'.join(NAV_ACTIONS)})"
SHARE_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:share"
EXPORT_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:export"
COMPARE_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:compare"
WHATIF_TEMPLATE = rf"{PREFIX}:{_SESSION}:{_VERSION}:whatif:(?P<question>{_ID}):(?P<option>{_ID})"

_ID_RE = re.compile(_ID)


class CustomIdError(ValueError):
    """An id cannot be encoded within the contract (bad characters, reserved, too long)."""


@dataclass(frozen=True)
class Parsed:
    kind: str  # "answer", "select", "nav", "share", "export", "compare" or "whatif"
    session: str
    version: int
    question: str = ""
    option: str = ""
    action: str = ""


def _part(value: str, what: str) -> str:
    if not _ID_RE.fullmatch(value):
        raise CustomIdError(f"{what} {value[:40]!r} cannot go into a custom_id")
    return value


def _head(session: str, version: int) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", session):
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


_PARSERS = (
    ("nav", re.compile(NAV_TEMPLATE)),
    ("share", re.compile(SHARE_TEMPLATE)),
    ("export", re.compile(EXPORT_TEMPLATE)),
    ("compare", re.compile(COMPARE_TEMPLATE)),
    ("whatif", re.compile(WHATIF_TEMPLATE)),
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
            return Parsed(kind, g["session"], int(g["version"]), g.get("question") or "",
                          g.get("option") or "", g.get("action") or "")
    return None
