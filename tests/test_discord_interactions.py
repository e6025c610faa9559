"""The real discord.py client, command tree and persistent components against the local stand-in.

Raw INTERACTION_CREATE payloads (tests/fixtures/discord) go through discord.py's own parser;
what the bot answers is read back from the stand-in's recorded callbacks, and the next click
is built from the components the bot rendered.
"""
from __future__ import annotations

import json
import time

import pytest
from support.discord_api import (ALICE, BOB, DiscordStandIn, Driver, InProcessBot, click, flat_components, is_result,
                                 texts)

from bot.observe import Observer
from bot.store.base import Scope
from bot.adapters.discord.components import ITEMS
from bot.store.memory import MemoryStore

EPHEMERAL = 64
COMPONENTS_V2 = 1 << 15
SCOPE = Scope("discord", "1200000000000000001", "1300000000000000001", "", ALICE["id"])


@pytest.fixture
def standin():
    s = DiscordStandIn().start()
    yield s
    s.stop()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def start_bot(standin, make_app):
    bots: list[InProcessBot] = []

    def factory(store, **settings) -> InProcessBot:
        app = make_app(store=store, discord_api_url=standin.api_url, **settings)
        bot = InProcessBot(app).start()
        bots.append(bot)
        return bot

    yield factory
    for bot in bots:
        bot.stop()


@pytest.fixture
def bot(start_bot, store) -> InProcessBot:
    return start_bot(store)


@pytest.fixture
def driver(standin, bot) -> Driver:
    return Driver(standin, bot.inject)


def no_mentions(request) -> bool:  # noqa: ANN001
    return request.data.get("allowed_mentions") == {"parse": []}


def answer_components(message: dict) -> list[dict]:
    return [c for c in flat_components(message)
            if ":nav:" not in c["custom_id"] and not c["custom_id"].endswith(":share")]


def nav(message: dict, action: str) -> str:
    return next(c["custom_id"] for c in flat_components(message) if c["custom_id"].endswith(f":nav:{action}"))


def answer_first(driver: Driver, message: dict, prefer: str = "none"):  # noqa: ANN201
    """Click the first answer (for a select: the option `prefer` if offered, else the first)."""
    component = answer_components(message)[0]
    if component["type"] == 3:
        values = [o["value"] for o in component["options"]]
        return driver.click(message, component["custom_id"], values=[prefer if prefer in values else values[0]])
    return driver.click(message, component["custom_id"])


def converse(driver: Driver, message: dict, limit: int = 20) -> tuple[dict, list]:
    """Answer until the recommendation; every step must edit the same message (type 7)."""
    requests = []
    for _ in range(limit):
        if is_result(message):
            return message, requests
        r, edited = answer_first(driver, message)
        assert r.body["type"] == 7, r.body
        assert edited["id"] == message["id"]
        requests.append(r)
        message = edited
    raise AssertionError("no recommendation")


