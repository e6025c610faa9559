"""A request a stand-in keeps waiting until the test releases it: a post still in flight."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class Hold:
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def wait_arrived(self, timeout: float = 10.0) -> None:
        assert self.arrived.wait(timeout), f"the held request did not arrive within {timeout}s"

    def release(self) -> None:
        self.released.set()

    async def block(self, limit: float = 30.0) -> None:
        """In the stand-in's handler: say it arrived, then wait (off the loop) for the release."""
        import asyncio

        self.arrived.set()
        await asyncio.to_thread(self.released.wait, limit)
