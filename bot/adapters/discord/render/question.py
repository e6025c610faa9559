"""A question: progress, the question, its answers (buttons or a select, the earlier answer
marked after Back) and the navigation row (skip, back, decide now, restart)."""
from __future__ import annotations

from bot.engine.replies import QuestionReply

from .. import ids
from .context import Ctx
from .screen import (
    BUTTONS_PER_ROW, SELECT_OPTIONS_MAX, Block, ButtonSpec, Divider, Row, Screen, SelectOptionSpec, SelectSpec, Text,
    fit,
)
from .text import LABEL_MAX, OPTION_MAX, PLACEHOLDER_MAX, plain, prefilled_text, safe


def progress(reply: QuestionReply) -> str:
    """"Question N", N counting the questions asked in this conversation (not the answers
    taken from the description), and the engine's bound on what is left when it gives one."""
    out = f"Question {reply.asked}"
    if reply.remaining_at_most is not None:
        more = reply.remaining_at_most
        out += " \u00b7 last one" if more == 0 else f" \u00b7 at most {more} more"
    if reply.refining:
        out += " \u00b7 refining"
    return out


QUESTION_MAX = 600  # characters of the question itself; `knowledge check` warns beyond this
SELECT_MENUS_MAX = 10  # menus of 25 for one question: 250 answers, well inside 40 components
OPTIONS_SHOWN_MAX = SELECT_MENUS_MAX * SELECT_OPTIONS_MAX  # `knowledge check` warns beyond this


def answers(reply: QuestionReply, ctx: Ctx) -> list[Row]:
    """Buttons for up to 5 answers, a select for more; past 25 answers (one menu's limit)
    further menus of 25, "Choose an answer (26-50)...", so every answer can be chosen. After
    Back, the earlier answer is the select's default, or the one primary button."""
    chosen = reply.previous
    if len(reply.options) <= BUTTONS_PER_ROW:
        return [Row(tuple(
            ButtonSpec(ids.answer(ctx.session, ctx.version, reply.question_id, o.id), plain(o.label, LABEL_MAX),
                       "primary" if chosen is None or o.id == chosen else "secondary")
            for o in reply.options
        ))]
    options = reply.options[:OPTIONS_SHOWN_MAX]
    pages = [options[i:i + SELECT_OPTIONS_MAX] for i in range(0, len(options), SELECT_OPTIONS_MAX)]
    rows = []
    for n, page in enumerate(pages):
        first, last = n * SELECT_OPTIONS_MAX + 1, n * SELECT_OPTIONS_MAX + len(page)
        span = "" if len(pages) == 1 else f" ({first})" if first == last else f" ({first}\u2013{last})"
        rows.append(Row((SelectSpec(
            custom_id=ids.select(ctx.session, ctx.version, reply.question_id, n),
            placeholder=plain(f"Choose an answer{span}\u2026", PLACEHOLDER_MAX),
            options=tuple(SelectOptionSpec(plain(o.label, OPTION_MAX), o.id, default=o.id == chosen) for o in page),
        ),)))
    return rows


def answers_given(reply: QuestionReply) -> int:
    """How many answers a restart would discard: the questions before this one and the
    answers taken from the description."""
    return reply.asked - 1 + len(reply.prefilled)


def restart_confirmation(count: int, ctx: Ctx) -> list[Text | Row]:
    """The second step of Restart, in place of the navigation row."""
    what = f"your {count} answer{'s' if count != 1 else ''}" if count else "this conversation"
    return [
        Text(f"**Start over?** This discards {what}."),
        Row((ButtonSpec(ids.nav(ctx.session, ctx.version, "reset"), "Yes, start over", "danger"),
             ButtonSpec(ids.nav(ctx.session, ctx.version, "cancel"), "Keep going", "secondary"))),
    ]


def nav_row(reply: QuestionReply, ctx: Ctx) -> Row:
    def nav(action: str, label: str, style: str = "secondary", disabled: bool = False) -> ButtonSpec:
        return ButtonSpec(ids.nav(ctx.session, ctx.version, action), label, style, disabled)  # type: ignore[arg-type]

    return Row((
        nav("skip", "Not sure / skip"),
        nav("back", "Back", disabled=not reply.can_back),
        nav("decide", "Decide now"),
        nav("restart", "Restart", "danger"),
    ))


def question(reply: QuestionReply, ctx: Ctx) -> Screen:
    blocks: list[Block] = []
    if reply.prefilled:
        blocks.append(Text("-# " + safe("From your description I took: " + prefilled_text(reply.prefilled)
                                        + ". Use Back to change these.", 700)))
    body = f"-# {progress(reply)}\n### {safe(reply.text, QUESTION_MAX)}"
    if reply.help:
        body += "\n-# " + safe(" ".join(reply.help.split()), 600)
    blocks.append(Text(body))
    if reply.previous is not None:
        label = next((o.label for o in reply.options if o.id == reply.previous), None)
        if label is not None:
            blocks.append(Text(f"-# You answered **{safe(label, 100)}** before: choose it again to keep it."))
    blocks += answers(reply, ctx)
    blocks.append(Divider())
    if ctx.confirm_restart:
        blocks += restart_confirmation(answers_given(reply), ctx)
    else:
        blocks.append(nav_row(reply, ctx))
    return fit(Screen(tuple(blocks)))