def test_whole_conversation_from_start_to_share(driver, standin, store) -> None:
    r, message = driver.command("start")
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and r.data["flags"] & COMPONENTS_V2 and no_mentions(r)
    assert [c["type"] for c in r.data["components"]] == [17]  # one Container
    assert not r.data.get("content") and not r.data.get("embeds")  # V2: the layout is the whole message
    first = flat_components(message)[0]
    assert first["type"] == 3 and len(first["options"]) == 7  # experience: a select menu
    assert [c["label"] for c in flat_components(message)[1:]] == ["Not sure / skip", "Back", "Decide now", "Restart"]

    final, steps = converse(driver, message)
    assert len(steps) >= 2 and all(no_mentions(s) for s in steps)
    assert all(s.data["flags"] & COMPONENTS_V2 and s.data["components"][0]["type"] == 17 for s in steps)
    shown = texts(final)
    session = store.load(SCOPE.key())
    recommended = driver_name(session.recommended)
    assert f"## {recommended} \u2014 recommended for your project" in shown
    for wanted in ("**Runner-up:**", "**Why**", "**What would change it**", "**Links**"):
        assert wanted in shown
    assert final["content"] == "" and final["embeds"] == [] and final["flags"] & EPHEMERAL
    assert final["flags"] & COMPONENTS_V2

    share = next(c["custom_id"] for c in flat_components(final) if c["custom_id"].endswith(":share"))
    mark = len(standin.requests)
    r, _ = driver.click(final, share)
    # deferred (DEFERRED_UPDATE_MESSAGE): the private result stays as it is until the post is up
    assert r.body["type"] == 6
    follow, edit = posted_then_edited(standin, mark)
    assert not (follow.body.get("flags") or 0) & EPHEMERAL and follow.body["flags"] & COMPONENTS_V2
    assert follow.body.get("allowed_mentions") == {"parse": []}
    public = standin.messages[max(standin.messages, key=int)]
    assert f"## {recommended}" in texts(public) and flat_components(public) == []
    assert f"Shared by <@{ALICE['id']}>" in texts(public), "the public message says whose result it is"
    # then the private result, edited in place: it says where it went and offers no second Share
    assert no_mentions(edit)
    private = standin.messages[final["id"]]
    assert f"Shared in <#{SCOPE.channel}>" in texts(private)
    assert not any(c["custom_id"].endswith(":share") for c in flat_components(private))
    session = store.load(SCOPE.key())
    assert session.shared == SCOPE.channel and session.sharing_until == 0, "the post confirmed the claim"
    assert all(c["custom_id"].split(":")[2] == str(session.version) for c in flat_components(private)), \
        "the private result's buttons carry the confirmed version"

    # Share again on the old copy (a double click): shown again, nothing posted
    mark2 = len(standin.requests)
    r, _ = driver.click(final, share)
    assert r.body["type"] == 6
    standin.wait_for(lambda q: q.method == "PATCH" and q.path.endswith("/messages/@original"), after=mark2)
    assert f"Shared in <#{SCOPE.channel}>" in texts(standin.messages[final["id"]])
    time.sleep(0.3)
    assert len(public_posts(standin, mark)) == 1, "one public message"


def test_clicks_go_to_the_registered_items_and_no_message_is_kept_in_memory(driver, bot) -> None:
    """Every message is a plain layout (view.build_view); clicks on it, now or after a restart,
    are answered by the dynamic items registered at start-up. discord.py keeps no view per sent
    message, so a long-running bot does not grow with the messages it has sent."""
    _, message = driver.command("start")
    final, steps = converse(driver, message)
    assert steps and is_result(final)
    store = bot.client._connection._view_store
    assert not store._views and not store._synced_message_views
    assert set(store._dynamic_items.values()) == set(ITEMS)


def public_posts(standin: DiscordStandIn, after: int) -> list:
    """Public follow-ups the stand-in accepted (a refused one posted nothing)."""
    return [q for q in standin.requests[after:] if q.method == "POST" and q.path.startswith("/webhooks/")
            and not (q.body.get("flags") or 0) & EPHEMERAL and q.status == 200]


def private_edits(standin: DiscordStandIn, after: int) -> list:
    return [q for q in standin.requests[after:] if q.method == "PATCH" and q.path.endswith("/messages/@original")]


def posted_then_edited(standin: DiscordStandIn, after: int):  # noqa: ANN201
    """The public post, then the private result's edit: in that order, the edit after the post."""
    edit = standin.wait_for(lambda q: q.method == "PATCH" and q.path.endswith("/messages/@original"), after=after)
    posts = public_posts(standin, after)
    assert len(posts) == 1, "the public copy was posted before the private result changed"
    assert standin.requests.index(posts[0]) < standin.requests.index(edit)
    return posts[0], edit


def driver_name(framework_id: str) -> str:
    from bot.knowledge.loader import load_knowledge
    from conftest import KNOWLEDGE_DIR

    return load_knowledge(KNOWLEDGE_DIR).framework(framework_id).name


def test_also_consider_in_the_private_and_the_shared_result(driver, standin) -> None:
    """Issue 11's "done when" on Discord: the article's pick, with Litestar under Also consider."""
    _, message = driver.command("start", text="fast async API, and long-term maintenance matters")
    for _ in range(20):
        if is_result(message):
            break
        _, message = driver.click(message, nav(message, "skip"))
    shown = texts(message)
    assert "**Also consider (not in the article; facts as of 2026-11)**" in shown
    assert "**Litestar**" in shown and "community organisation with several maintainers" in shown
    assert "[Litestar documentation](https://docs.litestar.dev/)" in shown
    share = next(c["custom_id"] for c in flat_components(message) if c["custom_id"].endswith(":share"))
    mark = len(standin.requests)
    driver.click(message, share)
    standin.wait_for(lambda q: q.method == "POST" and q.path.startswith("/webhooks/"), after=mark)
    public = standin.messages[max(standin.messages, key=int)]
    assert "**Litestar**" in texts(public)


