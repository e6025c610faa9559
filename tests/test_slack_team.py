"""Team decisions on Slack (issue 16), end to end: the real Bolt AsyncApp over signed HTTP
against the Web API stand-in, with Slack-shaped payloads. The card, Answer, the members'
private conversations, the coalesced card edits, Close and decide, the team result and its
buttons, the deadline, Ask my team, and the refusals."""
from __future__ import annotations

import json

import pytest

from bot.service.team import TEAM_MESSAGES
from bot.store.memory import MemoryStore
from bot.store.team import team_key

try:
    from slack_team_support import (CHANNEL, SECRET, Replica, card_body, first_answer, is_card, is_result,
                                    members_line, text_of, until)
    from support.slack_api import SlackAPI
    from support.slack_requests import OTHER_USER, TEAM, USER, action_for, elements
except ImportError:  # pragma: no cover
    from tests.slack_team_support import (CHANNEL, SECRET, Replica, card_body, first_answer, is_card, is_result,
                                          members_line, text_of, until)
    from tests.support.slack_api import SlackAPI
    from tests.support.slack_requests import OTHER_USER, TEAM, USER, action_for, elements

HOSTILE = ("<!channel> <!everyone> <!here> @channel <@U0000000009> <#C0000000009> *bold* _it_ ~x~ `code` "
           "<https://evil.example|click me> &amp; ")


@pytest.fixture
def slack():
    with SlackAPI() as standin:
        yield standin


@pytest.fixture
def bot(slack, make_app):
    app = make_app(MemoryStore(), slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                   slack_api_url=slack.base_url, slack_mode="http")
    with Replica(app, slack, sweep=0.2) as replica:
        yield replica


def finish(bot: Replica, card: list[dict], user: str, name: str, pick: int = 0) -> list[dict]:
    """Answer on the card, answer the first question, then Decide now: the member's own result."""
    rec = bot.click_card_reply(card, "team:answer", user=user, name=name)
    assert rec.body["response_type"] == "ephemeral" and rec.body.get("replace_original") is False
    action, option = first_answer(rec.blocks, pick)
    rec = bot.click(rec.blocks, action, user=user, option=option)
    return bot.click(rec.blocks, "nav:decide", user=user).blocks


def card_updates(slack: SlackAPI) -> list:
    return [r for r in slack.calls("chat.update") if is_card(r)]


def test_the_card_is_public_escaped_and_pings_nobody(bot: Replica, slack: SlackAPI) -> None:
    long = HOSTILE + "x" * 10_000
    status, body, url = bot.command(f"team {long}", user_name="<!channel> ana")
    assert status == 200 and body == ""  # an empty ack: the card is what the channel sees
    rec = until(lambda: slack.calls("chat.postMessage"))[0]
    assert rec.body["channel"] == CHANNEL and "thread_ts" not in rec.body
    shown = text_of(rec.blocks) + rec.body["text"]
    for ping in ("<!channel>", "<!everyone>", "<!here>", "<@U", "<#C", "<https://evil"):
        assert ping not in shown
    assert "@\u200dchannel" in shown  # a bare @channel is defused, still readable
    assert len(json.dumps(rec.blocks)) < 6000  # the 10 KB description was cut
    ids = {e["action_id"] for e in elements(rec.blocks)}
    assert ids == {"team:answer", "team:close", "team:deadline"}
    assert "Nobody has answered yet." in members_line(rec.blocks)
    assert slack.posts(url) == []  # nothing private


def test_members_answer_privately_and_the_card_counts_them_in_one_edit(bot: Replica, slack: SlackAPI) -> None:
    card, team_id = bot.start()
    names = ["bo", "cy", "dee"]
    for n, name in enumerate(names):
        blocks = finish(bot, card.blocks, f"U00000001{n}", name, n)
        assert any(b.get("block_id", "").startswith("recommendation:") for b in blocks)
        ids = {e["action_id"] for e in elements(blocks)}
        assert "share" not in ids and "team:ask" not in ids  # the member's result goes to the team, not the channel
        assert "Your answers count for the team decision" in text_of(blocks)
    until(lambda: card_updates(slack) and "3 answered" in members_line(card_updates(slack)[-1].blocks))
    last = card_updates(slack)[-1]
    assert last.body["ts"] == bot.team(team_id).card and last.body["channel"] == CHANNEL
    assert members_line(last.blocks) == "*3 answered:* bo, cy, dee"
    team = bot.team(team_id)
    assert [m.user for m in team.members] == ["U000000010", "U000000011", "U000000012"]


def test_answering_again_replaces_the_members_answers(bot: Replica, slack: SlackAPI) -> None:
    card, team_id = bot.start()
    finish(bot, card.blocks, USER, "ana", 0)
    first = bot.team(team_id).members[0].answers
    finish(bot, card.blocks, USER, "ana", 1)
    team = bot.team(team_id)
    assert len(team.members) == 1 and team.members[0].answers != first


