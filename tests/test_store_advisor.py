"""The stores under the real application service (bot.service.advisor.Advisor) and the real knowledge:
racing and replayed clicks apply exactly once, expiry is a typed outcome, and two processes
sharing Redis (or one SQLite file) continue each other's conversations."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from bot.engine.events import Answer, Skip
from bot.engine.replies import QuestionReply, Recommendation
from bot.service.advisor import Advisor
from bot.service.outcome import Ref
from bot.store.base import Scope

try:
    from store_support import make_store, redis_url, run_threads, store_url  # noqa: F401
except ImportError:
    from tests.store_support import make_store, redis_url, run_threads, store_url  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SCOPE = Scope("slack", "T1", "C1", "", "U1")


@pytest.fixture(scope="module")
def knowledge():
    from bot.knowledge.loader import load_knowledge

    return load_knowledge(ROOT / "knowledge")


def choose(reply: QuestionReply) -> Answer:
    """A deterministic user: always the last option."""
    return Answer(reply.question_id, reply.options[-1].id)


def click_at_once(n: int, advisor: Advisor, event, ref) -> list:  # noqa: ANN001
    """n threads press the same button at the same moment; every outcome."""
    barrier = threading.Barrier(n)
    results: list = []
    lock = threading.Lock()

    def click(i: int) -> None:
        barrier.wait()
        r = advisor.act(SCOPE, "U1", event, ref)  # same button, clicked n times at once
        with lock:
            results.append(r)

    run_threads(n, click)
    return results


def test_racing_clicks_apply_exactly_once(make_store, knowledge):
    store = make_store()
    advisor = Advisor(lambda: knowledge, store)
    out = advisor.start(SCOPE, "U1")
    assert out.ok
    applied = 0
    n = 10
    while isinstance(out.reply, QuestionReply):
        event, ref = choose(out.reply), out.ref()
        results = click_at_once(n, advisor, event, ref)
        oks = [r for r in results if r.ok]
        assert len(oks) == 1, [r.status for r in results]
        assert {r.status for r in results if not r.ok} <= {"stale"}
        assert all(r.message for r in results if not r.ok)
        applied += 1
        out = oks[0]
        assert out.version == 1 + applied
        # A Slack retry of the same request, later: refused, nothing applied twice.
        replay = advisor.act(SCOPE, "U1", event, ref)
        assert replay.status == "stale"
        assert store.load(SCOPE.key()).version == out.version
    assert isinstance(out.reply, Recommendation)
    final = store.load(SCOPE.key())
    assert final.version == 1 + applied
    assert final.state.done and final.recommended == out.reply.framework


def test_a_share_claim_lapses_unless_its_post_is_confirmed(make_store, knowledge):
    """Share is honest about crashes: the claim that wins the click holds for SHARE_CLAIM
    seconds; only a confirmed post makes the result shared for good. A poster that crashed
    between claim and post leaves a claim that lapses, and Share works again, once."""
    from bot.service.outcome import SHARE_CLAIM

    try:
        from store_support import FakeClock
    except ImportError:
        from tests.store_support import FakeClock

    clock = FakeClock()
    store = make_store()
    advisor = Advisor(lambda: knowledge, store, clock=clock)
    out = advisor.start(SCOPE, "U1")
    while isinstance(out.reply, QuestionReply):
        out = advisor.act(SCOPE, "U1", choose(out.reply), out.ref())
    result = out.ref()

    crashed = advisor.share(SCOPE, "U1", result, "C9")  # claimed; the process dies before posting
    assert crashed.ok and advisor.current(SCOPE, "U1").shared == "", "not shown as shared before the post"
    assert advisor.share(SCOPE, "U1", result, "C9").status == "sharing", "a claim under way holds"
    clock.advance(SHARE_CLAIM + 1)
    assert advisor.current(SCOPE, "U1").shared == "", "a lapsed claim is no share"
    assert not advisor.confirm_share(SCOPE, Ref(crashed.session, crashed.version + 1)).ok, "not this claim"

    wins = []
    run_threads(6, lambda i: wins.append(advisor.share(SCOPE, "U1", result, "C9").status))
    assert sorted(wins) == ["ok"] + ["sharing"] * 5, "the retry is claimed once"
    retry = advisor.current(SCOPE, "U1")
    posted = advisor.confirm_share(SCOPE, retry.ref())
    assert posted.ok and posted.shared == "C9" and posted.version == retry.version + 1
    assert store.load(SCOPE.key()).version == posted.version, "the private result is shown with this version"
    clock.advance(SHARE_CLAIM * 10)
    assert advisor.current(SCOPE, "U1").shared == "C9", "a confirmed share never lapses"
    assert advisor.share(SCOPE, "U1", result, "C9").status == "already_shared"
    assert not advisor.confirm_share(SCOPE, retry.ref()).ok, "confirmed once"
    assert not advisor.confirm_share(SCOPE, posted.ref()).ok, "confirmed once"

    # another replica on the same store sees the same: the confirmation is in the stored session
    assert Advisor(lambda: knowledge, store, clock=clock).current(SCOPE, "U1").shared == "C9"


class _Between:
    """The real store, with one extra action run right after the next `load`: a write that
    lands between another caller's read and its compare-and-set (the interleaving to test)."""

    def __init__(self, store) -> None:  # noqa: ANN001
        self._store = store
        self.then = None

    def load(self, key):  # noqa: ANN001, ANN201
        session = self._store.load(key)
        then, self.then = self.then, None
        if then is not None:
            then()
        return session

    def __getattr__(self, name):  # noqa: ANN001, ANN204
        return getattr(self._store, name)


