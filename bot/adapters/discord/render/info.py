"""Knowledge-only replies as Components V2: about, compare, and help with Discord's own commands."""
from __future__ import annotations

from dataclasses import dataclass

from bot.engine.replies import AboutReply, CompareReply, FrameworkFacts, HelpReply, Reply

from .screen import Block, Divider, Screen, Text, fit
from .text import bullets, link, links, safe, section


@dataclass(frozen=True)
class Command:
    """A /framework subcommand. `description` is also what commands.py registers, so the
    command picker and the help say the same thing."""

    name: str
    args: str
    description: str

    @property
    def usage(self) -> str:
        return f"/framework {self.name} {self.args}".rstrip()


# The engine's help lists Slack's syntax (/framework <text>, restart); Discord has a
# command group instead, so its help lists these.
COMMANDS: tuple[Command, ...] = (
    Command("start", "[text]", "Start a private conversation; a sentence about your project pre-answers questions"),
    Command("team", "[description] [deadline]",
            "Decide as a team: everyone answers privately, the channel gets one recommendation"),
    Command("about", "<framework>", "What a framework is, its strengths, caveats and links"),
    Command("compare", "<a> <b> [c]", "Two or three frameworks side by side"),
    Command("help", "", "What this bot can do"),
)
DESCRIPTIONS = {c.name: c.description for c in COMMANDS}


def about(reply: AboutReply) -> Screen:
    f = reply.framework
    text = f"## {safe(f.name, 200)}\n{safe(f.summary, 600)}"
    if f.description:
        text += "\n\n" + safe(f.description, 2000)
    facts = (f"**First release:** {safe(str(f.first_release or 'unknown'), 50)} \u00b7 "
             f"**Spectrum:** {safe(f.spectrum or '-', 100)} \u00b7 **Backing:** {safe(f.backing or '-', 300)}")
    blocks: list[Block] = [Text(text), Text(facts), Divider()] if f.in_article else [Text(text), Divider()]
    parts = sourced(f) if not f.in_article else [
        section("Built in", safe(", ".join(f.built_in), 800)), section("Consider it if", bullets(f.consider)),
        section("Think twice if", bullets(f.think_twice))]
    for part in (*parts, section("Links", links(f.links))):
        if part:
            blocks.append(Text(part))
    return fit(Screen(tuple(blocks)))


def sourced(f: FrameworkFacts) -> list[str]:
    """A framework outside the article: its facts, each marked with the number of its
    source, then the numbered sources (one link each, so the facts fit the message)."""
    number = {s.url: n for n, s in enumerate(f.sources, 1)}
    parts = ["-# " + safe(f.note, 300)]
    for label, group in f.facts:
        parts.append(section(label, "\n".join(f"\u2022 {safe(x.shown, 300)} [{number.get(x.source.url, '?')}]"
                                              for x in group)))
    parts.append(section("Sources", "\n".join(f"[{n}] {link(s.title, s.url)}" for n, s in enumerate(f.sources, 1))))
    return parts


def compare(reply: CompareReply) -> Screen:
    """Factor by factor, each framework's short cell; the factors the user answered are marked
    with their answer (\u25b6), and the pick's name (from a result's "Compare top 3")."""
    names = [f"{n} (pick)" if f == reply.pick else n for f, n in zip(reply.frameworks, reply.names, strict=True)]
    blocks: list[Block] = [Text("## " + " vs ".join(safe(n, 80) for n in reply.names)), Divider()]
    if reply.note:
        blocks.insert(1, Text("-# " + safe(reply.note, 300)))
    for row in reply.rows[:30]:  # the message holds 40 components at most
        lines = "\n".join(f"\u2022 **{safe(name, 90)}**: {safe(v, 400)}"
                           for name, v in zip(names, row.values, strict=True))
        title = f"\u25b6 {row.label} (you: {row.answer})" if row.answer else row.label
        blocks.append(Text(section(title, lines)))
    return fit(Screen(tuple(blocks)))


def help_screen(reply: HelpReply) -> Screen:
    # reply.commands is the engine's Slack-syntax list: only the frameworks are used here.
    commands = "\n".join(f"\u2022 `{c.usage}` \u2014 {safe(c.description, 200)}" for c in COMMANDS)
    return fit(Screen((
        Text("## Framework Advisor\nI help you choose a Python web framework by asking a few questions."),
        Text(section("Commands", commands)),
        Text(section("Frameworks I know", safe(reply.listing, 1500))),
    )))


def info(reply: Reply) -> Screen:
    if isinstance(reply, AboutReply):
        return about(reply)
    if isinstance(reply, CompareReply):
        return compare(reply)
    if isinstance(reply, HelpReply):
        return help_screen(reply)
    raise TypeError(f"cannot render {type(reply).__name__}")
