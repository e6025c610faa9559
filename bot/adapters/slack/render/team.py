"""A team decision as Block Kit: the public card, and the team result posted when it closes.

Pure: a TeamDecision (and, for the result, the engine's TeamResult) in, blocks out. Every text a
person typed (the description, display names) goes through `escape`, so it cannot mention,
broadcast or link; the only markup here is what these functions build (bold, bullets, Slack's
date formatting of the deadline, links from the knowledge)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock, Block, ButtonElement, ConfirmObject, HeaderBlock, Option, SectionBlock, StaticSelectElement,
)

from bot.engine.teamresult import TeamResult
from bot.engine.whatif import offered
from bot.store.base import TeamDecision

from .. import ids
from .result import MAX_WHATIFS, SECTIONS
from .text import FALLBACK_MAX, HEADER_MAX, SECTION_MAX, bullets, clip, context, escape, md, plain, section

DESCRIPTION_MAX = 1500  # characters of the escaped description on the card
NAMES_SHOWN = 30  # names listed on the card; the rest are counted
NAME_MAX = 40
# The deadlines the starter can pick on the card, in seconds ("0": none).
DEADLINES = (("0", "No deadline"), ("3600", "In 1 hour"), ("86400", "In 24 hours"), ("259200", "In 3 days"))

CLOSE_CONFIRM = ConfirmObject(
    title="Close and decide?",
    text="Nobody can answer after this, and the team result is posted in the channel.",
    confirm="Close and decide",
    deny="Not yet",
)


def who(name: str) -> str:
    """A display name, escaped and short; never a mention (a list of members must ping nobody)."""
    return escape(clip(" ".join(name.split()), NAME_MAX)) if name.strip() else "a member"


def answered(team: TeamDecision) -> str:
    """"4 answered: ana, bo, cy, dee" (the first NAMES_SHOWN names, then how many more)."""
    n = len(team.members)
    if not n:
        return "Nobody has answered yet."
    names = [who(m.name or team.name_of(m.user)) for m in team.members[:NAMES_SHOWN]]
    more = f" and {n - NAMES_SHOWN} more" if n > NAMES_SHOWN else ""
    return f"*{n} answered:* {', '.join(names)}{more}"


def deadline_seconds(value: str) -> float | None:
    """The deadline option's seconds (0: none), or None for a value the card never offered."""
    return float(value) if value in dict(DEADLINES) else None


def deadline_text(when: float) -> str:
    """Slack shows the time in each reader's own time zone; the fallback is UTC."""
    fallback = dt.datetime.fromtimestamp(when, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when)}^{{date_short_pretty}} at {{time}}|{fallback}>"


def card(team: TeamDecision) -> list[Block]:
    """The public card: who started it, the description, who answered, and (while open) Answer,
    Close and decide (the starter's; others get a private note) and the starter's deadline."""
    tok = team.id
    starter = who(team.starter_name)
    title = "Team decision: which Python web framework?" if team.open else "Team decision (closed)"
    blocks: list[Block] = [HeaderBlock(text=plain(title, HEADER_MAX))]
    intro = f"*{starter}* asks the team to choose a Python web framework together."
    if team.description:
        intro += "\n>" + clip(escape(team.description), DESCRIPTION_MAX).replace("\n", " ")
    blocks.append(SectionBlock(text=md(intro), block_id="team-intro"))
    blocks.append(SectionBlock(text=md(answered(team), SECTION_MAX), block_id="team-members"))
    if not team.open:
        how = "at its deadline" if not team.closed_by else f"by {starter}"
        where = "below in this thread" if team.thread else "below"
        blocks.append(context(f"Closed {how}. The team result is {where}."))
        return blocks
    notes = ["Press *Answer* to give your own answers privately; you can answer again until it closes."]
    if team.deadline:
        notes.append(f"Closes by itself {deadline_text(team.deadline)}.")
    else:
        notes.append(f"{starter} closes it with *Close and decide*.")
    blocks.append(context(" ".join(notes)))
    options = [Option(value=v, text=plain(label)) for v, label in DEADLINES]
    blocks.append(ActionsBlock(block_id=ids.block_id(ids.TEAM_BLOCK, tok), elements=[
        ButtonElement(text=plain("Answer"), action_id=ids.team_id(ids.TEAM_ANSWER), value=tok, style="primary"),
        ButtonElement(text=plain("Close and decide"), action_id=ids.team_id(ids.TEAM_CLOSE), value=tok,
                      confirm=CLOSE_CONFIRM),
        StaticSelectElement(placeholder=plain("Deadline (starter)"), action_id=ids.team_id(ids.TEAM_DEADLINE),
                            options=options),
    ]))
    return blocks


