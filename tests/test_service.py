"""The application service over the engine and a store: outcomes adapters rely on."""
from __future__ import annotations

from bot.engine.events import Answer, Back
from bot.engine.replies import QuestionReply
from bot.service.outcome import Ref
from bot.store.base import Scope
from bot.store.memory import MemoryStore

SCOPE = Scope("test", "T1", "C1", "", "U1")


def test_start_answer_and_stale_ref(make_app):
    app = make_app()
    first = app.advisor.start(SCOPE, "U1")
    assert first.ok and first.version == 1 and isinstance(first.reply, QuestionReply)
    step = app.advisor.act(SCOPE, "U1", Answer("experience", "none"), first.ref())
    assert step.ok and step.version == 2 and step.session == first.session
    replay = app.advisor.act(SCOPE, "U1", Answer("experience", "none"), first.ref())
    assert replay.status == "stale" and "already been answered" in replay.message
    replaced = app.advisor.act(SCOPE, "U1", Back(), Ref("other", 2))  # a button of an earlier conversation
    assert replaced.status == "replaced" and "replaced by a newer one" in replaced.message
    assert app.advisor.current(SCOPE, "U1").version == 2


def test_thread_conversations_belong_to_their_owner(make_app):
    app = make_app()
    thread = Scope("test", "T1", "C1", "171.1", "")
    started = app.advisor.start(thread, "U1")
    intruder = app.advisor.act(thread, "U2", Answer("experience", "none"), started.ref())
    assert intruder.status == "not_owner"
    assert app.advisor.act(thread, "U1", Answer("experience", "none"), started.ref()).ok


def test_unknown_or_unreadable_session_is_expired_not_an_error(make_app):
    store = MemoryStore()
    app = make_app(store=store)
    assert app.advisor.act(SCOPE, "U1", Back()).status == "expired"
    app.advisor.start(SCOPE, "U1")
    store._data[SCOPE.key()] = (store._data[SCOPE.key()][0], '{"format": 99}')
    assert app.advisor.current(SCOPE, "U1").status == "expired"
    assert app.advisor.start(SCOPE, "U1").ok


def test_invalid_event_changes_nothing(make_app):
    app = make_app()
    first = app.advisor.start(SCOPE, "U1")
    bad = app.advisor.act(SCOPE, "U1", Answer("experience", "rails"), first.ref())
    assert bad.status == "invalid" and "rails" in bad.message
    assert app.advisor.current(SCOPE, "U1").version == first.version


def _to_result(app):  # noqa: ANN001, ANN202
    """A result with questions left for More: two skips, then "decide now"."""
    from bot.engine.events import Decide, Skip
    from bot.engine.replies import Recommendation

    out = app.advisor.start(SCOPE, "U1")
    for event in (Skip(), Skip(), Decide()):
        out = app.advisor.act(SCOPE, "U1", event, out.ref())
        assert out.ok
    assert isinstance(out.reply, Recommendation) and out.reply.can_refine
    return out


def test_share_is_claimed_once_and_undone_only_if_nothing_happened(make_app):
    import threading

    from bot.engine.events import More

    app = make_app()
    first = app.advisor.start(SCOPE, "U1")
    assert app.advisor.share(SCOPE, "U1", first.ref(), "C9").status == "nothing_to_share"
    result = _to_result(app)
    assert app.advisor.share(SCOPE, "U2", result.ref(), "C9").status == "not_owner"
    wins: list[str] = []
    barrier = threading.Barrier(8)

    def click() -> None:
        barrier.wait()
        wins.append(app.advisor.share(SCOPE, "U1", result.ref(), "C9").status)

    threads = [threading.Thread(target=click) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == ["ok"] + ["sharing"] * 7, "one claim; the others see its post under way"
    again = app.advisor.share(SCOPE, "U1", result.ref(), "C9")
    assert again.status == "sharing" and again.shared == "" and "<#" not in again.message
    assert app.advisor.current(SCOPE, "U1").shared == "", "not shown as shared before the post is up"
    # undo (the post failed): back to the version the private message's buttons carry
    claimed = app.advisor.current(SCOPE, "U1")
    assert app.advisor.unshare(SCOPE, claimed.ref())
    assert app.advisor.current(SCOPE, "U1").version == result.version
    assert app.advisor.current(SCOPE, "U1").shared == ""
    assert not app.advisor.unshare(SCOPE, claimed.ref()), "only the claim it made"
    ok = app.advisor.share(SCOPE, "U1", result.ref(), "C9")
    assert ok.ok
    posted = app.advisor.confirm_share(SCOPE, ok.ref())
    assert posted.ok and posted.shared == "C9" and posted.version == ok.version + 1
    again = app.advisor.share(SCOPE, "U1", result.ref(), "C9")
    assert again.status == "already_shared" and again.shared == "C9" and "<#C9>" in again.message
    assert app.advisor.current(SCOPE, "U1").shared == "C9"
    ok = posted
    # a step makes a new result, which may be shared again
    more = app.advisor.act(SCOPE, "U1", More(), ok.ref())
    assert more.ok and app.advisor.current(SCOPE, "U1").shared == ""


def test_first_delivery_is_once_per_identity(make_app):
    app = make_app()
    assert app.advisor.first_delivery("v0=abc")
    assert not app.advisor.first_delivery("v0=abc")
    assert app.advisor.first_delivery("v0=def")
    assert app.advisor.first_delivery("") and app.advisor.first_delivery("")
