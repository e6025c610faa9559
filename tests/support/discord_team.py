"""Driving a Discord team decision through the stand-in, for tests and bench/team.py: start a
card, answer privately, and a burst of members finishing at once."""
from __future__ import annotations

import threading
import time
from typing import Any

from .discord_api import ALICE, DiscordStandIn, Driver, click, flat_components, is_result, texts, user


def button(message: dict[str, Any], ending: str) -> str:
    return next(c["custom_id"] for c in flat_components(message) if c["custom_id"].endswith(ending))


def team_id_of(card: dict[str, Any]) -> str:
    return button(card, ":answer").split(":")[2]


def answer_first(driver: Driver, message: dict[str, Any], who: dict[str, Any]) -> dict[str, Any]:
    """Click the first answer of the question shown (a select's first option)."""
    first = next(c for c in flat_components(message) if ":nav:" not in c["custom_id"])
    values = [first["options"][0]["value"]] if first["type"] == 3 else None
    r, message = driver.click(message, first["custom_id"], who, values)
    assert r.body["type"] == 7, r.body
    return message


def finish(driver: Driver, message: dict[str, Any], who: dict[str, Any], decide_after: int = 1) -> dict[str, Any]:
    """Answer `decide_after` questions, then Decide now (unless the result came first)."""
    for _ in range(decide_after):
        message = answer_first(driver, message, who)
        if is_result(message):  # an ordinary conversation may settle on its first answer
            return message
    r, message = driver.click(message, button(message, ":nav:decide"), who)
    assert r.body["type"] == 7 and is_result(message)
    return message


def wait_card(standin: DiscordStandIn, card_id: str, wanted: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = texts(standin.message(card_id))
        if wanted in shown:
            return shown
        time.sleep(0.01)
    raise AssertionError(f"the card never showed {wanted!r}: {texts(standin.message(card_id))}")


def card_edits(standin: DiscordStandIn, card_id: str) -> int:
    return sum(1 for r in standin.calls("/channels/") if r.method == "PATCH" and r.path.endswith("/" + card_id))


def card_burst(standin: DiscordStandIn, drivers: list[Driver], card: dict[str, Any], members: int,
               first_id: int = 1600000000000000000, settle: float = 1.5) -> tuple[float, int]:
    """`members` people (spread over `drivers`, one per replica) each press Answer and answer one
    question; then all press Decide now at the same moment. Returns the seconds from that moment
    until the card shows all of them, and how many edits of the card it took (counted once no
    edit came for `settle` seconds: a replica that edited with an older read edits again)."""
    people = [user(str(first_id + i), f"member{i}") for i in range(members)]
    pending = []
    for i, who in enumerate(people):
        d = drivers[i % len(drivers)]
        _, question = d.click(card, button(card, ":answer"), who)
        question = answer_first(d, question, who)
        pending.append((d, click(question, button(question, ":nav:decide"), who)))
    time.sleep(settle)  # whatever the card's own posting started is over: the burst starts from quiet
    before = card_edits(standin, card["id"])
    gate = threading.Barrier(len(pending) + 1)

    def press(d: Driver, payload: dict[str, Any]) -> None:
        gate.wait()
        d.send(payload, timeout=30)

    threads = [threading.Thread(target=press, args=p) for p in pending]
    for t in threads:
        t.start()
    gate.wait()
    began = time.monotonic()
    wait_card(standin, card["id"], f"{members} answered:", timeout=30)
    took = time.monotonic() - began
    for t in threads:
        t.join(30)
    edits = card_edits(standin, card["id"])
    while True:  # until the edits stop
        time.sleep(settle)
        now = card_edits(standin, card["id"])
        if now == edits:
            break
        edits = now
    return took, edits - before


__all__ = ["ALICE", "button", "card_burst", "card_edits", "finish", "team_id_of", "wait_card"]
