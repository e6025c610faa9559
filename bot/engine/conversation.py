"""The conversation as a pure function: (knowledge, state, event) -> (new state, reply)."""
from __future__ import annotations

from dataclasses import replace

from . import scoring
from .errors import NoMoreQuestions, NotStarted, NothingToUndo, QuestionNotAsked, UnknownOption, UnknownQuestion
from .events import Answer, Back, Event, More, Restart, Skip, Start
from .model import Knowledge
from .recommend import build_recommendation, prefills
from .replies import QuestionReply, Reply
from .state import State
from .textmatch import description, extract


def step(knowledge: Knowledge, state: State | None, event: Event) -> tuple[State, Reply]:
    new, reply = _step(knowledge, state, event)
    # The start text rides along unchanged (Restart clears it), for the decision record.
    text = (description(event.text) if isinstance(event, Start)
            else "" if isinstance(event, Restart) or state is None else state.text)
    return (new if new.text == text else replace(new, text=text)), reply


def _step(knowledge: Knowledge, state: State | None, event: Event) -> tuple[State, Reply]:
    if isinstance(event, Start):
        found = extract(knowledge, event.text)
        answers = tuple((q, o) for q, o, _ in found)
        new = State(answers=answers, from_text=tuple((q, k) for q, _, k in found))
    elif isinstance(event, Restart):
        new = State()
    elif state is None:
        raise NotStarted("There is no conversation yet. Start one with /framework.")
    elif isinstance(event, Answer):
        new = _answer(knowledge, state, event)
    elif isinstance(event, Skip):
        if state.pending is None or (event.question is not None and event.question != state.pending):
            raise QuestionNotAsked("There is no open question to skip.")
        new = State(state.answers + ((state.pending, None),), state.from_text)
    elif isinstance(event, Back):
        if not state.answers:
            raise NothingToUndo("This is the first question: there is nothing to go back to.")
        answers = state.answers[:-1]
        new = State(answers, state.from_text[: len(answers)], pending=state.answers[-1][0])
        return new, view(knowledge, new)
    elif isinstance(event, More):
        if state.pending is not None:
            raise QuestionNotAsked("Answer the open question first.")
        question = next_question(knowledge, state.answers, refine=True)
        if question is None:
            raise NoMoreQuestions("Every question has been asked already.")
        new = State(state.answers, state.from_text, pending=question, refining=True)
        return new, view(knowledge, new)
    else:
        raise QuestionNotAsked(f"Unknown action {type(event).__name__}.")
    new = State(new.answers, new.from_text, pending=next_question(knowledge, new.answers))
    return new, view(knowledge, new)


def _answer(knowledge: Knowledge, state: State, event: Answer) -> State:
    question = knowledge.question(event.question)
    if question is None:
        raise UnknownQuestion(f"There is no question called {event.question[:40]!r}.")
    if state.pending != event.question:
        raise QuestionNotAsked(f"The question {event.question!r} is not the one being asked now.")
    if question.option(event.option) is None:
        choices = ", ".join(o.id for o in question.options)
        raise UnknownOption(f"{event.option[:40]!r} is not an answer to {question.id!r}. Choose one of: {choices}.")
    return State(state.answers + ((event.question, event.option),), state.from_text)


MEMO_LIMIT = 50_000  # distinct answer sequences remembered per knowledge


def next_question(knowledge: Knowledge, answers: tuple[tuple[str, str | None], ...], refine: bool = False) -> str | None:
    """The unasked question that best separates the two leading frameworks, among those
    that could still change the pick; None when no single answer could change it.
    With `refine`, the best unasked question even if it cannot change the pick."""
    # A pure function of its arguments, and the same answer sequences recur across
    # conversations, so it is memoised per knowledge (a reload starts a fresh memo).
    memo: dict = knowledge.memo.setdefault("next", {})  # type: ignore[assignment]
    key = (answers, refine)
    if key not in memo:
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[key] = _next_question(knowledge, answers, refine)
    return memo[key]


def _next_question(knowledge: Knowledge, answers: tuple[tuple[str, str | None], ...], refine: bool) -> str | None:
    t = scoring.tables(knowledge)
    seen = {q for q, _ in answers}
    remaining = [q.id for q in knowledge.questions if q.id not in seen]
    if not remaining:
        return None
    scores, vetoes = scoring.totals(t, {q: o for q, o in answers if o is not None})
    leader = scoring.top(t, scores, vetoes)
    runner = _runner_up(t, scores, vetoes, leader)
    if refine:
        candidates = remaining
    else:
        need = scoring.gaps(t, scores, vetoes, leader)
        candidates = [q for q in remaining if scoring.could_change(t, scores, vetoes, leader, q, need)]
    if not candidates:
        return None
    # max() keeps the first of equals, so knowledge order breaks ties.
    return max(candidates, key=lambda q: t.spread[q].get((leader, runner), 0.0))


def _runner_up(t: scoring.Tables, scores: list[float], vetoes: list[int], leader: int) -> int:
    masked = list(vetoes)
    masked[leader] = 1
    second = scoring.top(t, scores, masked)
    return second if second != leader else (leader + 1) % len(scores)


def view(knowledge: Knowledge, state: State) -> Reply:
    """The reply for a state as it stands: the pending question or the recommendation."""
    if state.pending is None:
        return build_recommendation(knowledge, state)
    question = knowledge.question(state.pending)
    if question is None:  # knowledge reloaded without this question: carry on without it
        fixed = State(state.answers, state.from_text, pending=next_question(knowledge, state.answers))
        return view(knowledge, fixed)
    return QuestionReply(
        question_id=question.id,
        text=question.text,
        help=question.help,
        options=question.options,
        asked=state.user_answers() + 1,
        prefilled=prefills(knowledge, state),
        can_back=bool(state.answers),
        refining=state.refining,
    )
