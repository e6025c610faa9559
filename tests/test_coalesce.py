"""bot/adapters/coalesce.py: bursts of marks become few edits, none lost, per key, at a bounded rate.
Real asyncio with short windows; the assertions are counts and order, plus the lower bound on the
gap between two edits of one key (the rate limit it exists for)."""
from __future__ import annotations

import asyncio
import time

from bot.adapters.coalesce import Coalescer

GATHER = 0.05
INTERVAL = 0.15


class Card:
    """The state an edit reads (like the store), and what each edit showed."""

    def __init__(self) -> None:
        self.count = 0
        self.shown: list[tuple[str, int, float]] = []
        self.hold: asyncio.Event | None = None
        self.fail = 0

    async def edit(self, key: str) -> bool:
        seen = self.count
        self.shown.append((key, seen, time.monotonic()))
        if self.hold is not None:
            await self.hold.wait()
        if self.fail:
            self.fail -= 1
            raise RuntimeError("message_not_found")
        return False


def run(coro):  # noqa: ANN001, ANN201
    return asyncio.run(coro)


def test_a_burst_is_one_edit_showing_all_of_it() -> None:
    async def main() -> Card:
        card = Card()
        c = Coalescer(card.edit, gather=GATHER, interval=INTERVAL)
        for _ in range(50):
            card.count += 1
            c.mark("card")
        await c.drain()
        assert c.edits == 1
        return card

    card = run(main())
    assert [(k, n) for k, n, _ in card.shown] == [("card", 50)]


def test_marks_during_an_edit_make_exactly_one_more_edit_after_the_interval() -> None:
    async def main() -> Card:
        card = Card()
        card.hold = asyncio.Event()
        c = Coalescer(card.edit, gather=GATHER, interval=INTERVAL)
        card.count = 1
        c.mark("card")
        while not card.shown:
            await asyncio.sleep(0.005)
        for _ in range(20):  # while the first edit is in flight
            card.count += 1
            c.mark("card")
        card.hold.set()
        await c.drain()
        return card

    card = run(main())
    assert [n for _, n, _ in card.shown] == [1, 21]
    assert card.shown[1][2] - card.shown[0][2] >= INTERVAL * 0.99


def test_a_steady_stream_is_edited_at_most_once_per_interval_and_ends_on_the_last_state() -> None:
    async def main() -> Card:
        card = Card()
        c = Coalescer(card.edit, gather=GATHER, interval=INTERVAL)
        end = time.monotonic() + 0.6
        while time.monotonic() < end:
            card.count += 1
            c.mark("card")
            await asyncio.sleep(0.01)
        await c.drain()
        return card

    card = run(main())
    starts = [t for _, _, t in card.shown]
    assert all(b - a >= INTERVAL * 0.99 for a, b in zip(starts, starts[1:], strict=False))
    assert 2 <= len(starts) <= 0.6 / INTERVAL + 2
    assert card.shown[-1][1] == card.count  # nothing lost: the last edit shows the last change


def test_keys_are_independent() -> None:
    async def main() -> Card:
        card = Card()
        c = Coalescer(card.edit, gather=GATHER, interval=INTERVAL)
        for key in ("a", "b", "c"):
            for _ in range(5):
                c.mark(key)
        await c.drain()
        return card

    card = run(main())
    assert sorted(k for k, _, _ in card.shown) == ["a", "b", "c"]


def test_an_edit_asking_for_another_round_gets_one() -> None:
    rounds = []

    async def edit(key: str) -> bool:
        rounds.append(key)
        return len(rounds) < 3  # overtaken twice, then up to date

    async def main() -> None:
        c = Coalescer(edit, gather=0.0, interval=0.01)
        c.mark("k")
        await c.drain()

    run(main())
    assert rounds == ["k", "k", "k"]


def test_a_failed_edit_is_one_log_line_and_the_next_mark_edits_again(caplog) -> None:  # noqa: ANN001
    async def main() -> Card:
        card = Card()
        card.fail = 1
        c = Coalescer(card.edit, gather=0.0, interval=0.01)
        c.mark("card")
        await c.drain()
        card.count = 7
        c.mark("card")
        await c.drain()
        return card

    card = run(main())
    assert [n for _, n, _ in card.shown] == [0, 7]
    failures = [r for r in caplog.records if "failed" in r.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is None


def test_close_finishes_pending_edits_then_ignores_marks() -> None:
    async def main() -> Card:
        card = Card()
        c = Coalescer(card.edit, gather=GATHER, interval=INTERVAL)
        card.count = 3
        c.mark("card")
        await c.close()
        c.mark("card")
        assert not c.pending("card")
        return card

    card = run(main())
    assert [n for _, n, _ in card.shown] == [3]
