"""A logging filter that replaces configured secret values with "***" in every record.

Installed on the root handlers by `serve`, so it covers the bot's own loggers and the
libraries' (slack_bolt, slack_sdk, discord, aiohttp) as long as they propagate to root.
It redacts the formatted message, and the formatted traceback when there is one.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

MASK = "***"
MIN_SECRET = 6  # shorter values would redact ordinary words; real tokens are far longer


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # longest first, so a secret that contains another is masked whole
        self.secrets = sorted({s for s in secrets if s and len(s) >= MIN_SECRET}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is logged as is
            message = str(record.msg)
        clean = self.redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(secrets: Iterable[str], logger: logging.Logger | None = None) -> RedactingFilter:
    """Attach one RedactingFilter to every handler of `logger` (root by default)."""
    target = logger or logging.getLogger()
    flt = RedactingFilter(secrets)
    if not target.handlers:
        logging.basicConfig()
    for handler in target.handlers:
        handler.addFilter(flt)
    return flt
