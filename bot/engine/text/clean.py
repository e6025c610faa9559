"""Slack and Discord markup out, plain words in.

Everything here is a linear-time regex over a bounded string, so hostile input stays cheap.
"""
from __future__ import annotations

import html
import re
import unicodedata

MAX_RAW = 4000  # characters read before cleaning (markup can double a text's length)
MAX_TEXT = 2000  # characters of cleaned text read: enough for any real description

_FENCE = re.compile(r"```.*?(?:```|$)", re.DOTALL)  # pasted code or logs are not a description
# Slack <@U1>, <!here>, <#C1|x>, <https://x|label>; Discord <@1>, <@&1>, <#1>, <:e:1>, <t:1:R>, </cmd:1>
_ANGLE = re.compile(r"<([^<>\n]{0,400})>")
_MASKED = re.compile(r"\[([^\[\]\n]{1,200})\]\(\s*<?https?://[^\s)]{1,400}>?\s*\)")  # Discord [label](url)
_URL = re.compile(r"\b(?:https?://|www\.)\S{1,400}", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@[\w.-]{1,80}")  # @everyone, @here, @name
_EMOJI = re.compile(r"(?<!\w):[a-z0-9_+-]{1,40}:(?!\w)", re.IGNORECASE)
# Struck-through text was taken back by its writer: ~st~ (Slack), ~~st~~ (Discord).
_STRIKE = re.compile(r"(?<!\w)~~?(?=\S)[^~\n]{1,400}?(?<=\S)~~?(?!\w)")
_MARKS = re.compile(r"[*_`|\u200b-\u200f\u2060\ufeff]+")  # bold, italics, code, spoilers, zero-width
_QUOTE = re.compile(r"^[ \t]*(?:>+|#+|-#|[-*\u2022]) ?", re.MULTILINE)  # quote, heading, list markers
_SPACES = re.compile(r"[ \t\r\f\v]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def _angle(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith(("http://", "https://", "mailto:")) and label:
        return f" {label} "  # a link's label is the writer's words; its address is not
    return " "


def clean(text: str) -> str:
    """The writer's words without markup, mentions, links, emoji or code blocks; newlines kept."""
    text = text[:MAX_RAW]
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.translate(_APOSTROPHES)
    # each pass only where its marker occurs: most descriptions have no markup at all
    if "```" in text:
        text = _FENCE.sub("\n", text)
    if "<" in text:
        text = _ANGLE.sub(_angle, text)
    if "&" in text:
        text = html.unescape(text)  # Slack escapes & < > as entities; after the <...> tokens are gone
    if "](" in text:
        text = _MASKED.sub(r" \1 ", text)
    if "://" in text or "www." in text or "WWW." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    if ":" in text:
        text = _EMOJI.sub(" ", text)
    if "~" in text:
        text = _STRIKE.sub(" ", text)
    text = _MARKS.sub(" ", text)
    text = _QUOTE.sub("", text)
    text = _SPACES.sub(" ", text)
    return text[:MAX_TEXT]
