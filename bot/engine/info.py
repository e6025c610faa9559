"""`about`, `compare` and `help`: replies that read the knowledge but need no conversation.

Frameworks outside the article speak only through their sourced facts: where the fact
sheet has nothing for a `compare` row, the cell says so instead of filling it in.
"""
from __future__ import annotations

from collections.abc import Mapping

from .errors import UnknownFramework
from .model import FACT_LABELS, UNCONFIRMED, Framework, Knowledge
from .replies import AboutReply, CompareReply, CompareRow, FrameworkFacts, HelpReply, Recommendation

# What a user can ask for, without platform syntax: (command, arguments, what it does).
# Each adapter words the usage its own way (Slack: `/framework about <framework>`; the
# start command is the bare `/framework [describe your project]` there).
COMMANDS = (
    ("start", "[describe your project]", "Start a conversation; a sentence about the project pre-answers questions"),
    ("about", "<framework>", "What a framework is, its strengths, caveats and links"),
    ("compare", "<a> <b> [c]", "Frameworks side by side on the article's dimensions"),
    ("restart", "", "Start your conversation over"),
    ("help", "", "This help"),
)
NOT_COVERED = "Not covered by the article, and no fact in the fact sheet"
SHEET_ROWS = ("interface", "licence", "latest")  # compare rows only the fact sheet fills


def find(knowledge: Knowledge, name: str) -> Framework:
    wanted = name.strip().lower()
    for framework in knowledge.frameworks:
        if wanted in (framework.id, framework.name.lower()):
            return framework
    article = ", ".join(f.id for f in knowledge.frameworks if f.in_article)
    others = ", ".join(f.id for f in knowledge.frameworks if not f.in_article)
    known = f"From the article: {article}." + (f" Also: {others}." if others else "")
    raise UnknownFramework(f"I don't know a framework called {name.strip()[:40]!r}. {known}")


def facts(framework: Framework, knowledge: Knowledge | None = None) -> FrameworkFacts:
    article = framework.in_article
    sources = framework.sources
    if article:  # the article's text first, by the pages it cites; then where any sheet facts come from
        cited = tuple(link for link in framework.links if link.kind in ("docs", "reference"))
        sources = cited + tuple(s for s in sources if s.url not in {c.url for c in cited})
    return FrameworkFacts(
        id=framework.id,
        name=framework.name,
        summary=framework.summary,
        description=framework.description,
        spectrum=framework.spectrum,
        first_release=framework.first_release,
        backing=framework.backing,
        built_in=framework.built_in,
        consider=tuple(r.text for r in framework.rules if r.kind == "consider"),
        think_twice=tuple(r.text for r in framework.rules if r.kind == "think_twice"),
        links=framework.links,
        in_article=article,
        sources=sources,
        facts=tuple((label, group) for key, label in FACT_LABELS.items()
                    if (group := tuple(f for f in framework.facts if f.key == key))),
        as_of=knowledge.facts_as_of if knowledge is not None and not article else "",
    )


def about(knowledge: Knowledge, name: str) -> AboutReply:
    return AboutReply(facts(find(knowledge, name), knowledge))


def _facts_text(framework: Framework, key: str) -> str:
    """A fact of a framework outside the article for a compare cell, or what is missing."""
    found = [f.shown for f in framework.facts if f.key == key]
    if found:
        return "; ".join(found)
    return NOT_COVERED if not framework.in_article else "Not covered by the article"


CELL_MAX = 100  # characters in a compare cell: a matrix is for scanning, `about` has the rest
TOP = 3  # frameworks in "Compare top 3"


def _cell(text: str) -> str:
    text = " ".join(text.split()) or "-"
    if len(text) <= CELL_MAX:
        return text
    mark = UNCONFIRMED if text.endswith(UNCONFIRMED) else ""  # shortening must never drop it
    return text[: CELL_MAX - 1 - len(mark)].rstrip() + "\u2026" + mark


def compare(knowledge: Knowledge, names: list[str] | tuple[str, ...],
            answers: Mapping[str, str] | None = None, pick: str = "") -> CompareReply:
    """Frameworks × the knowledge's dimensions, in short cells. With `answers` (question id
    -> option id) each row whose dimension is a question the user answered carries the
    answer, for adapters to highlight."""
    if not 2 <= len(names) <= TOP:
        raise UnknownFramework("Compare two or three frameworks, for example: compare django flask.")
    frameworks = [find(knowledge, n) for n in names]
    if len({f.id for f in frameworks}) != len(frameworks):
        raise UnknownFramework("Name each framework once.")
    rows = []
    for dim, label in knowledge.dimensions:
        question = knowledge.question(dim)
        option = question.option(answers[dim]) if question and answers and dim in answers else None
        rows.append(CompareRow(
            label, tuple(_cell(f.dimension(dim) or (f.spectrum if dim == "spectrum" else "")
                               or (NOT_COVERED if not f.in_article else "")) for f in frameworks),
            dim, option.label if option else ""))
    rows.append(CompareRow("First release", tuple(str(f.first_release or "unknown") for f in frameworks),
                           "first_release"))
    outside = any(not f.in_article for f in frameworks)
    if outside:  # facts only the fact sheet has: the bot carries them for frameworks outside the article
        rows.append(CompareRow("Backing", tuple(_cell(f.backing or _facts_text(f, "backing")) for f in frameworks),
                               "backing"))
        rows += [CompareRow(FACT_LABELS[key], tuple(_cell(_facts_text(f, key)) for f in frameworks), key)
                 for key in SHEET_ROWS]
    return CompareReply(tuple(f.id for f in frameworks), tuple(f.name for f in frameworks), tuple(rows), pick,
                        note=_compare_note(knowledge, frameworks) if outside else "")


def _compare_note(knowledge: Knowledge, frameworks: list[Framework]) -> str:
    names = [f.name for f in frameworks if not f.in_article]
    who = " and ".join(names) + (" is" if len(names) == 1 else " are")
    rows = ", ".join(FACT_LABELS[k] for k in SHEET_ROWS)
    month = f" as of {knowledge.facts_as_of}" if knowledge.facts_as_of else ""
    return (f"{who} not in the article: those cells, and the rows {rows}, come from the project's "
            f"fact sheet{month}, each with its source (see `about`).")


def compare_top(knowledge: Knowledge, result: Recommendation, answers: Mapping[str, str]) -> CompareReply:
    """The result's top three (its own ranking order) with the user's answers highlighted."""
    top = [r.framework for r in result.ranking if knowledge.framework(r.framework) is not None][:TOP]
    if len(top) < 2:
        raise UnknownFramework("There is nothing to compare the pick with.")
    return compare(knowledge, top, answers, result.framework)


def help_reply(knowledge: Knowledge) -> HelpReply:
    return HelpReply(COMMANDS, tuple((f.id, f.name) for f in knowledge.frameworks),
                     tuple(f.id for f in knowledge.frameworks if not f.in_article))
