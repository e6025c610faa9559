"""Team decision records in every store (memory, SQLite, real Redis): compare-and-set, expiry,
the deadline index, the codec, and that they never count as sessions."""
from __future__ import annotations

import pytest

from bot.store import team as team_codec
from bot.store.codec import CodecError
from bot.store.base import Member, TeamDecision
from bot.store.team import team_key
from store_support import make_store, redis_url, store  # noqa: F401  (fixtures)

NOW = 1_000_000.0


def record(version=1, *, deadline=0.0, status="open", expires=None, members=()) -> TeamDecision:
    import time

    base = time.time() + 3600 if expires is None else expires  # Redis expires on its own clock
    return TeamDecision("T1", version, "slack", "W1", "C1", "", "U1", "pick a framework <!channel>",
                        members=members, status=status, deadline=deadline, created=NOW, updated=NOW, expires=base)


KEY = team_key("slack", "W1", "T1")


def test_save_and_load_with_compare_and_set(store) -> None:  # noqa: F811
    assert store.load_team(KEY) is None
    first = record()
    assert store.save_team(KEY, first, None)
    assert not store.save_team(KEY, first, None)  # one already lives there
    assert store.load_team(KEY) == first
    bo = Member("U2", "Bo", (("control", "minimal"), ("orm", None)), "s:3", NOW)
    second = first._replace(version=2, members=(bo,))
    assert not store.save_team(KEY, second, 5)
    assert store.save_team(KEY, second, 1)
    assert not store.save_team(KEY, second._replace(version=3), 1)  # a racer that read version 1 loses
    assert store.load_team(KEY) == second


def test_records_are_not_sessions(store) -> None:  # noqa: F811
    assert store.save_team(KEY, record(deadline=NOW + 60), None)
    stats = store.stats()
    assert stats["sessions"] == 0
    assert store.owned("U1") == []


def test_the_deadline_index_lists_open_records_that_are_due(store) -> None:  # noqa: F811
    other = team_key("slack", "W1", "T2")
    assert store.save_team(KEY, record(deadline=NOW + 100), None)
    assert store.save_team(other, record(deadline=NOW + 50)._replace(id="T2"), None)
    assert store.due_teams(NOW) == []
    assert store.due_teams(NOW + 60) == [other]
    assert store.due_teams(NOW + 100) == [other, KEY]
    assert store.due_teams(NOW + 100, limit=1) == [other]
    # closed: no longer due
    assert store.save_team(other, record(2, deadline=NOW + 50, status="closed")._replace(id="T2"), 1)
    assert store.due_teams(NOW + 100) == [KEY]
    # no deadline: never due
    assert store.save_team(KEY, record(2), 1)
    assert store.due_teams(NOW + 10**6) == []


def test_a_record_expires(make_store) -> None:  # noqa: F811
    import time

    s = make_store()
    now = s._clock() if make_store.kind != "redis" else time.time()
    assert s.save_team(KEY, record(deadline=NOW + 1, expires=now + 1.0), None)
    assert s.load_team(KEY) is not None
    make_store.advance(1.2)
    assert s.load_team(KEY) is None
    assert s.due_teams(NOW + 10) == []
    assert s.save_team(KEY, record(expires=now + 3600 * 2), None)  # the key is free again
    s.purge_expired()


def test_the_codec_round_trips_hostile_text_and_refuses_garbage() -> None:
    nasty = "<!channel> @everyone *bold* ```x``` \u202e" + "x" * 10_000
    team = record(members=(Member("U<&>", nasty, (("style", "api"),), "src", 1.5),))._replace(description=nasty)
    assert team_codec.decode(team_codec.encode(team)) == team
    for raw in ("", "{", "[]", '{"format": 99}', '{"format": 1}', '{"format": 1, "id": "x", "version": "y"}'):
        with pytest.raises(CodecError):
            team_codec.decode(raw)


def test_keys_are_per_platform_and_workspace() -> None:
    assert team_key("slack", "W1", "T1") != team_key("discord", "W1", "T1") != team_key("slack", "W2", "T1")
    assert team_key("slack", "W:1", "T") != team_key("slack", "W", "1:T")


def test_the_deadline_index_can_be_read_for_one_platform(store) -> None:  # noqa: F811
    from bot.store.team import team_prefix

    slack = [team_key("slack", "W1", f"S{i}") for i in range(3)]
    discord = team_key("discord", "G1", "D1")
    for i, key in enumerate(slack):
        assert store.save_team(key, record(deadline=NOW + i)._replace(id=f"S{i}"), None)
    assert store.save_team(discord, record(deadline=NOW + 10)._replace(id="D1", platform="discord"), None)
    assert store.due_teams(NOW + 20, limit=2) == slack[:2]  # the earliest first, whatever platform
    assert store.due_teams(NOW + 20, limit=2, prefix=team_prefix("discord")) == [discord]
    assert store.due_teams(NOW + 20, prefix=team_prefix("slack")) == slack
    assert store.due_teams(NOW + 20, prefix=team_prefix("other")) == []