def test_a_confirmation_racing_a_second_share_keeps_one_post(make_store, knowledge):
    """The slow post's confirmation lands between the read and the compare-and-set of a share
    that saw the claim lapse at that instant. The confirmation bumps the version, so that
    share's compare-and-set fails, it looks again and finds the result shared: no second post.
    (With a confirmation at the same version, that share wrote its claim over the confirmed
    one and posted again.) The same for a step: it is refused, not applied over the confirmation."""
    from bot.engine.events import Back
    from bot.service.outcome import SHARE_CLAIM

    try:
        from store_support import FakeClock
    except ImportError:
        from tests.store_support import FakeClock

    clock = FakeClock()
    store = _Between(make_store())
    advisor = Advisor(lambda: knowledge, store, clock=clock)
    out = advisor.start(SCOPE, "U1")
    while isinstance(out.reply, QuestionReply):
        out = advisor.act(SCOPE, "U1", choose(out.reply), out.ref())

    first = advisor.share(SCOPE, "U1", out.ref(), "C9")
    assert first.ok
    clock.advance(SHARE_CLAIM + 1)  # the post is slow; it is up just as the claim lapses
    confirmations = []
    store.then = lambda: confirmations.append(advisor.confirm_share(SCOPE, first.ref()))
    second = advisor.share(SCOPE, "U1", out.ref(), "C9")
    assert [c.ok for c in confirmations] == [True]
    assert second.status == "already_shared" and second.shared == "C9", "one public message"
    assert store.load(SCOPE.key()).sharing_until == 0 and store.load(SCOPE.key()).shared == "C9"

    # a step that read the session before a confirmation is refused, so it cannot keep the claim
    out = advisor.start(SCOPE, "U1")
    while isinstance(out.reply, QuestionReply):
        out = advisor.act(SCOPE, "U1", choose(out.reply), out.ref())
    claim = advisor.share(SCOPE, "U1", out.ref(), "C9")
    assert claim.ok
    store.then = lambda: confirmations.append(advisor.confirm_share(SCOPE, claim.ref()))
    step = advisor.act(SCOPE, "U1", Back(), claim.ref())
    assert confirmations[-1].ok and step.status == "stale"
    assert store.load(SCOPE.key()).sharing_until == 0 and store.load(SCOPE.key()).shared == "C9"


