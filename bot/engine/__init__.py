"""The pure conversation engine. No I/O, no platform imports: (knowledge, state, event) -> (state, reply)."""
from .conversation import next_question, step, view
from .errors import EngineError
from .events import Answer, Back, Decide, Event, More, Restart, Skip, Start
from .info import about, compare, compare_top, help_reply
from .recommend import recommend
from .verdicts import winner
from .state import State
from .whatif import whatif

__all__ = [
    "Answer", "Back", "Decide", "EngineError", "Event", "More", "Restart", "Skip", "Start", "State",
    "about", "compare", "compare_top", "help_reply", "next_question", "recommend", "step", "view", "whatif", "winner",
]