def test_free_text_prefills_answers(driver) -> None:
    r, message = driver.command("start", text="an API with SQLAlchemy that must be fast")
    assert "From your description I took" in texts(message)
    assert "SQLAlchemy is a must" in texts(message)


def test_select_menu_answer(driver, store) -> None:
    _, message = driver.command("start")
    select = flat_components(message)[0]
    r, edited = driver.click(message, select["custom_id"], values=["django"])
    assert r.body["type"] == 7
    assert ("experience", "django") in store.load(SCOPE.key()).state.answers


def test_back_skip_restart_and_more(driver, store) -> None:
    _, message = driver.command("start")
    _, q2 = answer_first(driver, message)
    assert "Question 2" in texts(q2)
    back_enabled = next(c for c in flat_components(q2) if c["custom_id"].endswith(":nav:back"))
    assert not back_enabled["disabled"]

    r, after_skip = driver.click(q2, nav(q2, "skip"))
    assert r.body["type"] == 7 and after_skip["id"] == message["id"]
    skipped_question = answer_components(q2)[0]["custom_id"].split(":")[3]
    assert (skipped_question, None) in store.load(SCOPE.key()).state.answers

    r, back = driver.click(after_skip, nav(after_skip, "back"))
    assert r.body["type"] == 7
    assert answer_components(back)[0]["custom_id"].split(":")[3] == skipped_question

    answers = store.load(SCOPE.key()).state.answers
    r, asking = driver.click(back, nav(back, "restart"))  # only asks
    assert r.body["type"] == 7 and "Start over?" in texts(asking) and "discards your 1 answer." in texts(asking)
    assert store.load(SCOPE.key()).state.answers == answers
    r, kept = driver.click(asking, nav(asking, "cancel"))
    assert r.body["type"] == 7 and "Start over?" not in texts(kept) and nav(kept, "back")
    assert store.load(SCOPE.key()).state.answers == answers
    _, asking = driver.click(kept, nav(kept, "restart"))
    r, restarted = driver.click(asking, nav(asking, "reset"))
    assert r.body["type"] == 7 and "Question 1" in texts(restarted)
    assert store.load(SCOPE.key()).state.answers == ()

    final, _ = converse(driver, restarted)
    more = [c["custom_id"] for c in flat_components(final) if c["custom_id"].endswith(":nav:more")]
    if more:
        r, refined = driver.click(final, more[0])
        assert r.body["type"] == 7 and "refining" in texts(refined) and not is_result(refined)


def test_about_compare_help_and_autocomplete(driver, standin) -> None:
    r, message = driver.command("about", framework="django")
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL
    assert texts(message).startswith("## Django\n")

    r, message = driver.command("compare", a="flask", b="fastapi")
    assert texts(message).startswith("## Flask vs FastAPI\n")
    r, message = driver.command("compare", a="django", b="drf", c="django-ninja")  # the third is optional
    assert texts(message).startswith("## Django vs Django REST framework vs Django Ninja\n")
    assert "Django REST framework and Django Ninja are not in the article" in texts(message)
    r, message = driver.command("about", framework="litestar")
    assert "community organisation with several maintainers" in texts(message)
    assert "[1] [Litestar repository (tags and files)](https://github.com/litestar-org/litestar)" in texts(message)

    r, message = driver.command("help")
    assert "/framework start" in texts(message)

    from support.discord_api import command

    payload = command("about", {"framework": "fla"}, focused="framework")
    r = driver.send(payload)
    assert r.body == {"type": 8, "data": {"choices": [{"name": "Flask", "value": "flask"}]}}
    payload = command("compare", {"a": "django", "b": ""}, focused="b")
    r = driver.send(payload)
    choices = r.body["data"]["choices"]
    assert len(choices) == 15  # the article's six and the nine to also consider
    assert {"name": "Litestar", "value": "litestar"} in choices
    assert {"name": "Django Ninja", "value": "django-ninja"} in choices

    r, message = driver.command("about", framework="nosuch")
    assert r.data["flags"] & EPHEMERAL and "don't know a framework" in texts(message)


