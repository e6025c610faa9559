"""One contract suite for every SessionStore: memory, SQLite and Redis (a real redis-server)."""
from __future__ import annotations

import pytest

from bot.store.base import Scope

try:
    from store_support import make_session, make_store, redis_url, run_threads, store  # noqa: F401
except ImportError:
    from tests.store_support import make_session, make_store, redis_url, run_threads, store  # noqa: F401

KEY = Scope("slack", "T1", "C1", "", "U1").key()


def test_unknown_key_loads_none(store):
    assert store.load(KEY) is None


def test_create_then_load_round_trips_every_field(store):
    s = make_session(1, answers=[("experience", "none"), ("style", None)], pending="control")
    assert store.save(KEY, s, None) is True
    assert store.load(KEY) == s


def test_create_only_if_no_live_session(store):
    assert store.save(KEY, make_session(1, id="a"), None)
    assert store.save(KEY, make_session(1, id="b"), None) is False
    assert store.load(KEY).id == "a"


def test_compare_and_set_on_version(store):
    store.save(KEY, make_session(1), None)
    v2 = make_session(2, answers=[("experience", "django")], pending="style")
    assert store.save(KEY, v2, 1) is True
    # A replay of the same step, an old button, a wrong guess: all refused, nothing changes.
    assert store.save(KEY, make_session(2, pending="other"), 1) is False
    assert store.save(KEY, make_session(9), 3) is False
    assert store.save(KEY, make_session(9), 0) is False
    assert store.load(KEY) == v2
    assert store.save(KEY, make_session(3, pending=None, recommended="django"), 2) is True
    assert store.load(KEY).version == 3


def test_update_of_missing_session_fails(store):
    assert store.save(KEY, make_session(2), 1) is False
    assert store.load(KEY) is None


def test_delete(store):
    store.save(KEY, make_session(1), None)
    store.delete(KEY)
    assert store.load(KEY) is None
    store.delete(KEY)  # deleting nothing is fine
    assert store.save(KEY, make_session(1), None) is True


def test_sessions_expire_after_ttl_of_inactivity(make_store):
    store = make_store(ttl=0.5)
    store.save(KEY, make_session(1), None)
    make_store.advance(0.3)
    assert store.load(KEY) is not None
    make_store.advance(0.4)
    assert store.load(KEY) is None
    # An old button on an expired session cannot resurrect it...
    assert store.save(KEY, make_session(2), 1) is False
    # ...but a new conversation may take the place.
    assert store.save(KEY, make_session(1, id="new"), None) is True
    assert store.load(KEY).id == "new"


def test_every_save_refreshes_the_ttl(make_store):
    store = make_store(ttl=0.6)
    store.save(KEY, make_session(1), None)
    make_store.advance(0.4)
    assert store.save(KEY, make_session(2), 1)
    make_store.advance(0.4)  # 0.8 s after creation, 0.4 s after the last step
    assert store.load(KEY).version == 2
    make_store.advance(0.4)
    assert store.load(KEY) is None


def test_scopes_are_isolated(store):
    alice = Scope("slack", "T1", "C1", "", "alice")
    bob = Scope("slack", "T1", "C1", "", "bob")
    alice_elsewhere = Scope("slack", "T2", "C1", "", "alice")
    discord = Scope("discord", "T1", "C1", "", "alice")
    thread = Scope("slack", "T1", "C1", "1700.1", "")
    keys = {s.key() for s in (alice, bob, alice_elsewhere, discord, thread)}
    assert len(keys) == 5
    # Ids with separators in them cannot collide with another scope.
    assert Scope("slack", "a:b", "c").key() != Scope("slack", "a", "b:c").key()
    store.save(alice.key(), make_session(1, id="alice"), None)
    for other in (bob, alice_elsewhere, discord, thread):
        assert store.load(other.key()) is None
        assert store.save(other.key(), make_session(1, id=other.platform + other.user), None)
    assert store.load(alice.key()).id == "alice"
    store.delete(bob.key())
    assert store.load(alice.key()).id == "alice"


def test_stats_and_purge(make_store):
    store = make_store(ttl=0.5)
    assert store.stats() == {"sessions": 0, "asking": 0, "recommended": 0, "by_framework": {}, "expired": 0}
    store.save(Scope("slack", "T", "C", "", "a").key(), make_session(1), None)
    store.save(Scope("slack", "T", "C", "", "b").key(), make_session(4, pending=None, recommended="django"), None)
    store.save(Scope("slack", "T", "C", "", "c").key(), make_session(5, pending=None, recommended="fastapi"), None)
    # Refining after a recommendation: asking again, but the recommendation still counts.
    store.save(Scope("slack", "T", "C", "", "d").key(), make_session(6, pending="orm", recommended="django"), None)
    assert store.stats() == {"sessions": 4, "asking": 2, "recommended": 2,
                             "by_framework": {"django": 2, "fastapi": 1}, "expired": 0}
    make_store.advance(0.3)
    store.save(Scope("slack", "T", "C", "", "e").key(), make_session(1), None)
    make_store.advance(0.3)
    stats = store.stats()
    assert (stats["sessions"], stats["asking"], stats["recommended"], stats["by_framework"]) == (1, 1, 0, {})
    if make_store.kind == "redis":
        assert stats["expired"] == 0  # gone natively
        assert store.purge_expired() == 0
    else:
        assert stats["expired"] == 4
        assert store.purge_expired() == 4
        assert store.purge_expired() == 0
        assert store.stats()["expired"] == 0
    assert store.load(Scope("slack", "T", "C", "", "e").key()) is not None


