"""The one codec every store uses: versioned JSON, so a later release can read older sessions.

orjson rather than the json module: this runs on every step, and orjson encodes a session
in about a tenth of the time (bench/store.py). Any standard JSON reads back, including
sessions written by earlier releases through the json module.
"""
from __future__ import annotations

import orjson

from bot.engine.state import State

from .base import Session

FORMAT = 1


class CodecError(ValueError):
    pass


def encode(session: Session) -> str:
    state = session.state
    # orjson writes tuples as arrays: the same JSON as State.to_dict(), without the copies.
    saved: dict[str, object] = {"answers": state.answers, "from_text": state.from_text, "pending": state.pending,
                                "refining": state.refining, "text": state.text}
    if state.every:  # a team member's conversation only: other sessions' JSON stays as it was
        saved["every"] = True
    data = {
        "format": FORMAT,
        "id": session.id,
        "version": session.version,
        "owner": session.owner,
        "created": session.created,
        "updated": session.updated,
        "recommended": session.recommended,
        "state": saved,
    }
    if session.team:
        data["team"] = session.team
    if session.shared:  # only once shared: earlier sessions' JSON stays exactly as it was
        data["shared"] = session.shared
    if session.sharing_until:  # only while a share's post is under way
        data["sharing_until"] = session.sharing_until
    return orjson.dumps(data).decode()


def decode(raw: str | bytes) -> Session:
    try:
        data = orjson.loads(raw)
        fmt = data.get("format")
        if fmt != FORMAT:
            raise CodecError(f"unsupported session format {fmt!r}")
        return Session(
            id=str(data["id"]),
            version=int(data["version"]),
            owner=str(data.get("owner", "")),
            created=float(data.get("created", 0.0)),
            updated=float(data.get("updated", 0.0)),
            recommended=data.get("recommended"),
            shared=str(data.get("shared") or ""),
            sharing_until=float(data.get("sharing_until") or 0.0),
            team=str(data.get("team") or ""),
            state=State.from_dict(data.get("state") or {}),
        )
    except CodecError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:  # orjson.JSONDecodeError is a ValueError
        raise CodecError(f"unreadable session: {exc}") from exc
