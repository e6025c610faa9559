"""Replies as plain terminal text. Pure: reply in, string out."""
from __future__ import annotations

import textwrap
from collections.abc import Sequence

from bot.engine.changes import change_lines
from bot.engine.replies import (AboutReply, CompareReply, HelpReply, Prefill, QuestionReply, Recommendation, Reply,
                                WhatIfReply)
from bot.engine.suggest import heading

KEYS = "[s] not sure/skip  [d] decide now  [b] back  [r] restart  [q] quit"


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=" " * len(indent))


def render_text(reply: Reply) -> str:
    if isinstance(reply, QuestionReply):
        lines = _took(reply.prefilled)
        lines.append(_wrap(f"Question {reply.asked}. {reply.text}"))
        if reply.help:
            lines.append(_wrap(reply.help, "    "))
        lines += [f"  {n}) {o.label}" for n, o in enumerate(reply.options, 1)]
        lines.append("  " + KEYS)
        return "\n".join(lines)
    if isinstance(reply, Recommendation):
        # a description can settle the pick before any question: say what it was read as here too
        lines = _took(reply.prefilled) + recommendation_lines(reply)
        lines.append("")
        lines += [f"  [w{n}] {c.whatif}" for n, c in enumerate(reply.changes, 1)]
        more = "[m] more questions  " if reply.can_refine else ""
        lines.append(f"  [e] export decision record  [c] compare top 3  {more}[b] back  [r] restart  [q] quit")
        return "\n".join(lines)
    return _info_text(reply)


def _took(prefilled: Sequence[Prefill]) -> list[str]:
    if not prefilled:
        return []
    took = "; ".join(f"{p.question_short}: {p.option_label} (from \u201c{p.keyword}\u201d)" for p in prefilled)
    return [_wrap(f"From your description I took: {took}. Use [b] back to change these."), ""]


def recommendation_lines(reply: Recommendation) -> list[str]:
    """A recommendation without the keys of the interactive console (shared with `team`)."""
    lines = [f"Recommendation: {reply.name}  "
             f"({reply.questions_asked} question{'s' if reply.questions_asked != 1 else ''} asked)",
             _wrap(f"Confidence: {reply.confidence_said}")]
    if reply.runner_up_name:
        lines.append(f"Runner-up: {reply.runner_up_name}")
    if reply.margin_text:
        lines.append(_wrap(f"Margin: {reply.margin_text}"))
    if reply.open_said:
        lines.append(_wrap(f"Not settled: {reply.open_said}"))
    for title, items in (("Why", reply.reasons), ("Think twice", reply.caveats),
                         ("What would change the answer", change_lines(reply))):
        if items:
            lines.append(f"\n{title}:")
            lines += [_wrap(item, "  - ") for item in items]
    if reply.links:
        lines.append("\nLinks:")
        lines += [f"  - {link.title}: {link.url}" for link in reply.links]
    if reply.also_consider:
        lines.append(f"\n{heading(reply.also_consider)}:")
        for s in reply.also_consider:
            lines.append(_wrap(f"{s.name}: {s.reason}", "  - "))
            if s.fact:
                lines.append(_wrap(f"Fact: {s.fact}", "    "))
            lines += [f"    {link.title}: {link.url}" for link in s.links]
    return lines


def _info_text(reply: Reply) -> str:
    if isinstance(reply, AboutReply):
        f = reply.framework
        lines = [f"{f.name}: {f.summary}"]
        if f.description:
            lines.append(_wrap(f.description))
        if not f.in_article:
            lines.append(_wrap(f.note))
            for label, group in f.facts:
                if len(group) == 1:
                    lines.append(_wrap(f"{label}: {group[0].shown} [{group[0].source.title}]", "  "))
                    continue
                lines.append(f"  {label}:")
                lines += [_wrap(f"{fact.shown} [{fact.source.title}]", "    - ") for fact in group]
        else:
            lines.append(f"First release: {f.first_release or 'unknown'}. Spectrum: {f.spectrum}. "
                         f"Backing: {f.backing}.")
            if f.built_in:
                lines.append("Built in: " + ", ".join(f.built_in))
            for title, items in (("Consider it if", f.consider), ("Think twice if", f.think_twice)):
                lines.append(f"{title}:")
                lines += [_wrap(i, "  - ") for i in items]
        lines += ["Links:"] + [f"  - {link.title}: {link.url}" for link in f.links]
        if not f.in_article:
            lines += ["Sources:"] + [f"  - {link.title}: {link.url}" for link in f.sources]
        return "\n".join(lines)
    if isinstance(reply, CompareReply):
        return compare_table(reply)
    if isinstance(reply, WhatIfReply):
        return whatif_text(reply)
    if isinstance(reply, HelpReply):
        lines = ["Commands:"] + [f"  {(command + ' ' + args).strip():36} {what}"
                                 for command, args, what in reply.commands]
        lines.append(_wrap("Frameworks: " + reply.listing))
        return "\n".join(lines)
    raise TypeError(f"cannot render {type(reply).__name__}")


WIDTH = 100
LABEL_WIDTH = 24
GAP = " \u2502 "


def compare_table(reply: CompareReply, width: int = WIDTH) -> str:
    """An aligned factor x framework table; wrapped cells, the user's answers under their
    factor (marked with \u25b6), the pick's column marked."""
    n = len(reply.names)
    col = max(12, (width - LABEL_WIDTH - len(GAP) * n) // n)
    heads = [f"{name} (pick)" if fid == reply.pick else name
             for fid, name in zip(reply.frameworks, reply.names, strict=True)]
    out = [_row(["Factor", *heads], col), "\u2500" * (LABEL_WIDTH + (len(GAP) + col) * n)]
    if reply.note:
        out.insert(0, textwrap.fill(reply.note, width))
    for row in reply.rows:
        label = f"\u25b6 {row.label}" if row.answer else row.label
        if row.answer:
            label += f" (you: {row.answer})"
        out.append(_row([label, *row.values], col))
    return "\n".join(out)


def _row(cells: list[str], col: int) -> str:
    wrapped = [textwrap.wrap(cells[0], LABEL_WIDTH) or [""]] + [textwrap.wrap(c, col) or [""] for c in cells[1:]]
    height = max(len(w) for w in wrapped)
    lines = []
    for i in range(height):
        parts = [(wrapped[0][i] if i < len(wrapped[0]) else "").ljust(LABEL_WIDTH)]
        parts += [(w[i] if i < len(w) else "").ljust(col) for w in wrapped[1:]]
        lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)


def whatif_text(reply: WhatIfReply) -> str:
    before, after = reply.before, reply.after
    same = after.framework == before.framework
    lines = [reply.title,
             f"  Your answers: {before.name}.  With this change: {after.name}"
             + (" (no change)." if same else ".")]
    if after.reasons:
        lines.append(f"\nWhy {after.name}:")
        lines += [_wrap(r, "  - ") for r in after.reasons]
    lines.append("\n  [a] back to my answers  [q] quit")
    return "\n".join(lines)
