"""The Slack adapter end to end: the real Bolt AsyncApp in HTTP mode on 127.0.0.1, signed
requests built from Slack-shaped fixtures, and a local stand-in for the Web API and
response_url that records what the bot sends. No mocks of our own code."""
from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from bot.adapters.slack.handlers.dispatch import ERROR_MESSAGE
from bot.adapters.slack.run import run_slack
from bot.observe import Observer
from bot.service.outcome import MESSAGES
from bot.store.base import Scope
from bot.store.memory import MemoryStore

try:
    from support.slack_api import BackgroundLoop, SlackAPI, free_port
    from support.slack_requests import (CHANNEL, OTHER_USER, TEAM, USER, SlackRequests, action_for, actions_body,
                                        command_body, elements, sign)
except ImportError:  # pragma: no cover - run from the repo root with tests as a package
    from tests.support.slack_api import BackgroundLoop, SlackAPI, free_port
    from tests.support.slack_requests import (CHANNEL, OTHER_USER, TEAM, USER, SlackRequests, action_for,
                                              actions_body, command_body, elements, sign)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
PRIVATE = Scope("slack", TEAM, CHANNEL, "", USER)


class Counting(Observer):
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, kind: str) -> None:
        self.errors.append(kind)


class Bot:
    def __init__(self, app, slack: SlackAPI, url: str) -> None:  # noqa: ANN001
        self.app = app
        self.slack = slack
        self.req = SlackRequests(SECRET, url)

    def command(self, text: str = "", **fields: Any):
        return self.req.command_reply(text, self.slack, **fields)

    def click(self, blocks: list[dict], action_id: str, option: str | None = None, **fields: Any):
        url = self.slack.response_url()
        status, body = self.req.click(blocks, action_id, option=option, response_url=url, **fields)
        assert status == 200, body
        return self.slack.wait_for(response_url=url)

    def session(self, scope: Scope = PRIVATE):
        return self.app.store.load(scope.key())


@pytest.fixture
def slack():
    with SlackAPI() as standin:
        yield standin


def serve(slack: SlackAPI, app, inline_budget: float | None = None):  # noqa: ANN001
    app.observer = Counting()
    port = free_port()
    extra = {} if inline_budget is None else {"inline_budget": inline_budget}
    loop = BackgroundLoop(lambda ready: run_slack(app, http=True, host="127.0.0.1", port=port, ready=ready,
                                                  **extra))
    return loop, Bot(app, slack, f"http://127.0.0.1:{port}/slack/events")


@pytest.fixture(params=["inline", "after-ack"])
def bot(request, slack, make_app):
    """Both ways a command is answered: in the ack (default) and on response_url."""
    app = make_app(slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack.base_url,
                   slack_mode="http")
    loop, bot = serve(slack, app, None if request.param == "inline" else 0)
    with loop:
        yield bot


def block_ids(blocks: list[dict]) -> list[str]:
    return [b.get("block_id", "") for b in blocks]


def recommendation_of(blocks: list[dict]) -> str | None:
    for bid in block_ids(blocks):
        if bid.startswith("recommendation:"):
            return bid.split(":", 1)[1]
    return None


def question_of(blocks: list[dict]) -> str | None:
    for bid in block_ids(blocks):
        if bid.startswith("question|"):
            return bid.split("|", 1)[1]
    return None


def answer_ids(blocks: list[dict]) -> list[dict]:
    return [e for e in elements(blocks) if e["action_id"].startswith("answer:")]


def answer_first(bot: Bot, blocks: list[dict]):
    el = answer_ids(blocks)[0]
    if el["type"] == "static_select":
        # "none" where offered: a past-success answer naming a framework decides at once
        values = [o["value"] for o in el["options"]]
        value = next((v for v in values if v.endswith("none")), values[0])
        return bot.click(blocks, el["action_id"], option=value)
    return bot.click(blocks, el["action_id"])


