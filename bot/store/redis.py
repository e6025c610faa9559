"""Redis session store, for running several replicas against one Redis.

Each session is a hash under ``<prefix><scope key>`` (prefix ``advisor:`` by default):

    v     version (decimal)         d     the codec JSON
    done  "1" once recommending      rec   framework id of the last recommendation, or ""
    owner user who started it

Expiry is native: every save sets the hash and refreshes its TTL in one atomic step, so a
session lives `ttl` seconds after its last step. Compare-and-set is a Lua script run with
EVALSHA (redis-py loads it again after a SCRIPT FLUSH or a restart): it compares the stored
version with the expected one and only then writes, so of several racing saves exactly one
wins, whichever replica sent it.

Deadlines (bot.store.deadlines): one client per kind of call, each with the socket timeout of
its kind, so a frozen server costs a claim 0.25 s and a step 1 s instead of 10; a call past
its deadline, or refused, raises StoreUnavailable. Timeouts are never retried (that would
only double the wait); a broken connection is retried once at once (a restarted server).
"""
from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType

import redis as redis_lib
from redis.backoff import NoBackoff
from redis.retry import Retry

from . import codec
from . import team as team_codec
from .base import OWNED_MAX, Session, TeamDecision
from .cache import DecodeCache
from .deadlines import DEADLINES, Deadlines, StoreUnavailable

DEFAULT_PREFIX = "advisor:"


def _text(raw: object) -> str:
    """A key as Redis answered it: bytes (this client does not decode responses)."""
    return raw.decode() if isinstance(raw, bytes) else str(raw)

# KEYS[1] session key, KEYS[2] the owner's index (a sorted set of session keys scored by
# their last update; "" when there is no owner). ARGV: expected version ("" = none may
# exist), new version, data, done, rec, owner, ttl in ms, updated, the plain session key.
_CAS = """
local cur = redis.call('HGET', KEYS[1], 'v')
if ARGV[1] == '' then
  if cur then return 0 end
elseif cur ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3], 'done', ARGV[4], 'rec', ARGV[5], 'owner', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
if KEYS[2] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[8], ARGV[9])
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -101)
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
end
return 1
"""


class _Guard:
    """Turns redis-py's timeouts, connection errors and refusals into StoreUnavailable (a class, not a
    contextmanager function: it wraps every call, so it should cost next to nothing)."""

    __slots__ = ("op", "seconds")

    def __init__(self, op: str, seconds: float) -> None:
        self.op = op
        self.seconds = seconds

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if isinstance(exc, redis_lib.TimeoutError):
            raise StoreUnavailable(self.op, self.seconds, "Redis did not answer in time") from exc
        if isinstance(exc, redis_lib.ConnectionError):
            raise StoreUnavailable(self.op, self.seconds, f"Redis unreachable ({exc})") from exc
        if isinstance(exc, redis_lib.ResponseError):  # OOM, READONLY replica, MISCONF, ...
            raise StoreUnavailable(self.op, self.seconds, f"Redis refused ({exc})") from exc


def _client(url: str, seconds: float) -> redis_lib.Redis:
    return redis_lib.Redis.from_url(
        url, socket_timeout=seconds, socket_connect_timeout=seconds, health_check_interval=30,
        retry=Retry(NoBackoff(), 1, supported_errors=(redis_lib.ConnectionError,)))


# Team decisions (bot/store/team.py): a hash with fields tv (version) and d (codec JSON), so
# stats() never counts one as a session (it reads field v). KEYS[1] the record, KEYS[2] the
# due index (a sorted set of open records' keys scored by deadline). ARGV: expected version
# ("" = none may exist), new version, data, expires at (unix ms), deadline ("" = not due), plain key.
_TEAM_CAS = """
local cur = redis.call('HGET', KEYS[1], 'tv')
if ARGV[1] == '' then
  if cur then return 0 end
elseif cur ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'tv', ARGV[2], 'd', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
if ARGV[5] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
else
  redis.call('ZREM', KEYS[2], ARGV[6])
end
return 1
"""