def test_click_after_restart_with_a_new_client(standin, store, start_bot) -> None:
    first = start_bot(store)
    _, message = Driver(standin, first.inject).command("start")
    first.stop()

    second = start_bot(store)  # a new process would build exactly this: new client, same store
    driver = Driver(standin, second.inject)
    r, edited = answer_first(driver, message)
    assert r.body["type"] == 7 and edited["id"] == message["id"]
    assert store.load(SCOPE.key()).version == 2


def test_stale_click_changes_nothing(driver, store, standin) -> None:
    _, message = driver.command("start")
    _, q2 = answer_first(driver, message)
    version = store.load(SCOPE.key()).version
    shown = standin.messages[message["id"]]["components"]

    r, note = answer_first(driver, message)  # the version-1 menu, already answered
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and no_mentions(r)
    assert "earlier step" in texts(r.data) and "already been answered" in texts(r.data)
    assert note["id"] != message["id"]
    assert store.load(SCOPE.key()).version == version
    assert standin.messages[message["id"]]["components"] == shown


def test_click_by_another_user(driver, store, standin) -> None:
    _, message = driver.command("start")
    before = store.load(SCOPE.key())

    r, _ = answer_first_as(driver, message, BOB)
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL
    assert "someone else" in texts(r.data)

    # Without interaction metadata (e.g. a client that strips it), Bob's own scope has no such session.
    stripped = dict(message)
    stripped.pop("interaction_metadata")
    r = driver.send(click(stripped, nav(message, "restart"), BOB))
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and "/framework" in texts(r.data)

    assert store.load(SCOPE.key()) == before


def answer_first_as(driver: Driver, message: dict, who: dict):  # noqa: ANN201
    component = answer_components(message)[0]
    values = [component["options"][0]["value"]] if component["type"] == 3 else None
    return driver.click(message, component["custom_id"], who, values)


HOSTILE = "@everyone @here <@&123456789012345678> <@1500000000000000002> **bold** ||x|| `tick` [l](http://evil)"


def test_hostile_text_cannot_ping_or_format(driver, standin) -> None:
    text = HOSTILE + " I need an api that is fast " + "A" * 10_000
    r, message = driver.command("start", text=text)
    assert r.body["type"] == 4 and no_mentions(r)
    assert len(texts(message)) <= 4000

    r, note = driver.command("about", framework=HOSTILE)
    content = texts(r.data)
    assert no_mentions(r) and r.data["flags"] & EPHEMERAL
    assert "@everyone" not in content and "@here" not in content
    assert "<@&1" not in content and "<@1" not in content
    assert "**bold**" not in content

    r, _ = driver.command("compare", a=HOSTILE, b="x" * 10_000)
    assert no_mentions(r) and "@everyone" not in texts(r.data) and len(texts(r.data)) <= 4000

    for request in standin.calls("/interactions/"):
        assert no_mentions(request) or request.body["type"] == 8


class Recorder(Observer):
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, kind: str) -> None:
        self.errors.append(kind)


class BrokenStore(MemoryStore):
    """A store whose backend has gone away."""

    def load(self, key: str):  # noqa: ANN201
        raise ConnectionError("database is down: secret connection details")


def test_one_error_hook_for_commands_and_components(standin, make_app, caplog) -> None:
    from bot.bootstrap import build
    from bot.settings import Settings
    from conftest import KNOWLEDGE_DIR

    recorder = Recorder()
    app = build(Settings(knowledge_dir=KNOWLEDGE_DIR, discord_api_url=standin.api_url), store=BrokenStore(),
                observer=recorder)
    bot = InProcessBot(app).start()
    try:
        driver = Driver(standin, bot.inject)
        r, _ = driver.command("start")
        assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL
        assert "went wrong" in texts(r.data) and "secret" not in texts(r.data)

        message = {**_fake_message(), "components": [{"type": 1, "components": [
            {"type": 2, "style": 2, "label": "Skip", "custom_id": "fa:AbCdEfGh:3:nav:skip"}]}]}
        r = driver.send(click(message, "fa:AbCdEfGh:3:nav:skip"))
        assert "went wrong" in texts(r.data) and r.data["flags"] & EPHEMERAL
        assert recorder.errors.count("discord") == 2
        assert "database is down" in caplog.text
    finally:
        bot.stop()