def test_close_posts_the_team_result_and_closes_the_card(bot: Replica, slack: SlackAPI) -> None:
    card, team_id = bot.start(user=USER, name="ana")
    finish(bot, card.blocks, USER, "ana", 0)
    finish(bot, card.blocks, OTHER_USER, "bo", 1)
    # someone else pressing Close gets a private note and changes nothing
    note = bot.click_card_reply(card.blocks, "team:close", user=OTHER_USER, name="bo")
    assert note.body["response_type"] == "ephemeral" and TEAM_MESSAGES["not_starter"] in text_of(note.blocks)
    assert bot.team(team_id).open
    status, _ = bot.click_card(card.blocks, "team:close", user=USER, name="ana")
    assert status == 200
    result = until(lambda: [r for r in slack.calls("chat.postMessage") if is_result(r)])[0]
    assert result.body["channel"] == CHANNEL
    shown = text_of(result.blocks)
    for part in ("Team pick", "Runner-up", "How the team answered", "Each member's own pick", "ana", "bo"):
        assert part in shown, part
    assert "of 2" in shown or "split" in shown  # every answered question says its counts
    ids = {e["action_id"] for e in elements(result.blocks)}
    assert {"team:export", "team:compare"} <= ids
    until(lambda: bot.team(team_id).result == CHANNEL)
    closed = until(lambda: [r for r in card_updates(slack) if "closed" in text_of(r.blocks)])[-1]
    assert not [e for e in elements(closed.blocks)]  # a closed card has no buttons
    # Answer on the closed card: refused politely, pointing at the result
    note = bot.click_card_reply(card.blocks, "team:answer", user="U0000000077", name="late")
    assert f"<#{CHANNEL}>" in text_of(note.blocks) and "closed" in text_of(note.blocks)
    # the result's buttons: each a private message for the clicker; the public result stays
    compare = bot.click_card_reply(result.blocks, "team:compare", user="U0000000077")
    assert compare.body["response_type"] == "ephemeral" and compare.body["replace_original"] is False
    assert any(b.get("type") == "table" for b in compare.blocks)
    whatif = next((e["action_id"] for e in elements(result.blocks) if e["action_id"].startswith("team:whatif:")),
                  None)
    if whatif:
        view = bot.click_card_reply(result.blocks, whatif, user="U0000000077")
        assert "The team result is unchanged." in text_of(view.blocks)
        assert not elements(view.blocks)
    bot.click_card(result.blocks, "team:export", user="U0000000077")
    upload = until(lambda: slack.uploads())
    assert b"Decision" in upload[0].raw or b"decision" in upload[0].raw


def test_a_deleted_card_loses_no_answers_comes_back_while_open_and_the_result_still_posts(
        bot: Replica, slack: SlackAPI) -> None:
    card, team_id = bot.start()
    first_ts = until(lambda: bot.team(team_id).card)
    slack.answer("chat.update", {"ok": False, "error": "message_not_found"})  # a moderator deleted it
    finish(bot, card.blocks, USER, "ana", 0)
    again = until(lambda: [r for r in slack.calls("chat.postMessage") if is_card(r)][1:])[0]
    assert "1 answered" in members_line(again.blocks)  # posted again, with what is recorded
    until(lambda: bot.team(team_id).card not in ("", first_ts))
    slack.unanswer("chat.update")
    finish(bot, card.blocks, OTHER_USER, "bo", 1)
    shown = until(lambda: [r for r in card_updates(slack) if r.body["ts"] == bot.team(team_id).card
                           and "2 answered" in members_line(r.blocks)])
    assert shown
    assert len(bot.team(team_id).members) == 2
    slack.answer("chat.update", {"ok": False, "error": "message_not_found"})  # deleted again
    bot.click_card(card.blocks, "team:close", user=USER, name="ana")
    result = until(lambda: [r for r in slack.calls("chat.postMessage") if is_result(r)])[0]
    picks = next(b["text"]["text"] for b in result.blocks if b.get("block_id") == "team-picks")
    assert "ana" in picks and "bo" in picks  # both counted
    slack.settle()
    assert len([r for r in slack.calls("chat.postMessage") if is_card(r)]) == 2  # a closed card is not reposted
    note = bot.click_card_reply(card.blocks, "team:answer", user="U0000000055")
    assert "closed" in text_of(note.blocks)


def test_an_expired_or_foreign_card_says_so(bot: Replica, slack: SlackAPI) -> None:
    card, team_id = bot.start()
    team = bot.team(team_id)  # past its retention, as a week later
    assert bot.app.store.save_team(team_key("slack", TEAM, team_id), team._replace(
        version=team.version + 1, expires=team.created - 1), team.version)
    note = bot.click_card_reply(card.blocks, "team:answer", user=USER)
    assert TEAM_MESSAGES["expired"] in text_of(note.blocks)
    forged = json.loads(json.dumps(card.blocks).replace(team_id, "NoSuchTeam01"))
    note = bot.click_card_reply(forged, "team:close", user=USER)
    assert TEAM_MESSAGES["expired"] in text_of(note.blocks)


