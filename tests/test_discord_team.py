"""Team decisions on Discord (issue 16), through the real discord.py client against the stand-in:
/framework team posts a public card, Answer gives each member the ordinary private
conversation, the card is edited as members finish (a burst is one edit), Close and decide
and a deadline post the team result; refusals, hostile descriptions and a deleted card.
"""
from __future__ import annotations

import re
import time

import pytest
from redis_server import redis_url  # noqa: F401  (fixture)
from support.discord_api import (ALICE, BOB, CHANNEL_ID, DiscordStandIn, Driver, InProcessBot, flat_components,
                                 texts, user)
from support.discord_api import click as click_payload
from support.discord_team import answer_first, button, card_burst, finish, team_id_of, wait_card

from bot.adapters.discord import cards
from bot.store.base import Scope
from bot.store.memory import MemoryStore
from bot.store.team import team_key

EPHEMERAL = 64
COMPONENTS_V2 = 1 << 15
GUILD = "1200000000000000001"
CARD_SCOPE = Scope("discord", GUILD, CHANNEL_ID)
CAROL = user("1500000000000000003", "carol")


@pytest.fixture
def standin():
    s = DiscordStandIn().start()
    yield s
    s.stop()


@pytest.fixture
def start_bot(standin, make_app):
    bots: list[InProcessBot] = []

    def factory(store, fast: bool = True, **settings) -> InProcessBot:
        app = make_app(store=store, discord_api_url=standin.api_url, **settings)
        bot = InProcessBot(app).start()
        if fast:  # the burst test keeps the real pace
            bot.client.cards.coalescer.gather, bot.client.cards.coalescer.interval = 0.05, 0.1
        bots.append(bot)
        return bot

    yield factory
    for bot in bots:
        bot.stop()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def bot(start_bot, store) -> InProcessBot:
    return start_bot(store)


@pytest.fixture
def driver(standin, bot) -> Driver:
    return Driver(standin, bot.inject)


def no_mentions(request) -> bool:  # noqa: ANN001
    return request.data.get("allowed_mentions") == {"parse": []}


def team_of(store, team_id: str):  # noqa: ANN001, ANN201
    return store.load_team(team_key("discord", GUILD, team_id))


def start_team(driver: Driver, who: dict = ALICE, **options: str) -> dict:
    r, card = driver.command("team", who, **options)
    assert r.body["type"] == 4 and not r.data["flags"] & EPHEMERAL and r.data["flags"] & COMPONENTS_V2
    assert no_mentions(r)
    return card


def until(ok, timeout: float = 10.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not ok():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.02)