def _fake_message() -> dict:
    from support.discord_api import fixture

    return fixture("component_button.json")["message"]


class SlowStore(MemoryStore):
    def load(self, key: str):  # noqa: ANN201
        time.sleep(0.4)
        return super().load(key)


def test_slow_steps_defer_first(standin, start_bot) -> None:
    bot = start_bot(SlowStore())
    bot.client.defer_after = 0.05
    driver = Driver(standin, bot.inject)
    r, _ = driver.command("start")
    assert r.body["type"] == 5 and r.data["flags"] & EPHEMERAL  # deferred ("thinking"), privately
    edit = standin.wait_for(lambda q: q.method == "PATCH" and q.path.endswith("/messages/@original"))
    message = standin.messages[standin.responded[r.path.split("/")[2]]]
    assert "Question 1" in texts(message) and no_mentions(edit)
    assert edit.body["flags"] & COMPONENTS_V2  # a deferred reply takes the flag on its edit

    count = len(standin.requests)
    r, _ = answer_first(driver, message)
    assert r.body["type"] == 6  # deferred update
    standin.wait_for(lambda q: q.method == "PATCH" and q.path.endswith("/messages/@original"), after=count)
    assert "Question 2" in texts(standin.messages[message["id"]])


def _as_dm(payload: dict) -> dict:
    """The same interaction as Discord sends it from a direct message: `user`, a DM channel, no guild."""
    for key in ("guild_id", "member", "guild_locale"):
        payload.pop(key, None)
    payload["user"] = ALICE
    payload["channel_id"] = "1300000000000000009"
    payload["channel"] = {"id": "1300000000000000009", "type": 1, "last_message_id": None, "flags": 0,
                          "recipients": [ALICE]}
    payload["context"] = 1
    payload["authorizing_integration_owners"] = {"1": ALICE["id"]}
    if "message" in payload:
        payload["message"].pop("guild_id", None)
        payload["message"]["channel_id"] = "1300000000000000009"
    return payload


def test_conversation_in_a_direct_message(driver, store) -> None:
    from support.discord_api import command

    payload = _as_dm(command("start", {}))
    r = driver.send(payload)
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and "Question 1" in texts(r.data)
    dm = Scope("discord", "dm", "1300000000000000009", "", ALICE["id"])
    assert store.load(dm.key()).version == 1
    message = driver.message_for(payload["id"])
    select = flat_components(message)[0]
    r = driver.send(_as_dm(click(message, select["custom_id"], values=["none"])))
    assert r.body["type"] == 7 and store.load(dm.key()).version == 2


def test_a_new_note_replaces_the_previous_one(driver, store, standin) -> None:
    _, message = driver.command("start")
    answer_first(driver, message)
    r1, note1 = answer_first(driver, message)  # stale: the version-1 menu
    assert "already been answered" in texts(note1) and note1["flags"] & COMPONENTS_V2
    r2, note2 = driver.click(message, nav(message, "skip"))  # stale again
    assert note2["id"] != note1["id"]
    standin.wait_for(lambda q: q.method == "DELETE" and q.path.endswith("/messages/@original"))
    assert standin.deleted == [note1["id"]] and note2["id"] in standin.messages
    assert message["id"] in standin.messages  # the conversation itself is never deleted


def _in_channel(payload: dict, channel: str) -> dict:
    """The same interaction, sent from another text channel of the guild."""
    payload["channel_id"] = channel
    payload["channel"] = {**payload["channel"], "id": channel, "name": "other"}
    if "message" in payload:
        payload["message"]["channel_id"] = channel
    return payload


def test_a_note_in_one_channel_leaves_the_users_note_in_another(driver, store, standin) -> None:
    from support.discord_api import command

    other = "1300000000000000002"
    start = _in_channel(command("start", {}), other)
    driver.send(start)
    there = driver.message_for(start["id"])
    menu = answer_components(there)[0]["custom_id"]
    assert driver.send(_in_channel(click(there, menu, values=["none"]), other)).body["type"] == 7
    stale = _in_channel(click(there, menu, values=["none"]), other)
    assert driver.send(stale).body["type"] == 4  # Alice's note in the other channel
    note_there = driver.message_for(stale["id"])
    _, here = driver.command("start")
    answer_first(driver, here)
    _, note_here = answer_first(driver, here)  # stale: her note in this channel
    _, again = driver.click(here, nav(here, "skip"))  # and a second one here, which replaces it
    standin.wait_for(lambda q: q.method == "DELETE" and q.path.endswith("/messages/@original"))
    time.sleep(0.3)  # room for a wrong second deletion to arrive
    assert standin.deleted == [note_here["id"]], "only this channel's earlier note goes"
    assert note_there["id"] in standin.messages and again["id"] in standin.messages


