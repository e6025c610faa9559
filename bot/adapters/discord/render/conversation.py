"""The private conversation message for a step: a question or the recommendation."""
from __future__ import annotations

from bot.engine.replies import QuestionReply, Recommendation, Reply

from .context import Ctx
from .info import info
from .question import question
from .result import recommendation
from .screen import Screen


def conversation(reply: Reply, ctx: Ctx) -> Screen:
    if isinstance(reply, QuestionReply):
        return question(reply, ctx)
    if isinstance(reply, Recommendation):
        return recommendation(reply, ctx)
    return info(reply)
