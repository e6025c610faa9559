"""The application service every adapter calls: engine + session store + compare-and-set.

Adapters pass a Scope, the acting user, an engine event and, for clicks, the Ref the
button carried. They get an Outcome back and render it; they never touch the store.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot import engine
from bot.engine.errors import EngineError
from bot.engine.events import Event, Start
from bot.engine.model import Knowledge
from bot.engine.replies import Recommendation, Reply
from bot.engine.state import State
from bot.export import DecisionRecord, decision_record
from bot.observe import Observer
from bot.store.base import Scope, Session, SessionStore
from bot.store.codec import CodecError

log = logging.getLogger(__name__)

Status = Literal["ok", "stale", "replaced", "expired", "not_owner", "invalid", "nothing_to_share", "already_shared",
                 "sharing"]

MESSAGES: dict[str, str] = {
    "stale": "That button belongs to an earlier step of this conversation, which has already been answered.",
    "replaced": "This conversation was replaced by a newer one. Carry on there, or start again with /framework.",
    "expired": "This conversation has expired or was never started here. Start again with /framework.",
    "not_owner": "This conversation belongs to someone else. Start your own with /framework.",
    "no_result": "There is no recommendation yet: answer the questions first.",
    "nothing_to_share": "There is no recommendation to share yet. Answer the questions first.",
    "sharing": "This result is being shared right now. The result will say where once the post is up.",
}
# How long a signed request is remembered, to apply a replay of it at most once: Slack (and so
# Bolt) refuses timestamps older than 5 minutes, plus room for clock skew between replicas.
REPLAY_WINDOW = 600.0
# How long a share's claim holds before its post is confirmed (Advisor.confirm_share): a post that
# takes longer (or a poster that crashed) leaves the result unshared, to be shared again.
SHARE_CLAIM = 60.0


def shared_note(channel: str) -> str:
    """Said wherever a shared result is shown privately. `<#id>` is a channel reference on
    both Slack and Discord; `channel` is an id the platform gave us, never user text."""
    return f"Shared in <#{channel}>."


@dataclass(frozen=True)
class Ref:
    """What a button carries: which conversation, at which step."""

    session: str
    version: int


@dataclass(frozen=True)
class Outcome:
    status: Status
    reply: Reply | None = None
    session: str = ""
    version: int = 0
    message: str = ""  # for every status but "ok": short and safe to show
    resumed: bool = False
    state: State | None = None  # the conversation's state (current, act, whatif)
    record: DecisionRecord | None = None  # export only
    shared: str = ""  # where the current recommendation was shared ("" if not)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def ref(self) -> Ref:
        return Ref(self.session, self.version)


@dataclass(frozen=True)
class Recent:
    """One of a user's conversations, for an overview (the Slack App Home)."""

    scope: Scope
    ref: Ref
    updated: float  # unix time of its last step
    reply: Reply  # the pending question, or the recommendation


def new_session_id() -> str:
    return secrets.token_urlsafe(6)  # 8 characters; ids only need to be unique per scope


