"""The one codec every store uses: versioned JSON, so a later release can read older sessions."""
from __future__ import annotations

import json

from bot.engine.state import State

from .base import Session

FORMAT = 1
_encoder = json.JSONEncoder(separators=(",", ":"))  # built once: encode runs on every step


class CodecError(ValueError):
    pass


def encode(session: Session) -> str:
    return _encoder.encode(
        {
            "format": FORMAT,
            "id": session.id,
            "version": session.version,
            "owner": session.owner,
            "created": session.created,
            "updated": session.updated,
            "recommended": session.recommended,
            "state": session.state.to_dict(),
        }
    )


def decode(raw: str | bytes) -> Session:
    try:
        data = json.loads(raw)
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
            state=State.from_dict(data.get("state") or {}),
        )
    except CodecError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CodecError(f"unreadable session: {exc}") from exc