def test_threads_racing_without_refs_serialise(make_store, knowledge):
    """Clicks that carry no ref (e.g. typed "skip") race on load/CAS: each applies to a
    distinct version, so the answers recorded equal the number of ok outcomes."""
    store = make_store()
    advisor = Advisor(lambda: knowledge, store)
    advisor.start(SCOPE, "U1")
    results: list = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def skip(i: int) -> None:
        barrier.wait()
        r = advisor.act(SCOPE, "U1", Skip())
        with lock:
            results.append(r)

    run_threads(6, skip)
    oks = [r for r in results if r.ok]
    assert oks and all(r.status in ("ok", "stale", "invalid") for r in results)
    final = store.load(SCOPE.key())
    assert final.version == 1 + len(oks)
    assert sorted(r.version for r in oks) == list(range(2, 2 + len(oks)))
    assert len(final.state.answers) == len(oks)


def test_expired_session_is_a_typed_outcome(make_store, knowledge):
    store = make_store(ttl=0.5)
    advisor = Advisor(lambda: knowledge, store)
    out = advisor.start(SCOPE, "U1")
    make_store.advance(0.7)
    late = advisor.act(SCOPE, "U1", choose(out.reply), out.ref())
    assert late.status == "expired" and late.message
    assert advisor.current(SCOPE, "U1").status == "expired"
    assert advisor.start(SCOPE, "U1").ok  # and starting again works


def test_other_user_cannot_step_and_scopes_do_not_leak(make_store, knowledge):
    store = make_store()
    advisor = Advisor(lambda: knowledge, store)
    out = advisor.start(SCOPE, "U1")
    assert advisor.act(SCOPE, "U2", choose(out.reply), out.ref()).status == "not_owner"
    other = Scope("slack", "T2", "C1", "", "U1")  # same user, another workspace
    assert advisor.current(other, "U1").status == "expired"


STEP = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from bot.engine.events import Answer
    from bot.engine.replies import QuestionReply
    from bot.knowledge.loader import load_knowledge
    from bot.service.advisor import Advisor
    from bot.service.outcome import Ref
    from bot.store.base import Scope
    from bot.store.factory import open_store

    url, root, mode, answers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    knowledge = load_knowledge(Path(root) / "knowledge")
    store = open_store(url, 3600, "/nonexistent")
    advisor = Advisor(lambda: knowledge, store)
    scope = Scope("slack", "T1", "C1", "", "U1")
    out = advisor.start(scope, "U1") if mode == "start" else advisor.current(scope, "U1")
    resumed = out.resumed
    assert out.ok, out
    while isinstance(out.reply, QuestionReply) and answers:
        q = out.reply
        out = advisor.act(scope, "U1", Answer(q.question_id, q.options[-1].id), out.ref())
        assert out.ok, out
        answers -= 1
    store.close()
    print(json.dumps({"session": out.session, "version": out.version, "resumed": resumed,
                      "pending": getattr(out.reply, "question_id", None),
                      "framework": getattr(out.reply, "framework", None)}))
""")


def run_step(url: str, mode: str, answers: int) -> dict:
    p = subprocess.run([sys.executable, "-c", STEP, url, str(ROOT), mode, str(answers)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["redis", "sqlite"])
def test_conversation_continues_in_another_process(kind, tmp_path, request, knowledge):
    url = store_url(kind, tmp_path, request.getfixturevalue("redis_url") if kind == "redis" else None)
    first = run_step(url, "start", 1)  # process A: start and answer one question
    assert first["version"] == 2 and first["pending"]
    second = run_step(url, "resume", 100)  # process B: resume at the pending question, finish
    assert second["resumed"] is True
    assert second["session"] == first["session"]
    assert second["framework"]

    # The same answers in one process with the memory store give the same result.
    from bot.store.memory import MemoryStore

    advisor = Advisor(lambda: knowledge, MemoryStore())
    out = advisor.start(SCOPE, "U1")
    while isinstance(out.reply, QuestionReply):
        out = advisor.act(SCOPE, "U1", choose(out.reply), out.ref())
    assert out.reply.framework == second["framework"]
    assert out.version == second["version"]

    # And a third process (or this one) sees the finished conversation.
    from bot.store.factory import open_store

    store = open_store(url, 3600, str(tmp_path))
    final = store.load(SCOPE.key())
    assert final.id == first["session"] and final.version == second["version"]
    assert final.recommended == second["framework"] and final.state.done
    stale = Advisor(lambda: knowledge, store).act(SCOPE, "U1", Skip(), Ref(first["session"], first["version"]))
    assert stale.status == "stale"
    store.close()
