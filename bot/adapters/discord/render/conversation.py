"""The private conversation: a question (buttons or a select, plus navigation), the
recommendation embed with its buttons, and the public copy the Share button posts."""
from __future__ import annotations

import discord

from bot.engine.replies import QuestionReply, Recommendation, Reply

from .. import ids
from .info import info
from .screen import BUTTONS_PER_ROW, ButtonSpec, Component, Screen, SelectOptionSpec, SelectSpec
from .text import (
    COLOUR, CONTENT_MAX, DESCRIPTION_MAX, FIELD_VALUE_MAX, FOOTER_MAX, LABEL_MAX, OPTION_MAX, PLACEHOLDER_MAX,
    TITLE_MAX, add_field, bullets, clip, fit, links, plain, prefilled_text, safe,
)


def question(reply: QuestionReply, session: str, version: int) -> Screen:
    parts: list[str] = []
    if reply.prefilled:
        parts.append(safe("From your description I took: " + prefilled_text(reply.prefilled)
                          + ". Use Back to change these.", 700))
    heading = f"Question {reply.asked}" + (" (refining)" if reply.refining else "")
    parts.append(f"**{heading}**")
    parts.append(f"**{safe(reply.text, 600)}**")
    if reply.help:
        parts.append("-# " + safe(" ".join(reply.help.split()), 600))
    content = clip("\n".join(parts), CONTENT_MAX)

    components: list[Component] = []
    if len(reply.options) > BUTTONS_PER_ROW:
        components.append(SelectSpec(
            custom_id=ids.select(session, version, reply.question_id),
            placeholder=plain("Choose an answer\u2026", PLACEHOLDER_MAX),
            options=tuple(SelectOptionSpec(plain(o.label, OPTION_MAX), o.id) for o in reply.options[:25]),
            row=0,
        ))
    else:
        for option in reply.options:
            components.append(ButtonSpec(ids.answer(session, version, reply.question_id, option.id),
                                         plain(option.label, LABEL_MAX), "primary", 0))
    components += [
        ButtonSpec(ids.nav(session, version, "skip"), "Not sure / skip", "secondary", 1),
        ButtonSpec(ids.nav(session, version, "back"), "Back", "secondary", 1, disabled=not reply.can_back),
        ButtonSpec(ids.nav(session, version, "restart"), "Restart", "danger", 1),
    ]
    return Screen(content=content, components=tuple(components))


def recommendation_embed(reply: Recommendation) -> discord.Embed:
    asked = f"{reply.questions_asked} question{'s' if reply.questions_asked != 1 else ''} asked"
    description = safe(reply.summary, 1500) if reply.summary else ""
    embed = discord.Embed(
        title=clip(f"{plain(reply.name, 100)} \u2014 recommended for your project", TITLE_MAX),
        description=clip(description, DESCRIPTION_MAX) or None,
        colour=COLOUR,
    )
    if reply.runner_up_name:
        add_field(embed, "Runner-up", safe(reply.runner_up_name, 200), inline=True)
    add_field(embed, "Confidence", safe(f"{reply.confidence} ({asked})", 200), inline=True)
    ranking = ", ".join(f"{r.name} {r.score:.0%}" for r in reply.ranking if not r.vetoed)
    add_field(embed, "Ranking", safe(ranking, FIELD_VALUE_MAX))
    add_field(embed, "Why", bullets(reply.reasons))
    add_field(embed, "Caveats", bullets(reply.caveats))
    add_field(embed, "What would change the answer", bullets(reply.flips))
    add_field(embed, "Links", links(reply.links))
    if reply.prefilled:
        embed.set_footer(text=plain("From your description: " + prefilled_text(reply.prefilled), FOOTER_MAX))
    return fit(embed)


def recommendation(reply: Recommendation, session: str, version: int) -> Screen:
    components: list[Component] = [ButtonSpec(ids.share(session, version), "Share in channel", "success", 0)]
    if reply.can_refine:
        components.append(ButtonSpec(ids.nav(session, version, "more"), "More questions", "primary", 0))
    components += [
        ButtonSpec(ids.nav(session, version, "back"), "Back", "secondary", 0),
        ButtonSpec(ids.nav(session, version, "restart"), "Restart", "danger", 0),
    ]
    return Screen(embed=recommendation_embed(reply), components=tuple(components))


def conversation(reply: Reply, session: str, version: int) -> Screen:
    """The private conversation message for a step: a question or the recommendation."""
    if isinstance(reply, QuestionReply):
        return question(reply, session, version)
    if isinstance(reply, Recommendation):
        return recommendation(reply, session, version)
    return info(reply)


def shared(reply: Recommendation) -> Screen:
    """The public message the Share button posts: the recommendation, no components."""
    return Screen(content="A /framework recommendation:", embed=recommendation_embed(reply))
