"""The one codec every store uses: versioned JSON, so a later release can read older sessions.

The format is compact JSON exactly as ``json.JSONEncoder(separators=(",", ":"))`` writes it
(ASCII only, non-ASCII characters as \\u escapes). orjson, when installed, produces the same
bytes about five times faster, except in three cases where it spells a value differently:
non-ASCII or DEL characters (written raw), floats below 1e-4 (``1e-5`` for ``1e-05``) and
non-finite floats (``null``); the only floats in the format are `created` and `updated`,
the state holds strings, None and a bool. Encoding checks for those and hands them to the standard
library, so the stored text is byte for byte what the json module would write. Decoding
tries orjson first and the json module on whatever orjson refuses (NaN, huge integers,
lone surrogates, UTF-16 bytes...), so it accepts exactly what it accepted before.
"""
from __future__ import annotations

import json
import math

from bot.engine.state import State

from .base import Session

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the json module still works
    orjson = None

FORMAT = 1
_encoder = json.JSONEncoder(separators=(",", ":"))  # built once: encode runs on every step
_loads = json.loads
_INF = math.inf


class CodecError(ValueError):
    pass


def _plain_time(x: object) -> bool:
    """True when orjson writes `x` (created/updated) exactly as the json module does."""
    if type(x) is not float:
        return type(x) is int and -(2**63) <= x < 2**64  # orjson's integer range
    return x == 0.0 or 1e-4 <= abs(x) < math.inf


def _document(session: Session) -> dict[str, object]:
    return {
        "format": FORMAT,
        "id": session.id,
        "version": session.version,
        "owner": session.owner,
        "created": session.created,
        "updated": session.updated,
        "recommended": session.recommended,
        "state": session.state.to_dict(),
    }


def _state_tuples(state: State) -> dict[str, object]:
    """State.to_dict() without copying the answer pairs into lists: orjson writes tuples as
    arrays, so the JSON is the same and a step saves a dozen allocations."""
    return {"answers": state.answers, "from_text": state.from_text, "pending": state.pending,
            "refining": state.refining}


if orjson is not None:
    _dumps = orjson.dumps
    _oloads = orjson.loads
    _OrjsonError = (orjson.JSONEncodeError, TypeError, ValueError)
    # to_dict() is the definition of the state's format. Use the shortcut only while it
    # gives the same JSON for a state with every field set (tests also compare whole
    # sessions with the json module's output).
    _PROBE = State(answers=(("q", "o"), ("s", None)), from_text=(("q", "k"),), pending="p", refining=True)
    _TUPLES_OK = _dumps(_state_tuples(_PROBE)) == _dumps(_PROBE.to_dict())

    def encode(session: Session) -> str:
        created, updated = session.created, session.updated
        state = session.state
        doc = {
            "format": FORMAT,
            "id": session.id,
            "version": session.version,
            "owner": session.owner,
            "created": created,
            "updated": updated,
            "recommended": session.recommended,
            "state": {"answers": state.answers, "from_text": state.from_text, "pending": state.pending,
                      "refining": state.refining} if _TUPLES_OK else state.to_dict(),
        }  # _document() with _state_tuples(), inlined: this runs on every step
        # Timestamps are positive floats in practice: test that first, then the general rule.
        if (((created.__class__ is float and 1e-4 <= created < _INF) or _plain_time(created))
                and ((updated.__class__ is float and 1e-4 <= updated < _INF) or _plain_time(updated))):
            try:
                out = _dumps(doc)
            except _OrjsonError:  # e.g. an integer beyond 64 bits: let json decide
                pass
            else:
                # Printable ASCII only (orjson escapes the other control characters as json does).
                if out.isascii() and b"\x7f" not in out:
                    return out.decode("ascii")
        doc["state"] = state.to_dict()  # the json module's own output, from the definition
        return _encoder.encode(doc)

    def _parse(raw: str | bytes) -> object:
        try:
            return _oloads(raw)
        except ValueError:  # orjson.JSONDecodeError: maybe something only the json module reads
            return _loads(raw)

else:  # pragma: no cover
    def encode(session: Session) -> str:
        return _encoder.encode(_document(session))

    _parse = _loads


def decode(raw: str | bytes) -> Session:
    try:
        data = _parse(raw)
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
