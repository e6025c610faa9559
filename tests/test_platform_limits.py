"""Questions with more answers than one menu holds render within each platform's limits and
every answer stays choosable (Slack: option groups of 100 in one static_select; Discord:
further menus of 25), short mentions are escaped as well as long ones, and `knowledge
check` warns when a question exceeds what a platform can show."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.adapters.discord import ids as discord_ids
from bot.adapters.discord import render as discord_render
from bot.adapters.discord.render.context import Ctx
from bot.adapters.discord.render.conversation import conversation
from bot.adapters.discord.render.screen import COMPONENTS_MAX, SelectSpec, component_count
from bot.adapters.discord.render.text import plain, safe
from bot.adapters.discord.render.question import OPTIONS_SHOWN_MAX as DISCORD_SHOWN
from bot.adapters.slack import ids as slack_ids
from bot.adapters.slack import render as slack_render
from bot.adapters.slack.render.text import escape
from bot.adapters.slack.render.question import OPTIONS_SHOWN_MAX as SLACK_SHOWN
from bot.engine.model import Option
from bot.engine.replies import QuestionReply
from bot.service.outcome import Ref
from test_discord_render import view_of

ROOT = Path(__file__).resolve().parent.parent


def many(n: int, previous: str | None = None) -> QuestionReply:
    options = tuple(Option(f"opt{i}", f"Answer number {i} " + "x" * (i % 90)) for i in range(n))
    return QuestionReply("big", "Which one?", "", options, asked=1, previous=previous)


def slack_select(blocks: list[dict]) -> dict:
    return next(e for b in blocks if b.get("type") == "actions" for e in b["elements"]
                if e["type"] == "static_select")


@pytest.mark.parametrize("n", [6, 100, 101, 250, 1000])
def test_slack_select_past_100_options_uses_groups_of_100(n: int) -> None:
    tok = slack_ids.token(Ref("s1", 1))
    previous = f"opt{n - 1}"
    blocks = slack_render.dicts(many(n, previous), tok)  # slack_sdk checks every limit here
    select = slack_select(blocks)
    if n <= 100:
        values = [o["value"] for o in select["options"]]
        assert "option_groups" not in select
    else:
        assert "options" not in select and all(len(g["options"]) <= 100 for g in select["option_groups"])
        assert len(select["option_groups"]) <= 100
        values = [o["value"] for g in select["option_groups"] for o in g["options"]]
    assert values == [f"opt{i}" for i in range(n)], "every answer can be chosen"
    assert select["initial_option"]["value"] == previous
    assert all(len(o["text"]["text"]) <= 75 for g in select.get("option_groups", [select]) for o in g["options"])


@pytest.mark.parametrize("n", [6, 25, 26, 100, 250])
def test_discord_past_25_options_adds_menus_of_25(n: int) -> None:
    screen = conversation(many(n, f"opt{n - 1}"), Ctx("s1", 3))
    selects = [c for c in screen.components if isinstance(c, SelectSpec)]
    assert len(selects) == -(-n // 25)
    assert all(1 <= len(s.options) <= 25 for s in selects)
    assert [o.value for s in selects for o in s.options] == [f"opt{i}" for i in range(n)]
    assert sum(o.default for s in selects for o in s.options) == 1
    ids_ = [s.custom_id for s in selects]
    assert len(set(ids_)) == len(ids_), "custom_ids are unique within a message"
    for cid in ids_:
        parsed = discord_ids.parse(cid)
        assert parsed is not None and parsed.kind == "select" and parsed.question == "big"
        assert re.fullmatch(discord_ids.SELECT_TEMPLATE, cid)
        assert not re.fullmatch(discord_ids.ANSWER_TEMPLATE, cid), "one click, one handler"
    assert component_count(screen) <= COMPONENTS_MAX
    view = view_of(screen)  # discord.py's own checks: 25 options a select, rows, 40 children
    assert view.total_children_count == component_count(screen)
    if n > 25:
        assert "(26" in " ".join(s.placeholder for s in selects)


def test_more_than_a_platform_can_show_is_cut_and_warned(tmp_path: Path, capsys) -> None:
    assert DISCORD_SHOWN == 250 and SLACK_SHOWN == 10_000
    screen = conversation(many(300), Ctx("s1", 3))
    assert sum(len(c.options) for c in screen.components if isinstance(c, SelectSpec)) == 250
    from bot.cli import main

    big_knowledge(tmp_path, extra=300)  # the first question (a select) gets 300 more answers
    kdir = tmp_path / "big-knowledge"
    code = main(["knowledge", "check", str(kdir)])
    out = capsys.readouterr()
    assert code == 0, out.err
    warnings = [line for line in out.out.splitlines() if line.startswith("warning:")]
    assert any("Discord shows at most 250" in w for w in warnings), out.out
    assert not any("Slack" in w and "options" in w for w in warnings)


def test_shipped_knowledge_has_no_platform_warnings(capsys) -> None:
    from bot.cli import main

    assert main(["knowledge", "check", str(ROOT / "knowledge")]) == 0
    assert "warning:" not in capsys.readouterr().out


@pytest.mark.parametrize("text", ["<@&123>", "<@123>", "<@!42>", "<@&123456789012345678>", "<@123456789012345678>",
                                  "@everyone", "@here", "<#1>"])
def test_short_and_long_mentions_are_inert_on_discord(text: str) -> None:
    for out in (safe(f"hi {text} there"), plain(f"hi {text} there", 80)):
        assert text not in out
        assert not re.search(r"<@[!&]?\d+>|@everyone|@here|<#\d+>", out), out
    note = discord_render.note(f"hi {text}")
    assert text not in note.text


@pytest.mark.parametrize("text", ["<@&123>", "<@U123>", "<!channel>", "<!here>", "@channel", "<#C1>"])
def test_short_and_long_mentions_are_inert_on_slack(text: str) -> None:
    out = escape(f"hi {text}")
    assert "<" not in out and "@channel" not in out


# -- end to end: an answer past the first menu is chosen through the real libraries ----------------


def big_knowledge(tmp_path: Path, extra: int = 130):  # noqa: ANN201
    """The shipped knowledge with `extra` more answers on its first question (a select)."""
    from bot.knowledge.loader import load_knowledge

    kdir = tmp_path / "big-knowledge"
    shutil.copytree(ROOT / "knowledge", kdir)
    q = kdir / "questions.yaml"
    text = q.read_text()
    first = re.search(r"\n( +)- \{id: \w+, label: [^\n]*\n", text[text.index("options:"):])
    assert first is not None
    rows = "".join(f'{first.group(1)}- {{id: extra{i}, label: "Extra answer {i}"}}\n' for i in range(extra))
    at = text.index("options:") + first.end()
    q.write_text(text[:at] + rows + text[at:])
    return load_knowledge(kdir)


def test_slack_answer_from_the_second_option_group_is_applied(tmp_path: Path) -> None:
    from bot.adapters.slack.run import run_slack
    from bot.bootstrap import build
    from bot.settings import Settings
    from bot.store.memory import MemoryStore

    try:
        from support.slack_api import BackgroundLoop, SlackAPI, free_port
        from support.slack_requests import SlackRequests, action_for, actions_body
    except ImportError:  # pragma: no cover
        from tests.support.slack_api import BackgroundLoop, SlackAPI, free_port
        from tests.support.slack_requests import SlackRequests, action_for, actions_body

    knowledge = big_knowledge(tmp_path)
    first_question = knowledge.questions[0].id
    secret = "limits-test-secret-0123456789"
    with SlackAPI() as slack:
        app = build(Settings(knowledge_dir=ROOT / "knowledge", slack_bot_token="xoxb-test",
                             slack_signing_secret=secret, slack_api_url=slack.base_url, slack_mode="http"),
                    knowledge=knowledge, store=MemoryStore())
        port = free_port()
        with BackgroundLoop(lambda ready: run_slack(app, http=True, host="127.0.0.1", port=port, ready=ready)):
            req = SlackRequests(secret, f"http://127.0.0.1:{port}/slack/events")
            blocks = req.command_reply("", slack).blocks
            select = slack_select(blocks)
            assert len(select["option_groups"]) == 2
            url = slack.response_url()
            action = action_for(blocks, select["action_id"], "extra120")  # in the second group
            body = actions_body(action, response_url=url, blocks=blocks)
            assert req.post(body, req.headers(body, req.FORM))[0] == 200
            reply = slack.wait_for(response_url=url)
            assert reply.body.get("replace_original") is True
            session = next(iter(app.store._data))  # the one conversation
            state = app.store.load(session).state
            assert dict(state.answers)[first_question] == "extra120"


def test_discord_answer_from_the_sixth_menu_is_applied(tmp_path: Path) -> None:
    from bot.bootstrap import build
    from bot.settings import Settings
    from bot.store.memory import MemoryStore

    try:
        from support.discord_api import DiscordStandIn, Driver, InProcessBot, flat_components
    except ImportError:  # pragma: no cover
        from tests.support.discord_api import DiscordStandIn, Driver, InProcessBot, flat_components

    knowledge = big_knowledge(tmp_path)
    first_question = knowledge.questions[0].id
    standin = DiscordStandIn().start()
    store = MemoryStore()
    try:
        app = build(Settings(knowledge_dir=ROOT / "knowledge", discord_api_url=standin.api_url),
                    knowledge=knowledge, store=store)
        bot = InProcessBot(app).start()
        try:
            driver = Driver(standin, bot.inject)
            r, message = driver.command("start")
            selects = [c for c in flat_components(message) if c["type"] == 3]
            assert len(selects) == 6 and all(len(s["options"]) <= 25 for s in selects)
            sixth = selects[5]
            assert sixth["custom_id"].endswith(f"{first_question}~5")
            value = sixth["options"][-1]["value"]
            r, edited = driver.click(message, sixth["custom_id"], values=[value])
            assert r.body["type"] == 7, r.body
            (key,) = list(store._data)
            assert dict(store.load(key).state.answers)[first_question] == value
        finally:
            bot.stop()
    finally:
        standin.stop()
