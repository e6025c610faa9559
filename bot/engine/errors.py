"""Typed errors for illegal events. The state is never changed when one is raised."""
from __future__ import annotations


class EngineError(Exception):
    """Base class; `str(error)` is a short message that is safe to show a user."""

    code = "invalid"


class NotStarted(EngineError):
    code = "not_started"


class UnknownQuestion(EngineError):
    code = "unknown_question"


class QuestionNotAsked(EngineError):
    code = "not_asked"


class UnknownOption(EngineError):
    code = "unknown_option"


class NothingToUndo(EngineError):
    code = "nothing_to_undo"


class NoMoreQuestions(EngineError):
    code = "no_more_questions"


class UnknownFramework(EngineError):
    code = "unknown_framework"
