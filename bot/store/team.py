"""A team decision's key and codec (issue 16): versioned JSON like a session's; the record
types (TeamDecision, Member) live in bot/store/base.py next to Session.

The record lives in the same store as conversations (memory, SQLite, Redis), under its own
key (`team_key`), with compare-and-set on `version` like a session. The store keeps it until
`expires` (absolute unix time) and indexes open records by `deadline` so that any replica
can find the ones to close (`SessionStore.due_teams`).
"""
from __future__ import annotations

from urllib.parse import quote

import orjson

from .base import Member, TeamDecision
from .codec import CodecError

FORMAT = 1


def team_prefix(platform: str) -> str:
    """What the keys of one platform's team decisions start with (SessionStore.due_teams)."""
    return "team:" + quote(platform, safe="") + ":"


def team_key(platform: str, workspace: str, team_id: str) -> str:
    """Where a team decision lives: per platform and workspace, so an id from elsewhere finds nothing."""
    return "team:" + ":".join(quote(p, safe="") for p in (platform, workspace, team_id))


def encode(team: TeamDecision) -> str:
    data = team._asdict()
    data["format"] = FORMAT
    # members as arrays, not objects: a record of 500 members is a third of the size
    data["members"] = [list(m) for m in team.members]
    return orjson.dumps(data).decode()


def decode(raw: str | bytes) -> TeamDecision:
    try:
        data = orjson.loads(raw)
        if data.get("format") != FORMAT:
            raise CodecError(f"unsupported team decision format {data.get('format')!r}")
        members = tuple(
            Member(str(user), str(name), tuple((str(q), None if o is None else str(o)) for q, o in answers),
                   str(source), float(updated))
            for user, name, answers, source, updated in data.get("members") or ())
        return TeamDecision(
            id=str(data["id"]), version=int(data["version"]), platform=str(data["platform"]),
            workspace=str(data.get("workspace") or ""), channel=str(data.get("channel") or ""),
            thread=str(data.get("thread") or ""), starter=str(data.get("starter") or ""),
            description=str(data.get("description") or ""), members=members,
            status="closed" if data.get("status") == "closed" else "open",
            deadline=float(data.get("deadline") or 0.0), card=str(data.get("card") or ""),
            created=float(data.get("created") or 0.0), updated=float(data.get("updated") or 0.0),
            expires=float(data.get("expires") or 0.0), closed_at=float(data.get("closed_at") or 0.0),
            closed_by=str(data.get("closed_by") or ""), result=str(data.get("result") or ""),
            starter_name=str(data.get("starter_name") or ""),
            names=tuple((str(u), str(n)) for u, n in data.get("names") or ()),
        )
    except CodecError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CodecError(f"unreadable team decision: {exc}") from exc