def test_the_starter_picks_a_deadline_and_the_sweep_closes_it(bot: Replica, slack: SlackAPI) -> None:
    card, team_id = bot.start(user=USER, name="ana")
    note = bot.click_card_reply(card.blocks, "team:deadline", user=OTHER_USER, option="3600")
    assert "Only the person who started" in text_of(note.blocks)
    assert bot.team(team_id).deadline == 0
    status, _ = bot.click_card(card.blocks, "team:deadline", user=USER, name="ana", option="3600")
    assert status == 200
    until(lambda: bot.team(team_id).deadline > 0)
    edited = until(lambda: [r for r in card_updates(slack) if "<!date^" in text_of(r.blocks)])
    assert "Closes by itself" in text_of(edited[-1].blocks)
    finish(bot, card.blocks, OTHER_USER, "bo", 0)
    team = bot.team(team_id)  # an hour is long: move the deadline into the past, as time would
    assert bot.app.store.save_team(team_key("slack", TEAM, team_id), team._replace(
        version=team.version + 1, deadline=team.created + 1), team.version)
    result = until(lambda: [r for r in slack.calls("chat.postMessage") if is_result(r)])
    assert len(result) == 1 and "of 1" in text_of(result[0].blocks)
    assert until(lambda: not bot.team(team_id).open and bot.team(team_id).result == CHANNEL)


def test_ask_my_team_starts_a_card_with_the_users_answers(bot: Replica, slack: SlackAPI) -> None:
    url = slack.response_url()
    rec = bot.req.command_reply("an API that must be fast", slack, response_url=url)
    blocks = rec.blocks
    for _ in range(20):
        if any(b.get("block_id", "").startswith("recommendation:") for b in blocks):
            break
        action, option = first_answer(blocks, 0)
        blocks = bot.click(blocks, action, user=USER, option=option).blocks
    assert "team:ask" in {e["action_id"] for e in elements(blocks)}
    note = bot.click(blocks, "team:ask", user=USER)
    assert "I posted a team card" in text_of(note.blocks)
    card = until(lambda: [r for r in slack.calls("chat.postMessage") if is_card(r)])[0]
    assert members_line(card.blocks).startswith("*1 answered:*")
    team_id = next(e["value"] for e in elements(card.blocks) if e["action_id"] == "team:answer")
    team = bot.team(team_id)
    assert team.starter == USER and team.members[0].user == USER and team.members[0].answers


def test_a_mention_starting_with_team_puts_the_card_in_its_thread(bot: Replica, slack: SlackAPI) -> None:
    status, _ = bot.req.mention("<@UBOT000001> team <!channel> which one?", ts="1700000500.000100",
                                thread_ts="1700000400.000100")
    assert status == 200
    card = until(lambda: [r for r in slack.calls("chat.postMessage") if is_card(r)])[0]
    assert card.body["thread_ts"] == "1700000400.000100" and "<!channel>" not in text_of(card.blocks)


def test_retries_and_replays_are_applied_once(bot: Replica, slack: SlackAPI) -> None:
    status, _, _ = bot.command("team retried", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason":
                                                        "http_timeout"})
    assert status == 200
    card, team_id = bot.start()
    assert len([r for r in slack.calls("chat.postMessage") if is_card(r)]) == 1  # the retry posted nothing
    # the same signed Answer click delivered three times (replays): one conversation, one private reply
    url = slack.response_url()
    body = card_body(action_for(card.blocks, "team:answer"), url, user=OTHER_USER, name="bo", blocks=card.blocks)
    headers = bot.req.headers(body, bot.req.FORM)
    for _ in range(3):
        assert bot.req.post(body, headers)[0] == 200
    slack.settle()
    assert len(slack.posts(url)) == 1


def test_a_retried_team_click_is_dropped(bot: Replica, slack: SlackAPI) -> None:
    """Team clicks carry no version: a retry (X-Slack-Retry-Num) would start a second
    conversation or post a second card, so it is acknowledged and dropped like a retried command."""
    card, team_id = bot.start()
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert bot.click_card(card.blocks, "team:answer", user=OTHER_USER, name="bo", headers=retry)[0] == 200
    assert bot.click_card(card.blocks, "team:close", user=USER, name="ana", headers=retry)[0] == 200
    slack.settle()
    assert slack.posts() == [] and bot.team(team_id).open


def test_a_member_finishing_after_the_close_is_told_where_the_result_is(bot: Replica, slack: SlackAPI) -> None:
    card, team_id = bot.start(user=USER, name="ana")
    finish(bot, card.blocks, USER, "ana", 0)
    rec = bot.click_card_reply(card.blocks, "team:answer", user=OTHER_USER, name="bo")
    action, option = first_answer(rec.blocks, 1)
    question = bot.click(rec.blocks, action, user=OTHER_USER, option=option).blocks
    assert bot.click_card(card.blocks, "team:close", user=USER, name="ana")[0] == 200
    until(lambda: bot.team(team_id).result == CHANNEL)
    blocks = bot.click(question, "nav:decide", user=OTHER_USER).blocks  # their own result still shows
    assert any(b.get("block_id", "").startswith("recommendation:") for b in blocks)
    assert f"<#{CHANNEL}>" in text_of(blocks) and "closed" in text_of(blocks)
    assert [m.user for m in bot.team(team_id).members] == [USER]  # not counted after the close
