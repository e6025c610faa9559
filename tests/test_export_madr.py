"""The MADR 4.0 decision record, read back with a real markdown parser (markdown-it-py),
over many seeded conversations and with hostile free text and display names."""
from __future__ import annotations

import datetime as dt
import random

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot import engine
from bot.engine.replies import Recommendation
from bot.engine.textmatch import MAX_TEXT
from bot.export import madr
from engine_support import random_finished

DAY = dt.date(2026, 12, 1)
H2 = ["Context and Problem Statement", "Decision Drivers", "Considered Options", "Decision Outcome",
      "Pros and Cons of the Options", "More Information"]
HOSTILE = ("# Heading\n## Another <script>alert(1)</script> <!channel> <!here> @everyone @here <@U123> "
           "<#C123> <@&456> **bold** [link](https://evil.example) ![img](x) `code` | a | b |\n---\n> quote "
           "<img src=x onerror=alert(1)> &lt;b&gt; 1. item - item")


def split(markdown: str) -> tuple[dict, str]:
    assert markdown.startswith("---\n")
    head, _, body = markdown[4:].partition("\n---\n")
    return yaml.safe_load(head), body


def tokens(body: str) -> list[Token]:
    return MarkdownIt("commonmark").parse(body)


def headings(toks: list[Token]) -> list[tuple[str, str]]:
    return [(t.tag, toks[i + 1].content) for i, t in enumerate(toks) if t.type == "heading_open"]


def section(toks: list[Token], title: str, level: str = "h2") -> list[Token]:
    """The tokens after heading `title` up to the next heading of the same or a higher level."""
    start = next(i for i, t in enumerate(toks) if t.type == "heading_open" and t.tag == level
                 and toks[i + 1].content == title)
    out = []
    for t in toks[start + 3:]:
        if t.type == "heading_open" and t.tag <= level:
            break
        out.append(t)
    return out


def list_items(toks: list[Token]) -> list[str]:
    """Text of each top-level bullet."""
    return [toks[i + 2].content for i, t in enumerate(toks) if t.type == "list_item_open" and t.level == 1]


def plain(inline: Token) -> str:
    """What a reader sees: the parsed text of an inline token (escapes and entities resolved)."""
    return "".join(c.content for c in inline.children or [] if c.type in {"text", "code_inline"})


def check(knowledge, state: engine.State, rec: Recommendation, makers: list[str]) -> list[Token]:  # noqa: ANN001
    md = madr.record(knowledge, state, rec, makers, DAY)
    front, body = split(md)
    assert front["status"] == "proposed" and front["date"] == DAY and set(front) == {"status", "date",
                                                                                     "decision-makers"}
    names = [n.replace("\u200d", "") for n in front["decision-makers"]]
    assert names == ([" ".join(m.split()) for m in makers] or ["console user"])
    toks = tokens(body)
    found = headings(toks)
    assert [t for tag, t in found if tag == "h1"] and found[0][0] == "h1"
    assert sum(tag == "h1" for tag, _ in found) == 1
    assert [t for tag, t in found if tag == "h2"] == H2
    assert headings(section(toks, "Decision Outcome")) == [("h3", "Consequences"), ("h3", "Confirmation")]
    title = next(plain(toks[i + 1]) for i, t in enumerate(toks) if t.type == "heading_open" and t.tag == "h1")
    assert title.startswith(f"Use {rec.name} for ")
    outcome = section(toks, "Decision Outcome")
    first = next(t for t in outcome if t.type == "inline")
    assert plain(first).startswith(f'Chosen option: "{rec.name}", because ')
    if rec.decided_by:
        assert rec.decided_by in madr.DECIDED_BY, "every step the engine names has its wording"
        assert any(plain(t).endswith(madr.DECIDED_BY[rec.decided_by] + ".") for t in outcome if t.type == "inline")
    considered = list_items(section(toks, "Considered Options"))
    pros = [c for tag, c in headings(section(toks, "Pros and Cons of the Options")) if tag == "h3"]
    assert considered == pros, "every considered option has its own subsection, in the same order"
    assert rec.name in considered
    assert [f.name for f in knowledge.frameworks if f.in_article] == considered[:6]
    drivers = list_items(section(toks, "Decision Drivers"))
    answered = [q for q, o in state.answers]
    assert len(drivers) >= len(answered)
    for q, o in state.answers:
        question = knowledge.question(q)
        line = next(d for d in drivers if d.startswith(question.short + ":"))
        assert ("open" in line) if o is None else (question.option(o).label in line)
    more = section(toks, "More Information")
    assert any(knowledge.fingerprint in (t.content or "") for t in more if t.type == "inline")
    for t in toks:
        assert t.type not in {"html_block", "html_inline"}, t
        for c in t.children or []:
            assert c.type not in {"html_inline", "image"}, c
            if c.type == "link_open":
                assert c.attrs["href"] in {x.url for f in knowledge.frameworks for x in f.links}
    return toks


def test_records_over_many_seeded_conversations(knowledge) -> None:  # noqa: ANN001
    rng = random.Random(12)
    for n in range(400):
        state, rec = random_finished(knowledge, rng)
        check(knowledge, state, rec, ["Ann Lee", "Bo"] if n % 2 else [])
    assert madr.filename(rec, DAY) == f"decision-{rec.framework}-2026-12-01.md"


def test_hostile_text_and_names_stay_inert(knowledge) -> None:  # noqa: ANN001
    rng = random.Random(3)
    for n in range(40):
        text = HOSTILE if n % 2 else HOSTILE * 40  # and one far past the 2000-character cut
        state, rec = random_finished(knowledge, rng, text=text)
        makers = ["<!channel> @everyone", "# Mallory\n---\nstatus: accepted", "<@U123>"]
        md = madr.record(knowledge, state, rec, makers, DAY)
        toks = check(knowledge, state, rec, makers)
        for raw in ("<!channel>", "<!here>", "<@U123>", "<#C123>", "<@&456>", "<script", "<img", "@everyone",
                    "@here"):
            assert raw not in md, raw
        quote = section(toks, "Context and Problem Statement")
        shown = next(plain(t) for i, t in enumerate(quote) if t.type == "inline" and quote[i - 2].type
                     == "blockquote_open")
        expected = " ".join(text[:MAX_TEXT].split())
        assert shown == expected.replace("@everyone", "@\u200deveryone").replace("@here", "@\u200dhere")


@pytest.mark.parametrize("name", ["console user", "Ann"])
def test_decision_makers_and_default_subject(knowledge, name: str) -> None:  # noqa: ANN001
    state, rec = random_finished(knowledge, random.Random(1), text="")
    state = engine.State(state.answers, state.from_text, None, state.refining, text="")
    md = madr.record(knowledge, state, rec, [name] if name != "console user" else [], DAY)
    assert split(md)[0]["decision-makers"] == [name]
    assert f"# Use {rec.name} for our next web application\n" in md