def test_a_replaced_conversation_says_so(driver, store) -> None:
    _, old = driver.command("start")
    _, new = driver.command("start")
    r, note = answer_first(driver, old)
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL
    assert "replaced by a newer one" in texts(note)
    assert store.load(SCOPE.key()).version == 1  # the new conversation is untouched
    store.delete(SCOPE.key())
    r, note = answer_first(driver, new)
    assert "expired" in texts(note)


def test_every_conversation_message_is_one_components_v2_container(driver, standin) -> None:
    _, message = driver.command("start", text="an api")
    converse(driver, message)
    _, asking = driver.click(standin.messages[message["id"]], nav(standin.messages[message["id"]], "restart"))
    for request in standin.calls("/interactions/"):
        body = request.body
        if body["type"] in (4, 7):
            assert body["data"]["flags"] & COMPONENTS_V2, body
            assert [c["type"] for c in body["data"]["components"]] == [17], body
            assert body["data"]["components"][0]["accent_color"] is not None


SEND_MESSAGES = 1 << 11


def _user_installed(payload: dict, can_post: bool) -> dict:
    """The same interaction from a server where only Alice installed the app (the bot is not a
    member): owners name the user, not the guild, and `member.permissions` are hers."""
    payload["authorizing_integration_owners"] = {"1": ALICE["id"]}
    perms = int(payload["member"]["permissions"])
    perms = perms | SEND_MESSAGES if can_post else perms & ~SEND_MESSAGES
    payload["member"]["permissions"] = str(perms)
    payload["app_permissions"] = "0"
    return payload


def test_user_installed_app_shares_only_where_the_user_may_post(driver, standin, store) -> None:
    from support.discord_api import command

    payload = _user_installed(command("start", {"text": "an api that must be fast"}), can_post=False)
    r = driver.send(payload)
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and "Question" in texts(r.data)
    message = driver.message_for(payload["id"])
    final = message
    for _ in range(20):
        if is_result(final):
            break
        component = answer_components(final)[0]
        values = [component["options"][-1]["value"]] if component["type"] == 3 else None
        r = driver.send(_user_installed(click(final, component["custom_id"], values=values), can_post=False))
        assert r.body["type"] == 7
        final = standin.messages[message["id"]]
    share = next(c["custom_id"] for c in flat_components(final) if c["custom_id"].endswith(":share"))
    before = len(standin.messages)
    r = driver.send(_user_installed(click(final, share), can_post=False))
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and "can't post in this channel" in texts(r.data)

    assert store.load(SCOPE.key()).shared == ""  # nothing was claimed
    mark = len(standin.requests)
    r = driver.send(_user_installed(click(final, share), can_post=True))
    assert r.body["type"] == 6  # deferred; the private result says where it went once posted
    follow, _ = posted_then_edited(standin, mark)
    assert follow.body["allowed_mentions"] == {"parse": []}
    assert len(standin.messages) == before + 2  # the note and the public post
    assert store.load(SCOPE.key()).shared == SCOPE.channel
    assert f"Shared in <#{SCOPE.channel}>" in texts(standin.messages[final["id"]])


def test_registration_allows_user_installs_and_every_context(make_app) -> None:
    from bot.adapters.discord.client import build_client

    client = build_client(make_app())
    payload = client.tree.get_command("framework").to_dict(client.tree)
    assert payload["integration_types"] == [0, 1]  # GUILD_INSTALL, USER_INSTALL
    assert payload["contexts"] == [0, 1, 2]  # GUILD, BOT_DM, PRIVATE_CHANNEL


PROGRESS = __import__("re").compile(
    r"-# Question (\d+)(?: \u00b7 at most (\d+) more| \u00b7 last one)?(?: \u00b7 refining)?\n")


