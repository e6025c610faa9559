"""The one start-up error path of `serve`, `slack`, `discord` and the local commands.

`build_app(settings)` builds the App (bot.bootstrap.build) and turns what can go wrong before
the bot runs into a `StartupError` whose message is one line an operator can act on (knowledge
problems add their file:line list below it), and whose `exit_code` says what kind it was:

    2   EX_USAGE-like: bad configuration or knowledge, a rejected token, a port in use
    78  EX_CONFIG (sysexits.h): the session store cannot be opened or written, e.g. a read-only
        data directory or volume, a full disk, a path that runs through a file

`fail(exc)` reports it once (one line on stderr; no traceback) and returns the exit code. The
message names the setting (ADVISOR_STORE / ADVISOR_DATA_DIR), the path and the OS error.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import tempfile

from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.bootstrap import App
    from bot.observe import Observer

EX_USAGE = 2
EX_CONFIG = 78


class StartupError(Exception):
    """The process cannot start. The message is safe to log (names variables, not secrets)."""

    exit_code = EX_USAGE


class StorageError(StartupError):
    exit_code = EX_CONFIG


def build_app(settings: Settings, observer: Observer | None = None) -> App:
    from bot.bootstrap import build
    from bot.knowledge.loader import KnowledgeError

    try:
        return build(settings, observer=observer)
    except KnowledgeError as exc:
        raise StartupError(f"the knowledge in {settings.knowledge_dir} is invalid:\n{exc}") from None
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(storage_message(settings, exc)) from None
    except ValueError as exc:  # the store URL (named, password redacted, by the factory)
        raise StartupError(str(exc)) from None


def storage_message(settings: Settings, exc: BaseException) -> str:
    from bot.store.factory import redact, sqlite_path

    url = settings.store
    if url.lower().startswith("sqlite:"):
        path = sqlite_path(url, str(settings.data_dir))
        setting = (f"ADVISOR_STORE={redact(settings.store_url)}" if settings.store_url
                   else f"ADVISOR_DATA_DIR={settings.data_dir} (ADVISOR_STORE unset: SQLite)")
        return f"the session store is not writable ({setting}): {path}: {os_error(path, exc)}"
    return f"the session store cannot be opened (ADVISOR_STORE={redact(url)}): {exc}"


def os_error(path: str, exc: BaseException) -> str:
    """The operating system's own words for why `path` cannot be written. sqlite3 errors carry
    no errno ("unable to open database file"), so try what SQLite tried, and report that."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"[Errno {exc.errno}] {exc.strerror}"
    parent = os.path.dirname(os.path.abspath(path)) or "."
    try:
        os.makedirs(parent, exist_ok=True)
        with open(path, "ab"):
            pass
        with tempfile.NamedTemporaryFile(dir=parent, prefix=".advisor-probe-") as probe:
            probe.write(b"\0" * 65536)  # more than a WAL frame or two: a full disk shows here
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as os_exc:
        where = f" ({os_exc.filename})" if os_exc.filename and os_exc.filename != path else ""
        return f"[Errno {os_exc.errno}] {os_exc.strerror}{where}"
    return f"SQLite: {exc}"


def fail(exc: StartupError) -> int:
    """Say it once, on stderr (whether or not logging is set up yet), and return the exit code."""
    print(f"cannot start: {exc}", file=sys.stderr, flush=True)
    return exc.exit_code


def adapter_error(platform: str, exc: Exception, was_ready: bool) -> Exception:
    """An adapter's failure: a start-up failure before it was ready, a runtime failure after."""
    if not was_ready:
        return StartupError(f"the {platform} adapter failed to start ({type(exc).__name__}: {exc})")
    return RuntimeError(f"the {platform} adapter stopped ({type(exc).__name__}: {exc})")
