"""The declared shape of every Slack payload the app accepts: each field that our handlers or
Bolt's own context extraction read, with its JSON type, and which of them must be there.

`check(body)` returns None or the reason a body does not fit (the gate answers 400 and logs
that one line). Fields nobody reads are not checked (Slack adds fields freely), and a null is
taken for an absent field, as the handlers read them (`x.get(k) or default`).

Which shape applies follows Bolt's own routing: "command" present is a slash command,
otherwise `type` decides (block_actions, event_callback by its event's type,
url_verification), and `ssl_check` is Slack's certificate probe. Every body is also held to
ENVELOPE, the fields Bolt reads from any payload to build its context (team, user, channel,
enterprise, authorizations, the view's installing team, ...), since the handlers read that
context too (`context.team_id`). A kind nobody handles passes with ENVELOPE alone and is left to
Bolt, which finds no listener for it (one log line, see app.on_error).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol


Problem = tuple[str, str]  # (where, what): ("user.id", "is not a string"), the path built only on failure


class Spec(Protocol):
    def check(self, value: object) -> Problem | None: ...


@dataclass(frozen=True)
class Scalar:
    types: tuple[type, ...]
    name: str

    def check(self, value: object) -> Problem | None:
        if isinstance(value, bool) and bool not in self.types:  # bool is an int to Python, not to JSON
            return "", f"is not {self.name}"
        return None if isinstance(value, self.types) else ("", f"is not {self.name}")


@dataclass(frozen=True)
class Obj:
    fields: Mapping[str, Spec]
    required: tuple[str, ...] = ()

    def check(self, value: object) -> Problem | None:
        if not isinstance(value, dict):
            return "", "is not an object"
        for key in self.required:
            if value.get(key) is None:
                return key, "is missing"
        fields = self.fields
        for key, item in value.items():  # the body's few keys, not the shape's many
            spec = fields.get(key)
            if spec is not None and item is not None:
                problem = spec.check(item)
                if problem is not None:
                    return _within(key, problem)
        return None

    def extended(self, *required: str, **fields: Spec) -> Obj:
        return Obj({**self.fields, **fields}, self.required + required)


@dataclass(frozen=True)
class ListOf:
    item: Spec
    at_least: int = 0

    def check(self, value: object) -> Problem | None:
        if not isinstance(value, list):
            return "", "is not a list"
        if len(value) < self.at_least:
            return "", "is empty"
        for n, item in enumerate(value):
            problem = self.item.check(item) if item is not None else ("", "is null")
            if problem is not None:
                return f"[{n}]" + (f".{problem[0]}" if problem[0] else ""), problem[1]
        return None


@dataclass(frozen=True)
class Either:
    options: tuple[Spec, ...]

    def check(self, value: object) -> Problem | None:
        problem = None
        for spec in self.options:
            problem = spec.check(value)
            if problem is None:
                return None
        return problem


def merged(base: Spec, more: Spec) -> Spec:
    """`more` on top of `base`: objects merge field by field (both sets of required names), an
    object narrows an Either to its object option; otherwise `more` wins."""
    if isinstance(base, Either) and isinstance(more, Obj):
        base = next((o for o in base.options if isinstance(o, Obj)), more)
    if isinstance(base, Obj) and isinstance(more, Obj):
        fields = dict(base.fields)
        for key, spec in more.fields.items():
            fields[key] = merged(fields[key], spec) if key in fields else spec
        return Obj(fields, base.required + tuple(k for k in more.required if k not in base.required))
    return more


def _within(key: str, problem: Problem) -> Problem:
    where = problem[0]
    return (f"{key}{where}" if where.startswith("[") else f"{key}.{where}" if where else key), problem[1]


def obj(*required: str, **fields: Spec) -> Obj:
    return Obj(fields, required)


STR = Scalar((str,), "a string")
BOOL = Scalar((bool,), "a boolean")
ANY_OBJECT = obj()

# What Bolt's context extraction reads (slack_bolt.request.internals), at each level it looks.
IDS = obj(
    team=Either((STR, obj(id=STR, enterprise_id=STR))), team_id=STR,
    enterprise=Either((STR, obj(id=STR))), enterprise_id=STR,
    user=Either((STR, obj(id=STR, team_id=STR, name=STR, username=STR))), user_id=STR, user_team=STR,
    channel=Either((STR, obj(id=STR, name=STR))), channel_id=STR,
    thread_ts=STR, function_execution_id=STR, bot_access_token=STR,
    is_enterprise_install=Either((BOOL, STR)),  # a boolean in JSON, "true"/"false" in a command's form
)
VIEW = obj(id=STR, type=STR, team_id=STR, app_installed_team_id=STR, callback_id=STR)
NESTED: dict[str, Spec] = {"message": IDS, "previous_message": IDS, "item": IDS, "assistant_thread": IDS, "view": VIEW,
          "function_data": obj(execution_id=STR, inputs=ANY_OBJECT)}
AUTHORIZATION = obj(team_id=STR, enterprise_id=STR, user_id=STR, is_enterprise_install=BOOL, is_bot=BOOL)
EVENT = IDS.extended("type", type=STR, **NESTED)
ENVELOPE = IDS.extended(
    type=STR, token=STR, api_app_id=STR, response_url=STR, trigger_id=STR, is_ext_shared_channel=BOOL,
    authorizations=ListOf(AUTHORIZATION), response_urls=ListOf(obj(response_url=STR)), event=EVENT, **NESTED)

# What the listeners read, kind by kind (handlers/commands, actions, home).
COMMAND = obj("command", "text", "user_id", "team_id", "channel_id", "response_url",
              command=STR, text=STR, user_id=STR, team_id=STR, channel_id=STR, response_url=STR,
              user_name=STR)  # a team card's starter (handlers.commands)
ACTION = obj("action_id", action_id=STR, block_id=STR, type=STR, value=STR, action_ts=STR,
             selected_option=obj("value", value=STR))
BLOCK_ACTIONS = obj(
    "user", "actions",
    user=obj("id", id=STR, name=STR, username=STR, team_id=STR),
    team=obj(id=STR, domain=STR), channel=obj(id=STR, name=STR),
    container=obj(type=STR, channel_id=STR, message_ts=STR, thread_ts=STR, is_ephemeral=BOOL, view_id=STR),
    actions=ListOf(ACTION, at_least=1), view=VIEW, message=obj(ts=STR, thread_ts=STR), response_url=STR)
EVENTS: dict[str, Obj] = {
    "app_mention": obj("channel", "ts", "text", user=STR, channel=STR, ts=STR, thread_ts=STR, text=STR,
                       bot_id=STR),
    "app_home_opened": obj(user=STR, tab=STR, channel=STR),
}
URL_VERIFICATION = obj("challenge", challenge=STR)
SSL_CHECK = obj("ssl_check", ssl_check=STR)


def kind_of(body: Mapping[str, Any]) -> str:
    """Which payload this is, as Bolt routes it."""
    if "command" in body:
        return "command"
    if "ssl_check" in body:
        return "ssl_check"
    kind = body.get("type")
    return kind if isinstance(kind, str) else ""


# Each kind's whole shape, the envelope included, so that a body is walked once.
KINDS: dict[str, Spec] = {kind: merged(ENVELOPE, spec) for kind, spec in (
    ("command", COMMAND), ("block_actions", BLOCK_ACTIONS), ("url_verification", URL_VERIFICATION),
    ("ssl_check", SSL_CHECK))}
EVENT_KINDS: dict[str, Spec] = {kind: merged(ENVELOPE, obj("event", event=spec)) for kind, spec in EVENTS.items()}


def check(body: Mapping[str, Any]) -> str | None:
    """None if `body` has the shape of what it claims to be, else the first reason it does not
    ("user.id is not a string")."""
    problem = _check(body)
    if problem is None:
        return None
    where, what = problem
    return f"{where or 'body'} {what}"


def _check(body: Mapping[str, Any]) -> Problem | None:
    kind = kind_of(body)
    shape = KINDS.get(kind)
    if shape is not None:
        return shape.check(body)
    if kind == "event_callback":
        event = body.get("event")
        if event is None:
            return "event", "is missing"
        event_type = event.get("type") if isinstance(event, dict) else None
        shape = EVENT_KINDS.get(event_type) if isinstance(event_type, str) else None
    return (shape or ENVELOPE).check(body)
