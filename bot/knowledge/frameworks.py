"""frameworks/<id>.yaml: one framework's facts, dimensions, links and rules."""
from __future__ import annotations

from urllib.parse import urlsplit

from bot.engine.model import Framework, Link, Question

from .facts import FactsSection, load_facts
from .problems import FileProblems, describe, did_you_mean, key_text
from .rules import load_rules
from .yamlnodes import Y

SPECTRUM = ("full-stack", "middle", "micro")
LINK_KINDS = ("docs", "tutorial", "extension", "reference")
FRAMEWORK_KEYS = {
    "id", "name", "summary", "description", "spectrum", "first_release", "backing",
    "built_in", "prior", "dimensions", "links", "consider", "think_twice", "caveats",
    "in_article", "pickable", "sources", "facts",
}
LINK_KEYS = {"title", "url", "kind"}


def load_framework(
    f: FileProblems,
    root: Y,
    stem: str,
    questions: dict[str, Question],
    declared: set[str],
    dimension_ids: list[str],
    check_refs: bool,
) -> Framework | None:
    f.keys(root, FRAMEWORK_KEYS, ("id", "name", "summary"), "framework")
    v = root.value
    fid = f.ident(v.get("id"), "framework id")
    if fid is not None and fid != stem:
        f.add(v["id"].line, f"framework id {fid!r} does not match the file name ({stem!r})")
    name = f.string(v.get("name"), "name")
    summary = f.string(v.get("summary"), "summary")
    description = f.string(v.get("description"), "description") if "description" in v else ""
    backing = f.string(v.get("backing"), "backing") if "backing" in v else ""

    spectrum = ""
    if "spectrum" in v:
        spectrum = f.string(v["spectrum"], "spectrum") or ""
        if spectrum and spectrum not in SPECTRUM:
            f.add(v["spectrum"].line, f"spectrum must be one of {', '.join(SPECTRUM)}, got {spectrum!r}")

    first_release = None
    if "first_release" in v:
        node = v["first_release"]
        if node.kind != "scalar" or isinstance(node.value, bool) or not isinstance(node.value, int):
            f.add(node.line, f"first_release must be a year, got {describe(node)}")
        elif not 1990 <= node.value <= 2100:
            f.add(node.line, f"first_release {node.value} is not a plausible year")
        else:
            first_release = node.value

    prior = 0.0
    if "prior" in v:
        value = f.number(v["prior"], "prior")
        prior = 0.0 if value is None else value

    built_in = f.strings(v.get("built_in"), "built_in") if "built_in" in v else []
    dimensions = _load_dimensions(f, v.get("dimensions"), dimension_ids)
    in_article = _flag(f, v, "in_article", True)
    pickable = _flag(f, v, "pickable", in_article)
    sourced = load_facts(f, v, dimension_ids, https_problem)
    dimensions.update(sourced.dimensions)
    for key, label in (("backing", "backing"), ("built_in", "built_in")):
        if key in v and any(fact.key == key for fact in sourced.facts):
            f.add(v[key].line, f"{label} is also under facts: write it once (the fact carries its source)")
    backing = backing or "; ".join(x.shown for x in sourced.facts if x.key == "backing")
    built_in = built_in or [x.shown for x in sourced.facts if x.key == "built_in"]
    if not in_article:
        _check_outside(f, root, sourced, first_release)
    links = _load_links(f, v.get("links"))
    rules = load_rules(f, v, questions, declared, check_refs)

    if fid is None or name is None or summary is None:
        return None
    return Framework(
        id=fid,
        name=name,
        summary=summary,
        description=description or "",
        spectrum=spectrum,
        first_release=first_release,
        backing=backing or "",
        built_in=tuple(built_in),
        prior=prior,
        dimensions=tuple((d, dimensions[d]) for d in dimension_ids if d in dimensions),
        rules=tuple(rules),
        links=tuple(links),
        in_article=in_article,
        pickable=pickable,
        facts=tuple(sourced.facts),
        sources=tuple(sourced.sources.values()),
    )


def _flag(f: FileProblems, v: dict[object, Y], key: str, default: bool) -> bool:
    node = v.get(key)
    if node is None:
        return default
    if node.kind != "scalar" or not isinstance(node.value, bool):
        f.add(node.line, f"{key} must be true or false, got {describe(node)}")
        return default
    return node.value


def _check_outside(f: FileProblems, root: Y, sourced: FactsSection, first_release: int | None) -> None:
    """A framework outside the article speaks only through sourced facts."""
    v = root.value
    if not sourced.sources:
        f.add(v["in_article"].line, "a framework outside the article needs `sources:` (title and URL of each)")
    if not sourced.facts:
        f.add(v["in_article"].line, "a framework outside the article needs `facts:`, each with a source")
    for line, what in sourced.unsourced:
        f.add(line, f"{what} has no source: write it as {{text: ..., source: <id under sources:>}}")
    first = next((x for x in sourced.facts if x.key == "first_release"), None)
    if first is not None and first_release is not None and str(first_release) not in first.text:
        f.add(v["first_release"].line, f"first_release {first_release} does not appear in its fact ({first.text!r})")


def _load_dimensions(f: FileProblems, node: Y | None, dimension_ids: list[str]) -> dict[str, str]:
    dimensions: dict[str, str] = {}
    dims = f.mapping(node, "dimensions")
    if dims is None:
        return dimensions
    for key, value in dims.value.items():
        if key in dimension_ids and value.kind == "map":
            continue  # a sourced dimension: read with the facts
        if key not in dimension_ids:
            hint = did_you_mean(str(key), dimension_ids)
            declared = ", ".join(dimension_ids)
            f.add(dims.key_lines[key],
                  f"unknown dimension {key_text(key)!r}{hint} (declared in questions.yaml: {declared})")
            continue
        text = f.string(value, f"dimension {key!r}")
        if text is not None:
            dimensions[key] = text
    return dimensions


def _load_links(f: FileProblems, node: Y | None) -> list[Link]:
    links: list[Link] = []
    seen_urls: dict[str, int] = {}
    for item in f.records(node, "links", "link", LINK_KEYS, ("title", "url")):
        title = f.string(item.value.get("title"), "link title")
        url = f.string(item.value.get("url"), "link url")
        kind = "docs"
        if "kind" in item.value:
            kind = f.string(item.value["kind"], "link kind") or "docs"
            if kind not in LINK_KINDS:
                f.add(item.value["kind"].line, f"link kind must be one of {', '.join(LINK_KINDS)}, got {kind!r}")
        if url is not None:
            line = item.value["url"].line
            problem = https_problem(url)
            if problem:
                f.add(line, f"bad URL {url!r}: {problem}")
                url = None
            else:
                f.first(seen_urls, url, line, f"link {url!r}")
        if title is not None and url is not None:
            links.append(Link(title, url, kind))  # type: ignore[arg-type]
    return links


def https_problem(url: str) -> str | None:
    """What is wrong with `url` as a link shown to users, or None if nothing is."""
    if url != url.strip() or any(c.isspace() for c in url):
        return "must not contain spaces"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as exc:
        return f"is malformed ({exc})"
    if parts.scheme != "https":
        return "must use https"
    if not host or "." not in host or host.startswith(".") or host.endswith("."):
        return "must have a host name"
    return None
