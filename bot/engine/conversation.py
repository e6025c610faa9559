"""The conversation as a pure function: (knowledge, state, event) -> (new state, reply)."""
from __future__ import annotations

from dataclasses import replace

from .asking import plan
from .errors import NoMoreQuestions, NotStarted, NothingToUndo, QuestionNotAsked, UnknownOption, UnknownQuestion
from .events import Answer, Back, Decide, Event, More, Restart, Skip, Start
from .model import Knowledge
from .recommend import build_recommendation, prefills
from .replies import QuestionReply, Reply
from .settle import Analysis
from .state import State
from .textmatch import description, extract
from .verdicts import Tables, tables, values_of

Answers = tuple[tuple[str, str | None], ...]


def step(knowledge: Knowledge, state: State | None, event: Event) -> tuple[State, Reply]:
    # Whether every question is offered is fixed at Start; Restart keeps it.
    every = event.every if isinstance(event, Start) else state is not None and state.every
    new, reply = _step(knowledge, state, event, every)
    # The start text rides along unchanged (Restart clears it), for the decision record.
    match event:
        case Start(text=text):
            kept = description(text)
        case Restart():
            kept = ""
        case _:
            kept = state.text if state is not None else ""
    if new.text != kept or new.every != every:
        new = replace(new, text=kept, every=every)
    return new, reply


def _step(knowledge: Knowledge, state: State | None, event: Event, every: bool) -> tuple[State, Reply]:
    now = None  # the analysis of the new state's answers, when it is at hand
    match event:
        case Start(text=text):
            found = extract(knowledge, text)
            new, now = _ask(knowledge, State(tuple((q, o) for q, o, _ in found), tuple((q, k) for q, _, k in found)),
                            every)
        case Restart():
            new, now = _ask(knowledge, State(), every)
        case _ if state is None:
            raise NotStarted("There is no conversation yet.")
        case Answer():
            new, now = _ask(knowledge, _answer(knowledge, state, event), every)
        case Skip(question=question):
            if state.pending is None or (question is not None and question != state.pending):
                raise QuestionNotAsked("There is no open question to skip.")
            new, now = _ask(knowledge, State(state.answers + ((state.pending, None),), state.from_text), every)
        case Back():
            if not state.answers:
                raise NothingToUndo("This is the first question: there is nothing to go back to.")
            (question, option), answers = state.answers[-1], state.answers[:-1]
            new = State(answers, state.from_text[: len(answers)], pending=question, previous=option)
        case More():
            if state.pending is not None:
                raise QuestionNotAsked("Answer the open question first.")
            question = next_question(knowledge, state.answers, refine=True)
            if question is None:
                raise NoMoreQuestions("Every question has been asked already.")
            new = State(state.answers, state.from_text, pending=question, refining=True)
        case Decide():
            new = State(state.answers, state.from_text, refining=state.refining)
        case _:
            raise QuestionNotAsked(f"Unknown action {type(event).__name__}.")
    if every:
        new = replace(new, every=True)
    return new, view(knowledge, new, now)


def _answer(knowledge: Knowledge, state: State, event: Answer) -> State:
    question = knowledge.question(event.question)
    if question is None:
        raise UnknownQuestion(f"There is no question called {event.question[:40]!r}.")
    if state.pending != event.question:
        raise QuestionNotAsked(f"The question {event.question[:40]!r} is not the one being asked now.")
    if question.option(event.option) is None:
        choices = ", ".join(o.id for o in question.options)
        raise UnknownOption(f"{event.option[:40]!r} is not an answer to {question.id!r}. Choose one of: {choices}.")
    return State(state.answers + ((event.question, event.option),), state.from_text)


def _ask(knowledge: Knowledge, state: State, every: bool = False) -> tuple[State, Analysis]:
    """`state` with the next question pending (none once settled), and its analysis.
    `every`: once settled, go on with the unasked questions until none is left."""
    t = tables(knowledge)
    open_qs, now, chosen = _analysis(knowledge, state.answers)
    if chosen is None and every and open_qs:
        chosen = _more(t, open_qs, now)
    return State(state.answers, state.from_text, pending=None if chosen is None else t.qids[chosen]), now


def _more(t: Tables, open_qs: list[int], now: Analysis) -> int:
    """An unasked question when none can change the pick: what bears on the pick's own points first."""
    return next((qi for qi in open_qs if now.leader in t.touches[qi]), open_qs[0])


def _analysis(knowledge: Knowledge, answers: Answers) -> tuple[list[int], Analysis, int | None]:
    """Open questions, the analysis of these answers and the question to ask next."""
    t = tables(knowledge)
    seen = {q for q, _ in answers}
    vals = values_of(t, {q: o for q, o in answers if o is not None})
    open_qs = [i for i, q in enumerate(t.qids) if q not in seen]
    now, chosen = plan(knowledge, t, vals, open_qs)
    return open_qs, now, chosen


def next_question(knowledge: Knowledge, answers: Answers, refine: bool = False) -> str | None:
    """The next question to ask: one that can still change the pick; None once it is settled.
    With `refine` (the user asked for more), an unasked question even if it cannot."""
    t = tables(knowledge)
    open_qs, now, chosen = _analysis(knowledge, answers)
    if chosen is None and refine and open_qs:
        chosen = _more(t, open_qs, now)
    return t.qids[chosen] if chosen is not None else None


def view(knowledge: Knowledge, state: State, now: Analysis | None = None) -> Reply:
    """The reply for a state as it stands: the pending question or the recommendation.
    `now`: the analysis of its answers, when the caller has it."""
    if now is None:
        now = _analysis(knowledge, state.answers)[1]
    if state.pending is None:
        return build_recommendation(knowledge, state, now)
    question = knowledge.question(state.pending)
    if question is None:  # knowledge reloaded without this question: carry on without it
        return view(knowledge, *_ask(knowledge, State(state.answers, state.from_text), state.every))
    t = tables(knowledge)
    pending = t.index(question.id)
    if state.every:  # every unasked question is still to come
        remaining = sum(1 for q in t.qids if q != question.id and q not in state.seen())
    else:
        remaining = sum(1 for qi in now.relevant if qi != pending)
    return QuestionReply(
        question_id=question.id,
        text=question.text,
        help=question.help,
        options=question.options,
        asked=state.user_answers() + 1,
        prefilled=prefills(knowledge, state),
        can_back=bool(state.answers),
        refining=state.refining,
        remaining_at_most=remaining,
        previous=state.previous if question.option(state.previous or "") else None,
    )
