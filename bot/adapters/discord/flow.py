"""What happens on a command or a click: interaction -> service call -> rendered reply.

No business rules: the service decides (ok, stale, expired, not_owner, invalid), render
decides the looks. These modules only answer the interaction the right way:
- reply: who and where, the service call (deferred first if the service has not answered
  within `client.defer_after` seconds, so Discord's 3-second limit always holds), send/update;
- steps: /framework start and the conversation's clicks;
- share: the public copy of a result;
- extras: export, compare and what-if on a result;
- notes: short private notes and the one error hook.
The adapter's other modules (client, commands, components) call them through this one name.
"""
from __future__ import annotations

from .extras import export, matrix, whatif
from .notes import ERROR_MESSAGE, NOTE_LIFETIME, NOTES_KEPT, note, on_error
from .reply import (DEFER_AFTER, NO_MENTIONS, Defer, app_of, call, ctx, foreign, log, scope_of, screen_of, send,
                    update, user_of)
from .share import (CANNOT_POST, NOT_POSTED_ACCESS, NOT_POSTED_REFUSED, NOT_POSTED_UNREACHABLE, NOTHING_TO_SHARE,
                    may_post, share)
from .steps import click, show, start, step

__all__ = [
    "CANNOT_POST", "DEFER_AFTER", "ERROR_MESSAGE", "NOTES_KEPT", "NOTE_LIFETIME", "NOTHING_TO_SHARE", "NOT_POSTED_ACCESS",
    "NOT_POSTED_REFUSED", "NOT_POSTED_UNREACHABLE", "NO_MENTIONS", "Defer", "app_of", "call", "click", "ctx", "export",
    "foreign", "log", "matrix", "may_post", "note", "on_error", "scope_of", "screen_of", "send", "share", "show",
    "start", "step", "update", "user_of", "whatif",
]
