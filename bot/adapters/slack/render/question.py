"""A question as Block Kit: progress, the prompt, its answers (buttons or a select; after Back
the earlier answer is marked) and navigation (skip, decide now, back, restart, which asks first)."""
from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock, Block, ButtonElement, ConfirmObject, Option, OptionGroup, SectionBlock, StaticSelectElement,
)

from bot.engine.replies import QuestionReply

from .. import ids
from .text import context, escape, md, plain, prefill_note

MAX_BUTTONS = 5  # more options than this: a static select
SELECT_OPTIONS_MAX = 100  # Slack: options of one static_select, or of one option group
OPTION_GROUPS_MAX = 100  # Slack: option groups of one static_select
OPTIONS_SHOWN_MAX = SELECT_OPTIONS_MAX * OPTION_GROUPS_MAX  # `knowledge check` warns beyond this


def nav_button(what: str, label: str, tok: str) -> ButtonElement:
    return ButtonElement(text=plain(label), action_id=ids.nav_id(what), value=tok)


# Slack shows this dialog before the click is sent at all: one click never discards answers.
RESTART_CONFIRM = ConfirmObject(
    title="Start over?",
    text="This discards your answers in this conversation.",
    confirm="Yes, start over",
    deny="Keep going",
    style="danger",
)


def restart_button(tok: str) -> ButtonElement:
    return ButtonElement(text=plain("Restart"), action_id=ids.nav_id("restart"), value=tok, confirm=RESTART_CONFIRM)


def progress(reply: QuestionReply) -> str:
    """"Question N" (questions asked in this conversation, not the answers taken from the
    description), and the engine's bound on what is left when it gives one."""
    out = f"Question {reply.asked}"
    if reply.remaining_at_most is not None:
        more = reply.remaining_at_most
        out += " · last one" if more == 0 else f" · at most {more} more"
    return out


def answers(reply: QuestionReply, tok: str) -> ActionsBlock:
    """After Back the earlier answer is the select's initial option, or the primary button."""
    elements: list[Any]
    if len(reply.options) <= MAX_BUTTONS:
        elements = [ButtonElement(text=plain(o.label), action_id=ids.answer_id(reply.question_id, o.id), value=tok,
                                  style="primary" if o.id == reply.previous else None)
                    for o in reply.options]
    else:
        # A select has no value of its own: its token lives in the block id (see ids).
        shown = reply.options[:OPTIONS_SHOWN_MAX]
        options = [Option(value=o.id, text=plain(o.label)) for o in shown]
        initial = next((opt for o, opt in zip(shown, options, strict=True) if o.id == reply.previous), None)
        groups = None
        if len(options) > SELECT_OPTIONS_MAX:  # past one select's 100: groups of 100, same menu
            groups = [OptionGroup(label=plain(f"Answers {i + 1}\u2013{i + len(options[i:i + SELECT_OPTIONS_MAX])}"),
                                  options=options[i:i + SELECT_OPTIONS_MAX])
                      for i in range(0, len(options), SELECT_OPTIONS_MAX)]
        elements = [StaticSelectElement(
            placeholder=plain("Choose an answer"),
            action_id=ids.answer_id(reply.question_id),
            options=None if groups else options,
            option_groups=groups,
            initial_option=initial,
        )]
    return ActionsBlock(elements=elements, block_id=ids.block_id("answers", tok))


MEMBER_INTRO = ("You are answering for the team decision: every question is offered, so the team sees where "
                "it agrees. *Not sure / skip* leaves one out; *Decide now* records what you have answered.")


def question(reply: QuestionReply, tok: str, member: bool = False) -> list[Block]:
    """`member`: a team member's conversation (its first question says what the answers are for)."""
    blocks: list[Block] = []
    if member and reply.asked == 1:
        blocks.append(context(MEMBER_INTRO))
    if reply.prefilled:
        blocks.append(prefill_note(reply.prefilled))
    lead = "One more question to refine it. " if reply.refining else ""
    blocks.append(context(escape(progress(reply))))
    blocks.append(SectionBlock(text=md(f"{lead}*{escape(reply.text)}*"),
                               block_id=f"question|{reply.question_id}"[:255]))
    if reply.help:
        blocks.append(context(escape(reply.help)))
    label = next((o.label for o in reply.options if o.id == reply.previous), None)
    if label is not None:
        blocks.append(context(f"You answered *{escape(label)}* before: choose it again to keep it."))
    blocks.append(answers(reply, tok))
    blocks.append(ActionsBlock(elements=[
        nav_button("skip", "Not sure / skip", tok),
        nav_button("decide", "Decide now", tok),
        nav_button("back", "Back", tok),
        restart_button(tok),
    ], block_id=ids.block_id("nav", tok)))
    return blocks
