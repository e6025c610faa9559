"""Codec, factory, admin commands and what is specific to the SQLite and Redis stores."""
from __future__ import annotations

import io
import json
import os
import sqlite3

import pytest

from bot.engine.state import State
from bot.store import codec
from bot.store.admin import purge_command, stats_command
from bot.store.base import Scope, Session
from bot.store.factory import open_store, redact, sqlite_path
from bot.store.memory import MemoryStore
from bot.store.sqlite import SqliteStore

try:
    from store_support import FakeClock, make_session, realistic_session, redis_url  # noqa: F401
except ImportError:
    from tests.store_support import FakeClock, make_session, realistic_session, redis_url  # noqa: F401

KEY = Scope("slack", "T1", "C1", "", "U1").key()


# -- codec -------------------------------------------------------------------------------

def test_codec_round_trip():
    for s in (make_session(1), realistic_session(7), make_session(3, pending=None, recommended="flask", owner="")):
        raw = codec.encode(s)
        assert json.loads(raw)["format"] == codec.FORMAT
        assert codec.decode(raw) == s
        assert codec.decode(raw.encode()) == s  # Redis hands back bytes


def test_sessions_are_immutable():
    s = Session("i", 1, "o", created=2.0)
    assert s == Session(id="i", version=1, owner="o", state=State(), created=2.0)
    assert s._replace(version=2).version == 2
    with pytest.raises(AttributeError):
        s.version = 3  # type: ignore[misc]


_REFERENCE = json.JSONEncoder(separators=(",", ":"))  # the format as the json module writes it


def _reference_encode(s):
    return _REFERENCE.encode({"format": codec.FORMAT, "id": s.id, "version": s.version, "owner": s.owner,
                              "created": s.created, "updated": s.updated, "recommended": s.recommended,
                              "state": s.state.to_dict()})


@pytest.mark.parametrize("session", [
    make_session(1),
    realistic_session(7),
    make_session(3, pending=None, recommended="flask", owner=""),
    make_session(2, owner="Zoë", answers=[("style", "api")]),
    make_session(2, owner="tab\there", answers=[("q", "del\x7f"), ("q2", None)]),
    make_session(2, owner='quote" and \\ backslash \u2028'),
    make_session(2, created=1e-5, updated=-3.5e-7),
])
def test_codec_writes_standard_json_with_the_state_format(session):
    """What we store is plain JSON with State.to_dict()'s shape, readable by any JSON reader."""
    raw = codec.encode(session)
    assert isinstance(raw, str)
    assert json.loads(raw) == json.loads(_reference_encode(session))
    back = codec.decode(raw)
    assert back == session
    assert codec.decode(raw.encode()) == session


def test_codec_reads_what_the_json_module_wrote():
    for s in (realistic_session(4), make_session(2, owner="Zoë", created=1.5)):
        old = _reference_encode(s)
        back = codec.decode(old)
        assert back.owner == s.owner and back.state == s.state and back.version == s.version
    # Non-ASCII written raw (not escaped) also reads back, as str and as UTF-8 bytes.
    raw = _reference_encode(make_session(1, owner="x")).replace('"owner":"x"', '"owner":"Zoë"')
    assert codec.decode(raw).owner == codec.decode(raw.encode()).owner == "Zoë"


@pytest.mark.parametrize("raw", [
    json.dumps({"format": 99, "id": "x", "version": 1}),
    json.dumps({"id": "x", "version": 1}),
    json.dumps({"format": codec.FORMAT, "version": 1}),  # no id
    json.dumps({"format": codec.FORMAT, "id": "x", "version": "one"}),
    json.dumps([1, 2]),
    "not json",
    b"\xff\xfe",
])
def test_codec_rejects_unknown_or_broken(raw):
    with pytest.raises(codec.CodecError):
        codec.decode(raw)


# -- SQLite ------------------------------------------------------------------------------

def test_sqlite_file_schema_and_pragmas(tmp_path):
    path = tmp_path / "a" / "b" / "sessions.db"  # parent directories are created
    store = SqliteStore(path)
    store.save(KEY, make_session(3, pending=None, recommended="django", owner="U1"), None)
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    row = db.execute("SELECT key, id, version, owner, state_done, recommended, expires, data FROM sessions").fetchone()
    assert row[:6] == (KEY, "s1", 3, "U1", 1, "django")
    assert codec.decode(row[7]).recommended == "django"
    db.close()


