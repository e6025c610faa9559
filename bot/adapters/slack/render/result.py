"""The recommendation, and the knowledge-only replies (about, compare, help), as Block Kit.

The result's sections are built in one place (`SECTIONS`: title, items or text, block id)
and its buttons in one other (`actions`), so later work adds to them without reshaping."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, HeaderBlock, SectionBlock, TableBlock

from bot.engine.changes import change_lines
from bot.adapters.slack.ids import SLASH_COMMAND
from bot.engine.replies import AboutReply, CompareReply, HelpReply, Recommendation, Suggestion, WhatIfReply
from bot.engine.suggest import heading
from bot.engine.whatif import offered
from bot.service.outcome import shared_note

from .. import ids
from .question import nav_button, restart_button
from .text import (
    FIELD_MAX, HEADER_MAX, bullets, clip, context, escape, escape_keeping_channels, link, link_bullets, md, plain,
    prefill_note, section,
)

_CHANNEL = re.compile(r"[CDG][A-Z0-9]{2,20}")
REASON_MAX = 600  # per suggestion: a section holds 3000, links and the fact come after it
FACT_MAX = 400


def unsettled(reply: Recommendation, names: dict[str, str]) -> str:
    """After "decide now": say it is provisional and which questions could still change it."""
    text = "You decided before every question that matters was answered, so this could still change."
    if reply.open_questions:
        text += " Still open: " + ", ".join(escape(names.get(q, q)) for q in reply.open_questions[:12]) + "."
    if reply.open_said:
        text += " " + escape(reply.open_said)
    if reply.can_refine:
        text += " Press *More questions* to answer them."
    return text


# (title, body from the reply, block id); a body of "" is left out.
SECTIONS: tuple[tuple[str, Callable[[Recommendation], str], str], ...] = (
    ("Why", lambda r: bullets(r.reasons), "reasons"),
    ("Think twice", lambda r: bullets(r.caveats), "caveats"),
    ("What would change the answer", lambda r: bullets(change_lines(r)), "flips"),
    ("Links", lambda r: link_bullets(r.links), "links"),
)


MEMBER_NOTE = ("Your answers count for the team decision. Press *Answer* on the team card to answer again "
               "until it closes: your last answers count.")


def actions(reply: Recommendation, tok: str, shared_in: str = "", member: bool = False) -> list[ButtonElement]:
    """The buttons under a private or thread result, in order (Slack shows up to 25). A team
    member's result (`member`) has no Share nor Ask my team: the team card is where it goes."""
    buttons: list[ButtonElement] = []
    if not member and not (shared_in and _CHANNEL.fullmatch(shared_in)):
        buttons.append(ButtonElement(text=plain("Share with the channel"), action_id=ids.SHARE, value=tok,
                                     style="primary"))
    if not member:
        buttons.append(ButtonElement(text=plain("Ask my team"), action_id=ids.team_id(ids.TEAM_ASK), value=tok))
    if reply.can_refine:
        buttons.append(nav_button("more", "More questions", tok))
    buttons += [ButtonElement(text=plain("Export decision record"), action_id=ids.EXPORT, value=tok),
                ButtonElement(text=plain("Compare top 3"), action_id=ids.COMPARE, value=tok)]
    return buttons + [nav_button("back", "Back", tok), restart_button(tok)]


MAX_WHATIFS = 5  # buttons in the what-if row (the engine offers at most a few)


def whatif_buttons(reply: Recommendation, tok: str) -> list[ButtonElement]:
    """One button per answer that would change the pick: "What if: Yes, it is critical (performance)?"."""
    return [ButtonElement(text=plain(c.whatif), action_id=ids.whatif_id(c.question, c.option)[:255], value=tok)
            for c in offered(reply, MAX_WHATIFS)]


