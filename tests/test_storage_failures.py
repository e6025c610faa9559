"""Storage that fails says so, once, clearly: `serve`, `slack` and `discord` on a read-only
data directory, a read-only volume, a full disk or a path through a file exit 78 (EX_CONFIG)
with one line naming the setting, the path and the OS error, and no traceback. While running,
/readyz reports `store: false` when SQLite cannot write, and a step on a full disk gets the
polite error note and works again once there is room.

Real SQLite on a real small tmpfs (mount -t tmpfs -o size=...): root can write through
chmod, so a read-only mount is the honest way to make a directory unwritable. Where mounting
is not permitted, those tests skip with the reason."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

try:
    from support.serve_process import Serve, base_env, run_cli
    from support.slack_api import SlackAPI
    from support.slack_requests import SlackRequests, elements
except ImportError:  # pragma: no cover
    from tests.support.serve_process import Serve, base_env, run_cli
    from tests.support.slack_api import SlackAPI
    from tests.support.slack_requests import SlackRequests, elements

from bot.adapters.slack.handlers.dispatch import ERROR_MESSAGE
from bot.startup import EX_CONFIG

TOKEN = "xoxb-1111111111-2222222222-storageTestTokenValue"
SECRET = "storage-test-signing-secret-0123456789abcdef"
pytestmark = pytest.mark.slow


class Volume:
    """A small tmpfs mounted at `path` for one test."""

    def __init__(self, path: Path, size: str = "2m") -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'not permitted'}); "
                        "needs root with CAP_SYS_ADMIN")

    def remount(self, mode: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.path)], check=True, capture_output=True)

    def fill(self) -> Path:
        """Write until the disk is full; returns the filler file (delete it to make room)."""
        filler = self.path / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        try:
            for chunk in (65536, 4096, 512, 1):
                try:
                    while True:
                        os.write(fd, b"\0" * chunk)
                except OSError:
                    pass
        finally:
            os.close(fd)
        return filler

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True)


@pytest.fixture
def volume(tmp_path):
    vols: list[Volume] = []

    def make(size: str = "2m") -> Volume:
        vol = Volume(tmp_path / f"vol{len(vols)}", size)
        vols.append(vol)
        return vol

    yield make
    for vol in vols:
        vol.unmount()


COMMANDS = {
    "serve": (["serve"], {}),
    "slack": (["slack", "--http"], {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
                                    "SLACK_API_URL": "http://127.0.0.1:9/api/"}),
    "discord": (["discord"], {"DISCORD_TOKEN": "discord-token-value", "DISCORD_API_URL": "http://127.0.0.1:9/api/v10"}),
}


def start(tmp_path: Path, command: str, data_dir: Path, store: str = "") -> subprocess.CompletedProcess:
    args, extra = COMMANDS[command]
    env = base_env(tmp_path, ADVISOR_DATA_DIR=str(data_dir), **extra)
    if store:
        env["ADVISOR_STORE"] = store
    else:
        env.pop("ADVISOR_STORE")
    return run_cli(args, env, timeout=60)


def one_clear_line(done: subprocess.CompletedProcess, *needles: str) -> str:
    out = done.stdout + done.stderr
    assert done.returncode == EX_CONFIG, out
    assert "Traceback" not in out, out
    lines = [line for line in out.splitlines() if "cannot start" in line]
    assert len(lines) == 1, out
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_path_through_a_file_exits_78_naming_setting_path_and_error(tmp_path, command) -> None:
    (tmp_path / "afile").write_text("not a directory")
    data = tmp_path / "afile" / "data"
    one_clear_line(start(tmp_path, command, data), "ADVISOR_DATA_DIR", str(data / "sessions.db"), "Not a directory")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_read_only_volume_exits_78(tmp_path, volume, command) -> None:
    vol = volume()
    vol.remount("ro")
    line = one_clear_line(start(tmp_path, command, vol.path), "ADVISOR_DATA_DIR", str(vol.path / "sessions.db"),
                          "Read-only file system")
    assert line.count("cannot start") == 1


def test_a_read_only_volume_with_an_existing_database_exits_78(tmp_path, volume) -> None:
    vol = volume()
    from bot.store.sqlite import SqliteStore

    SqliteStore(vol.path / "sessions.db").close()
    vol.remount("ro")
    store = f"sqlite:///{vol.path / 'sessions.db'}"
    one_clear_line(start(tmp_path, "serve", tmp_path / "elsewhere", store), "ADVISOR_STORE", "Read-only file system")


def test_a_read_only_database_file_exits_78(tmp_path, volume) -> None:
    """The file itself read-only, on a volume mounted read-only underneath a writable path."""
    vol = volume()
    from bot.store.sqlite import SqliteStore

    SqliteStore(vol.path / "sessions.db").close()
    vol.remount("ro")
    one_clear_line(start(tmp_path, "discord", vol.path), "ADVISOR_DATA_DIR", "Read-only file system")


@pytest.mark.parametrize("command", ["serve", "slack"])
def test_a_full_disk_exits_78(tmp_path, volume, command) -> None:
    vol = volume("1m")
    vol.fill()
    one_clear_line(start(tmp_path, command, vol.path), "ADVISOR_DATA_DIR", "No space left on device")


def test_readyz_reports_a_store_that_cannot_write_and_recovers(tmp_path, volume) -> None:
    vol = volume("4m")
    env = base_env(tmp_path, ADVISOR_DATA_DIR=str(vol.path))
    env.pop("ADVISOR_STORE")
    with Serve(tmp_path, env=env) as bot:
        status, body = bot.json("/readyz")
        assert status == 200 and body["store"] is True
        filler = vol.fill()
        status, body = bot.json("/readyz")
        assert status == 503 and body["store"] is False, body
        filler.unlink()
        status, body = bot.json("/readyz")
        assert status == 200 and body["store"] is True, body
        assert bot.terminate()[0] == 0
    assert "Traceback" not in bot.log


def test_a_full_disk_while_running_gets_the_polite_note_and_recovers(tmp_path, volume) -> None:
    vol = volume("4m")
    with SlackAPI() as slack:
        env = base_env(tmp_path, ADVISOR_DATA_DIR=str(vol.path), SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
                       SLACK_MODE="http", SLACK_API_URL=slack.base_url)
        env.pop("ADVISOR_STORE")
        with Serve(tmp_path, env=env) as bot:
            req = SlackRequests(SECRET, f"{bot.base}/slack/events")
            blocks = req.command_reply("", slack).blocks
            filler = vol.fill()

            def click(blocks: list[dict]):  # noqa: ANN202
                el = next(e for e in elements(blocks) if e["action_id"].startswith("answer:"))
                option = el["options"][0]["value"] if el["type"] == "static_select" else None
                url = slack.response_url()
                assert req.click(blocks, el["action_id"], option=option, response_url=url)[0] == 200
                return slack.wait_for(response_url=url, timeout=10)

            failed = click(blocks)
            assert failed.body["text"] == ERROR_MESSAGE and failed.body["replace_original"] is False
            filler.unlink()
            ok = click(blocks)
            assert ok.body.get("replace_original") is True and json.dumps(ok.blocks) != json.dumps(blocks)
            assert bot.terminate()[0] == 0
