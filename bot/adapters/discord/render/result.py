"""The recommendation as Components V2.

Two extension points, so later work adds to the layout without reshaping it:
- `SECTIONS`: the result's text sections in order, each a function of the Recommendation
  returning markdown or "" (skipped). Add a section by adding a function here.
- `actions()`: every button under the result, in order; `action_rows()` packs them into
  rows of five. Add a button there.
"""
from __future__ import annotations

from collections.abc import Callable

from bot.engine.changes import change_parts
from bot.engine.replies import Recommendation, Suggestion, WhatIfReply
from bot.engine.suggest import heading as suggestions_heading
from bot.engine.whatif import offered
from bot.service.outcome import shared_note

from .. import ids
from .context import Ctx
from .screen import BUTTONS_PER_ROW, Block, ButtonSpec, Divider, Row, Screen, Text, fit
from .text import (
    LABEL_MAX, NOTE_MAX, SECTION_MAX, bullets, link, links, plain, prefilled_text, safe, section, with_channel_links,
)


MEMBER_NOTE = ("Your answers count for the team decision. Until it closes you can change them: press Back, "
               "or Answer on the team card again. Your last answers count.")


def heading(reply: Recommendation) -> str:
    if not reply.settled:
        return f"## {safe(reply.name, 100)} \u2014 not yet settled"
    return f"## {safe(reply.name, 100)} \u2014 recommended for your project"


def pick(reply: Recommendation) -> str:
    asked = f"{reply.questions_asked} question{'s' if reply.questions_asked != 1 else ''} asked"
    facts = [asked]
    if reply.runner_up_name:
        facts.insert(0, f"**Runner-up:** {safe(reply.runner_up_name, 100)}")
    lines = [safe(reply.summary, 600)] if reply.summary else []
    lines += [" \u00b7 ".join(facts), f"**Confidence:** {safe(reply.confidence_said, 300)}"]
    if reply.margin_text:
        lines.append(f"**Margin:** {safe(reply.margin_text, 300)}")
    return "\n".join(lines)


def unsettled(reply: Recommendation, ctx: Ctx) -> str:
    """After "decide now": say it is provisional and which questions could still change it."""
    if reply.settled:
        return ""
    names = [ctx.questions.get(q, q) for q in reply.open_questions]
    text = "You decided before every question that matters was answered, so this could still change."
    if names:
        text += " Still open: " + ", ".join(safe(n, 80) for n in names[:12]) + "."
    if reply.open_said:
        text += " " + safe(reply.open_said, 600)
    if reply.can_refine:
        text += " Press **More questions** to answer them."
    return section("Not yet settled", text)


def suggestion(s: Suggestion) -> str:
    line = f"\u2022 **{safe(s.name, 80)}**: {safe(s.reason, 300)}"
    if s.fact:
        line += f" ({safe(s.fact, 300)})"
    if s.links:
        line += " " + " \u00b7 ".join(link(x.title, x.url) for x in s.links[:3])
    return line


def also_consider(reply: Recommendation) -> str:
    """Under the result: frameworks outside the article, titled so (with the sheet's month)."""
    return section(suggestions_heading(reply.also_consider), "\n".join(suggestion(s) for s in reply.also_consider[:5]))


def prefilled(reply: Recommendation) -> str:
    return "-# " + safe("From your description: " + prefilled_text(reply.prefilled), 700) if reply.prefilled else ""


def changes(reply: Recommendation) -> str:
    """The changes, clipped to one section, always keeping the grouped sentences (last)."""
    singles, grouped = change_parts(reply)
    last = bullets(grouped)
    first = bullets(singles, SECTION_MAX - len(last) - 1) if singles else ""
    return "\n".join(part for part in (first, last) if part)


Section = Callable[[Recommendation], str]

SECTIONS: tuple[Section, ...] = (
    lambda r: section("Why", bullets(r.reasons)),
    lambda r: section("Think twice", bullets(r.caveats)),
    lambda r: section("What would change it", changes(r)),
    also_consider,
    lambda r: section("Links", links(r.links)),
    prefilled,
)


def actions(reply: Recommendation, ctx: Ctx) -> list[ButtonSpec]:
    """The buttons under a private result, in order."""
    s, v = ctx.session, ctx.version
    out: list[ButtonSpec] = []
    if not ctx.shared and not ctx.team:  # a member's result counts for the team: nothing to share or ask
        out.append(ButtonSpec(ids.share(s, v), "Share in channel", "success"))
    if reply.can_refine:
        out.append(ButtonSpec(ids.nav(s, v, "more"), "More questions", "primary"))
    if not ctx.team:
        out.append(ButtonSpec(ids.askteam(s, v), "Ask my team"))
    out += [ButtonSpec(ids.export(s, v), "Export decision record"), ButtonSpec(ids.compare(s, v), "Compare top 3")]
    out += [ButtonSpec(ids.nav(s, v, "back"), "Back"), ButtonSpec(ids.nav(s, v, "restart"), "Restart", "danger")]
    return out


