"""Fixtures shared by Slack test files that need one bot over HTTP (imported, not a conftest):
`slack` (the Web API / response_url stand-in) and `bot` (the real Bolt app on loopback,
answering commands in the ack)."""
from __future__ import annotations

import pytest

try:
    from support.slack_api import SlackAPI
    from test_slack_http import SECRET, serve
except ImportError:  # pragma: no cover - tests as a package
    from tests.support.slack_api import SlackAPI
    from tests.test_slack_http import SECRET, serve


@pytest.fixture
def slack():
    with SlackAPI() as standin:
        yield standin


@pytest.fixture
def bot(slack, make_app):
    app = make_app(slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.base_url,
                   slack_mode="http")
    loop, bot = serve(slack, app)
    with loop:
        yield bot
