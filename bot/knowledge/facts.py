"""Sources and sourced facts in a framework file: what frameworks outside the article
(`in_article: false`) must carry, since the article says nothing about them.

    sources:                     # id -> where facts come from, as the fact sheet gives it
      repo: {title: "Litestar repository", url: "https://github.com/litestar-org/litestar"}
    facts:                       # FACT_KEYS; one fact or a list of facts each
      licence: {text: "MIT", source: repo}
      weaknesses:
        - {text: "Requires Python 3.11+", source: repo}
        - {text: "...", source: docs, unconfirmed: true}   # the sheet's warning sign
    dimensions:                  # compare cells: text plus source (a plain string has none)
      orm: {text: "SQLAlchemy via Advanced Alchemy", source: docs}
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.engine.model import FACT_LABELS, Fact, Link

from .problems import FileProblems, describe
from .yamlnodes import Y

FACT_KEYS = tuple(FACT_LABELS)
FACT_ITEM_KEYS = {"text", "source", "unconfirmed"}
SOURCE_KEYS = {"title", "url"}
UrlCheck = Callable[[str], "str | None"]  # what is wrong with a URL shown to users, or None


@dataclass
class FactsSection:
    sources: dict[str, Link] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    dimensions: dict[str, str] = field(default_factory=dict)
    unsourced: list[tuple[int, str]] = field(default_factory=list)  # (line, what) without a source


def load_sources(f: FileProblems, node: Y | None, url_problem: UrlCheck) -> dict[str, Link]:
    sources: dict[str, Link] = {}
    table = f.mapping(node, "sources")
    if table is None:
        return sources
    for key, item in table.value.items():
        if not isinstance(key, str) or f.mapping(item, f"source {key!r}") is None:
            continue
        f.keys(item, SOURCE_KEYS, ("title", "url"), f"source {key!r}")
        title = f.string(item.value.get("title"), f"title of source {key!r}")
        url = f.string(item.value.get("url"), f"url of source {key!r}")
        problem = url_problem(url) if url is not None else None
        if problem:
            f.add(item.value["url"].line, f"bad URL {url!r} in source {key!r}: {problem}")
        elif title is not None and url is not None:
            sources[key] = Link(title, url, "reference")
    return sources


def _fact(f: FileProblems, item: Y, key: str, sources: dict[str, Link], known: set[str]) -> Fact | None:
    """One `{text, source, unconfirmed}` entry; without `source` it has an empty one (the
    caller reports it where a source is required)."""
    if f.mapping(item, f"fact {key!r}") is None:
        return None
    f.keys(item, FACT_ITEM_KEYS, ("text",), f"fact {key!r}")
    text = f.string(item.value.get("text"), f"text of fact {key!r}")
    unconfirmed = False
    if "unconfirmed" in item.value:
        node = item.value["unconfirmed"]
        if node.kind != "scalar" or not isinstance(node.value, bool):
            f.add(node.line, f"unconfirmed must be true or false, got {describe(node)}")
        else:
            unconfirmed = node.value
    source = Link("", "", "reference")
    if "source" in item.value:
        sid = f.ident(item.value["source"], f"source of fact {key!r}")
        if sid is not None and sid not in sources:
            if sid not in known:  # a source that failed to load has its own problem
                names = ", ".join(sorted(known)) or "none declared"
                f.add(item.value["source"].line,
                      f"fact {key!r} names source {sid!r}, which is not under `sources:` ({names})")
            return None
        if sid is not None:
            source = sources[sid]
    return Fact(key, text, source, unconfirmed) if text is not None else None


def load_facts(f: FileProblems, v: dict[object, Y], dimension_ids: list[str], url_problem: UrlCheck) -> FactsSection:
    """`sources`, `facts` and mapping-style `dimensions` of one framework file."""
    out = FactsSection()
    out.sources = load_sources(f, v.get("sources"), url_problem)
    table = v.get("sources")
    known = {k for k in table.value if isinstance(k, str)} if table is not None and table.kind == "map" else set()
    facts = f.mapping(v.get("facts"), "facts")
    if facts is not None:
        for key, node in facts.value.items():
            if key not in FACT_KEYS:
                f.add(facts.key_lines[key], f"unknown fact {key!r} (facts: {', '.join(FACT_KEYS)})")
                continue
            items = node.value if node.kind == "seq" else [node]
            for item in items:
                fact = _fact(f, item, key, out.sources, known)
                if fact is None:
                    continue
                if not fact.source.url:  # a fact always needs its source, whatever the tier
                    f.add(item.line, f"fact {key!r} has no source: add `source: <id under sources:>`")
                    continue
                out.facts.append(fact)
    dims = v.get("dimensions")
    if dims is not None and dims.kind == "map":
        for key, node in dims.value.items():
            if key in dimension_ids and node.kind == "map":
                fact = _fact(f, node, key, out.sources, known)
                if fact is None:
                    continue
                if not fact.source.url:
                    out.unsourced.append((node.line, f"dimension {key!r}"))
                out.facts.append(fact)
                out.dimensions[key] = fact.shown
            elif key in dimension_ids and node.kind == "scalar":
                out.unsourced.append((node.line, f"dimension {key!r}"))
    return out
