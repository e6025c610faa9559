"""The items that handle clicks: discord.ui.DynamicItem subclasses whose templates are the
custom_id contract in ids.py. They are registered with `client.add_dynamic_items(*ITEMS)` at
start-up, so a click on any message the bot sent (view.build_view), before a restart or after,
is understood: the custom_id plus the session store hold everything, nothing lives only in
memory. discord.py rebuilds the clicked message as a LayoutView (the message carries the
IS_COMPONENTS_V2 flag) and swaps our item in for the clicked one.
"""
from __future__ import annotations

import re
from typing import Any, Self

import discord

from bot.engine.events import Answer, Back, Decide, More, Restart, Skip
from bot.service.outcome import Ref

from . import ids, team
from .extras import export, matrix, whatif
from .notes import note, on_error
from .share import share
from .steps import show, step

# Navigation that is an engine event. "restart" and "cancel" only change what is shown
# (the restart question, or the step again); "reset" is the confirmed restart.
_NAV_EVENTS = {"skip": Skip, "back": Back, "decide": Decide, "more": More, "reset": Restart}


class _Persistent:
    """Shared by the dynamic items: wrap the base item rebuilt from the clicked message, and
    route every click through the one error hook. Each item only says what its click does."""

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: Any, match: re.Match[str], /) -> Self:
        return cls(item)  # type: ignore[call-arg]

    def parsed(self) -> ids.Parsed:
        parsed = ids.parse(self.custom_id)  # type: ignore[attr-defined]
        assert parsed is not None  # the template matched
        return parsed

    def ref(self) -> Ref:
        p = self.parsed()
        return Ref(p.session, p.version)

    async def callback(self, interaction: discord.Interaction) -> None:
        # A team member's conversation lives apart from the clicker's own (reply.scope_of).
        interaction.extras["team"] = self.parsed().team if self.parsed().session else ""
        try:
            await self.handle(interaction)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - the one error hook reports it
            await on_error(interaction, exc)


class AnswerButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button[Any]], template=ids.ANSWER_TEMPLATE):
    async def handle(self, interaction: discord.Interaction) -> None:
        p = self.parsed()
        await step(interaction, self.ref(), Answer(p.question, p.option))


class AnswerSelect(_Persistent, discord.ui.DynamicItem[discord.ui.Select[Any]], template=ids.SELECT_TEMPLATE):
    async def handle(self, interaction: discord.Interaction) -> None:
        values = list(getattr(self.item, "values", []) or [])
        if not values:
            await note(interaction, "Choose one of the answers.")
            return
        await step(interaction, self.ref(), Answer(self.parsed().question, values[0]))


class NavButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button[Any]], template=ids.NAV_TEMPLATE):
    async def handle(self, interaction: discord.Interaction) -> None:
        action = self.parsed().action
        if action in _NAV_EVENTS:
            await step(interaction, self.ref(), _NAV_EVENTS[action]())
        else:
            await show(interaction, self.ref(), confirm_restart=action == "restart")


class ShareButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button[Any]], template=ids.SHARE_TEMPLATE):
    async def handle(self, interaction: discord.Interaction) -> None:
        await share(interaction, self.ref())


class ExportButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button[Any]], template=ids.EXPORT_TEMPLATE):
    async def handle(self, interaction: discord.Interaction) -> None:
        await export(interaction, self.ref())


class CompareButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button[Any]], template=ids.COMPARE_TEMPLATE):
    async def handle(self, interaction: discord.Interaction) -> None:
        await matrix(interaction, self.ref())


class WhatIfButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button[Any]], template=ids.WHATIF_TEMPLATE):
    async def handle(self, interaction: discord.Interaction) -> None:
        p = self.parsed()
        await whatif(interaction, self.ref(), p.question, p.option)


class AskTeamButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button[Any]], template=ids.ASKTEAM_TEMPLATE):
    async def handle(self, interaction: discord.Interaction) -> None:
        await team.ask_team(interaction, self.ref())


_TEAM_ACTIONS = {"answer": team.answer, "close": team.close, "export": team.export, "compare": team.compare}


class TeamButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button[Any]], template=ids.TEAM_TEMPLATE):
    """A team card's Answer and Close and decide, and a team result's Export and Compare top 3."""

    async def handle(self, interaction: discord.Interaction) -> None:
        p = self.parsed()
        await _TEAM_ACTIONS[p.action](interaction, p.team)


class TeamWhatIfButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button[Any]], template=ids.TEAM_WHATIF_TEMPLATE):
    async def handle(self, interaction: discord.Interaction) -> None:
        p = self.parsed()
        await team.whatif(interaction, p.team, p.question, p.option)


ITEMS = (AnswerButton, AnswerSelect, NavButton, ShareButton, ExportButton, CompareButton, WhatIfButton,
         AskTeamButton, TeamButton, TeamWhatIfButton)
