"""A throwaway redis-server for tests and the benchmark.

`start_redis()` launches ``redis-server --port <free> --bind 127.0.0.1 --save '' --appendonly no``
in a temporary directory and returns a handle whose `url` points at it; `stop()` kills it and
removes the directory. `shared_redis()` starts one per test process (stopped at exit) and is
what the `redis_url` fixture uses. Without the binary, Redis tests skip with a clear reason,
unless ADVISOR_REQUIRE_REDIS=1 (set by .ci/run), where they fail instead.
"""
from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass

import pytest

REQUIRE_ENV = "ADVISOR_REQUIRE_REDIS"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RedisServer:
    proc: subprocess.Popen
    port: int
    workdir: str

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        shutil.rmtree(self.workdir, ignore_errors=True)


def redis_binary() -> str | None:
    return shutil.which("redis-server")


def start_redis(timeout: float = 10.0) -> RedisServer:
    binary = redis_binary()
    if binary is None:
        raise FileNotFoundError("redis-server is not on PATH")
    last_err = ""
    for _ in range(3):  # a free port can be taken between probing and binding
        port = free_port()
        workdir = tempfile.mkdtemp(prefix="advisor-redis-")
        proc = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", workdir, "--protected-mode", "yes"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=workdir,
        )
        server = RedisServer(proc, port, workdir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                last_err = (proc.stdout.read() or b"").decode(errors="replace")[-500:] if proc.stdout else ""
                break
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        if proc.stdout:
                            proc.stdout.close()  # nothing reads it from here on
                            proc.stdout = None
                        return server
            except OSError:
                time.sleep(0.02)
        server.stop()
    raise RuntimeError(f"redis-server did not start: {last_err.strip()}")


_shared: RedisServer | None = None


def shared_redis() -> RedisServer:
    global _shared
    if _shared is None or _shared.proc.poll() is not None:
        _shared = start_redis()
        atexit.register(_shared.stop)
    return _shared


def require_redis() -> RedisServer:
    """The shared server, or skip (fail when ADVISOR_REQUIRE_REDIS=1) if there is no binary."""
    if redis_binary() is None:
        reason = ("redis-server not found on PATH; install it (Debian: apt-get install redis-server) "
                  "to run the Redis store tests")
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return shared_redis()


@pytest.fixture
def redis_url() -> str:
    """URL of a real, empty redis-server on a loopback port."""
    import redis

    server = require_redis()
    client = redis.Redis.from_url(server.url)
    client.flushall()
    client.close()
    return server.url