def recommendation(reply: Recommendation, tok: str | None = None, *, shared_by: str = "",
                   names: tuple[tuple[str, str], ...] = (), shared_in: str = "", member: bool = False,
                   note: str = "") -> list[Block]:
    """The result. With `tok`: the private/thread version with Share, More questions, Back
    and Restart. Without: the shared, button-less version (`shared_by` a Slack user id).
    `names`: (question id, short name) pairs for the open questions of an unsettled result.
    `shared_in`: the channel it was shared in, once it was (the result then says so instead
    of offering Share again). `member`: a team member's result (the team card's Answer), with
    `note` when their answers were not recorded (say, the decision closed meanwhile)."""
    title = f"Recommendation: {reply.name}" if reply.settled else f"Leaning towards {reply.name} (not yet settled)"
    blocks: list[Block] = [HeaderBlock(text=plain(title, HEADER_MAX))]
    pick = [f"*Pick:* {escape(reply.name)}", f"*Confidence:* {escape(reply.confidence_said)}"]
    if reply.runner_up_name:
        pick.append(f"*Runner-up:* {escape(reply.runner_up_name)}")
    if reply.margin_text:
        pick.append(f"*Margin:* {escape(reply.margin_text)}")
    if reply.summary:
        pick.append(escape(reply.summary))
    blocks.append(SectionBlock(text=md("\n".join(pick)), block_id=f"recommendation:{reply.framework}"[:255]))
    if not reply.settled:
        blocks.append(section("Not yet settled", unsettled(reply, dict(names)), "unsettled"))
    if reply.prefilled:
        blocks.append(prefill_note(reply.prefilled))
    for title, body, bid in SECTIONS:
        text = body(reply)
        if text:
            blocks.append(section(title, text, bid))
    blocks += also_consider(reply.also_consider)
    footer = f"{reply.questions_asked} question{'s' if reply.questions_asked != 1 else ''} asked"
    if shared_by and re.fullmatch(r"[UW][A-Z0-9]{2,20}", shared_by):
        footer = f"Shared by <@{shared_by}>. {footer}"  # an id we received from Slack, not typed text
    blocks.append(context(footer))
    if tok is not None:
        if shared_in and _CHANNEL.fullmatch(shared_in):
            blocks.append(context(shared_note(shared_in)))
        if member:
            blocks.append(context(escape_keeping_channels(note) if note else MEMBER_NOTE))
        blocks.append(ActionsBlock(elements=actions(reply, tok, shared_in, member), block_id=ids.block_id("done", tok)))
        if reply.changes:
            blocks.append(ActionsBlock(elements=whatif_buttons(reply, tok), block_id=ids.block_id("whatif", tok)))
    return blocks


def whatif(reply: WhatIfReply, tok: str | None) -> list[Block]:
    """The changed result next to the real one, with the way back. Buttons keep the
    result's token: nothing was saved, so the conversation is still at that step. Without
    `tok`: a team result's what-if, a private message of its own with no way back to take."""
    before, after = reply.before, reply.after
    verdict = "the same pick" if after.framework == before.framework else f"{escape(after.name)} instead"
    whose = "your" if tok is not None else "the team\u2019s"
    blocks: list[Block] = [
        HeaderBlock(text=plain(reply.title, HEADER_MAX)),
        SectionBlock(text=md(f"With this one answer changed: *{verdict}*."),
                     block_id=f"whatif:{after.framework}"[:255], fields=[
            md(f"*With {whose} answers*\n{escape(before.name)} ({escape(before.confidence)})", FIELD_MAX),
            md(f"*With this change*\n{escape(after.name)} ({escape(after.confidence)})", FIELD_MAX),
        ]),
    ]
    if after.reasons:
        blocks.append(section(f"Why {after.name}", bullets(after.reasons), "whatif-reasons"))
    if tok is None:
        blocks.append(context("The team result is unchanged."))
        return blocks
    blocks.append(context("Your conversation is unchanged: go back to it at any time."))
    blocks.append(ActionsBlock(elements=[
        ButtonElement(text=plain("Back to my answers"), action_id=ids.ANSWERS, value=tok, style="primary"),
    ], block_id=ids.block_id("whatif-nav", tok)))
    return blocks


def also_consider(items: tuple[Suggestion, ...]) -> list[Block]:
    """A title, then one section per suggestion so that no text can push another past 3000."""
    if not items:
        return []
    blocks: list[Block] = [SectionBlock(text=md(f"*{escape(heading(items))}*"), block_id="also_consider")]
    for n, s in enumerate(items):
        lines = [f"\u2022 *{escape(clip(s.name, 100))}*: {clip(escape(s.reason), REASON_MAX)}"]
        if s.fact:
            lines.append(f"_{clip(escape(s.fact), FACT_MAX)}_")
        if s.links:
            lines.append(" \u00b7 ".join(link(x) for x in s.links[:3]))
        blocks.append(SectionBlock(text=md("\n".join(lines)), block_id=f"also_consider:{n}"))
    return blocks


