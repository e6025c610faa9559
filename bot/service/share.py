"""Share once: claim, confirm or undo the one public post of a recommendation."""
from __future__ import annotations

from bot import engine
from bot.engine.replies import Recommendation
from bot.service.base import AdvisorBase, confirmed_channel
from bot.service.outcome import MESSAGES, SHARE_CLAIM, Outcome, Ref, shared_note
from bot.store.base import Scope, Session


class Sharing(AdvisorBase):
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
            if confirmed_channel(current):
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