def all_text(blocks: list[dict]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


# -- a whole conversation --------------------------------------------------------------


def test_whole_conversation_by_clicking_then_share(bot: Bot, slack: SlackAPI) -> None:
    rec = bot.command()
    assert rec.body["response_type"] == "ephemeral"
    blocks = rec.blocks
    assert question_of(blocks)
    assert rec.body["text"].startswith("Question 1")  # the notification's words, as the header's
    steps = 0
    while recommendation_of(blocks) is None:
        # every question has the navigation row, and every element carries session and version
        nav = {e["action_id"] for e in elements(blocks) if e["action_id"].startswith("nav:")}
        assert nav == {"nav:skip", "nav:decide", "nav:back", "nav:restart"}
        session = bot.session()
        for el in elements(blocks):
            if el["type"] == "button":
                assert el["value"] == f"{session.id}:{session.version}"
            else:
                assert el["block_id"].endswith(f"|{session.id}:{session.version}")
        rec = answer_first(bot, blocks)
        assert rec.body.get("replace_original") is True, "each step replaces the previous message"
        blocks = rec.blocks
        steps += 1
        assert steps < 20
    framework = recommendation_of(blocks)
    assert framework in {f.id for f in bot.app.knowledge().frameworks}
    text = all_text(blocks)
    assert "*Why*" in text and "What would change the answer" in text
    assert re.search(r"<https?://[^|>]+\|[^>]+>", text), "links are real Slack links"
    done = {e["action_id"] for e in elements(blocks)}
    assert {"share", "nav:back", "nav:restart"} <= done

    private = bot.click(blocks, "share")
    assert private.body["replace_original"] is True, "the private result is updated in place"
    assert f"Shared in <#{CHANNEL}>." in all_text(private.blocks)
    assert bot.session().shared == CHANNEL and bot.session().sharing_until == 0, "the post confirmed the claim"
    assert "share" not in {e["action_id"] for e in elements(private.blocks)}
    assert recommendation_of(private.blocks) == framework
    session = bot.session()
    assert {e["value"] for e in elements(private.blocks) if e["type"] == "button"} == \
        {f"{session.id}:{session.version}"}, "its buttons carry the confirmed version"
    posted = slack.wait_for(api="chat.postMessage")
    assert slack.requests.index(posted) < slack.requests.index(private), "posted first, then 'Shared'"
    assert posted.body["channel"] == CHANNEL
    assert recommendation_of(posted.blocks) == framework
    assert not elements(posted.blocks), "the shared message has no buttons"
    assert f"<@{USER}>" in all_text(posted.blocks)
    assert posted.headers["Authorization"] == "Bearer xoxb-test"


def test_more_questions_after_a_recommendation(bot: Bot) -> None:
    blocks = bot.command().blocks
    while recommendation_of(blocks) is None:
        blocks = answer_first(bot, blocks).blocks
    if "nav:more" not in {e["action_id"] for e in elements(blocks)}:
        pytest.skip("every question was asked")
    rec = bot.click(blocks, "nav:more")
    assert question_of(rec.blocks)
    assert "refine" in all_text(rec.blocks)


def test_free_text_prefills(bot: Bot) -> None:
    rec = bot.command("we use django for our shop and need an admin")
    text = all_text(rec.blocks)
    assert "From your description I took" in text
    assert question_of(rec.blocks) != "experience"


def test_back_skip_restart(bot: Bot) -> None:
    first = bot.command().blocks
    q1 = question_of(first)
    second = answer_first(bot, first).blocks
    q2 = question_of(second)
    assert q2 and q2 != q1
    back = bot.click(second, "nav:back").blocks
    assert question_of(back) == q1
    skipped = bot.click(back, "nav:skip").blocks
    assert question_of(skipped) not in {q1, None} or recommendation_of(skipped)
    version = bot.session().version
    restarted = bot.click(skipped, "nav:restart").blocks
    assert question_of(restarted) == q1
    assert bot.session().version == version + 1


def test_select_menu_beyond_five_options(bot: Bot) -> None:
    blocks = bot.command().blocks
    for _ in range(15):
        selects = [e for e in answer_ids(blocks) if e["type"] == "static_select"]
        if selects:
            break
        blocks = bot.click(blocks, "nav:skip").blocks
    else:
        pytest.fail("no question with more than five options was asked")
    select = selects[0]
    assert len(select["options"]) > 5
    question = select["action_id"].split(":")[1]
    assert select["action_id"] == f"answer:{question}"
    option = select["options"][-1]["value"]
    before = bot.session()
    rec = bot.click(blocks, select["action_id"], option=option)
    assert rec.body["replace_original"] is True
    after = bot.session()
    assert after.version == before.version + 1
    assert after.state.answer_map().get(question) == option


# -- commands that need no conversation -----------------------------------------------------


def test_about_compare_help(bot: Bot) -> None:
    about = bot.command("about flask")
    assert about.blocks[0]["text"]["text"] == "Flask"
    assert "about:flask" in block_ids(about.blocks)
    compare = bot.command("compare django fastapi")
    assert compare.blocks[0]["text"]["text"] == "Django vs FastAPI"
    helped = bot.command("help")
    assert "/framework about" in all_text(helped.blocks)
    unknown = bot.command("about cobol")
    assert "I don't know a framework called" in all_text(unknown.blocks)
    assert bot.session() is None, "about/compare/help start no conversation"


def test_newer_frameworks_about_compare_and_also_consider(bot: Bot, slack: SlackAPI) -> None:
    """Issue 11 through the real Bolt app: sourced facts about Litestar, a three-way compare
    with two add-ons, and Litestar under "Also consider" in the private and the shared result."""
    litestar = all_text(bot.command("about litestar").blocks)
    assert "community organisation with several maintainers" in litestar and "as of 2026-11" in litestar
    assert "<https://github.com/litestar-org/litestar|Litestar repository (tags and files)>" in litestar
    three = bot.command("compare django drf django-ninja")
    assert three.blocks[0]["text"]["text"] == "Django vs Django REST framework vs Django Ninja"
    blocks = bot.command("fast async API, and long-term maintenance matters").blocks
    steps = 0
    while recommendation_of(blocks) is None:
        blocks = bot.click(blocks, "nav:skip").blocks
        steps += 1
        assert steps < 20
    assert recommendation_of(blocks) in {"django", "flask", "fastapi", "pyramid", "bottle", "cherrypy"}
    assert "also_consider:0" in block_ids(blocks) and "*Litestar*" in all_text(blocks)
    bot.click(blocks, "share")
    posted = slack.wait_for(api="chat.postMessage")
    assert "*Litestar*" in all_text(posted.blocks) and "Also consider (not in the article" in all_text(posted.blocks)


def test_restart_command_starts_over(bot: Bot) -> None:
    first = bot.command().blocks
    answer_first(bot, first)
    old = bot.session()
    rec = bot.command("restart")
    assert question_of(rec.blocks) == question_of(first)
    assert bot.session().id != old.id
    stale = bot.click(first, answer_ids(first)[0]["action_id"], option=(answer_ids(first)[0].get("options") or
                                                                       [{}])[0].get("value"))
    assert MESSAGES["replaced"] in all_text(stale.blocks)  # the old conversation's buttons say why


# -- what Slack would not have signed ---------------------------------------------------------


def test_forged_unsigned_and_stale_requests_are_rejected(bot: Bot, slack: SlackAPI) -> None:
    url = slack.response_url()
    body = command_body("", response_url=url)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert bot.req.post(body, {**form, **sign(body, "not-the-secret")})[0] == 401
    assert bot.req.post(body, form)[0] == 401
    assert bot.req.post(body, {**form, **sign(body, SECRET, int(time.time()) - 600)})[0] == 401
    tampered = {**form, **sign(body, SECRET)}
    assert bot.req.post(body.replace(b"U0000000001", b"U0000000666"), tampered)[0] == 401
    slack.settle()
    assert slack.posts(url) == []
    assert bot.app.store.stats()["sessions"] == 0


def test_retried_delivery_never_advances_twice(bot: Bot, slack: SlackAPI) -> None:
    url = slack.response_url()
    body = command_body("", response_url=url)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    bot.req.command_reply("", slack, response_url=url)
    session = bot.session()
    retried = {**headers, **sign(body, SECRET), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert bot.req.post(body, retried) == (200, "")
    slack.settle()
    assert len(slack.posts(url)) <= 1
    assert bot.session() == session

    # a retried mention neither, and a first-time retry (delivery never seen) is also dropped
    ts = "1700000100.000100"
    status, _ = bot.req.mention("<@UBOT000001> hi", ts=ts, headers={"X-Slack-Retry-Num": "2"})
    assert status == 200
    slack.settle()
    assert slack.calls("chat.postMessage") == []


def test_stale_click_is_answered_politely_and_not_applied(bot: Bot) -> None:
    first = bot.command().blocks
    answer_first(bot, first)
    session = bot.session()
    replay = answer_first(bot, first)
    assert replay.body["replace_original"] is False
    assert replay.body["response_type"] == "ephemeral"
    assert MESSAGES["stale"] in all_text(replay.blocks)
    assert bot.session() == session
    garbage = bot.req.click([{"type": "actions", "block_id": "nav|x", "elements": [
        {"type": "button", "action_id": "nav:skip", "value": "not a token"}]}], "nav:skip",
        response_url=(url := bot.slack.response_url()))
    assert garbage[0] == 200
    assert MESSAGES["stale"] in all_text(bot.slack.wait_for(response_url=url).blocks)
    assert bot.session() == session


# -- a public conversation in a thread ----------------------------------------------------------


def test_mention_starts_a_thread_that_only_the_owner_can_answer(bot: Bot, slack: SlackAPI) -> None:
    ts = "1700000200.000100"
    status, _ = bot.req.mention("<@UBOT000001> we need an API", ts=ts)
    assert status == 200
    posted = slack.wait_for(api="chat.postMessage")
    assert posted.body["channel"] == CHANNEL and posted.body["thread_ts"] == ts
    blocks = posted.blocks
    scope = Scope("slack", TEAM, CHANNEL, ts, "")
    session = bot.session(scope)
    assert session.owner == USER
    first = answer_ids(blocks)[0]
    assert first.get("value", first["block_id"]).endswith(f":{ts}")

    el = answer_ids(blocks)[0]
    option = el["options"][0]["value"] if el["type"] == "static_select" else None
    other = bot.click(blocks, el["action_id"], option=option, user=OTHER_USER, thread_ts=ts)
    assert other.body["response_type"] == "ephemeral" and other.body["replace_original"] is False
    assert MESSAGES["not_owner"] in all_text(other.blocks)
    assert bot.session(scope) == session

    mine = bot.click(blocks, el["action_id"], option=option, user=USER, thread_ts=ts)
    assert mine.body["replace_original"] is True
    assert bot.session(scope).version == session.version + 1

    # someone else mentioning the bot in that thread does not take it over
    bot.req.mention("<@UBOT000001> start again", ts="1700000300.000100", thread_ts=ts, user=OTHER_USER)
    note = slack.wait_for(api="chat.postEphemeral")
    assert note.body["user"] == OTHER_USER
    assert bot.session(scope).owner == USER


# -- hostile text ---------------------------------------------------------------------


MENTIONS = re.compile(r"<[!@#]")


def assert_inert(blocks: list[dict]) -> None:
    for text in re.findall(r'"text": "((?:[^"\\]|\\.)*)"', all_text(blocks)):
        assert not MENTIONS.search(text), text
        for m in re.finditer(r"<([^>]*)>", text):
            assert re.match(r"https?://", m.group(1)), f"only links we built: {m.group(0)}"


def test_hostile_text_never_notifies_or_breaks(bot: Bot, slack: SlackAPI) -> None:
    hostile = "& <!channel> <!here> <!everyone> <@U0000000009> @here <b>x</b> <https://evil.example|click>"
    about = bot.command(f"about {hostile}")
    text = all_text(about.blocks)
    assert "&lt;!channel&gt;" in text and "&amp;" in text
    assert_inert(about.blocks)
    assert_inert([{"text": about.body.get("text", "")}])

    compare = bot.command(f"compare {hostile}")
    assert_inert(compare.blocks)

    huge = bot.command("an api " + ("<!channel> @here & " * 600)[:10_000])
    assert question_of(huge.blocks)
    assert_inert(huge.blocks)
    assert len(all_text(huge.blocks)) < 20_000

    mention_ts = "1700000400.000100"
    bot.req.mention(f"<@UBOT000001> about {hostile}", ts=mention_ts)
    posted = slack.wait_for(api="chat.postMessage")
    assert_inert(posted.blocks)
    assert MENTIONS.search(posted.body.get("text", "")) is None


# -- Slack's Web API misbehaving ---------------------------------------------------------------


def _recommendation(bot: Bot) -> list[dict]:
    blocks = bot.command().blocks
    while recommendation_of(blocks) is None:
        blocks = answer_first(bot, blocks).blocks
    return blocks


def test_rate_limited_share_is_retried(bot: Bot, slack: SlackAPI) -> None:
    blocks = _recommendation(bot)
    slack.fail_next("chat.postMessage", status=429, times=1, retry_after=0)
    note = bot.click(blocks, "share")
    assert "Shared" in all_text(note.blocks)
    assert len(slack.calls("chat.postMessage")) == 2


def test_server_errors_reach_the_global_error_handler(bot: Bot, slack: SlackAPI) -> None:
    blocks = _recommendation(bot)
    slack.fail_next("chat.postMessage", status=503, times=10)
    note = bot.click(blocks, "share")
    assert ERROR_MESSAGE in all_text(note.blocks)
    assert note.body["response_type"] == "ephemeral"
    assert len(slack.calls("chat.postMessage")) == 3, "two retries with backoff, then give up"
    assert "slack" in bot.app.observer.errors


def test_rate_limited_response_url_is_retried(bot: Bot, slack: SlackAPI) -> None:
    blocks = bot.command().blocks
    url = slack.response_url()
    slack.fail_next(url.rsplit("/", 1)[-1], status=429, times=1, retry_after=0)
    status, _ = bot.req.click(blocks, "nav:skip", response_url=url)
    assert status == 200
    retried = slack.wait_for(response_url=url, index=1)
    assert retried.body == slack.wait_for(response_url=url, index=0).body, "the same reply, posted again"
    assert question_of(retried.blocks) and retried.body["replace_original"] is True
    slack.settle()
    assert len(slack.posts(url)) == 2
    assert "slack" not in bot.app.observer.errors


def test_failing_response_url_is_reported(bot: Bot, slack: SlackAPI) -> None:
    blocks = bot.command().blocks
    url = slack.response_url()
    slack.fail_next(url.rsplit("/", 1)[-1], status=503, times=10)
    status, _ = bot.req.click(blocks, "nav:skip", response_url=url)
    assert status == 200
    # two retries with backoff, then the error report tries to tell the user (retried alike)
    slack.wait_for(response_url=url, index=5, timeout=15)
    slack.settle()
    posts = slack.posts(url)
    assert len(posts) == 6
    assert ERROR_MESSAGE in all_text(posts[-1].blocks)
    assert "slack" in bot.app.observer.errors


def test_share_outside_the_channel_explains(bot: Bot, slack: SlackAPI) -> None:
    blocks = _recommendation(bot)
    slack.answer("chat.postMessage", {"ok": False, "error": "not_in_channel"})
    note = bot.click(blocks, "share")
    assert "/invite" in all_text(note.blocks) and note.body.get("replace_original") is False
    assert not any("Shared in" in all_text(p.blocks) for p in slack.posts()), "nothing said Shared"
    assert bot.session().shared == "" and bot.session().sharing_until == 0, "the claim was undone"
    # invited: the same private message (its buttons still valid) shares now, once
    slack.answer("chat.postMessage", {"ok": True, "ts": "1700000009.000100", "channel": CHANNEL})
    private = bot.click(blocks, "share")
    assert f"Shared in <#{CHANNEL}>." in all_text(private.blocks)
    assert len(slack.calls("chat.postMessage")) == 2


def test_share_happens_once(bot: Bot, slack: SlackAPI) -> None:
    """Double clicks, a click on the old message, and a replay of the very same signed request:
    one public message. Stepping on (More questions) makes a new result that may be shared."""
    blocks = _recommendation(bot)
    url = slack.response_url()
    body = actions_body(action_for(blocks, "share"), response_url=url, blocks=blocks)
    headers = bot.req.headers(body, bot.req.FORM)
    assert bot.req.post(body, headers)[0] == 200
    private = slack.wait_for(response_url=url)
    assert bot.req.post(body, headers) == (200, ""), "a replay is acked and dropped"
    again = bot.click(blocks, "share")  # the old message's Share: a fresh, signed click
    assert again.body["replace_original"] is True
    assert "share" not in {e["action_id"] for e in elements(again.blocks)}
    assert f"Shared in <#{CHANNEL}>." in all_text(again.blocks)
    slack.settle()
    assert len(slack.calls("chat.postMessage")) == 1
    assert len(slack.posts(url)) == 1, "the replay posted nothing"
    assert bot.session().shared == CHANNEL
    assert any(e["action_id"] == "nav:more" for e in elements(private.blocks))
    question = bot.click(private.blocks, "nav:more")
    result = question.blocks
    while recommendation_of(result) is None:
        result = answer_first(bot, result).blocks
    assert "share" in {e["action_id"] for e in elements(result)}
    bot.click(result, "share")
    assert len(slack.calls("chat.postMessage")) == 2


def test_share_says_shared_only_once_the_post_is_up(bot: Bot, slack: SlackAPI) -> None:
    """The public post still in flight (or the bot died before it): the private result is not
    replaced, and a second click gets a note and posts nothing. Once the post is up, the private
    result says where it went."""
    blocks = _recommendation(bot)
    hold = slack.hold_next("chat.postMessage")
    url = slack.response_url()
    status, _ = bot.req.click(blocks, "share", response_url=url)
    assert status == 200
    hold.wait_arrived()
    assert slack.posts(url) == [], "nothing says Shared while the post is on its way"
    note = bot.click(blocks, "share")  # a second click meanwhile
    assert "being shared right now" in all_text(note.blocks) and note.body.get("replace_original") is False
    hold.release()
    private = slack.wait_for(response_url=url)
    assert private.body["replace_original"] is True and f"Shared in <#{CHANNEL}>." in all_text(private.blocks)
    slack.settle()
    posted = slack.calls("chat.postMessage")
    assert len(posted) == 1 and slack.requests.index(posted[0]) < slack.requests.index(private)


class SlowStore(MemoryStore):
    """A store that takes its time, like a far-away Redis: the ack must not wait for it."""

    def load(self, key: str):  # noqa: ANN201
        time.sleep(1.2)
        return super().load(key)


def test_slow_work_happens_after_the_ack(slack: SlackAPI, make_app) -> None:  # noqa: ANN001
    app = make_app(SlowStore(), slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                   slack_api_url=slack.base_url, slack_mode="http")
    loop, bot = serve(slack, app)
    with loop:
        bot.req.command("about flask", response_url=slack.response_url())  # warm up (auth.test)
        url = slack.response_url()
        began = time.perf_counter()
        assert bot.req.command("", response_url=url) == (200, "")
        assert time.perf_counter() - began < 1.0
        rec = slack.wait_for(response_url=url)
        assert question_of(rec.blocks) and rec.body["response_type"] == "ephemeral"