def about(reply: AboutReply) -> list[Block]:
    f = reply.framework
    blocks: list[Block] = [HeaderBlock(text=plain(f.name, HEADER_MAX))]
    text = f"*{escape(f.summary)}*"
    if f.description:
        text += f"\n{escape(f.description)}"
    blocks.append(SectionBlock(text=md(text), block_id=f"about:{f.id}"[:255], fields=[
        md(f"*First release*\n{escape(f.first_release or 'unknown')}", FIELD_MAX),
        md(f"*Spectrum*\n{escape(f.spectrum or '-')}", FIELD_MAX),
        md(f"*Backing*\n{escape(f.backing or '-')}", FIELD_MAX),
        md(f"*Built in*\n{escape(', '.join(f.built_in) or 'routing only')}", FIELD_MAX),
    ] if f.in_article else None))  # outside the article the sourced facts below say all of this
    if f.facts:
        blocks.append(context(escape(f.note)))
        for label, group in f.facts:
            body = "\n".join(f"\u2022 {clip(escape(x.shown), FACT_MAX)} ({link(x.source)})" for x in group)
            blocks.append(section(label, body))
    if f.consider:
        blocks.append(section("Consider it if", bullets(f.consider)))
    if f.think_twice:
        blocks.append(section("Think twice if", bullets(f.think_twice)))
    if f.links:
        blocks.append(section("Links", link_bullets(f.links)))
    return blocks


TABLE_MAX_ROWS = 100  # Slack's table block
TABLE_MAX_COLUMNS = 20
CELL_MAX = 1000  # characters per cell; the engine keeps them far shorter (engine.info.CELL_MAX)


def _cell(value: str, bold: bool = False) -> dict[str, Any]:
    text = clip(" ".join(value.split()) or "-", CELL_MAX)
    if not bold:
        return {"type": "raw_text", "text": text}
    return {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [
        {"type": "text", "text": text, "style": {"bold": True}}]}]}


def compare(reply: CompareReply) -> list[Block]:
    """A factor x framework table block (plain text cells: nothing in them is parsed); the
    rows the user answered are in bold with their answer, the pick's column is marked."""
    names = [f"{n} (pick)" if f == reply.pick else n for f, n in zip(reply.frameworks, reply.names, strict=True)]
    rows = [[_cell("Factor", True), *[_cell(n, True) for n in names]][:TABLE_MAX_COLUMNS]]
    for row in reply.rows[: TABLE_MAX_ROWS - 1]:
        label = f"\u25b6 {row.label} (you: {row.answer})" if row.answer else row.label
        rows.append([_cell(label, bool(row.answer)), *[_cell(v) for v in row.values]][:TABLE_MAX_COLUMNS])
    blocks: list[Block] = [HeaderBlock(text=plain(" vs ".join(reply.names), HEADER_MAX))]
    if reply.note:
        blocks.append(context(escape(reply.note)))
    blocks.append(TableBlock(rows=rows, block_id="compare",
                             column_settings=[{"is_wrapped": True}] * min(len(rows[0]), TABLE_MAX_COLUMNS)))
    if any(r.answer for r in reply.rows):
        blocks.append(context("\u25b6 marks the factors you answered, with your answer."))
    return blocks


def usage(command: str, args: str) -> str:
    """Slack's syntax for an engine command: starting is the bare slash command."""
    words = [SLASH_COMMAND] + ([] if command == "start" else [command]) + ([args] if args else [])
    return " ".join(words)


def help_(reply: HelpReply) -> list[Block]:
    lines = "\n".join(f"\u2022 `{escape(usage(command, args))}` \u2014 {escape(what)}"
                      for command, args, what in reply.commands)
    names = escape(reply.listing)
    return [
        section("Framework Advisor", lines, "help"),
        SectionBlock(text=md("You can also mention me in a channel to choose together in a thread. "
                             f"Frameworks I know: {names}.")),
    ]
