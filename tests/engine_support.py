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


def random_finished(knowledge: Knowledge, rng, text: str = "") -> tuple[engine.State, Recommendation]:  # noqa: ANN001
    """A finished conversation driven by `rng` (random.Random): random answers, some
    "not sure", some Back, a description made of random keywords unless `text` is given."""
    if not text and rng.random() < 0.5:
        words = [k for q in knowledge.questions for o in q.options for k in o.keywords]
        text = " ".join(rng.sample(words, k=min(len(words), rng.randint(1, 4))))
    state, reply = engine.step(knowledge, None, engine.Start(text))
    for _ in range(200):
        if isinstance(reply, Recommendation):
            if rng.random() < 0.2 and reply.can_refine:
                state, reply = engine.step(knowledge, state, engine.More())
                continue
            return state, reply
        roll = rng.random()
        if roll < 0.15:
            event = engine.Skip()
        elif roll < 0.22 and reply.can_back:
            event = engine.Back()
        else:
            event = engine.Answer(reply.question_id, rng.choice(reply.options).id)
        state, reply = engine.step(knowledge, state, event)
    raise AssertionError("the conversation did not finish")