def test_ping_and_close(make_store):
    store = make_store()
    assert store.ping() is True
    store.close()


def test_ttl_attribute(make_store):
    assert make_store(ttl=123.0).ttl == 123.0


def test_shared_round_trips(store):
    s = make_session(3, pending=None, recommended="django")._replace(shared="C0SHARED")
    assert store.save(KEY, s, None)
    assert store.load(KEY).shared == "C0SHARED"
    assert store.save(KEY, s._replace(version=4, shared=""), 3)
    assert store.load(KEY).shared == ""


def test_claim_once_until_it_expires(make_store):
    store = make_store()
    assert store.claim("req:abc", 0.5) is True
    assert store.claim("req:abc", 0.5) is False  # a replay
    assert store.claim("req:other", 0.5) is True
    assert store.load("req:abc") is None, "claims are not sessions"
    store.save(KEY, make_session(1), None)
    assert store.stats()["sessions"] == 1, "claims are not counted as sessions"
    make_store.advance(0.7)
    assert store.claim("req:abc", 0.5) is True  # the window has passed
    store.purge_expired()
    assert store.claim("req:abc", 0.5) is False


def test_concurrent_claims_have_one_winner(make_store):
    store = make_store()
    wins: list[int] = []

    def claim(i: int) -> None:
        if store.claim("req:race", 30):
            wins.append(i)

    run_threads(8, claim)
    assert len(wins) == 1


def test_owned_lists_one_owners_live_sessions_newest_first(store):
    def key(team: str, channel: str, user: str, thread: str = "") -> str:
        return Scope("slack", team, channel, thread, user).key()

    mine = [(key("T1", "C1", "U1"), 10.0), (key("T1", "C2", "U1"), 30.0), (key("T1", "C3", "", "171.1"), 20.0)]
    for k, updated in mine:
        assert store.save(k, make_session(1, owner="U1", updated=updated), None)
    store.save(key("T2", "C1", "U1"), make_session(1, owner="U1", updated=40.0), None)  # another workspace
    store.save(key("T1", "C1", "U2"), make_session(1, owner="U2", updated=50.0), None)  # someone else
    prefix = Scope("slack", "T1").key().rsplit(":", 3)[0] + ":"  # "fa:slack:T1:"

    owned = store.owned("U1", prefix)
    assert [k for k, _ in owned] == [mine[1][0], mine[2][0], mine[0][0]]
    assert all(s.owner == "U1" for _, s in owned)
    assert len(store.owned("U1")) == 4 and store.owned("U1", prefix, limit=1) == owned[:1]
    assert [k for k, _ in store.owned("U2", prefix)] == [key("T1", "C1", "U2")]
    assert store.owned("nobody", prefix) == []

    # A step moves a session to the front; a deleted one leaves the index.
    assert store.save(mine[0][0], make_session(2, owner="U1", updated=99.0), 1)
    assert store.owned("U1", prefix)[0][0] == mine[0][0]
    store.delete(mine[1][0])
    assert [k for k, _ in store.owned("U1", prefix)] == [mine[0][0], mine[2][0]]


def test_owned_forgets_expired_sessions_and_replaced_owners(make_store):
    store = make_store(ttl=0.5)
    k = Scope("slack", "T1", "C1", "171.1", "").key()  # a thread: the owner is on the session
    store.save(k, make_session(1, owner="U1"), None)
    assert [key for key, _ in store.owned("U1")] == [k]
    store.delete(k)
    store.save(k, make_session(1, owner="U2"), None)  # someone else's conversation there now
    assert store.owned("U1") == [] and [key for key, _ in store.owned("U2")] == [k]
    make_store.advance(0.7)
    assert store.owned("U2") == []


def test_expired_claims_are_swept_without_an_operator(make_store):
    if make_store.kind != "sqlite":
        pytest.skip("memory bounds itself; Redis expires keys natively")
    from bot.store.sqlite import CLAIM_SWEEP_EVERY

    store = make_store()
    for i in range(CLAIM_SWEEP_EVERY - 1):
        assert store.claim(f"req:{i}", 1.0)
    make_store.advance(2.0)
    assert store.claim("req:last", 1.0)  # the sweep runs on this one
    (count,) = store._db().execute("SELECT count(*) FROM claims WHERE key LIKE 'req:%'").fetchone()
    assert count == 1
