"""The decision record to the clicker: a .md file in their DM with the bot (files_upload_v2,
which needs the files:write and im:write scopes), or, when Slack refuses that (an
install without those scopes, DMs with the app turned off), the markdown itself in a
private message."""
from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.export import DecisionRecord

from .. import render
from bot.adapters.slack.render.text import escape

log = logging.getLogger("bot.slack")

SENT = "I sent you the decision record {filename} in a direct message."
FALLBACK_INTRO = ("I can't send you files here ({reason}), so here is the decision record as text. "
                  "Save it as {filename}.")
# Slack's answers that mean "not allowed here", not "something broke".
_REFUSALS = {"missing_scope", "not_allowed_token_type", "no_permission", "channel_not_found", "cannot_dm_bot",
             "user_disabled", "restricted_action", "method_not_supported_for_channel_type", "not_in_channel"}
CHUNK = 2900  # characters of markdown per section block (3000 with the code fence)
PIECE = 500  # raw characters escaped at a time: at most 2500 once escaped
MAX_CHUNKS = 45  # blocks per message, below Slack's 50


def display_name(body: dict[str, Any]) -> str:
    """Who clicked, as the block_actions payload names them (no users:read needed)."""
    user = body.get("user") or {}
    return str(user.get("name") or user.get("username") or user.get("id") or "")


async def deliver(record: DecisionRecord, user: str, respond: Any, client: Any) -> None:
    try:
        opened = await client.conversations_open(users=user)
        channel = (opened.get("channel") or {}).get("id")
        await client.files_upload_v2(channel=channel, filename=record.filename, content=record.markdown,
                                     title=record.filename, snippet_type="markdown",
                                     initial_comment="Your decision record (MADR 4.0), ready to commit.")
    except SlackApiError as exc:
        error = (exc.response.get("error") if exc.response is not None else "") or ""
        if error not in _REFUSALS:
            raise
        log.info("decision record as text: Slack refused the file (%s)", error)
        await respond(blocks=fallback_blocks(record, error), text=render.fallback_text(None, record.filename),
                      response_type="ephemeral", replace_original=False)
        return
    await respond(blocks=render.note_dicts(SENT.format(filename=record.filename)),
                  text=render.fallback_text(None, SENT.format(filename=record.filename)),
                  response_type="ephemeral", replace_original=False)


def fallback_blocks(record: DecisionRecord, reason: str) -> list[dict[str, Any]]:
    """The markdown in code blocks, escaped for mrkdwn, split on line ends."""
    chunks, current = [], ""
    for line in record.markdown.splitlines(keepends=True):
        # Escaping can grow a piece fivefold (& -> &amp;): cut the raw text small enough first.
        for start in range(0, max(len(line), 1), PIECE):
            piece = escape(line[start:start + PIECE])
            if len(current) + len(piece) > CHUNK:
                chunks.append(current)
                current = ""
            current += piece
    if current:
        chunks.append(current)
    intro = escape(FALLBACK_INTRO.format(reason=reason.replace("_", " "), filename=record.filename))
    blocks = [{"type": "section", "block_id": "export-intro", "text": {"type": "mrkdwn", "text": intro}}]
    if len(chunks) > MAX_CHUNKS:
        chunks = chunks[:MAX_CHUNKS]
        chunks[-1] += "\n\u2026 (cut: the full record needs the file)"
    blocks += [{"type": "section", "block_id": f"export-{n}", "text": {"type": "mrkdwn", "text": f"```{c}```"}}
               for n, c in enumerate(chunks)]
    return blocks
