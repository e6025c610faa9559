"""Drive the pure engine like a person would: answer what is asked from a profile."""
from __future__ import annotations

from bot import engine
from bot.engine.model import Knowledge
from bot.engine.replies import QuestionReply, Recommendation


def converse(knowledge: Knowledge, profile: dict[str, str], text: str = "") -> tuple[Recommendation, list[str]]:
    """Answer each question from `profile`, skipping ("not sure") questions it lacks.
    Returns the recommendation and the ids of the questions asked, in order."""
    state, reply = engine.step(knowledge, None, engine.Start(text))
    asked: list[str] = []
    while isinstance(reply, QuestionReply):
        asked.append(reply.question_id)
        assert len(asked) <= len(knowledge.questions), "the engine asked a question twice"
        option = profile.get(reply.question_id)
        event = engine.Answer(reply.question_id, option) if option else engine.Skip()
        state, reply = engine.step(knowledge, state, event)
    assert isinstance(reply, Recommendation)
    return reply, asked