def test_every_question_carries_its_number(driver, store) -> None:
    """N counts the questions asked in this conversation (skips included), never the answers
    taken from the description; Back takes it down again."""
    _, message = driver.command("start", text="an api with sqlalchemy")
    assert store.load(SCOPE.key()).state.from_text  # some answers came from the text
    seen = []
    for _ in range(20):
        if is_result(message):
            break
        m = PROGRESS.search(texts(message))
        assert m, texts(message)
        state = store.load(SCOPE.key()).state
        assert int(m.group(1)) == state.user_answers() + 1
        seen.append(int(m.group(1)))
        _, message = (driver.click(message, nav(message, "skip")) if len(seen) == 2 else answer_first(driver, message))
    assert seen == list(range(1, len(seen) + 1)) and len(seen) >= 2
    _, back = driver.click(message, nav(message, "back"))
    assert PROGRESS.search(texts(back)).group(1) == str(len(seen))


def _answer_with(driver: Driver, message: dict, pick: int = -1):  # noqa: ANN202
    """Answer with option number `pick` (of the select's options or of the answer buttons)."""
    components = answer_components(message)
    if components[0]["type"] == 3:
        value = components[0]["options"][pick]["value"]
        return value, driver.click(message, components[0]["custom_id"], values=[value])[1]
    chosen = components[pick]
    return chosen["custom_id"].split(":")[-1], driver.click(message, chosen["custom_id"])[1]


def test_back_marks_the_earlier_answer_and_the_same_answer_goes_forward(driver, store) -> None:
    _, q1 = driver.command("start")
    first, q2 = _answer_with(driver, q1, -1)
    back = driver.click(q2, nav(q2, "back"))[1]
    (select,) = [c for c in answer_components(back) if c["type"] == 3]
    assert [o["value"] for o in select["options"] if o.get("default")] == [first]
    assert "before: choose it again to keep it" in texts(back)
    again, forward = _answer_with(driver, back, -1)
    assert again == first and answer_components(forward)[0]["custom_id"].split(":")[3] == \
        answer_components(q2)[0]["custom_id"].split(":")[3]  # the same next question as before

    while answer_components(forward)[0]["type"] == 3:  # get to a question with buttons
        _, forward = _answer_with(driver, forward, 0)
    buttons_at = forward
    picked, after = _answer_with(driver, buttons_at, -1)
    if is_result(after):
        pytest.skip("this path ended right after the button question")
    back = driver.click(after, nav(after, "back"))[1]
    styles = {c["custom_id"].split(":")[-1]: c["style"] for c in answer_components(back)}
    assert styles.pop(picked) == 1 and set(styles.values()) == {2}  # primary among secondary


def test_decide_now_recommends_unsettled(driver, store) -> None:
    _, q1 = driver.command("start")
    _, q2 = _answer_with(driver, q1, -1)  # "No, or the new app is different": nothing decided yet
    r, result = driver.click(q2, nav(q2, "decide"))
    assert r.body["type"] == 7 and is_result(result)
    shown = texts(result)
    assert "not yet settled" in shown and "**Not yet settled**" in shown
    assert "Still open: " in shown
    assert store.load(SCOPE.key()).state.done


def test_a_message_from_the_previous_release_becomes_components_v2(driver, standin, store) -> None:
    """Before this release a question was content plus plain action rows (no V2 flag), and a
    result an embed; a click on one still works, and the edit turns it into the V2 layout."""
    _, message = driver.command("start")
    session = store.load(SCOPE.key())
    select = answer_components(message)[0]
    old = dict(standin.messages[message["id"]], content="**Question 1**\n**Has your team...**",
               embeds=[{"title": "old"}], flags=EPHEMERAL,
               components=[{"type": 1, "components": [select]},
                           {"type": 1, "components": [{"type": 2, "style": 4, "label": "Restart",
                                                       "custom_id": f"fa:{session.id}:1:nav:restart"}]}])
    standin.messages[message["id"]] = old
    r, edited = driver.click(old, select["custom_id"], values=["none"])
    assert r.body["type"] == 7
    data = r.body["data"]
    assert data["content"] is None and data["embeds"] == [] and data["flags"] & COMPONENTS_V2
    assert edited["content"] == "" and edited["embeds"] == [] and edited["flags"] & COMPONENTS_V2
    assert "Question 2" in texts(edited) and store.load(SCOPE.key()).version == 2


