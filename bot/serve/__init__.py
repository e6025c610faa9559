"""`python -m bot serve`: every configured adapter plus health and metrics, in one asyncio process.

    Slack     SLACK_BOT_TOKEN set: Socket Mode (SLACK_APP_TOKEN) or HTTP mode (SLACK_SIGNING_SECRET),
              in HTTP mode POST /slack/events is served by the same HTTP server as health/metrics
    Discord   DISCORD_TOKEN set
    HTTP      ADVISOR_HTTP_HOST:ADVISOR_HTTP_PORT: /healthz, /readyz, /metrics (bot.ops.health)

An adapter whose token is missing is skipped with a log line; with none configured the
process still serves health and metrics. A token that is set but rejected stops the start
with a message that names the variable (exit 2). Token values never reach the log: every
configured secret is masked by bot.ops.logging.RedactingFilter.

Signals:
    SIGTERM/SIGINT  readiness turns 503, the HTTP listener closes (requests already running
                    finish), adapters disconnect, in-flight steps finish, the store is closed;
                    exit 0 within shutdown.SHUTDOWN_BUDGET seconds
    SIGHUP          reload the knowledge folder; invalid files are logged as file:line problems
                    and the old knowledge stays in force

Exit codes: 0 clean stop, 1 an adapter failed while running, 2 bad configuration or knowledge,
a rejected token, or the HTTP port cannot be bound, 78 (EX_CONFIG) the session store cannot be
opened or written (read-only or full volume); see bot.startup.

Modules: `server` (the lifecycle), `adapters` (which adapters run and how they start),
`errors` (start-up failures), `http_server` (health, metrics, Slack events), `knowledge`
(load and SIGHUP reload), `signals`, `shutdown` (the drain).
"""
from __future__ import annotations

import asyncio
import logging

from bot.ops import logging as redaction
from bot.settings import Settings

from bot.startup import StartupError, fail
from .server import Server

__all__ = ["Server", "StartupError", "main"]

log = logging.getLogger("bot.serve")


def main(settings: Settings) -> int:
    redaction.install(settings.secret_values())
    try:
        return asyncio.run(Server(settings).run())
    except StartupError as exc:
        return fail(exc)
    except KeyboardInterrupt:
        return 130
