"""Stale, foreign and malformed result custom_ids on Discord, through discord.py against the
REST stand-in: each is an ephemeral note that pings nobody, saves nothing and logs no traceback."""
from __future__ import annotations

import logging

import pytest
from support.discord_api import BOB, texts

from bot.adapters.discord import ids
from bot.adapters.discord.client import UNKNOWN_BUTTON

from test_discord_interactions import EPHEMERAL, SCOPE, bot, driver, no_mentions, standin, start_bot, store  # noqa: F401
from test_discord_results import custom_id, finish, with_button


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()] == []


@pytest.mark.parametrize("tail", ["whatif:nosuch:x", "whatif:experience:nope", "whatif:experience", "export",
                                  "compare", "nav:decide", "whatif:experience:django", "bogus", "export:x",
                                  "nav:bogus"])
@pytest.mark.parametrize("who", ["stale", "foreign", "asking", "garbled"])
def test_result_ids(driver, store, caplog, tail: str, who: str) -> None:  # noqa: ANN001
    caplog.set_level(logging.INFO)
    result = finish(driver)
    prefix = custom_id(result, ":export").rsplit(":", 1)[0]  # fa:<session>:<version>
    fa, session, version = prefix.split(":")
    if who == "stale":
        cid = f"{fa}:{session}:{int(version) - 1}:{tail}"
    elif who == "garbled":
        cid = f"{fa}:{session}x:{version}:{tail}"
    elif who == "asking":
        _, asking = driver.command("start")
        result = asking
        cid = custom_id(asking, ":nav:skip").replace(":nav:skip", f":{tail}")
    else:
        cid = f"{prefix}:{tail}"
    before = store.load(SCOPE.key())
    r, _ = driver.click(with_button(result, cid), cid, *([BOB] if who == "foreign" else []))
    assert r.body["type"] in (4, 7) and no_mentions(r)
    if ids.parse(cid) is None:
        assert UNKNOWN_BUTTON in texts(r.data)
    if (who, tail) != ("asking", "nav:decide"):  # deciding while asking is a real step
        assert store.load(SCOPE.key()) == before
    no_tracebacks(caplog)
    errors = [x for x in caplog.records if x.levelno >= logging.WARNING]
    assert len(errors) <= 1, [x.getMessage() for x in errors]
