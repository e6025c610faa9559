"""`python -m bot ...`: one entry point for the console, scripts, operators and adapters."""
from __future__ import annotations

import argparse
import json
import logging
import secrets
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from bot.engine.model import Knowledge
    from bot.engine.replies import Reply


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="framework-advisor", description="Choose a Python web framework.")
    sub = p.add_subparsers(dest="command")
    c = sub.add_parser("console", help="interactive conversation in the terminal (default without tokens)")
    c.add_argument("--user", help="resume this user's conversation from the store")
    c.add_argument("--text", default="", help="describe the project to pre-answer questions")
    ch = sub.add_parser("chat", help="the conversation as JSON lines, for scripts")
    ch.add_argument("--jsonl", action="store_true", required=True)
    ch.add_argument("--user", help="resume this user's conversation from the store")
    ch.add_argument("--text", default="")
    a = sub.add_parser("ask", help="one recommendation from given answers")
    # `--answer a=x --answer b=y` and `--answer a=x b=y` both work: scripts write either
    a.add_argument("--answer", action="extend", nargs="+", default=[], metavar="QUESTION=OPTION")
    a.add_argument("--text", default="")
    a.add_argument("--json", action="store_true", help="the same as --format json")
    a.add_argument("--format", choices=("text", "json", "madr"), default="text",
                   help="madr: a MADR 4.0 decision record (markdown)")
    t = sub.add_parser("team", help="a team's recommendation from each member's answers")
    t.add_argument("--member", action=_Member, dest="members", required=True, metavar="NAME",
                   help="a member; the --answer options after it are theirs")
    t.add_argument("--answer", action=_MemberAnswer, dest="members", nargs="+", metavar="QUESTION=OPTION")
    t.add_argument("--text", default="", help="describe the project (the decision record's context)")
    t.add_argument("--json", action="store_true", help="the same as --format json")
    t.add_argument("--format", choices=("text", "json", "madr"), default="text",
                   help="madr: a MADR 4.0 decision record with every member a decision maker")
    ab = sub.add_parser("about", help="facts about one framework")
    ab.add_argument("framework")
    ab.add_argument("--json", action="store_true")
    cp = sub.add_parser("compare", help="frameworks side by side")
    cp.add_argument("frameworks", nargs="+")
    cp.add_argument("--json", action="store_true")
    k = sub.add_parser("knowledge", help="knowledge tools")
    ksub = k.add_subparsers(dest="knowledge_command", required=True)
    kc = ksub.add_parser("check", help="validate a knowledge folder")
    kc.add_argument("directory", nargs="?")
    s = sub.add_parser("sessions", help="look inside the session store")
    ssub = s.add_subparsers(dest="sessions_command", required=True)
    ssub.add_parser("stats", help="counts by state and recommendations given")
    pg = ssub.add_parser("purge", help="delete sessions")
    pg.add_argument("--expired", action="store_true", required=True, help="only expired ones")
    sl = sub.add_parser("slack", help="run the Slack adapter (Socket Mode by default)")
    sl.add_argument("--http", action="store_true", help="HTTP mode: serve POST /slack/events")
    sl.add_argument("--port", type=int)
    sl.add_argument("--host")
    d = sub.add_parser("discord", help="run the Discord adapter")
    dsub = d.add_subparsers(dest="discord_command")
    sy = dsub.add_parser("sync", help="register the /framework commands with Discord")
    sy.add_argument("--guild", type=int, help="guild id: register there only (instant, for testing)")
    sub.add_parser("serve", help="every configured adapter plus health and metrics")
    return p