def test_sqlite_columns_follow_every_save(tmp_path):
    """Create and update, with and without a recommendation (each has its own statement)."""
    path = tmp_path / "s.db"
    store = SqliteStore(path)
    db = sqlite3.connect(path)

    def row():
        return db.execute("SELECT id, version, owner, state_done, recommended, typeof(data) FROM sessions").fetchone()

    assert store.save(KEY, make_session(1, id="a", owner="U1"), None)
    assert row() == ("a", 1, "U1", 0, None, "text")
    assert store.save(KEY, make_session(2, id="a", owner="U1", pending=None, recommended="django"), 1)
    assert row() == ("a", 2, "U1", 1, "django", "text")
    assert store.save(KEY, make_session(1, id="b", owner="U2"), 2)  # a restart replaces the session
    assert row() == ("b", 1, "U2", 0, None, "text")
    assert not store.save(KEY, make_session(9, id="c", recommended="flask"), 1 + 5)
    assert not store.save(KEY, make_session(9, id="c", recommended="flask"), None)  # a live one exists
    assert row() == ("b", 1, "U2", 0, None, "text")
    store.delete(KEY)
    assert store.save(KEY, make_session(1, id="d", pending=None, recommended="flask"), None)
    assert row() == ("d", 1, "alice", 1, "flask", "text")
    db.close()
    store.close()


