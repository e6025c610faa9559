"""A team decision on Discord (issue 16): the public card and the team result, as plain data.

The card shows who started it, the description, who has answered, and Answer / Close and
decide; once closed, where the result went and no buttons. The team result is the ordinary
result (heading, pick, why, think twice, links) with the team's parts between: how the team
answered each question, the splits that would change the pick, each member's own pick; and
Export, Compare top 3 and what-if, which answer privately. Names are user ids shown as
mentions (every message goes out with no mentions allowed, so nobody is pinged) or escaped
display names.
"""
from __future__ import annotations

from bot.engine.replies import WhatIfReply
from bot.engine.teamresult import QuestionTally, TeamResult
from bot.engine.whatif import offered
from bot.store.base import Member, TeamDecision

from .. import ids
from .result import MAX_WHATIFS, action_rows, pick, whatif_blocks
from .screen import Block, ButtonSpec, Divider, Row, Screen, Text, fit
from .text import LABEL_MAX, SECTION_MAX, bullets, links, plain, safe, section

TITLE = "Team decision: which Python web framework?"
DESCRIPTION_MAX = 1000  # characters of the starter's description on the card
NAMES_MAX = 60  # members named on the card; the rest are counted


def who(user: str, name: str = "") -> str:
    """A user as a mention (it never pings: no mentions are allowed), or their escaped name."""
    return f"<@{user}>" if user.isdigit() else safe(name or user, 80)


def member_names(members: tuple[Member, ...], limit: int = NAMES_MAX) -> str:
    shown = ", ".join(who(m.user, m.name) for m in members[:limit])
    more = len(members) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def quoted(text: str, limit: int) -> str:
    """User text as a block quote: escaped first, then clipped, every line quoted."""
    return "\n".join("> " + line for line in safe(text, limit).splitlines() if line.strip())


def answered(team: TeamDecision) -> str:
    n = len(team.members)
    if not n:
        return "Nobody has answered yet."
    return f"**{n} answered:** {member_names(team.members)}"


def header(team: TeamDecision) -> str:
    lines = [f"## {TITLE}", f"-# Started by {who(team.starter, team.starter_name)} with /framework team"]
    if team.description:
        lines.append(quoted(team.description, DESCRIPTION_MAX))
    return "\n".join(lines)


def how_to(team: TeamDecision) -> str:
    closes = f"at <t:{int(team.deadline)}:f> (<t:{int(team.deadline)}:R>)" if team.deadline else ""
    by = who(team.starter, team.starter_name)
    when = f"when {by} closes it, or by itself {closes}" if closes else f"when {by} closes it"
    return ("-# Press **Answer** to give your answers privately; nobody sees them one by one. The channel gets "
            f"the team's result {when}. You can answer again until then: your last answers count.")


def card(team: TeamDecision) -> Screen:
    """The public card: open with its buttons, or closed and saying where the result is."""
    blocks: list[Block] = [Text(header(team)), Text(answered(team))]
    if team.open:
        blocks += [Text(how_to(team)), Divider(),
                   Row((ButtonSpec(ids.team(team.id, "answer"), "Answer", "primary"),
                        ButtonSpec(ids.team(team.id, "close"), "Close and decide")))]
    else:
        where = f"in <#{team.result}>" if team.result.isdigit() else "below"
        how = "by its deadline" if not team.closed_by else f"by {who(team.closed_by, team.starter_name)}"
        blocks.append(Text(f"**Closed** {how}. The team result is {where}."))
    return fit(Screen(tuple(blocks)))


def tally_line(qt: QuestionTally, members: int) -> str:
    counted = safe(qt.counted(members), 300)
    if qt.split:
        return f"\u2022 **{safe(qt.short, 80)}**: split ({counted})"
    return f"\u2022 **{safe(qt.short, 80)}**: {safe(qt.answer_label or '', 100)} ({counted})"


def how_answered(result: TeamResult) -> str:
    """Per question: the team's answer with its counts, or the split; then the open ones."""
    n = len(result.members)
    lines = [tally_line(qt, n) for qt in result.questions if not qt.open]
    unanswered = [safe(qt.short, 80) for qt in result.questions if qt.open]
    if unanswered:
        lines.append("-# Nobody answered: " + ", ".join(unanswered))
    return section("How the team answered", clip_section(lines))


def clip_section(lines: list[str]) -> str:
    out: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > SECTION_MAX:
            out.append("\u2026")
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out)


def split_changes(result: TeamResult) -> str:
    if not result.splits:
        return ""
    if not result.split_changes:
        return section("Where the team split", "Settling any split on one of its tied answers keeps the pick.")
    return section("Splits that would change the pick", bullets([c.text for c in result.split_changes]))


def member_picks(result: TeamResult) -> str:
    lines = [f"\u2022 **{safe(p.name, 80)}** {p.count}: {safe(', '.join(p.members), 300)}"
             for p in result.member_picks]
    return section("Each member's own pick", clip_section(lines))


def team_buttons(result: TeamResult, team_id: str) -> list[ButtonSpec]:
    out = [ButtonSpec(ids.team(team_id, "export"), "Export decision record"),
           ButtonSpec(ids.team(team_id, "compare"), "Compare top 3")]
    for c in offered(result.recommendation, MAX_WHATIFS):
        try:
            out.append(ButtonSpec(ids.team_whatif(team_id, c.question, c.option), plain(c.whatif, LABEL_MAX)))
        except ids.CustomIdError:
            continue
    return out


def result(result: TeamResult, team: TeamDecision) -> Screen:
    """The team result the channel gets when the decision closes."""
    rec = result.recommendation
    n = len(result.members)
    head = (f"## {safe(rec.name, 100)} \u2014 the team's pick\n{pick(rec)}\n"
            f"-# {n} member{'s' if n != 1 else ''} answered; started by {who(team.starter, team.starter_name)}")
    if team.description:
        head += "\n" + quoted(team.description, 300)
    texts = [section("Why", bullets(rec.reasons)), how_answered(result), split_changes(result),
             member_picks(result), section("Think twice", bullets(rec.caveats)), section("Links", links(rec.links))]
    blocks: list[Block] = [Text(head), Divider(), *(Text(t) for t in texts if t), Divider()]
    buttons = team_buttons(result, team.id)
    blocks += action_rows(buttons[:2]) + action_rows(buttons[2:])
    return fit(Screen(tuple(blocks)))


def whatif(reply: WhatIfReply) -> Screen:
    """A team result's what-if, privately: nothing changes, so there is no way back to show."""
    blocks = whatif_blocks(reply, "the team's answers")
    blocks.append(Text("-# The team result is unchanged."))
    return fit(Screen(tuple(blocks)))