def test_team_card_answer_close_and_result(driver, standin, store) -> None:
    card = start_team(driver, description="Internal admin tool for the billing team")
    shown = texts(card)
    assert f"Started by <@{ALICE['id']}>" in shown and "Internal admin tool for the billing team" in shown
    assert "Nobody has answered yet." in shown
    assert [c["label"] for c in flat_components(card)] == ["Answer", "Close and decide"]
    team_id = team_id_of(card)
    until(lambda: team_of(store, team_id).card == card["id"])

    # Bob answers privately: the ordinary conversation, its buttons carrying the team
    r, question = driver.click(card, button(card, ":answer"), BOB)
    assert r.body["type"] == 4 and r.data["flags"] & EPHEMERAL
    assert all(f".{team_id}:" in c["custom_id"] for c in flat_components(question))
    result = finish(driver, question, BOB)
    assert "count for the team decision" in texts(result)
    assert not any(c["custom_id"].endswith((":share", ":askteam")) for c in flat_components(result))
    assert dict(team_of(store, team_id).member(BOB["id"]).answers)
    wait_card(standin, card["id"], f"1 answered:** <@{BOB['id']}>")
    edits = [r for r in standin.calls(f"/channels/{CHANNEL_ID}/messages/{card['id']}") if r.method == "PATCH"]
    assert edits and all(no_mentions(e) for e in edits)

    # Carol is halfway through when Alice closes it: her answers then are refused, politely
    _, halfway = driver.click(card, button(card, ":answer"), CAROL)
    halfway = answer_first(driver, halfway, CAROL)

    # Carol may not close it; Alice does
    r, note = driver.click(card, button(card, ":close"), CAROL)
    assert r.data["flags"] & EPHEMERAL and "Only the person who started" in texts(note)
    r, closed = driver.click(card, button(card, ":close"), ALICE)
    assert r.body["type"] == 7 and "Closed" in texts(closed) and not flat_components(closed)
    # the result is the click's public follow-up (no channel permission needed, as Share)
    post = standin.wait_for(lambda q: q.method == "POST" and q.path.startswith("/webhooks/"))
    assert no_mentions(post) and post.data["flags"] & COMPONENTS_V2 and not post.data["flags"] & EPHEMERAL
    posted = [m for m in list(standin.messages.values()) if "the team's pick" in texts(m)]
    assert len(posted) == 1
    shown = texts(posted[0])
    for part in ("**Why**", "**How the team answered**", "**Each member's own pick**"):
        assert part in shown
    labels = [c["label"] for c in flat_components(posted[0])]
    assert labels[:2] == ["Export decision record", "Compare top 3"]
    wait_card(standin, card["id"], f"<#{CHANNEL_ID}>")
    assert team_of(store, team_id).result == CHANNEL_ID
    _, late = driver.click(halfway, button(halfway, ":nav:decide"), CAROL)
    assert f"closed. The team result is in <#{CHANNEL_ID}>" in texts(late)
    assert [m.user for m in team_of(store, team_id).members] == [BOB["id"]]

    # A closed decision refuses new answers and says where the result is
    r, note = driver.click(card, button(card, ":answer"), CAROL)
    assert r.data["flags"] & EPHEMERAL and "closed" in texts(note) and f"<#{CHANNEL_ID}>" in texts(note)

    # The result's Export, Compare top 3 and what-if answer privately
    r, _ = driver.click(posted[0], button(posted[0], ":export"), CAROL)
    assert r.body["data"]["flags"] & EPHEMERAL
    record = r.files[0]["data"].decode()
    assert "Decision Drivers" in record and BOB["username"] in record
    r, compared = driver.click(posted[0], button(posted[0], ":compare"), CAROL)
    assert r.data["flags"] & EPHEMERAL and texts(compared)
    whatifs = [c for c in flat_components(posted[0]) if ":whatif:" in c["custom_id"]]
    assert whatifs  # one member who decided after one answer leaves answers that would change the pick
    r, shown_whatif = driver.click(posted[0], whatifs[0]["custom_id"], CAROL)
    assert r.data["flags"] & EPHEMERAL and "**With the team's answers:**" in texts(shown_whatif)
    assert texts(standin.message(posted[0]["id"])) == shown  # the public result stays as it was


HOSTILE = "@everyone @here <@&1200000000000000009> <@1500000000000000002> <#1300000000000000001> **bold** __u__ " \
          "`code` ||spoiler|| [link](https://evil.example) # heading\n> quote " + "x" * 10_000


def test_a_hostile_description_pings_nobody_and_fits(driver, standin) -> None:
    card = start_team(driver, description=HOSTILE)
    r = standin.wait_for(lambda q: q.path.startswith("/interactions/") and q.body.get("type") == 4)
    assert no_mentions(r)
    shown = texts(card)
    assert "@everyone" not in shown and "@here" not in shown and "<@&" not in shown and "<#1300" not in shown
    for markup in (r"\*\*bold", r"\|\|spoiler", r"\[link\]\(", r"`code`", r"__u__"):
        assert not re.search(r"(?<!\\)" + markup, shown), markup  # every markdown character escaped
    assert sum(len(t["content"]) for t in _text_displays(card)) <= 4000
    assert "x" * 100 in shown and "x" * 2000 not in shown  # cut, safely


def _text_displays(message: dict) -> list[dict]:
    from support.discord_api import walk

    return [c for c in walk(message["components"]) if c.get("type") == 10]


def test_ask_my_team_from_a_private_result(driver, standin, store) -> None:
    _, question = driver.command("start")
    result = finish(driver, question, ALICE)
    r, card = driver.click(result, button(result, ":askteam"), ALICE)
    assert r.body["type"] == 4 and not r.data["flags"] & EPHEMERAL and no_mentions(r)
    assert f"1 answered:** <@{ALICE['id']}>" in texts(card)
    team = team_of(store, team_id_of(card))
    until(lambda: team_of(store, team.id).card == card["id"])
    assert team.member(ALICE["id"]).source == "start"


