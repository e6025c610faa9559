"""`about`, `compare` and `help`: replies that read the knowledge but need no conversation."""
from __future__ import annotations

from .errors import UnknownFramework
from .model import Framework, Knowledge
from .replies import AboutReply, CompareReply, CompareRow, FrameworkFacts, HelpReply

COMMANDS = (
    ("/framework [describe your project]", "Start a conversation; a sentence about the project pre-answers questions"),
    ("/framework about <framework>", "What a framework is, its strengths, caveats and links"),
    ("/framework compare <a> <b> [c]", "Frameworks side by side on the article's dimensions"),
    ("/framework restart", "Start your conversation over"),
    ("/framework help", "This help"),
)


def find(knowledge: Knowledge, name: str) -> Framework:
    wanted = name.strip().lower()
    for framework in knowledge.frameworks:
        if wanted in (framework.id, framework.name.lower()):
            return framework
    known = ", ".join(f.id for f in knowledge.frameworks)
    raise UnknownFramework(f"I don't know a framework called {name.strip()[:40]!r}. I know: {known}.")


def facts(framework: Framework) -> FrameworkFacts:
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
    )


def about(knowledge: Knowledge, name: str) -> AboutReply:
    return AboutReply(facts(find(knowledge, name)))


def compare(knowledge: Knowledge, names: list[str] | tuple[str, ...]) -> CompareReply:
    if not 2 <= len(names) <= 3:
        raise UnknownFramework("Compare two or three frameworks, for example: compare django flask.")
    frameworks = [find(knowledge, n) for n in names]
    if len({f.id for f in frameworks}) != len(frameworks):
        raise UnknownFramework("Name each framework once.")
    rows = [
        CompareRow("First release", tuple(str(f.first_release or "unknown") for f in frameworks)),
        CompareRow("Backing", tuple(f.backing for f in frameworks)),
        CompareRow("Built in", tuple(", ".join(f.built_in) or "routing only" for f in frameworks)),
    ]
    rows += [CompareRow(label, tuple(f.dimension(dim) or (f.spectrum if dim == "spectrum" else "-") for f in frameworks))
             for dim, label in knowledge.dimensions]
    rows += [
        CompareRow("Consider it if", tuple("; ".join(facts(f).consider) for f in frameworks)),
        CompareRow("Think twice if", tuple("; ".join(facts(f).think_twice) for f in frameworks)),
    ]
    return CompareReply(tuple(f.id for f in frameworks), tuple(f.name for f in frameworks), tuple(rows))


def help_reply(knowledge: Knowledge) -> HelpReply:
    return HelpReply(COMMANDS, tuple((f.id, f.name) for f in knowledge.frameworks))