class Advisor:
    def __init__(
        self,
        knowledge: Callable[[], Knowledge],
        store: SessionStore,
        observer: Observer | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._knowledge = knowledge  # a callable, so a reload swaps knowledge under us
        self.store = store
        self.observer = observer or Observer()
        self._clock = clock

    @property
    def knowledge(self) -> Knowledge:
        return self._knowledge()

    def start(self, scope: Scope, user: str, text: str = "") -> Outcome:
        """Begin a new conversation at `scope`, replacing any earlier one there."""
        return self.act(scope, user, Start(text))

    def act(self, scope: Scope, user: str, event: Event, ref: Ref | None = None) -> Outcome:
        began = time.perf_counter()
        try:
            return self._act(scope, user, event, ref)
        finally:
            self.observer.step(time.perf_counter() - began)

    def _act(self, scope: Scope, user: str, event: Event, ref: Ref | None) -> Outcome:
        key = scope.key()
        for _ in range(3):  # only a Start can lose a race and retry
            current = self._load(key)
            problem = self._check(current, user, isinstance(event, Start), ref)
            if problem is not None:
                self.observer.error(problem.status)
                return problem
            state = None if isinstance(event, Start) else current.state  # type: ignore[union-attr]
            try:
                new_state, reply = engine.step(self.knowledge, state, event)
            except EngineError as exc:
                self.observer.error(exc.code)
                return Outcome("invalid", None, current.id if current else "", current.version if current else 0, str(exc))
            now = self._clock()
            if isinstance(event, Start) or current is None:
                session = Session(new_session_id(), 1, user, new_state, now, now)
            else:
                session = Session(current.id, current.version + 1, current.owner, new_state, current.created, now,
                                  current.recommended)
            if isinstance(reply, Recommendation):
                session = _with_recommendation(session, reply.framework)
            if self.store.save(key, session, current.version if current else None):
                self._observe(event, current, reply)
                return Outcome("ok", reply, session.id, session.version, state=new_state)
            if not isinstance(event, Start):
                self.observer.error("stale")
                return Outcome("stale", None, message=MESSAGES["stale"])
        self.observer.error("stale")
        return Outcome("stale", None, message=MESSAGES["stale"])

    def _load(self, key: str) -> Session | None:
        """The live session, treating one this release cannot read as expired: the user
        gets "start again" instead of an error, and the next start replaces it."""
        try:
            return self.store.load(key)
        except CodecError:
            log.warning("unreadable session at %s: discarded", key)
            self.observer.error("codec")
            self.store.delete(key)
            return None

    def _check(self, current: Session | None, user: str, starting: bool, ref: Ref | None) -> Outcome | None:
        if starting:
            return None
        if current is None:
            return Outcome("expired", message=MESSAGES["expired"])
        if current.owner and user and current.owner != user:
            return Outcome("not_owner", message=MESSAGES["not_owner"])
        if ref is not None and ref.session != current.id:
            return Outcome("replaced", None, current.id, current.version, MESSAGES["replaced"])
        if ref is not None and ref.version != current.version:
            return Outcome("stale", None, current.id, current.version, MESSAGES["stale"])
        return None

    def current(self, scope: Scope, user: str, ref: Ref | None = None, session_only: bool = False) -> Outcome:
        """Show the pending reply again without changing anything (resume, share).
        `session_only`: check the session id but accept any version (the share button)."""
        current = self._load(scope.key())
        check_ref = ref
        if ref is not None and session_only and current is not None and ref.session == current.id:
            check_ref = None
        problem = self._check(current, user, False, check_ref)
        if problem is not None:
            return problem
        assert current is not None
        reply = engine.view(self.knowledge, current.state)
        return Outcome("ok", reply, current.id, current.version, resumed=True, state=current.state,
                       shared=_confirmed(current))

    def whatif(self, scope: Scope, user: str, question: str, option: str, ref: Ref | None = None) -> Outcome:
        """The result with one answer changed, next to the real one. Read-only: the
        session (and so every button's version) stays exactly as it was."""
        outcome = self.current(scope, user, ref)
        if not outcome.ok:
            return outcome
        assert outcome.state is not None
        try:
            reply = engine.whatif(self.knowledge, outcome.state, question, option)
        except EngineError as exc:
            self.observer.error(exc.code)
            return Outcome("invalid", None, outcome.session, outcome.version, str(exc))
        return Outcome("ok", reply, outcome.session, outcome.version, state=outcome.state)

    def matrix(self, scope: Scope, user: str, ref: Ref | None = None) -> Outcome:
        """"Compare top 3": the result's top three side by side, the user's answers highlighted."""
        outcome = self.current(scope, user, ref, session_only=True)
        if not outcome.ok:
            return outcome
        if not isinstance(outcome.reply, Recommendation) or outcome.state is None:
            return Outcome("invalid", None, outcome.session, outcome.version, MESSAGES["no_result"])
        try:
            reply = engine.compare_top(self.knowledge, outcome.reply, outcome.state.answer_map())
        except EngineError as exc:
            return Outcome("invalid", None, outcome.session, outcome.version, str(exc))
        return Outcome("ok", reply, outcome.session, outcome.version, state=outcome.state)

    def export(self, scope: Scope, user: str, decision_makers: list[str], ref: Ref | None = None) -> Outcome:
        """The conversation's result as a MADR decision record (any version of the session
        whose result is shown: exporting changes nothing)."""
        outcome = self.current(scope, user, ref, session_only=True)
        if not outcome.ok:
            return outcome
        if not isinstance(outcome.reply, Recommendation) or outcome.state is None:
            return Outcome("invalid", None, outcome.session, outcome.version, MESSAGES["no_result"])
        day = dt.datetime.fromtimestamp(self._clock(), dt.timezone.utc).date()
        record = decision_record(self.knowledge, outcome.state, outcome.reply, decision_makers, day)
        return Outcome("ok", outcome.reply, outcome.session, outcome.version, state=outcome.state, record=record)

    def recent(self, platform: str, workspace: str, user: str, limit: int = 10) -> list[Recent]:
        """The user's live conversations in one workspace, newest first, each with the reply it
        stands at (through the per-owner index: nobody else's sessions are read)."""
        prefix = Scope(platform, workspace).workspace_prefix()
        out: list[Recent] = []
        for key, session in self.store.owned(user, prefix, limit):
            scope = Scope.from_key(key)
            if scope is None:
                continue
            reply = engine.view(self.knowledge, session.state)
            out.append(Recent(scope, Ref(session.id, session.version), session.updated, reply))
        return out

    # -- share once -------------------------------------------------------------------------------

    def share(self, scope: Scope, user: str, ref: Ref | None, where: str) -> Outcome:
        """Claim the one public post of the current recommendation, in channel `where`.

        "ok": this caller won the claim (recorded on the session with compare-and-set, so of
        any number of clicks, replicas, retries and replays exactly one wins) and must post it,
        calling `confirm_share` once posted, or `unshare` if posting fails. "already_shared": the
        post is up (confirmed); "sharing": another click's post is under way. Either way, post
        nothing; only "already_shared" may say "Shared". A claim that is neither confirmed nor
        undone within SHARE_CLAIM seconds (the poster crashed) lapses, and the result may be
        shared again.
        `ref` need only name the session: the Share button stays valid across versions."""
        key = scope.key()
        for _ in range(5):
            current = self._load(key)
            check_ref = None if ref is not None and current is not None and ref.session == current.id else ref
            problem = self._check(current, user, False, check_ref)
            if problem is not None:
                return problem
            assert current is not None
            reply = engine.view(self.knowledge, current.state)
            if not isinstance(reply, Recommendation):
                return Outcome("nothing_to_share", reply, current.id, current.version, MESSAGES["nothing_to_share"])
            if _confirmed(current):
                return Outcome("already_shared", reply, current.id, current.version, shared_note(current.shared),
                               shared=current.shared)
            if self._shared(current):  # a claim under way: its post is not up yet, so nothing says "Shared"
                return Outcome("sharing", reply, current.id, current.version, MESSAGES["sharing"])
            now = self._clock()
            claimed = current._replace(version=current.version + 1, shared=where, updated=now,
                                       sharing_until=now + SHARE_CLAIM)
            if self.store.save(key, claimed, current.version):
                return Outcome("ok", reply, claimed.id, claimed.version, shared=where)
            # lost a race: look again (someone shared, or stepped)
        self.observer.error("stale")
        return Outcome("stale", None, message=MESSAGES["stale"])

    def unshare(self, scope: Scope, claimed: Ref) -> bool:
        """Undo a `share` claim whose post failed (say, the bot is not in the channel), so the
        owner can share again. Only if nothing happened since: the session goes back to the
        version its buttons carry, so the private message stays usable."""
        key = scope.key()
        current = self._load(key)
        if current is None or current.id != claimed.session or current.version != claimed.version:
            return False
        return self.store.save(key, current._replace(version=current.version - 1, shared="", sharing_until=0.0),
                               current.version)

    def confirm_share(self, scope: Scope, claimed: Ref) -> Outcome:
        """Confirm a `share` claim once its post went out: from now on the result is shared for
        good. A compare-and-set that bumps the version: anything that read the session before
        the confirmation (a step, or a share that saw the claim lapse at that instant) fails
        its own compare-and-set and looks again, so it cannot write the unconfirmed claim back.
        "ok" carries the new version, for the private result the adapter shows next ("Shared in
        #channel"); "stale" if the session moved on since (a step, which makes a new result) or
        the claim is not this one (it lapsed and another click claimed it)."""
        key = scope.key()
        current = self._load(key)
        if current is None or current.id != claimed.session or current.version != claimed.version \
                or not current.sharing_until:
            return Outcome("stale", None, message=MESSAGES["stale"])
        confirmed = current._replace(version=current.version + 1, sharing_until=0.0, updated=self._clock())
        if not self.store.save(key, confirmed, current.version):
            return Outcome("stale", None, message=MESSAGES["stale"])
        reply = engine.view(self.knowledge, confirmed.state)
        return Outcome("ok", reply, confirmed.id, confirmed.version, state=confirmed.state, shared=confirmed.shared)

    def _shared(self, session: Session) -> str:
        """Where the session's result is shared: a confirmed share, or a claim still under way."""
        if session.sharing_until and session.sharing_until <= self._clock():
            return ""
        return session.shared

    # -- replays ------------------------------------------------------------------------------------

    def first_delivery(self, identity: str) -> bool:
        """False when a request with this identity (a platform's signature, say) was already
        seen within REPLAY_WINDOW: a replay, to be acknowledged and dropped. Shared by every
        replica on the same store."""
        if not identity:
            return True
        return self.store.claim("once:" + identity, REPLAY_WINDOW)

    def _observe(self, event: Event, before: Session | None, reply: Reply) -> None:
        if isinstance(event, Start):
            self.observer.conversation_started()
        was_done = before is not None and before.state.done and not isinstance(event, Start)
        if isinstance(reply, Recommendation) and not was_done:
            self.observer.conversation_completed(reply.framework)


def _confirmed(session: Session) -> str:
    """Where the session's result is shared once its post is up ("" before, and during a claim)."""
    return "" if session.sharing_until else session.shared


def _with_recommendation(session: Session, framework: str) -> Session:
    return Session(session.id, session.version, session.owner, session.state, session.created, session.updated,
                   framework)