def test_stale_and_foreign_team_clicks_get_a_private_note(driver, standin) -> None:
    card = start_team(driver)
    r, note = driver.click(card, button(card, ":close"), ALICE)  # nobody has answered: nothing to decide
    assert r.data["flags"] & EPHEMERAL and "Nobody has answered yet" in texts(note)
    forged = dict(card)
    for custom_id in ("fa:team:NoSuchTeam12:answer", "fa:team:NoSuchTeam12:close", "fa:team:NoSuchTeam12:export"):
        forged["components"] = [{"type": 17, "components": [{"type": 1, "components": [
            {"type": 2, "style": 2, "label": "x", "custom_id": custom_id}]}]}]
        r, note = driver.click(forged, custom_id, BOB)
        assert r.data["flags"] & EPHEMERAL and "expired" in texts(note)
    # the card's own buttons, clicked from another channel (a forwarded copy), find nothing
    payload = click_payload(card, button(card, ":answer"), BOB)
    payload["channel_id"] = payload["channel"]["id"] = payload["message"]["channel_id"] = "1300000000000000009"
    r = driver.send(payload)
    assert r.data["flags"] & EPHEMERAL and "expired" in texts(driver.message_for(payload["id"]))


def posts(standin: DiscordStandIn) -> list[dict]:
    """What the bot posted in the channel by itself (not as an interaction's reply)."""
    return [r.body for r in standin.calls(f"/channels/{CHANNEL_ID}/messages") if r.method == "POST"]


def test_a_deleted_card_loses_no_answers_and_comes_back_while_open(driver, standin, store) -> None:
    card = start_team(driver, description="quick one")
    team_id = team_id_of(card)
    until(lambda: team_of(store, team_id).card == card["id"])
    _, question = driver.click(card, button(card, ":answer"), BOB)
    standin.delete_message(card["id"])  # a moderator deletes the card while Bob answers
    finish(driver, question, BOB)
    standin.wait_for(lambda q: q.method == "PATCH" and q.path.endswith(card["id"]) and q.status == 404)
    until(lambda: team_of(store, team_id).card not in ("", card["id"]))
    again = standin.message(team_of(store, team_id).card)
    assert f"1 answered:** <@{BOB['id']}>" in texts(again) and len(posts(standin)) == 1
    assert all(r.get("allowed_mentions") == {"parse": []} for r in posts(standin))
    assert team_of(store, team_id).member(BOB["id"]) is not None
    r, closed = driver.click(again, button(again, ":close"), ALICE)  # the starter can still close it
    assert r.body["type"] == 7 and "Closed" in texts(closed)
    standin.wait_for(lambda q: q.method == "POST" and q.path.startswith("/webhooks/"))  # the result's follow-up
    assert any("the team's pick" in texts(m) for m in list(standin.messages.values()))


def test_a_card_deleted_before_its_deadline_still_gets_the_result_posted(driver, standin, store, bot) -> None:
    card = start_team(driver, description="quick one", deadline="1h")
    team_id = team_id_of(card)
    assert "by itself at <t:" in texts(card)
    until(lambda: team_of(store, team_id).card == card["id"])
    _, question = driver.click(card, button(card, ":answer"), BOB)
    finish(driver, question, BOB)
    wait_card(standin, card["id"], "1 answered")
    standin.delete_message(card["id"])
    assert bot.call(cards.close_due(bot.client, now=time.time() + 3601)) == 1
    standin.wait_for(lambda q: q.method == "PATCH" and q.path.endswith(card["id"]) and q.status == 404)
    (result,) = posts(standin)  # the result, as the bot; the closed card is not posted again
    assert result["allowed_mentions"] == {"parse": []} and result["flags"] & COMPONENTS_V2
    until(lambda: team_of(store, team_id).result == CHANNEL_ID)
    assert not team_of(store, team_id).open and team_of(store, team_id).member(BOB["id"]) is not None
    assert bot.call(cards.close_due(bot.client, now=time.time() + 3601)) == 0  # closed once


def test_fifty_members_finishing_at_once_on_two_replicas(standin, start_bot, redis_url) -> None:
    from bot.store.redis import RedisStore

    bots = [start_bot(RedisStore(redis_url), fast=False) for _ in range(2)]
    drivers = [Driver(standin, b.inject) for b in bots]
    card = start_team(drivers[0])
    _, edits = card_burst(standin, drivers, card, 50)
    team = RedisStore(redis_url).load_team(team_key("discord", GUILD, team_id_of(card)))
    assert len(team.members) == 50 and len({m.user for m in team.members}) == 50
    assert "50 answered:" in texts(standin.message(card["id"]))
    assert edits <= 12, edits  # coalesced: a handful per replica, not one per member


