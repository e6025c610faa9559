"""Making any text inert in CommonMark (and in the chat that may show it): the only markup
in a decision record is what the record builds itself."""
from __future__ import annotations

import json
import re

# Punctuation that shapes markup anywhere in a line: emphasis, code, links and images,
# (GFM) tables and strikethrough. `<`, `>` and `&` become entities instead.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# What shapes markup only at the start of a line (headings, lists, setext underlines).
# Texts are one line and always follow a prefix, but a prefix like "* " or "> " makes
# the text's start a block start again.
_LEADING = re.compile(r"^(\d{0,9})([#\-+=.)])")
_BROADCAST = re.compile(r"@(everyone|here|channel)\b", re.IGNORECASE)
_MENTION = re.compile(r"<([!@#])")  # Slack <!channel> <@U1> <#C1>, Discord <@1> <@&1> <#1>
ZWJ = "\u200d"
_URL = re.compile(r"^https?://[^\s<>]+$")


def text(value: object) -> str:
    """One line of plain text: whitespace collapsed, HTML as entities (so `<!channel>`,
    `<@U1>`, `<script>` stay literal), markdown punctuation backslash-escaped, and the
    broadcast words (@everyone, @here, @channel) split by a zero-width joiner."""
    out = " ".join(str(value).split())
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = _SPECIAL.sub(r"\\\1", out)
    out = _LEADING.sub(r"\1\\\2", out)
    return _BROADCAST.sub(lambda m: "@" + ZWJ + m.group(1), out)


def link(title: str, url: str) -> str:
    """A markdown link from knowledge; a URL that is not plain http(s) stays text."""
    if not _URL.match(url):
        return text(title)
    return f"[{text(title)}](<{url}>)"


def yaml_string(value: object) -> str:
    """A YAML scalar that reads back as this one-line string (JSON is YAML), with chat
    mentions broken by a zero-width joiner: front matter is shown raw, not as markdown."""
    out = _MENTION.sub(lambda m: "<" + ZWJ + m.group(1), " ".join(str(value).split()))
    return json.dumps(_BROADCAST.sub(lambda m: "@" + ZWJ + m.group(1), out), ensure_ascii=False)


def sentence_tail(value: str, names: frozenset[str] = frozenset()) -> str:
    """A knowledge sentence to follow "because": first letter lowered unless the first
    word looks like a name ("Django's ORM", "SQLAlchemy", or one of `names`)."""
    first = value.split(" ", 1)[0]
    word = first.replace("-", "")
    if first not in names and len(word) > 1 and word[0].isupper() and word[1:].islower() and word.isalpha():
        return value[0].lower() + value[1:]
    return value
