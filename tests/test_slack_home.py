"""The Slack App Home through the real Bolt app: a signed app_home_opened event publishes the
user's own recent results (views.publish on the Web API stand-in), and its buttons start a new
conversation in the app's DM or reopen an unfinished one where it lives."""
from __future__ import annotations

import copy
import json
from urllib.parse import urlencode

from bot.adapters.slack.handlers.home import CANNOT_REOPEN, REOPENED, STARTED
from bot.store.base import Scope

try:
    from slack_support import bot, slack  # noqa: F401  (fixtures)
    from support.slack_api import SlackAPI
    from support.slack_requests import OTHER_USER, TEAM, USER, elements, fixture
    from test_slack_http import Bot, recommendation_of
except ImportError:  # pragma: no cover
    from tests.slack_support import bot, slack  # noqa: F401
    from tests.support.slack_api import SlackAPI
    from tests.support.slack_requests import OTHER_USER, TEAM, USER, elements, fixture
    from tests.test_slack_http import Bot, recommendation_of

OTHER_CHANNEL = "C0000000002"


def finish(bot: Bot, blocks: list[dict], user: str = USER) -> list[dict]:
    for _ in range(20):
        if recommendation_of(blocks):
            return blocks
        el = next(e for e in elements(blocks) if e["action_id"].startswith("answer:"))
        option = el["options"][0]["value"] if el["type"] == "static_select" else None
        blocks = bot.click(blocks, el["action_id"], option=option, user=user).blocks
    raise AssertionError("no recommendation")


def open_home(bot: Bot, slack: SlackAPI, user: str = USER) -> dict:
    body = fixture("app_home_opened")
    body["event"]["user"] = user
    raw = json.dumps(body).encode()
    before = len(slack.calls("views.publish"))
    status, _ = bot.req.post(raw, bot.req.headers(raw, "application/json"))
    assert status == 200
    return slack.wait_for(api="views.publish", index=before).body


def home_click(bot: Bot, slack: SlackAPI, view: dict, action_id: str, user: str = USER, n: int = 0) -> None:
    element = [e for e in elements(view["blocks"]) if e["action_id"] == action_id][n]
    payload = fixture("block_actions_home")
    payload["user"]["id"] = user
    payload["view"]["blocks"] = copy.deepcopy(view["blocks"])
    payload["actions"] = [{"type": "button", "action_id": action_id, "block_id": element["block_id"] or "b",
                           "value": element["value"], "text": element["text"], "action_ts": "1700000600.000100"}]
    raw = urlencode({"payload": json.dumps(payload)}).encode()
    status, _ = bot.req.post(raw, bot.req.headers(raw, bot.req.FORM))
    assert status == 200


def test_home_shows_only_the_users_own_results(bot: Bot, slack: SlackAPI) -> None:
    done = finish(bot, bot.command("an api that must be fast").blocks)
    framework = recommendation_of(done)
    bot.command("", channel=OTHER_CHANNEL)  # unfinished, elsewhere
    bob = finish(bot, bot.command("a big website with an admin", user=OTHER_USER).blocks, OTHER_USER)
    bobs = bot.app.store.load(Scope("slack", TEAM, "C0000000001", "", OTHER_USER).key())
    assert recommendation_of(bob) and bobs is not None

    body = open_home(bot, slack)
    assert body["user_id"] == USER
    view = body["view"] if isinstance(body["view"], dict) else json.loads(body["view"])
    assert view["type"] == "home"
    text = json.dumps(view, ensure_ascii=False)
    name = bot.app.knowledge().framework(framework).name
    assert f"*{name}* \u00b7 " in text and " confidence" in text and "<!date^" in text
    assert "*Unfinished* \u00b7 Question 1:" in text and f"in <#{OTHER_CHANNEL}>" in text
    assert [e["action_id"] for e in elements(view["blocks"])] == ["home:start", "home:continue"]
    assert bobs.id not in text  # nothing of Bob's conversation
    assert [b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("recent|")] == [
        "recent|0", "recent|1"]  # Alice's two, newest (the unfinished one) first
    assert "Unfinished" in view["blocks"][[b.get("block_id") for b in view["blocks"]].index("recent|0")]["text"]["text"]
    assert "How it works" in text

    bob_view = open_home(bot, slack, OTHER_USER)
    assert bob_view["user_id"] == OTHER_USER
    bob_text = json.dumps(bob_view["view"])
    assert "home:continue" not in bob_text and "Unfinished" not in bob_text
    assert [b["block_id"] for b in bob_view["view"]["blocks"] if b.get("block_id", "").startswith("recent|")] == [
        "recent|0"]


def test_continue_reopens_the_conversation_where_it_lives(bot: Bot, slack: SlackAPI) -> None:
    first = bot.command("", channel=OTHER_CHANNEL).blocks
    el = next(e for e in elements(first) if e["action_id"].startswith("answer:"))
    # "No, or the new app is different": a past-success answer naming a framework decides at once
    bot.click(first, el["action_id"], option=el["options"][-1]["value"] if el["type"] == "static_select" else None,
              channel=OTHER_CHANNEL)  # now at question 2; the Home button carries the old version: fine
    view = open_home(bot, slack)["view"]
    slack.clear()
    home_click(bot, slack, view, "home:continue")
    posted = slack.wait_for(api="chat.postEphemeral").body
    assert posted["channel"] == OTHER_CHANNEL and posted["user"] == USER
    blocks = posted["blocks"] if isinstance(posted["blocks"], list) else json.loads(posted["blocks"])
    assert "Question 2" in json.dumps(blocks)
    notice = json.dumps(slack.wait_for(api="views.publish").body["view"])
    assert REOPENED.format(where=f"<#{OTHER_CHANNEL}>").split(":")[0] in notice

    # The reopened copy is the live conversation: its buttons work from that channel.
    session = bot.app.store.load(Scope("slack", TEAM, OTHER_CHANNEL, "", USER).key())
    el = next(e for e in elements(blocks) if e["action_id"].startswith("answer:"))
    option = el["options"][0]["value"] if el["type"] == "static_select" else None
    answered = bot.click(blocks, el["action_id"], option=option, channel=OTHER_CHANNEL)
    assert bot.app.store.load(Scope("slack", TEAM, OTHER_CHANNEL, "", USER).key()).version == session.version + 1
    assert "Question 3" in json.dumps(answered.blocks) or recommendation_of(answered.blocks)


def test_continue_where_the_bot_cannot_post_says_so(bot: Bot, slack: SlackAPI) -> None:
    bot.command("", channel=OTHER_CHANNEL)
    view = open_home(bot, slack)["view"]
    slack.answer("chat.postEphemeral", {"ok": False, "error": "channel_not_found"})
    slack.clear()
    home_click(bot, slack, view, "home:continue")
    notice = json.dumps(slack.wait_for(api="views.publish").body["view"])
    assert "can't post in the channel" in notice and CANNOT_REOPEN[:20] in notice


def test_start_a_new_one_opens_the_apps_dm(bot: Bot, slack: SlackAPI) -> None:
    view = open_home(bot, slack)["view"]
    assert "Nothing yet" in json.dumps(view)
    home_click(bot, slack, view, "home:start")
    posted = slack.wait_for(api="chat.postMessage").body
    dm = posted["channel"]
    assert dm.startswith("D")
    assert "Question 1" in json.dumps(posted["blocks"])
    assert bot.app.store.load(Scope("slack", TEAM, dm, "", USER).key()).version == 1
    assert STARTED in json.dumps(slack.wait_for(api="views.publish", index=1).body["view"])
