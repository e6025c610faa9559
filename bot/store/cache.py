"""A per-store cache of decoded sessions, shared by the SQLite and Redis stores."""
from __future__ import annotations

from .base import Session


class DecodeCache:
    """The last session each key saved or loaded, with its encoded form. `load` returns the
    cached (immutable) Session when the stored text is identical, instead of decoding it
    again: after a step, the next step's load of the same conversation costs no JSON work.
    Bounded; safe to share between threads (single dict operations on immutable values)."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._data: dict[str, tuple[str | bytes, Session]] = {}

    def get(self, key: str, raw: str | bytes) -> Session | None:
        hit = self._data.get(key)
        return hit[1] if hit is not None and hit[0] == raw else None

    def put(self, key: str, raw: str | bytes, session: Session) -> None:
        data = self._data
        if len(data) >= self.size and key not in data:
            try:
                del data[next(iter(data))]  # the oldest insertion
            except (KeyError, StopIteration, RuntimeError):
                pass
        data[key] = (raw, session)

    def drop(self, key: str) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()
