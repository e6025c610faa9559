"""Fixtures shared by Slack test files that need one bot over HTTP (imported, not a conftest):
`slack` (the Web API / response_url stand-in, test_slack_http's own) and `bot` (one real Bolt
app per test on loopback, answering commands in the ack; test_slack_http's `bot` also runs
every test with a zero inline budget)."""
from __future__ import annotations

import pytest

try:
    from test_slack_http import SECRET, serve, slack  # noqa: F401  (slack: re-exported fixture)
except ImportError:  # pragma: no cover - tests as a package
    from tests.test_slack_http import SECRET, serve, slack  # noqa: F401


@pytest.fixture
def bot(slack, make_app):  # noqa: F811
    app = make_app(slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.base_url,
                   slack_mode="http")
    loop, bot = serve(slack, app)
    with loop:
        yield bot
