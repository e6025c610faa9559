"""What each platform can show of the knowledge, for `knowledge check`: it warns where a
question has more answers than a platform's menus hold, or texts that would be shortened.

The limits are the renderers' own constants, so the warning and the rendering cannot drift
apart. Pure: knowledge in, warning lines out.
"""
from __future__ import annotations

from bot.engine.model import Knowledge


def warnings(knowledge: Knowledge) -> list[str]:
    from bot.adapters.discord.render.question import OPTIONS_SHOWN_MAX as DISCORD_ANSWERS
    from bot.adapters.discord.render.question import QUESTION_MAX as DISCORD_QUESTION
    from bot.adapters.discord.render.screen import BUTTONS_PER_ROW
    from bot.adapters.discord.render.text import LABEL_MAX as DISCORD_BUTTON
    from bot.adapters.discord.render.text import OPTION_MAX as DISCORD_OPTION
    from bot.adapters.slack.render.question import OPTIONS_SHOWN_MAX as SLACK_ANSWERS
    from bot.adapters.slack.render.text import LABEL_MAX as SLACK_LABEL

    out: list[str] = []
    where = f"{knowledge.source}/questions.yaml" if knowledge.source else "questions.yaml"
    for q in knowledge.questions:
        n = len(q.options)
        for platform, most in (("Slack", SLACK_ANSWERS), ("Discord", DISCORD_ANSWERS)):
            if n > most:
                out.append(f"{where}: question {q.id!r} has {n} answers; {platform} shows at most {most}, "
                           f"so {n - most} cannot be chosen there")
        if len(q.text) > DISCORD_QUESTION:
            out.append(f"{where}: question {q.id!r}: its text is shortened on Discord ({len(q.text)} characters, "
                       f"{DISCORD_QUESTION} shown)")
        discord_label = DISCORD_BUTTON if n <= BUTTONS_PER_ROW else DISCORD_OPTION
        for o in q.options:
            for platform, most in (("Slack", SLACK_LABEL), ("Discord", discord_label)):
                if len(o.label) > most:
                    out.append(f"{where}: question {q.id!r}, answer {o.id!r}: its label is shortened on "
                               f"{platform} ({len(o.label)} characters, {most} shown)")
    return out