class RedisStore:
    """`client`, for tests, serves every kind of call (its own timeouts apply)."""

    def __init__(self, url: str = "redis://127.0.0.1:6379/0", ttl: float = 86400.0,
                 prefix: str = DEFAULT_PREFIX, client: redis_lib.Redis | None = None,
                 deadlines: Deadlines = DEADLINES) -> None:
        self.ttl = ttl
        self.prefix = prefix
        self.deadlines = deadlines
        self._client = client if client is not None else _client(url, deadlines.step)
        self._claims = client if client is not None else _client(url, deadlines.claim)
        self._admin = client if client is not None else _client(url, deadlines.admin)
        self._step_guard = _Guard("step", deadlines.step)
        self._claim_guard = _Guard("claim", deadlines.claim)
        self._admin_guard = _Guard("admin", deadlines.admin)
        self._cas = self._client.register_script(_CAS)
        self._team_cas = self._client.register_script(_TEAM_CAS)
        self._cache = DecodeCache()

    def _key(self, key: str) -> str:
        return self.prefix + key

    def _ttl_ms(self) -> int:
        return max(1, int(self.ttl * 1000))

    def load(self, key: str) -> Session | None:
        with self._step_guard:
            raw = self._client.hget(self._key(key), "d")
        if raw is None:
            return None
        session = self._cache.get(key, raw)  # unchanged since this process saved or loaded it
        if session is None:
            session = codec.decode(raw)  # bytes go straight to json.loads
            self._cache.put(key, raw, session)
        return session

    def save(self, key: str, session: Session, expected_version: int | None) -> bool:
        data = codec.encode(session).encode()
        args = (
            "" if expected_version is None else str(int(expected_version)),
            str(session.version),
            data,
            "1" if session.state.done else "0",
            session.recommended or "",
            session.owner,
            self._ttl_ms(),
            repr(float(session.updated)),
            key,
        )
        index = self._owner_key(session.owner) if session.owner else ""
        with self._step_guard:
            won = self._cas(keys=[self._key(key), index], args=args) == 1
        if not won:
            return False
        self._cache.put(key, data, session)
        return True

    def delete(self, key: str) -> None:
        self._cache.drop(key)
        with self._step_guard:
            self._client.delete(self._key(key))

    def _owner_key(self, owner: str) -> str:
        # A sorted set, not a hash: stats() skips it like the claim markers.
        return self.prefix + "owner:" + owner

    def owned(self, owner: str, prefix: str = "", limit: int = OWNED_MAX) -> list[tuple[str, Session]]:
        with self._step_guard:
            return self._owned(owner, prefix, limit)

    def _owned(self, owner: str, prefix: str, limit: int) -> list[tuple[str, Session]]:
        index = self._owner_key(owner)
        keys = [_text(k) for k in self._client.zrevrange(index, 0, -1)]
        keys = [k for k in keys if k.startswith(prefix)]
        if not keys:
            return []
        pipe = self._client.pipeline(transaction=False)
        for k in keys:
            pipe.hget(self._key(k), "d")
        found, gone = [], []
        for k, raw in zip(keys, pipe.execute(), strict=True):
            session = None if raw is None else codec.decode(raw)
            if session is None or session.owner != owner:
                gone.append(k)  # expired, deleted, or the key now holds someone else's session
            else:
                found.append((k, session))
        if gone:
            self._client.zrem(index, *gone)
        return sorted(found, key=lambda ks: ks[1].updated, reverse=True)[:limit]

    def claim(self, key: str, ttl: float) -> bool:
        """SET NX PX: atomic on the server, so one replica wins. A plain string under
        `<prefix>claim:`; stats() skips it (it counts hashes only)."""
        with self._claim_guard:
            return bool(self._claims.set(self.prefix + "claim:" + key, b"1", nx=True, px=max(1, int(ttl * 1000))))

    def load_team(self, key: str) -> TeamDecision | None:
        with self._step_guard:
            raw = self._client.hget(self._key(key), "d")
        return None if raw is None else team_codec.decode(raw)

    def save_team(self, key: str, team: TeamDecision, expected_version: int | None) -> bool:
        args = (
            "" if expected_version is None else str(int(expected_version)),
            str(team.version),
            team_codec.encode(team).encode(),
            max(1, int(team.expires * 1000)),
            repr(float(team.deadline)) if team.open and team.deadline > 0 else "",
            key,
        )
        with self._step_guard:
            return bool(self._team_cas(keys=[self._key(key), self._due_key()], args=args) == 1)

    def _due_key(self) -> str:
        return self.prefix + "teams:due"

    def due_teams(self, now: float, limit: int = 100, prefix: str = "") -> list[str]:
        """A periodic sweep that nobody waits on: the admin deadline. With a prefix, every due
        entry is read and filtered here: only open records past their deadline are in the index."""
        with self._admin_guard:
            return self._due_teams(now, limit, prefix)

    def _due_teams(self, now: float, limit: int, prefix: str) -> list[str]:
        index = self._due_key()
        if prefix:
            keys = [k for k in map(_text, self._admin.zrangebyscore(index, "(0", now)) if k.startswith(prefix)]
            keys = keys[:limit]
        else:
            keys = [_text(k) for k in self._admin.zrangebyscore(index, "(0", now, start=0, num=limit)]
        if not keys:
            return []
        pipe = self._admin.pipeline(transaction=False)
        for k in keys:
            pipe.exists(self._key(k))
        live = pipe.execute()
        gone = [k for k, there in zip(keys, live, strict=True) if not there]
        if gone:  # expired records leave their index entry behind: drop it here
            self._admin.zrem(index, *gone)
        return [k for k, there in zip(keys, live, strict=True) if there]

    def purge_expired(self) -> int:
        """Always 0: Redis deletes expired sessions by itself (every save sets a TTL), so
        there is never anything expired left to purge."""
        return 0

    def _scan_keys(self) -> Iterator[bytes]:
        return self._admin.scan_iter(match=self._glob_prefix() + "*", count=1000)

    def _glob_prefix(self) -> str:
        # Escape glob metacharacters in the prefix so SCAN matches it literally.
        out = []
        for ch in self.prefix:
            if ch in "*?[]\\":
                out.append("\\")
            out.append(ch)
        return "".join(out)

    def stats(self) -> dict[str, object]:
        """Counts over the prefix with SCAN (never KEYS), fetched in pipelined batches.
        "expired" is always 0: Redis removes expired sessions natively."""
        sessions = done = 0
        by_framework: dict[str, int] = {}
        batch: list[bytes] = []

        def flush() -> None:
            nonlocal sessions, done
            pipe = self._admin.pipeline(transaction=False)
            for k in batch:
                pipe.hmget(k, "v", "done", "rec")
            for result in pipe.execute(raise_on_error=False):
                if isinstance(result, Exception):  # not a session hash (a claim marker)
                    continue
                v, d, rec = result
                if v is None:  # expired or deleted between SCAN and HMGET
                    continue
                sessions += 1
                if d == b"1":
                    done += 1
                if rec:
                    name = rec.decode()
                    by_framework[name] = by_framework.get(name, 0) + 1
            batch.clear()

        with self._admin_guard:
            for k in self._scan_keys():
                batch.append(k)
                if len(batch) >= 500:
                    flush()
            if batch:
                flush()
        return {
            "sessions": sessions,
            "asking": sessions - done,
            "recommended": done,
            "by_framework": dict(sorted(by_framework.items())),
            "expired": 0,
        }

    def ping(self) -> bool:
        try:
            return bool(self._admin.ping())
        except redis_lib.RedisError:
            return False

    def close(self) -> None:
        self._cache.clear()
        for client in {id(c): c for c in (self._client, self._claims, self._admin)}.values():
            client.close()

    def __repr__(self) -> str:
        kw = self._client.connection_pool.connection_kwargs
        where = kw.get("path") or f"{kw.get('host')}:{kw.get('port')}/{kw.get('db', 0)}"
        return f"RedisStore({where!r}, ttl={self.ttl}, prefix={self.prefix!r})"
