"""How long each kind of session-store call may take: the one place these limits live.

Slack and Discord drop an interaction that is not acknowledged within 3 seconds, and a user
waiting on a click should hear "something went wrong" long before that, not after two
10-second socket timeouts. So every store call on an interactive path has a deadline of its
kind, enforced by the store itself (Redis: the socket timeout of a client per kind; SQLite:
the busy timeout of the connection), and a call past it raises `StoreUnavailable`:

    claim   the replay check of a signed Slack request, made before the ack. On a miss the
            request is handled anyway (a replay is rare, a hung store is not), so it only
            needs to be long enough for a healthy store under load.
    step    load, save, delete, owned: what a command, click, Share or Home tab waits for
            (the one an operator may change: ADVISOR_STORE_TIMEOUT, Settings.store_deadlines).
            A step is a load and a save, so a hung store gets its note after one of these and
            a slow one is done well inside Discord's deferral (reply.DEFER_AFTER, 2 s).
    admin   stats, purge, readiness and opening the store: nobody is waiting on a click.

The adapters bound their own waits on top (Slack's claim, each service call's `wait`,
Discord's deferral), so an ack never depends on these alone.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Deadlines:
    claim: float = 0.25
    # How long a Slack ack waits for the claim at most, a thread to run it on included.
    claim_wait: float = 0.5
    step: float = 1.0
    admin: float = 5.0

    @property
    def wait(self) -> float:
        """How long an adapter waits for one service call, a thread to run it on included: a
        load and a save, and a claim's worth of room. Calls queued behind others stuck on a
        hung store give up then, instead of each waiting its turn (ten clicks at once: the last
        note at 5.3 s, now at about this)."""
        return 2 * self.step + self.claim


DEADLINES = Deadlines()


class StoreUnavailable(RuntimeError):
    """A store call that did not finish within its deadline, or that the store refused (locked,
    unreachable). Not a bug in the bot: reported in one line, and the user gets the error note."""

    def __init__(self, op: str, seconds: float, why: str) -> None:
        super().__init__(f"session store {op}: {why} (deadline {seconds:g} s)")
        self.op = op
