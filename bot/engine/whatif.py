"""What-if: the result with one answer changed, computed by the engine's own rule and
never written back. The conversation's state is not touched, so "back to my answers"
is only showing that state again."""
from __future__ import annotations

from .conversation import view
from .errors import QuestionNotAsked, UnknownOption, UnknownQuestion
from .model import Knowledge
from .replies import Change, Recommendation, WhatIfReply
from .state import State


def changed(state: State, question: str, option: str) -> State:
    """`state` finished, with `question` answered `option` instead: the old answer (typed,
    taken from the free text or skipped) is dropped and the new one is the user's own."""
    keep = [i for i, (q, _) in enumerate(state.answers) if q != question]
    prefix = min(len(state.from_text), len(state.answers))
    answers = tuple(state.answers[i] for i in keep) + ((question, option),)
    from_text = tuple(state.from_text[i] for i in keep if i < prefix)
    return State(answers, from_text, pending=None, text=state.text)


def whatif(knowledge: Knowledge, state: State, question: str, option: str) -> WhatIfReply:
    """Both results side by side. Raises a typed error (and changes nothing) unless the
    conversation has a result and `option` is an answer to `question`."""
    q = knowledge.question(question)
    if q is None:
        raise UnknownQuestion(f"There is no question called {question[:40]!r}.")
    o = q.option(option)
    if o is None:
        choices = ", ".join(x.id for x in q.options)
        raise UnknownOption(f"{option[:40]!r} is not an answer to {question!r}. Choose one of: {choices}.")
    before = view(knowledge, state)
    if not isinstance(before, Recommendation):
        raise QuestionNotAsked("What-if needs a result first: answer the open question.")
    after = view(knowledge, changed(state, question, option))
    assert isinstance(after, Recommendation)  # a state with nothing pending always recommends
    return WhatIfReply(question, q.short, option, o.label, before, after)


def offered(result: Recommendation, limit: int) -> tuple[Change, ...]:
    """The what-ifs to offer as buttons when there is room for `limit`: one per question
    first (in the engine's order), so five "past success" variants do not crowd out a
    different factor; then the others in order."""
    seen: set[str] = set()
    first: list[Change] = []
    rest: list[Change] = []
    for change in result.changes:
        (rest if change.question in seen else first).append(change)
        seen.add(change.question)
    return tuple((first + rest)[:limit])