def test_two_share_clicks_at_once_post_one_public_message(driver, standin, store) -> None:
    r, message = driver.command("start")
    final, _ = converse(driver, message)
    share = next(c["custom_id"] for c in flat_components(final) if c["custom_id"].endswith(":share"))
    mark = len(standin.requests)
    clicks = [click(final, share), click(final, share)]
    for payload in clicks:  # both in before either is answered
        standin.register(payload)
        driver._send(payload)
    callbacks = [standin.callback(p["id"]) for p in clicks]
    assert all(c.body["type"] == 6 for c in callbacks)
    posted_then_edited(standin, mark)
    time.sleep(0.3)
    assert len(public_posts(standin, mark)) == 1, "one public message for two clicks"
    post = standin.requests.index(public_posts(standin, mark)[0])
    for edit in private_edits(standin, mark):  # the loser shows "Shared" only if the post was up
        if "Shared in" in json.dumps(edit.body):
            assert standin.requests.index(edit) > post
    assert store.load(SCOPE.key()).shared == SCOPE.channel
    assert f"Shared in <#{SCOPE.channel}>" in texts(standin.messages[final["id"]])


def _to_result(driver: Driver):  # noqa: ANN202
    _, message = driver.command("start")
    final, _ = converse(driver, message)
    return final, next(c["custom_id"] for c in flat_components(final) if c["custom_id"].endswith(":share"))


def test_a_click_while_the_post_is_in_flight_never_says_shared(driver, standin, store) -> None:
    """The public post is still on its way (or the bot died before it): the private result does
    not say "Shared", and another click gets a note instead of a second post."""
    final, share = _to_result(driver)
    mark = len(standin.requests)
    hold = standin.hold_next("POST", r"/webhooks/\d+/[^/]+")
    first = click(final, share)
    standin.register(first)
    driver._send(first)
    assert standin.callback(first["id"]).body["type"] == 6
    hold.wait_arrived()
    assert "Shared" not in texts(standin.messages[final["id"]]), "nothing posted yet, so nothing says Shared"
    assert any(c["custom_id"].endswith(":share") for c in flat_components(standin.messages[final["id"]]))
    second = click(final, share)
    r = driver.send(second)
    assert r.body["type"] == 6
    note = standin.wait_for(lambda q: q.method == "POST" and q.path.startswith("/webhooks/")
                            and (q.body.get("flags") or 0) & EPHEMERAL, after=mark)
    assert "being shared right now" in texts(note.body)
    assert not private_edits(standin, mark) and "Shared" not in texts(standin.messages[final["id"]])
    hold.release()
    posted_then_edited(standin, mark)
    assert f"Shared in <#{SCOPE.channel}>" in texts(standin.messages[final["id"]])
    time.sleep(0.3)
    assert len(public_posts(standin, mark)) == 1


@pytest.mark.parametrize(("status", "code", "message", "said"), [
    (403, 50001, "Missing Access", "I can't post in this channel"),
    (400, 50035, "Invalid Form Body", "Discord refused the post (HTTP 400)"),
])
def test_a_refused_post_says_why_and_keeps_share(driver, standin, store, status, code, message, said) -> None:
    final, share = _to_result(driver)
    mark = len(standin.requests)
    standin.fail_next("POST", r"/webhooks/\d+/[^/]+", status, code, message)
    r, _ = driver.click(final, share)
    assert r.body["type"] == 6
    edit = standin.wait_for(lambda q: q.method == "PATCH" and q.path.endswith("/messages/@original"), after=mark)
    private = standin.messages[final["id"]]
    assert f"Not shared: {said}" in texts(private) and "Shared in" not in texts(private)
    buttons = [c["custom_id"] for c in flat_components(private)]
    assert any(b.endswith(":share") for b in buttons), "Share stays available"
    assert no_mentions(edit) and not public_posts(standin, mark)
    session = store.load(SCOPE.key())
    assert session.shared == "" and session.sharing_until == 0, "the claim was undone"
    assert all(b.split(":")[2] == str(session.version) for b in buttons), "its buttons are current"
    # Share from the edited result: posted once, and now it says so
    mark = len(standin.requests)
    again = next(b for b in buttons if b.endswith(":share"))
    r, _ = driver.click(private, again)
    assert r.body["type"] == 6
    posted_then_edited(standin, mark)
    private = standin.messages[final["id"]]
    assert f"Shared in <#{SCOPE.channel}>" in texts(private) and "Not shared" not in texts(private)