class SlowTeams(MemoryStore):
    """Every team record read or write takes `delay` seconds; reads fail as a store past its deadline."""

    def __init__(self) -> None:
        super().__init__()
        self.delay = 0.0
        self.down = False

    def load_team(self, key):  # noqa: ANN001, ANN201
        from bot.store.deadlines import StoreUnavailable

        if self.down:
            raise StoreUnavailable("load_team", 1.0, "timed out")
        time.sleep(self.delay)
        return super().load_team(key)

    def save_team(self, key, team, expected_version):  # noqa: ANN001, ANN201
        time.sleep(self.delay)
        return super().save_team(key, team, expected_version)


def test_a_slow_or_failing_store_never_holds_the_callback(standin, start_bot) -> None:
    store = SlowTeams()
    bot = start_bot(store)
    bot.client.defer_after = 0.1
    driver = Driver(standin, bot.inject)
    store.delay = 0.4
    r, _ = driver.command("team", ALICE, description="slow")
    assert r.body["type"] == 5 and not (r.body.get("data") or {}).get("flags", 0) & EPHEMERAL  # a public placeholder
    edit = standin.wait_for(lambda q: q.method == "PATCH" and q.path.endswith("/messages/@original"))
    card = driver.message_for(r.path.split("/")[2])
    assert "Team decision" in texts(card) and no_mentions(edit)
    r, _ = driver.click(card, button(card, ":answer"), BOB)
    assert r.body["type"] == 5 and r.body["data"]["flags"] & EPHEMERAL  # "thinking", privately
    r, _ = driver.click(card, button(card, ":close"), ALICE)
    assert r.body["type"] == 6  # deferred update of the card
    store.delay, store.down = 0.0, True
    began = time.monotonic()
    r, note = driver.click(card, button(card, ":answer"), CAROL)
    assert time.monotonic() - began < 3 and r.data["flags"] & EPHEMERAL and "went wrong" in texts(note)


def test_the_card_works_after_a_restart(standin, start_bot, store) -> None:
    first = start_bot(store)
    card = start_team(Driver(standin, first.inject))
    until(lambda: team_of(store, team_id_of(card)).card == card["id"])
    first.stop()
    driver = Driver(standin, start_bot(store).inject)  # a new process: nothing in memory but the store
    _, question = driver.click(card, button(card, ":answer"), BOB)
    finish(driver, question, BOB)
    wait_card(standin, card["id"], f"1 answered:** <@{BOB['id']}>")
    r, closed = driver.click(card, button(card, ":close"), ALICE)
    assert r.body["type"] == 7 and "Closed" in texts(closed)


def test_where_only_the_user_installed_the_app_a_team_card_is_refused(driver, standin) -> None:
    from support.discord_api import command

    payload = command("team", {"description": "x"}, ALICE)
    payload["authorizing_integration_owners"] = {"1": ALICE["id"]}  # a user install: the bot is not in the server
    r = driver.send(payload)
    assert r.data["flags"] & EPHEMERAL and "need me in this server" in texts(driver.message_for(payload["id"]))


def test_a_rate_limited_card_edit_is_sent_again_after_the_wait(driver, standin, store) -> None:
    """Discord answers an edit with 429: discord.py waits `retry_after` and sends it again, and
    the card still ends showing the member."""
    card = start_team(driver)
    until(lambda: team_of(store, team_id_of(card)).card == card["id"])
    standin.rate_limit_next("PATCH", rf"/channels/{CHANNEL_ID}/messages/{card['id']}", retry_after=0.4)
    _, question = driver.click(card, button(card, ":answer"), BOB)
    finish(driver, question, BOB)
    wait_card(standin, card["id"], f"1 answered:** <@{BOB['id']}>")
    edits = [r for r in standin.calls(f"/channels/{CHANNEL_ID}/messages/{card['id']}") if r.method == "PATCH"]
    assert [r.status for r in edits] == [429, 200]
    assert edits[1].at - edits[0].at >= 0.35  # it waited as told