class _Member(argparse.Action):
    """`--member NAME` opens a group: the `--answer`s that follow belong to it."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or []), (values, [])])


class _MemberAnswer(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        groups = getattr(namespace, self.dest, None) or []
        if not groups:
            parser.error("--answer must follow a --member NAME")
        groups[-1][1].extend([values] if isinstance(values, str) else values or [])


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`... | head`): nothing left to say to it.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "knowledge":
        from bot.adapters.limits import warnings
        from bot.knowledge.check import check_command

        return check_command(args.directory, warnings)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    command = args.command
    if command is None:
        command = "serve" if settings.slack_configured or settings.discord_configured else "console"
        if command == "console":
            args = _parser().parse_args(["console"])
    if command == "slack":
        from bot.adapters.slack.run import main as slack_main

        return slack_main(settings, args)
    if command == "discord":
        from bot.adapters.discord.run import main as discord_main

        return discord_main(settings, args)
    if command == "serve":
        from bot.serve import main as serve_main

        return serve_main(settings)
    return _local(command, args, settings)


def _local(command: str, args: argparse.Namespace, settings: Settings) -> int:
    from bot import engine
    from bot.knowledge.loader import KnowledgeError
    from bot.startup import StartupError, build_app, fail

    try:
        if command in {"ask", "about", "compare", "team"}:
            from bot.bootstrap import load

            return _info(command, args, load(settings.knowledge_dir))
        app = build_app(settings)
    except StartupError as exc:
        return fail(exc)
    except KnowledgeError as exc:
        print(f"refusing to start: the knowledge in {settings.knowledge_dir} is invalid:\n{exc}", file=sys.stderr)
        return 2
    except engine.EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        if command == "sessions":
            from bot.store.admin import purge_command, stats_command

            return stats_command(app.store) if args.sessions_command == "stats" else purge_command(app.store)
        from bot.store.base import Scope

        user = args.user or f"anon-{secrets.token_hex(4)}"
        scope = Scope("console", "local", "", "", user)
        if command == "chat":
            from bot.adapters.console.jsonl import run
        else:
            from bot.adapters.console.terminal import run
        return run(app.advisor, scope, user, args.text, bool(args.user), sys.stdin, sys.stdout)
    except KeyboardInterrupt:
        return 130
    finally:
        app.close()


def _info(command: str, args: argparse.Namespace, knowledge: Knowledge) -> int:
    from bot import engine
    from bot.adapters.console.jsonl import render
    from bot.adapters.console.render import render_text

    if command == "team":
        return _team(args, knowledge)
    if command == "ask":
        answers = _answers(args.answer)
        if args.format == "madr":
            import datetime as dt

            from bot.engine.recommend import state_for
            from bot.engine.replies import Recommendation
            from bot.export import decision_record
            from bot.export.madr import LOCAL_DECIDER

            state = state_for(knowledge, answers, args.text)
            result = engine.view(knowledge, state)
            if not isinstance(result, Recommendation):  # state_for leaves no question pending
                raise engine.EngineError("there is no recommendation to record")
            day = dt.datetime.now(dt.UTC).date()
            sys.stdout.write(decision_record(knowledge, state, result, [LOCAL_DECIDER], day).markdown)
            return 0
        reply: Reply = engine.recommend(knowledge, answers, args.text)
    elif command == "about":
        reply = engine.about(knowledge, args.framework)
    else:
        reply = engine.compare(knowledge, args.frameworks)
    as_json = args.json or getattr(args, "format", "text") == "json"
    print(json.dumps(render(reply), ensure_ascii=False, indent=2) if as_json else render_text(reply))
    return 0


def _answers(items: Sequence[str]) -> dict[str, str]:
    """`--answer QUESTION=OPTION` values as a mapping (the last one for a question counts)."""
    from bot import engine

    answers = {}
    for item in items:
        question, sep, option = item.partition("=")
        if not sep:
            raise engine.EngineError(f"--answer takes QUESTION=OPTION, got {item[:40]!r}")
        answers[question.strip()] = option.strip()
    return answers


def _team(args: argparse.Namespace, knowledge: Knowledge) -> int:
    """`team`: each --member's answers combined by the engine's one rule (bot/engine/team.py)."""
    from dataclasses import replace

    from bot import engine
    from bot.adapters.console.team import team_json, team_text
    from bot.engine.recommend import state_for
    from bot.engine.teamresult import team_result
    from bot.engine.textmatch import description

    members: dict[str, dict[str, str]] = {}
    for name, items in args.members:
        name = " ".join(name.split())
        if not name:
            raise engine.EngineError("--member takes a name")
        if name in members:
            raise engine.EngineError(f"--member {name[:40]!r} is given twice")
        members[name] = _answers(items)
        state_for(knowledge, members[name])  # refuses an unknown question or option, as `ask` does
    result = team_result(knowledge, members)
    if args.format == "madr":
        import datetime as dt

        from bot.export import decision_record

        # the team's answers only: the description is context, it answers nothing for anyone
        state = replace(state_for(knowledge, result.answers), text=description(args.text))
        day = dt.datetime.now(dt.UTC).date()
        sys.stdout.write(decision_record(knowledge, state, result.recommendation, list(result.members), day,
                                         team=result).markdown)
        return 0
    as_json = args.json or args.format == "json"
    print(json.dumps(team_json(result), ensure_ascii=False, indent=2) if as_json else team_text(result))
    return 0
