"""The door of POST /slack/events: check the signature on the raw bytes, then the body, before
Bolt parses anything.

Bolt parses a body before it verifies the signature, so a binary body, `{oops` or a `payload=`
that is not JSON used to raise inside Bolt (HTTP 500 and a traceback), signed or not. Here:

    unsigned, badly signed, stale timestamp       401  (nothing is parsed)
    signed, but not UTF-8 / not JSON / not an object / not the declared shape      400

`admit(verifier, raw, headers, query)` returns the AsyncBoltRequest to dispatch (parsed once,
by Bolt itself, after the signature held) or raises `Rejected` with the status and a short
reason for the one log line. `check_shape(body)` is also what Socket Mode applies to each
envelope's payload (socket.CheckedSocketModeHandler).
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

from . import shape


class Rejected(Exception):
    """A client error: `status` for the answer, `reason` for the log (never the body itself)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class RawVerifier(SignatureVerifier):
    """slack_sdk's verifier (timestamp window, constant-time compare), signing the raw bytes:
    the stock one decodes them as UTF-8 first, so a signed body that is not UTF-8 would read
    as forged (401) instead of malformed (400)."""

    def generate_signature(self, *, timestamp: str, body: str | bytes) -> str | None:
        if not isinstance(body, bytes):
            return super().generate_signature(timestamp=timestamp, body=body)
        if timestamp is None:
            return None
        base = b"v0:" + timestamp.encode() + b":" + body
        return "v0=" + hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()


def _header(headers: Mapping[str, str], name: str) -> str:
    return headers.get(name) or ""


def verify(verifier: SignatureVerifier, raw: bytes, headers: Mapping[str, str]) -> None:
    timestamp = _header(headers, "X-Slack-Request-Timestamp")
    signature = _header(headers, "X-Slack-Signature")
    if not timestamp or not signature:
        raise Rejected(401, "unsigned request")
    try:
        valid = verifier.is_valid(raw, timestamp, signature)
    except ValueError:  # a timestamp that is not a number
        valid = False
    if not valid:
        raise Rejected(401, "bad signature or stale timestamp")


def bolt_request(raw: bytes, query: str, headers: Mapping[str, str]) -> AsyncBoltRequest:
    """The request Bolt will dispatch, parsed once (by Bolt's own rules), or Rejected(400).
    Only after `verify`: parsing is the expensive part, and forged bodies never get here."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(400, "body is not UTF-8") from None
    try:
        request = AsyncBoltRequest(body=text, query=query, headers=headers)  # type: ignore[arg-type]
    except ValueError:  # json.JSONDecodeError, also for payload=<not JSON>
        raise Rejected(400, "body is not valid JSON") from None
    except (AttributeError, TypeError, KeyError, IndexError):  # Bolt reading ids out of a non-object
        raise Rejected(400, _why_not(text, headers)) from None
    body = request.body
    if not isinstance(body, dict):
        raise Rejected(400, "body is not a JSON object")
    if not body:
        raise Rejected(400, "empty body")
    check_shape(body)
    return request


def _why_not(text: str, headers: Mapping[str, str]) -> str:
    """The shape's reason for a body Bolt could not build its context from (only on that error)."""
    try:
        body = parse_body(text, (headers.get("Content-Type") or "").split(";")[0] or None)
    except ValueError:
        body = None
    problem = shape.check(body) if isinstance(body, dict) else None
    return problem or "body is not a Slack payload"


def check_shape(body: dict[str, Any]) -> None:
    """Refuse a body that does not have the declared shape of what it claims to be (shape.py):
    every field our listeners, or Bolt's context building, read has its JSON type."""
    problem = shape.check(body)
    if problem is not None:
        raise Rejected(400, problem)


def admit(verifier: SignatureVerifier, raw: bytes, headers: Mapping[str, str], query: str = "") -> AsyncBoltRequest:
    verify(verifier, raw, headers)
    return bolt_request(raw, query, headers)
