"""Drive the pure engine like a person would: answer what is asked from a profile."""
from __future__ import annotations

from dataclasses import replace

from bot import engine
from bot.engine.model import Knowledge
from bot.engine.replies import Change, QuestionReply, Recommendation


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
def complete_profiles(knowledge: Knowledge) -> list[dict[str, str]]:
    """Every complete profile: one option per question (32,256 for the shipped questions)."""
    import itertools

    ids = [q.id for q in knowledge.questions]
    options = [[o.id for o in q.options] for q in knowledge.questions]
    return [dict(zip(ids, combo, strict=True)) for combo in itertools.product(*options)]


class Tree:
    """The engine's conversations as a tree: each distinct answer sequence is stepped once,
    so walking thousands of profiles that share their first answers stays fast."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.nodes: dict[tuple, tuple] = {}

    def _node(self, key: tuple, parent: tuple | None, option: str | None) -> tuple:
        if key not in self.nodes:
            if parent is None:
                self.nodes[key] = engine.step(self.knowledge, None, engine.Start())
            else:
                state, reply = self.nodes[parent]
                event = engine.Answer(reply.question_id, option) if option else engine.Skip()
                self.nodes[key] = engine.step(self.knowledge, state, event)
        return self.nodes[key]

    def walk(self, profile: dict[str, str | None]) -> tuple[Recommendation, list[QuestionReply]]:
        """Answer as `profile` says (None or missing: "not sure"); the recommendation and the
        question replies on the way."""
        key: tuple = ()
        state, reply = self._node(key, None, None)
        asked: list[QuestionReply] = []
        while isinstance(reply, QuestionReply):
            asked.append(reply)
            assert len(asked) <= len(self.knowledge.questions), "the engine asked a question twice"
            option = profile.get(reply.question_id)
            parent, key = key, key + ((reply.question_id, option),)
            state, reply = self._node(key, parent, option)
        assert isinstance(reply, Recommendation)
        return reply, asked


def oversized(knowledge: Knowledge, name_length: int) -> Knowledge:
    """Knowledge pushing a platform's limits: long framework names, 5,000-character cells."""
    long = "W" * 60 + " " + "x" * 5000
    frameworks = tuple(replace(f, name="N" * name_length + f.id, dimensions=tuple((d, long) for d, _ in
                                                                                   knowledge.dimensions))
                       for f in knowledge.frameworks)
    return replace(knowledge, frameworks=frameworks)


def long_changes(knowledge: Knowledge, rec: Recommendation) -> Recommendation:
    """`rec` with five what-ifs whose question and answer names are far too long for a button."""
    return replace(rec, changes=tuple(Change(q.id, "S" * 200, q.options[0].id, "L" * 300, rec.framework, rec.name, "t")
                                      for q in knowledge.questions[:5]))
