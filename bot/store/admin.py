"""Operator commands behind `python -m bot sessions stats|purge --expired`.

Both print to `out` (stdout by default) and return a process exit code.
"""
from __future__ import annotations

import sys
from typing import TextIO

from .base import SessionStore


def _name(store: SessionStore) -> str:
    return type(store).__name__


def stats_command(store: SessionStore, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        s = store.stats()
    except Exception as exc:  # noqa: BLE001 - an operator command reports, it does not crash
        print(f"sessions stats: cannot read the session store ({_name(store)}): {exc}", file=sys.stderr)
        return 1
    counts = s.get("by_framework")
    by_framework: dict[str, int] = dict(counts) if isinstance(counts, dict) else {}
    lines = [
        f"Session store: {_name(store)}, sessions expire after {_duration(store.ttl)} of inactivity",
        f"Live sessions:        {s.get('sessions', 0)}",
        f"  asking a question:  {s.get('asking', 0)}",
        f"  recommended:        {s.get('recommended', 0)}",
        f"Expired, not purged:  {s.get('expired', 0)}",
        "Latest recommendation by framework (live sessions):",
    ]
    if by_framework:
        width = max(len(name) for name in by_framework)
        for name, n in sorted(by_framework.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {name:<{width}}  {n}")
    else:
        lines.append("  (none yet)")
    print("\n".join(lines), file=out)
    return 0


def purge_command(store: SessionStore, expired_only: bool = True, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not expired_only:
        print("sessions purge: only --expired is supported; live conversations are never deleted in bulk.",
              file=sys.stderr)
        return 2
    try:
        n = store.purge_expired()
    except Exception as exc:  # noqa: BLE001
        print(f"sessions purge: cannot purge the session store ({_name(store)}): {exc}", file=sys.stderr)
        return 1
    note = " (Redis expires sessions by itself)" if _name(store) == "RedisStore" else ""
    print(f"Purged {n} expired session{'' if n == 1 else 's'}{note}.", file=out)
    return 0


def _duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"