def _tallies(result: TeamResult) -> str:
    n = len(result.members)
    lines = []
    for qt in result.questions:
        if qt.open:
            continue
        if qt.split:
            lines.append(f"\u2022 *{escape(qt.short)}:* split ({escape(qt.counted(n))})")
        else:
            lines.append(f"\u2022 *{escape(qt.short)}:* {escape(qt.answer_label)} ({escape(qt.counted(n))})")
    nobody = [escape(qt.short) for qt in result.questions if qt.open]
    if nobody:
        lines.append(f"\u2022 Nobody answered: {', '.join(nobody)}")
    return "\n".join(lines)


def _splits(result: TeamResult) -> str:
    if not result.splits:
        return ""
    if result.split_changes:
        return bullets(c.text for c in result.split_changes)
    shorts = {qt.question: qt.short for qt in result.questions}
    return escape("The team split on " + ", ".join(shorts[q] for q in result.splits)
                  + ", but settling them either way keeps the pick.")


PICK_NAMES = 10  # members named per framework in "Each member's own pick"


def _picks(result: TeamResult) -> str:
    """"Django 3 (ana, bo, cy)": each framework that is someone's own pick, most members first."""
    lines = []
    for p in result.member_picks:
        names = ", ".join(who(n) for n in p.members[:PICK_NAMES])
        more = f" and {p.count - PICK_NAMES} more" if p.count > PICK_NAMES else ""
        lines.append(f"\u2022 *{escape(p.name)}* {p.count} ({names}{more})")
    return "\n".join(lines)


def team_result(result: TeamResult, team: TeamDecision) -> list[Block]:
    """The team result for the channel: pick, runner-up and reasons over the team's answers, how
    the team answered each question, the splits that would change the pick, each member's own
    pick, links, and Export decision record, Compare top 3 and what-if (each private to the clicker)."""
    rec = result.recommendation
    tok = team.id
    title = f"Team pick: {rec.name}" if rec.settled else f"Team leaning: {rec.name} (not yet settled)"
    blocks: list[Block] = [HeaderBlock(text=plain(title, HEADER_MAX))]
    pick = [f"*Team pick:* {escape(rec.name)} (confidence: {escape(rec.confidence)})"]
    if rec.runner_up_name:
        pick.append(f"*Runner-up:* {escape(rec.runner_up_name)}")
    if rec.summary:
        pick.append(escape(rec.summary))
    blocks.append(SectionBlock(text=md("\n".join(pick)), block_id=f"recommendation:{rec.framework}"[:255]))
    blocks.append(context(f"{answered(team)}. Decided over the team's answers: per question, the option most "
                          "members chose; a tie for the most is a split, which leaves the question open."))
    parts = (("How the team answered", _tallies(result), "team-answers"),
             ("Splits that would change the pick", _splits(result), "team-splits"),
             ("Each member's own pick", _picks(result), "team-picks"))
    for title_, body, bid in parts[:1]:
        if body:
            blocks.append(section(title_, body, bid))
    for title_, fn, bid in SECTIONS:
        if bid == "flips":
            continue  # single answers do not flip a team; its splits do (below)
        text = fn(rec)
        if text:
            blocks.append(section(title_, text, bid))
    for title_, body, bid in parts[1:]:
        if body:
            blocks.append(section(title_, body, bid))
    blocks.append(ActionsBlock(block_id=ids.block_id(ids.TEAM_DONE_BLOCK, tok), elements=[
        ButtonElement(text=plain("Export decision record"), action_id=ids.team_id(ids.TEAM_EXPORT), value=tok),
        ButtonElement(text=plain("Compare top 3"), action_id=ids.team_id(ids.TEAM_COMPARE), value=tok),
    ]))
    whatifs = [ButtonElement(text=plain(c.whatif), action_id=ids.team_whatif_id(c.question, c.option)[:255],
                             value=tok) for c in offered(rec, MAX_WHATIFS)]
    if whatifs:
        blocks.append(ActionsBlock(block_id=ids.block_id(ids.TEAM_WHATIF_BLOCK, tok), elements=whatifs))
    return blocks


def fallback(team: TeamDecision, result: TeamResult | None = None) -> str:
    """The notification text: plain words, nothing a user typed."""
    if result is not None:
        return clip(escape(f"Team pick: {result.recommendation.name}"), FALLBACK_MAX)
    state = "open" if team.open else "closed"
    return f"Team decision ({state}): {len(team.members)} answered"


def as_dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    """Serialised, checking every Slack limit (slack_sdk raises SlackObjectFormationError)."""
    return [b.to_dict() for b in blocks]


def card_dicts(team: TeamDecision) -> list[dict[str, Any]]:
    return as_dicts(card(team))


def result_dicts(result: TeamResult, team: TeamDecision) -> list[dict[str, Any]]:
    return as_dicts(team_result(result, team))
