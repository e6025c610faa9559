"""The interaction-id contract between rendered Block Kit and the handlers.

action_id:
  - ``answer:<question_id>:<option_id>``  an answer button
  - ``answer:<question_id>``              a static_select; each option's value is the option id
  - ``nav:skip`` / ``nav:decide`` / ``nav:back`` / ``nav:restart`` / ``nav:more``   navigation
    ("decide": decide now; "more": more questions; Restart carries a confirm dialog)
  - ``share``                              post the recommendation to the channel
  - ``export``                             the decision record, as a file in the clicker's DM
  - ``compare``                            "Compare top 3": the matrix, as a new private message
  - ``whatif:<question_id>:<option_id>``   the result with that one answer changed (read-only)
  - ``answers``                            "Back to my answers" from a what-if

  - ``team:ask``                           "Ask my team" on a result: a team card with its answers

Every element's ``value`` (and every actions block's ``block_id``, which is where a
select's reference lives since Slack gives a select no value of its own) carries a
*token*: ``<session>:<version>`` for a private conversation,
``<session>:<version>:<thread_ts>`` for a public conversation in a thread, or
``<session>:<version>:~<team id>`` for a member's private conversation in a team decision.
Block ids are ``<kind>|<token>`` (kind: answers, nav, done), unique within a message.

Team decisions (the card and the team result; the value, or a select's block id
``<kind>|<team id>``, is the team decision's id, which with the click's workspace and
channel finds the record, so the buttons survive restarts):
  - ``team:answer`` / ``team:close``       the card's Answer and Close and decide
  - ``team:deadline``                      the card's deadline select (the option value: seconds)
  - ``team:export`` / ``team:compare``     on the team result
  - ``team:whatif:<question_id>:<option_id>``   on the team result

A token that does not parse is treated like a stale click: nothing is applied.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.service.outcome import Ref

SLASH_COMMAND = "/framework"  # the one slash command, as registered in slack-manifest.yaml

ANSWER = "answer"
NAV = "nav"
SHARE = "share"
EXPORT = "export"
COMPARE = "compare"
WHATIF = "whatif"
ANSWERS = "answers"
NAV_ACTIONS = ("skip", "back", "decide", "restart", "more")

# Session and team ids are urlsafe base64; versions are integers; thread ts look like 1700000000.000100.
_TOKEN = re.compile(r"^([A-Za-z0-9_-]{1,64}):(\d{1,12})(?::(\d{1,20}\.\d{1,12})|:~([A-Za-z0-9_-]{1,32}))?$")
_ACTION = re.compile(r"^(answer|whatif):([^:]{1,100})(?::([^:]{1,100}))?$|^(nav):(skip|back|decide|restart|more)$"
                     r"|^(share|export|compare|answers)$")
ACTION_PATTERN = re.compile(r"^(answer:|whatif:|nav:|(share|export|compare|answers)$)")  # what the handlers hear

# The App Home tab's buttons. "Continue" carries where the conversation lives and its ref:
# ``<channel>|<thread_ts or empty>|<session>:<version>``.
HOME_START = "home:start"
HOME_CONTINUE = "home:continue"
HOME_PATTERN = re.compile(r"^home:(start|continue)$")
_HOME_VALUE = re.compile(r"^([A-Z0-9]{1,30})\|(\d{1,20}\.\d{1,12})?\|([A-Za-z0-9_-]{1,64}):(\d{1,12})$")


def home_value(channel: str, thread: str, ref: Ref) -> str:
    return f"{channel}|{thread}|{ref.session}:{ref.version}"


def parse_home_value(value: str | None) -> tuple[str, str, Ref] | None:
    m = _HOME_VALUE.match(value or "")
    if not m:
        return None
    return m.group(1), m.group(2) or "", Ref(m.group(3), int(m.group(4)))


@dataclass(frozen=True)
class Token:
    ref: Ref
    thread: str = ""  # thread ts for a public thread conversation, "" for a private one
    team: str = ""  # a member's conversation in this team decision, "" otherwise


@dataclass(frozen=True)
class Action:
    kind: str  # "answer", "whatif", "nav", "share", "export", "compare" or "answers"
    question: str = ""
    option: str = ""  # empty for a select (the option comes from selected_option)
    nav: str = ""


def token(ref: Ref, thread: str = "", team: str = "") -> str:
    out = f"{ref.session}:{ref.version}"
    if team:
        return f"{out}:~{team}"
    return f"{out}:{thread}" if thread else out


def parse_token(value: str | None) -> Token | None:
    if not value:
        return None
    m = _TOKEN.match(value.strip())
    if not m:
        return None
    return Token(Ref(m.group(1), int(m.group(2))), m.group(3) or "", m.group(4) or "")


def block_id(kind: str, tok: str) -> str:
    return f"{kind}|{tok}"


def token_from_block_id(block: str | None) -> Token | None:
    if not block or "|" not in block:
        return None
    return parse_token(block.split("|", 1)[1])


def answer_id(question: str, option: str | None = None) -> str:
    return f"{ANSWER}:{question}:{option}" if option is not None else f"{ANSWER}:{question}"


def nav_id(what: str) -> str:
    assert what in NAV_ACTIONS
    return f"{NAV}:{what}"


def parse_action(action_id: str | None) -> Action | None:
    m = _ACTION.match(action_id or "")
    if not m:
        return None
    if m.group(1) == WHATIF and not m.group(3):
        return None  # a what-if names its option
    if m.group(1):
        return Action(m.group(1), question=m.group(2), option=m.group(3) or "")
    if m.group(4):
        return Action(NAV, nav=m.group(5))
    return Action(m.group(6))


def whatif_id(question: str, option: str) -> str:
    return f"{WHATIF}:{question}:{option}"


# -- team decisions ------------------------------------------------------------------------------
TEAM = "team"
TEAM_ANSWER = "answer"
TEAM_CLOSE = "close"
TEAM_DEADLINE = "deadline"
TEAM_EXPORT = "export"
TEAM_COMPARE = "compare"
TEAM_WHATIF = "whatif"
TEAM_ASK = "ask"
TEAM_PREFIX = "team:"
TEAM_PATTERN = re.compile(r"^team:")  # what the team listener hears
TEAM_BLOCK = "team"  # the card's actions block: team|<team id>
TEAM_DONE_BLOCK = "team-done"
TEAM_WHATIF_BLOCK = "team-whatif"
_TEAM_ACTION = re.compile(r"^team:(?:(answer|close|deadline|export|compare|ask)|(whatif):([^:]{1,100}):([^:]{1,100}))$")
_TEAM_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@dataclass(frozen=True)
class TeamAction:
    kind: str  # one of TEAM_ANSWER ... TEAM_ASK
    question: str = ""  # what-if only
    option: str = ""


def team_id(kind: str) -> str:
    return f"{TEAM}:{kind}"


def team_whatif_id(question: str, option: str) -> str:
    return f"{TEAM}:{TEAM_WHATIF}:{question}:{option}"


def parse_team_action(action_id: str | None) -> TeamAction | None:
    m = _TEAM_ACTION.match(action_id or "")
    if not m:
        return None
    if m.group(1):
        return TeamAction(m.group(1))
    return TeamAction(TEAM_WHATIF, m.group(3), m.group(4))


def parse_team_value(value: str | None) -> str:
    """The team decision's id a card or result button carries ("" if it is not one)."""
    value = (value or "").strip()
    return value if _TEAM_ID.match(value) else ""


def team_from_block_id(block: str | None) -> str:
    if not block or "|" not in block:
        return ""
    return parse_team_value(block.split("|", 1)[1])
