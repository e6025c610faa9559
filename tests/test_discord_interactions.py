"""The real discord.py client, command tree and persistent components against the local stand-in.

Raw INTERACTION_CREATE payloads (tests/fixtures/discord) go through discord.py's own parser;
what the bot answers is read back from the stand-in's recorded callbacks, and the next click
is built from the components the bot rendered.
"""
from __future__ import annotations

import time

import pytest
from support.discord_api import ALICE, BOB, DiscordStandIn, Driver, InProcessBot, click, flat_components

from bot.observe import Observer
from bot.store.base import Scope
from bot.store.memory import MemoryStore

EPHEMERAL = 64
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
    return [c for c in flat_components(message) if ":nav:" not in c["custom_id"] and not c["custom_id"].endswith(":share")]


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
        if message["embeds"]:
            return message, requests
        r, edited = answer_first(driver, message)
        assert r.body["type"] == 7, r.body
        assert edited["id"] == message["id"]
        requests.append(r)
        message = edited
    raise AssertionError("no recommendation")


def test_whole_conversation_from_start_to_share(driver, standin, store) -> None:
    r, message = driver.command("start")
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and no_mentions(r)
    first = flat_components(message)[0]
    assert first["type"] == 3 and len(first["options"]) == 7  # experience: a select menu
    assert [c["label"] for c in flat_components(message)[1:]] == ["Not sure / skip", "Back", "Restart"]

    final, steps = converse(driver, message)
    assert len(steps) >= 2 and all(no_mentions(s) for s in steps)
    embed = final["embeds"][0]
    session = store.load(SCOPE.key())
    recommended = driver_name(session.recommended)
    assert embed["title"].startswith(recommended)
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert {"Runner-up", "Why", "What would change the answer", "Links"} <= set(fields)
    assert final["content"] == "" and final["flags"] & EPHEMERAL

    share = next(c["custom_id"] for c in flat_components(final) if c["custom_id"].endswith(":share"))
    r, public = driver.click(final, share)
    assert r.body["type"] == 4 and not (r.data.get("flags") or 0) & EPHEMERAL and no_mentions(r)
    assert public["embeds"][0]["title"] == embed["title"] and public["components"] == []
    assert standin.messages[final["id"]]["embeds"][0]["title"] == embed["title"]  # the private one stays


def driver_name(framework_id: str) -> str:
    from bot.knowledge.loader import load_knowledge
    from conftest import KNOWLEDGE_DIR

    return load_knowledge(KNOWLEDGE_DIR).framework(framework_id).name


def test_free_text_prefills_answers(driver) -> None:
    r, message = driver.command("start", text="an API with SQLAlchemy that must be fast")
    assert "From your description I took" in message["content"]
    assert "SQLAlchemy is a must" in message["content"]


def test_select_menu_answer(driver, store) -> None:
    _, message = driver.command("start")
    select = flat_components(message)[0]
    r, edited = driver.click(message, select["custom_id"], values=["django"])
    assert r.body["type"] == 7
    assert ("experience", "django") in store.load(SCOPE.key()).state.answers


def test_back_skip_restart_and_more(driver, store) -> None:
    _, message = driver.command("start")
    _, q2 = answer_first(driver, message)
    assert "Question 2" in q2["content"]
    back_enabled = next(c for c in flat_components(q2) if c["custom_id"].endswith(":nav:back"))
    assert not back_enabled["disabled"]

    r, after_skip = driver.click(q2, nav(q2, "skip"))
    assert r.body["type"] == 7 and after_skip["id"] == message["id"]
    skipped_question = answer_components(q2)[0]["custom_id"].split(":")[3]
    assert (skipped_question, None) in store.load(SCOPE.key()).state.answers

    r, back = driver.click(after_skip, nav(after_skip, "back"))
    assert r.body["type"] == 7
    assert answer_components(back)[0]["custom_id"].split(":")[3] == skipped_question

    r, restarted = driver.click(back, nav(back, "restart"))
    assert r.body["type"] == 7 and "Question 1" in restarted["content"]
    assert store.load(SCOPE.key()).state.answers == ()

    final, _ = converse(driver, restarted)
    more = [c["custom_id"] for c in flat_components(final) if c["custom_id"].endswith(":nav:more")]
    if more:
        r, refined = driver.click(final, more[0])
        assert r.body["type"] == 7 and "(refining)" in refined["content"] and refined["embeds"] == []