def test_sqlite_load_leaves_no_read_transaction_open(tmp_path):
    """load() reuses a cursor; its SELECT must still finish, or the WAL could never be reset."""
    path = tmp_path / "s.db"
    store = SqliteStore(path)
    store.save(KEY, make_session(1), None)
    store.save(KEY, make_session(2), 1)
    assert store.load(KEY).version == 2
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("UPDATE sessions SET expires = expires + 1")
    assert other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0  # 0: not blocked by a reader
    other.close()
    store.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_sqlite_forked_child_opens_its_own_connection(tmp_path):
    store = SqliteStore(tmp_path / "s.db")
    assert store.save(KEY, make_session(1), None)
    parent_db = store._db()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: must not reuse the parent's connection
        try:
            ok = store._db() is not parent_db and store.save(KEY, make_session(2), 1)
            os.write(w, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(w)
    got = os.read(r, 1)
    os.close(r)
    os.waitpid(pid, 0)
    assert got == b"1"
    assert store._db() is parent_db
    assert store.load(KEY).version == 2
    store.close()


def test_sqlite_survives_reopen(tmp_path):
    path = tmp_path / "s.db"
    a = SqliteStore(path)
    a.save(KEY, realistic_session(1), None)
    a.save(KEY, realistic_session(2), 1)
    # No close(): like a process killed right after the reply; the step is committed.
    b = SqliteStore(path)
    assert b.load(KEY) == realistic_session(2)
    a.close()
    b.close()


def test_sqlite_uses_its_clock_for_expiry(tmp_path):
    clock = FakeClock()
    store = SqliteStore(tmp_path / "s.db", ttl=60, clock=clock)
    store.save(KEY, make_session(1), None)
    clock.advance(59.9)
    assert store.load(KEY) is not None
    clock.advance(0.2)
    assert store.load(KEY) is None
    assert store.stats()["expired"] == 1
    store.close()


def test_sqlite_unreadable_row_raises_codec_error(tmp_path):
    path = tmp_path / "s.db"
    store = SqliteStore(path)
    store.save(KEY, make_session(1), None)
    db = sqlite3.connect(path)
    db.execute("UPDATE sessions SET data = ?", (json.dumps({"format": 99}),))
    db.commit()
    db.close()
    with pytest.raises(codec.CodecError):
        store.load(KEY)
    store.close()


def test_sqlite_closed_store(tmp_path):
    store = SqliteStore(tmp_path / "s.db")
    store.close()
    assert store.ping() is False
    with pytest.raises(RuntimeError):
        store.load(KEY)


# -- Redis -------------------------------------------------------------------------------

def test_redis_layout_prefix_and_native_ttl(redis_url):
    import redis

    from bot.store.redis import RedisStore

    store = RedisStore(redis_url, ttl=100)
    store.save(KEY, make_session(2, pending=None, recommended="fastapi"), None)
    client = redis.Redis.from_url(redis_url)
    assert sorted(client.keys("*")) == [("advisor:" + KEY).encode(), b"advisor:owner:alice"]
    assert client.zrange("advisor:owner:alice", 0, -1, withscores=True) == [(KEY.encode(), 1700000001.5)]
    assert 99_000 < client.pttl("advisor:owner:alice") <= 100_000  # the owner index expires with the sessions
    h = client.hgetall("advisor:" + KEY)
    assert h[b"v"] == b"2" and h[b"done"] == b"1" and h[b"rec"] == b"fastapi" and h[b"owner"] == b"alice"
    assert codec.decode(h[b"d"]) == make_session(2, pending=None, recommended="fastapi")
    assert 99_000 < client.pttl("advisor:" + KEY) <= 100_000
    # Stats only look under the prefix.
    client.set("something-else", "x")
    other = RedisStore(redis_url, prefix="other:")
    other.save(KEY, make_session(1), None)
    assert store.stats()["sessions"] == 1
    assert other.stats()["sessions"] == 1
    assert store.load(KEY).version == 2 and other.load(KEY).version == 1
    client.close()
    store.close()
    other.close()


def test_redis_cas_survives_script_flush(redis_url):
    import redis

    from bot.store.redis import RedisStore

    store = RedisStore(redis_url)
    assert store.save(KEY, make_session(1), None)
    redis.Redis.from_url(redis_url).script_flush()  # EVALSHA now misses: the script is reloaded
    assert store.save(KEY, make_session(2), 1)
    assert store.save(KEY, make_session(2), 1) is False
    store.close()


def test_redis_stats_over_many_keys(redis_url):
    from bot.store.redis import RedisStore

    store = RedisStore(redis_url)
    for i in range(1200):  # more than one SCAN page and one pipeline batch
        rec = "django" if i % 3 == 0 else None
        store.save(Scope("discord", "G", "C", "", str(i)).key(),
                   make_session(2, pending=None if rec else "style", recommended=rec), None)
    assert store.stats() == {"sessions": 1200, "asking": 800, "recommended": 400,
                             "by_framework": {"django": 400}, "expired": 0}
    store.close()


def test_redis_ping_false_when_unreachable():
    from bot.store.redis import RedisStore

    try:
        from redis_server import free_port
    except ImportError:
        from tests.redis_server import free_port
    store = RedisStore(f"redis://127.0.0.1:{free_port()}/0")
    assert store.ping() is False
    store.close()


# -- factory -----------------------------------------------------------------------------

def test_factory_default_is_sqlite_under_data_dir(tmp_path):
    store = open_store("", 3600, str(tmp_path / "data"))
    assert isinstance(store, SqliteStore)
    assert store.path == str(tmp_path / "data" / "sessions.db")
    assert store.ttl == 3600
    store.close()


def test_factory_schemes(tmp_path, redis_url):
    from bot.store.redis import RedisStore

    mem = open_store("memory://", 5, str(tmp_path))
    assert isinstance(mem, MemoryStore) and mem.ttl == 5
    assert str(tmp_path).startswith("/")
    absolute = open_store(f"sqlite://{tmp_path}/x/abs.db", 5, "/nonexistent")
    assert absolute.path == f"{tmp_path}/x/abs.db"
    absolute.close()
    relative = open_store("sqlite://rel/r.db", 5, str(tmp_path / "d"))
    assert relative.path == str(tmp_path / "d" / "rel" / "r.db")
    relative.close()
    r = open_store(redis_url, 7, str(tmp_path))
    assert isinstance(r, RedisStore) and r.ttl == 7 and r.ping()
    r.close()


def test_sqlite_path_rule():
    assert sqlite_path("sqlite:///var/lib/advisor/s.db", "/data") == "/var/lib/advisor/s.db"
    assert sqlite_path("sqlite:////var/s.db", "/data") == "/var/s.db"
    assert sqlite_path("sqlite://s.db", "/data") == "/data/s.db"
    assert sqlite_path("sqlite://", "/data") == "/data/sessions.db"


def test_factory_unknown_scheme_names_the_setting_and_hides_passwords(tmp_path):
    with pytest.raises(ValueError) as err:
        open_store("postgres://admin:hunter2@db:5432/x", 5, str(tmp_path))
    msg = str(err.value)
    assert "ADVISOR_STORE" in msg and "hunter2" not in msg and "postgres://admin:***@db:5432/x" in msg
    with pytest.raises(ValueError, match="ADVISOR_STORE"):
        open_store("/just/a/path.db", 5, str(tmp_path))


def test_factory_bad_redis_url_hides_password(tmp_path):
    with pytest.raises(ValueError) as err:
        open_store("redis://:s3cret@host:notaport/0", 5, str(tmp_path))
    assert "s3cret" not in str(err.value) and "ADVISOR_STORE" in str(err.value)


def test_redact():
    assert redact("redis://:secret@host:6379/0") == "redis://:***@host:6379/0"
    assert redact("redis://user:secret@host/1") == "redis://user:***@host/1"
    assert redact("redis://host:6379/0") == "redis://host:6379/0"
    assert "secret" not in redact("redis://:secret@host:bad/0")


# -- admin commands ----------------------------------------------------------------------

def test_stats_command_prints_counts():
    store = MemoryStore()
    store.save("k1", make_session(1), None)
    store.save("k2", make_session(4, pending=None, recommended="django"), None)
    store.save("k3", make_session(4, pending=None, recommended="django"), None)
    store.save("k4", make_session(4, pending=None, recommended="bottle"), None)
    out = io.StringIO()
    assert stats_command(store, out) == 0
    text = out.getvalue()
    assert "Live sessions:        4" in text
    assert "asking a question:  1" in text
    assert "recommended:        3" in text
    lines = text.splitlines()
    assert lines.index("  django  2") < lines.index("  bottle  1")


def test_stats_command_reports_a_broken_store(capsys):
    class Broken(MemoryStore):
        def stats(self):
            raise ConnectionError("refused")

    assert stats_command(Broken()) == 1
    assert "refused" in capsys.readouterr().err


def test_purge_command():
    clock = FakeClock()
    store = MemoryStore(ttl=10, clock=clock)
    store.save("k1", make_session(1), None)
    store.save("k2", make_session(1), None)
    clock.advance(11)
    store.save("k3", make_session(1), None)
    out = io.StringIO()
    assert purge_command(store, expired_only=True, out=out) == 0
    assert out.getvalue().strip() == "Purged 2 expired sessions."
    assert store.load("k3") is not None
    assert purge_command(store, expired_only=False, out=out) == 2
    assert store.load("k3") is not None


# -- decode cache ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_two_store_instances_never_serve_a_stale_cached_session(kind, tmp_path, request):
    """Each store caches the session it last saw; another writer (another replica) must
    still be seen at once, and a failed CAS must not poison the cache."""
    if kind == "sqlite":
        a, b = SqliteStore(tmp_path / "s.db"), SqliteStore(tmp_path / "s.db")
    else:
        from bot.store.redis import RedisStore

        url = request.getfixturevalue("redis_url")
        a, b = RedisStore(url), RedisStore(url)
    assert a.save(KEY, make_session(1), None)
    assert a.load(KEY) == make_session(1)
    assert b.load(KEY) == make_session(1)
    assert b.save(KEY, make_session(2, pending="style"), 1)
    assert a.load(KEY) == make_session(2, pending="style")
    assert a.save(KEY, make_session(3, pending="lost"), 1) is False
    assert a.load(KEY) == make_session(2, pending="style")
    b.delete(KEY)
    assert a.load(KEY) is None
    assert a.save(KEY, make_session(1, id="again"), None)
    assert b.load(KEY).id == "again"
    a.close()
    b.close()


def test_sqlite_connections_of_finished_threads_are_released(tmp_path):
    import gc
    import threading

    store = SqliteStore(tmp_path / "s.db")
    store.save(KEY, make_session(1), None)
    for _ in range(20):
        t = threading.Thread(target=store.load, args=(KEY,))
        t.start()
        t.join()
    gc.collect()
    assert len(store._conns) <= 2  # this thread's, maybe one not yet collected
    store.close()