MAX_WHATIFS = 5  # one row of what-if buttons


def whatif_buttons(reply: Recommendation, ctx: Ctx) -> list[ButtonSpec]:
    """One per answer that would change the pick: "What if: Yes, it is critical (performance)?".
    One whose custom_id would not fit in 100 characters (very long ids) is left out."""
    out = []
    for c in offered(reply, MAX_WHATIFS):
        try:
            custom_id = ids.whatif(ctx.session, ctx.version, c.question, c.option)
            out.append(ButtonSpec(custom_id, plain(c.whatif, LABEL_MAX)))
        except ids.CustomIdError:
            continue
    return out


def action_rows(buttons: list[ButtonSpec]) -> list[Row]:
    return [Row(tuple(buttons[i:i + BUTTONS_PER_ROW])) for i in range(0, len(buttons), BUTTONS_PER_ROW)]


def body(reply: Recommendation, ctx: Ctx | None) -> list[Text | Divider]:
    """The result's text: heading, pick, (not yet settled), then every section."""
    blocks: list[Text | Divider] = [Text(heading(reply) + "\n" + pick(reply))]
    if ctx is not None and ctx.shared:
        blocks.append(Text(f"-# {shared_note(ctx.shared)}" if ctx.shared.isdigit() else "-# Shared"))
    elif ctx is not None and ctx.not_shared:
        blocks.append(Text(f"-# Not shared: {safe(ctx.not_shared, NOTE_MAX)}"))
    if ctx is not None and ctx.team:
        note = with_channel_links(safe(ctx.team_note, NOTE_MAX)) if ctx.team_note else MEMBER_NOTE
        blocks.append(Text(f"-# {note}"))
    note = unsettled(reply, ctx or Ctx("", 0))
    if note:
        blocks.append(Text(note))
    blocks.append(Divider())
    blocks += [Text(t) for t in (make(reply) for make in SECTIONS) if t]
    return blocks


def recommendation(reply: Recommendation, ctx: Ctx) -> Screen:
    """The private result with its buttons (or the restart question in their place)."""
    from .question import restart_confirmation  # question does not import this module

    blocks: list[Block] = [*body(reply, ctx)]
    blocks.append(Divider())
    if ctx.confirm_restart:
        blocks += restart_confirmation(reply.questions_asked + len(reply.prefilled), ctx)
    else:
        blocks += action_rows(actions(reply, ctx))
        if reply.changes:
            blocks += action_rows(whatif_buttons(reply, ctx))
    return fit(Screen(tuple(blocks)))


def whatif_blocks(reply: WhatIfReply, whose: str = "your answers") -> list[Text | Divider | Row]:
    """The changed result next to the real one (`whose`: whose answers the real one rests on)."""
    before, after = reply.before, reply.after
    verdict = "the same pick" if after.framework == before.framework else f"**{safe(after.name, 100)}** instead"
    blocks: list[Block] = [
        Text(f"## {safe(reply.title, 300)}\nWith this one answer changed: {verdict}."),
        Text(f"**With {whose}:** {safe(before.name, 100)} ({safe(before.confidence, 20)})\n"
             f"**With this change:** {safe(after.name, 100)} ({safe(after.confidence, 20)})"),
        Divider(),
    ]
    why = section(f"Why {after.name}", bullets(after.reasons))
    if why:
        blocks.append(Text(why))
    return blocks


def whatif(reply: WhatIfReply, ctx: Ctx) -> Screen:
    """The changed result next to the real one, and the way back (nav:cancel shows the step
    again). The buttons carry the result's version: nothing was saved."""
    blocks = whatif_blocks(reply)
    blocks += [Text("-# Your conversation is unchanged: go back to it at any time."), Divider(),
               Row((ButtonSpec(ids.nav(ctx.session, ctx.version, "cancel"), "Back to my answers", "primary"),))]
    return fit(Screen(tuple(blocks)))


def export_note(filename: str) -> str:
    return f"Your decision record, ready to commit: `{safe(filename, 120)}` (MADR 4.0)."


def shared(reply: Recommendation, by: str = "") -> Screen:
    """The public copy the Share button posts: the same result, no buttons. `by` is the
    sharer's user id (a mention that never pings: every message goes out with no mentions)."""
    lead = f"-# Shared by <@{by}> from /framework" if by.isdigit() else "-# A /framework recommendation"
    return fit(Screen((Text(lead), *body(reply, None))))