def test_about_compare_help_and_autocomplete(driver, standin) -> None:
    r, message = driver.command("about", framework="django")
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL
    assert message["embeds"][0]["title"] == "Django"

    r, message = driver.command("compare", a="flask", b="fastapi")
    assert message["embeds"][0]["title"] == "Flask vs FastAPI"

    r, message = driver.command("help")
    assert "/framework start" in message["embeds"][0]["fields"][0]["value"]

    from support.discord_api import command

    payload = command("about", {"framework": "fla"}, focused="framework")
    r = driver.send(payload)
    assert r.body == {"type": 8, "data": {"choices": [{"name": "Flask", "value": "flask"}]}}
    payload = command("compare", {"a": "django", "b": ""}, focused="b")
    r = driver.send(payload)
    assert len(r.body["data"]["choices"]) == 6

    r, message = driver.command("about", framework="nosuch")
    assert r.data["flags"] & EPHEMERAL and "don't know a framework" in message["content"]


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
    shown = standin.messages[message["id"]]["content"]

    r, note = answer_first(driver, message)  # the version-1 menu, already answered
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and no_mentions(r)
    assert "earlier step" in r.data["content"]
    assert note["id"] != message["id"]
    assert store.load(SCOPE.key()).version == version
    assert standin.messages[message["id"]]["content"] == shown


def test_click_by_another_user(driver, store, standin) -> None:
    _, message = driver.command("start")
    before = store.load(SCOPE.key())

    r, _ = answer_first_as(driver, message, BOB)
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL
    assert "someone else" in r.data["content"]

    # Without interaction metadata (e.g. a client that strips it), Bob's own scope has no such session.
    stripped = dict(message)
    stripped.pop("interaction_metadata")
    r = driver.send(click(stripped, nav(message, "restart"), BOB))
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and "/framework" in r.data["content"]

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
    assert len(message["content"]) <= 2000

    r, note = driver.command("about", framework=HOSTILE)
    content = r.data["content"]
    assert no_mentions(r) and r.data["flags"] & EPHEMERAL
    assert "@everyone" not in content and "@here" not in content
    assert "<@&1" not in content and "<@1" not in content
    assert "**bold**" not in content

    r, _ = driver.command("compare", a=HOSTILE, b="x" * 10_000)
    assert no_mentions(r) and "@everyone" not in r.data.get("content", "") and len(r.data["content"]) <= 2000

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
        assert "went wrong" in r.data["content"] and "secret" not in r.data["content"]

        message = {**_fake_message(), "components": [{"type": 1, "components": [
            {"type": 2, "style": 2, "label": "Skip", "custom_id": "fa:AbCdEfGh:3:nav:skip"}]}]}
        r = driver.send(click(message, "fa:AbCdEfGh:3:nav:skip"))
        assert "went wrong" in r.data["content"] and r.data["flags"] & EPHEMERAL
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
    assert "Question 1" in message["content"] and no_mentions(edit)

    count = len(standin.requests)
    r, _ = answer_first(driver, message)
    assert r.body["type"] == 6  # deferred update
    standin.wait_for(lambda q: q.method == "PATCH" and q.path.endswith("/messages/@original"), after=count)
    assert "Question 2" in standin.messages[message["id"]]["content"]


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
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL and "Question 1" in r.data["content"]
    dm = Scope("discord", "dm", "1300000000000000009", "", ALICE["id"])
    assert store.load(dm.key()).version == 1
    message = driver.message_for(payload["id"])
    select = flat_components(message)[0]
    r = driver.send(_as_dm(click(message, select["custom_id"], values=["none"])))
    assert r.body["type"] == 7 and store.load(dm.key()).version == 2
