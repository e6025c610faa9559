"""Pick the session store from one setting, ADVISOR_STORE.

    (empty)                    sqlite:///<data_dir>/sessions.db, the default
    memory://                  in-process only; forgets everything on exit (tests, one-off console)
    sqlite:///abs/path.db      three slashes: an absolute path (four, SQLAlchemy style, too)
    sqlite://name.db           two slashes, no leading "/": relative to the data directory
                               (ADVISOR_DATA_DIR), not to the current directory
    sqlite://                  <data_dir>/sessions.db
    redis://[:password@]host[:port][/db]   (also rediss:// for TLS)

Unknown schemes raise ValueError naming ADVISOR_STORE; passwords never appear in messages.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from .base import SessionStore
from .deadlines import DEADLINES, Deadlines

SETTING = "ADVISOR_STORE"
DEFAULT_FILE = "sessions.db"


def redact(url: str) -> str:
    """The URL with any password replaced by ***, safe to log or show."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        if parts.port is not None:
            host = f"{host}:{parts.port}"
        user = parts.username or ""
        return urlunsplit((parts.scheme, f"{user}:***@{host}", parts.path, parts.query, parts.fragment))
    except ValueError:
        # Unparseable (e.g. a bad port): hide everything between "//" and the last "@".
        head, sep, rest = url.partition("//")
        if sep and "@" in rest:
            return head + sep + "***@" + rest.rsplit("@", 1)[1]
        return url


def sqlite_path(url: str, data_dir: str) -> str:
    """The file a sqlite:// URL names (see the module docstring for the rule)."""
    rest = url[len("sqlite://"):]
    rest = rest.split("?", 1)[0]
    if not rest:
        return os.path.join(data_dir, DEFAULT_FILE)
    if rest.startswith("/"):
        return "/" + rest.lstrip("/")  # sqlite:////abs/x.db (SQLAlchemy style) means the same
    rest = os.path.expanduser(rest)
    return rest if os.path.isabs(rest) else os.path.join(data_dir, rest)


def open_store(url: str, ttl: float, data_dir: str, deadlines: Deadlines = DEADLINES) -> SessionStore:
    url = (url or "").strip()
    if not url:
        url = "sqlite:///" + os.path.abspath(os.path.join(data_dir, DEFAULT_FILE)).lstrip("/")
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "memory":
        from .memory import MemoryStore

        return MemoryStore(ttl=ttl)
    if scheme == "sqlite":
        from .sqlite import SqliteStore

        return SqliteStore(sqlite_path(url, data_dir), ttl=ttl, deadlines=deadlines)
    if scheme in ("redis", "rediss", "unix"):
        from .redis import RedisStore

        try:
            return RedisStore(url, ttl=ttl, deadlines=deadlines)
        except ValueError:  # redis-py's URL errors may quote the URL: don't pass it on
            raise ValueError(f"{SETTING}: invalid Redis URL {redact(url)!r}") from None
    raise ValueError(
        f"{SETTING}: unsupported session store URL {redact(url)!r}; "
        "use memory://, sqlite:///path/to/file.db or redis://host:port/db"
    )
