"""Run `python -m bot serve` as a subprocess for tests: free port, clean environment, log capture.

    with Serve(tmp_path, env={...}) as bot:          # waits for "listening on"
    Serve(tmp_path, env=..., command=("discord",), wait=False)   # another command
        status, body = bot.get("/readyz")
        bot.metric("advisor_conversations_started_total") -> float
        bot.signal(signal.SIGHUP); bot.wait_log("knowledge reloaded")
        code, seconds = bot.terminate()              # SIGTERM, returns exit code and time taken
        bot.log                                      # everything written so far (stdout + stderr)
    with steps_held(env): ...                        # every step waits on the SQLite write lock
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSED = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(tmp: Path, **extra: str) -> dict[str, str]:
    """Only what serve needs: no tokens or proxies leak in from the developer's shell."""
    env = {k: os.environ[k] for k in PASSED if k in os.environ}
    env.update({
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "ADVISOR_DATA_DIR": str(tmp),
        "ADVISOR_STORE": f"sqlite:///{tmp / 'sessions.db'}",
        "ADVISOR_HTTP_HOST": "127.0.0.1",
        "ADVISOR_HTTP_PORT": str(free_port()),
        "ADVISOR_LOG_LEVEL": "INFO",
    })
    env.update(extra)
    return env


HELD_TIMEOUT = {"ADVISOR_STORE_TIMEOUT": "30"}  # env for a bot whose steps a test holds


@contextlib.contextmanager
def steps_held(env: dict[str, str]) -> Iterator[None]:
    """Keep the bot's steps in flight the way a busy volume does: another process holds the
    SQLite write lock of env's store, so every step waits on it (the bot's busy timeout)
    until the block ends. The bot gives up after ADVISOR_STORE_TIMEOUT (1 s by default): set
    it above the time held (HELD_TIMEOUT) in env."""
    lock = sqlite3.connect(env["ADVISOR_STORE"].removeprefix("sqlite:///"), isolation_level=None, timeout=10)
    lock.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        lock.execute("ROLLBACK")
        lock.close()


def run_cli(args: list[str], env: dict[str, str], stdin: str = "", timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


class Serve:
    def __init__(self, tmp: Path, env: dict[str, str] | None = None, wait: bool = True,
                 command: tuple[str, ...] = ("serve",), **extra: str) -> None:
        self.env = env if env is not None else base_env(tmp, **extra)
        port = self.env.get("ADVISOR_HTTP_PORT", "")
        self.port = int(port) if port.isdigit() else 0
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"serve-{self.port}.log"
        self.wait = wait
        self.command = command  # e.g. ("discord",): the standalone adapter (then wait=False)
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Serve:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)

    def start(self) -> None:
        self._out = open(self.log_path, "w")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", *self.command], env=self.env, cwd=ROOT,
                                     stdout=self._out, stderr=subprocess.STDOUT)
        if self.wait:
            self.wait_log("listening on", timeout=30)

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def wait_log(self, text: str | re.Pattern[str], timeout: float = 15, after: int = 0) -> str:
        """Wait until `text` appears in the log (after character offset `after`); return the log."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.log
            found = text.search(log, after) if isinstance(text, re.Pattern) else text in log[after:]
            if found:
                return log
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"serve exited with {self.proc.returncode} before {text!r}:\n{log}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} in the serve log after {timeout} s:\n{log}")
            time.sleep(0.05)

    def get(self, path: str, timeout: float = 5) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def json(self, path: str) -> tuple[int, dict]:
        status, body = self.get(path)
        return status, json.loads(body)

    def metrics(self) -> str:
        status, body = self.get("/metrics")
        assert status == 200, body
        return body

    def metric(self, name: str, labels: str = "") -> float:
        """The value of one sample, e.g. metric("advisor_recommendations_total", 'framework="django"')."""
        wanted = f"{name}{{{labels}}}" if labels else name
        for line in self.metrics().splitlines():
            if line.startswith("#"):
                continue
            sample, _, value = line.rpartition(" ")
            if sample == wanted:
                return float(value)
        raise AssertionError(f"no sample {wanted} in /metrics")

    def knowledge_fingerprint(self) -> str:
        match = re.search(r'advisor_knowledge_info\{fingerprint="([0-9a-f]+|unknown)"', self.metrics())
        assert match, "no advisor_knowledge_info in /metrics"
        return match.group(1)

    def signal(self, sig: signal.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def terminate(self, timeout: float = 15) -> tuple[int, float]:
        assert self.proc is not None
        began = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout)
        return code, time.monotonic() - began

    def wait_exit(self, timeout: float = 30) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout)
