"""Persistent components: discord.ui.DynamicItem subclasses whose templates are the custom_id
contract in ids.py. They are registered with `client.add_dynamic_items(*ITEMS)` at start-up,
so a click on a message sent before a restart is still understood: the custom_id plus the
session store hold everything, nothing lives only in memory. discord.py rebuilds the clicked
message as a LayoutView (the message carries the IS_COMPONENTS_V2 flag) and swaps our item in.

`build_view` turns a rendered Screen into that LayoutView: one Container with the accent
colour, holding text displays, separators and action rows of these items.
"""
from __future__ import annotations

import re
from types import ModuleType
from typing import Any

import discord

from bot.engine.events import Answer, Back, Decide, More, Restart, Skip
from bot.service import Ref

from . import ids, render

_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}
# Navigation that is an engine event. "restart" and "cancel" only change what is shown
# (the restart question, or the step again); "reset" is the confirmed restart.
_NAV_EVENTS = {"skip": Skip, "back": Back, "decide": Decide, "more": More, "reset": Restart}


class _Persistent:
    """Shared by the dynamic items: wrap the base item rebuilt from the clicked message, and
    route every click through the one error hook. Each item only says what its click does."""

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: Any, match: re.Match[str], /):  # noqa: ANN206
        return cls(item)  # type: ignore[call-arg]

    def parsed(self) -> ids.Parsed:
        parsed = ids.parse(self.custom_id)  # type: ignore[attr-defined]
        assert parsed is not None  # the template matched
        return parsed

    def ref(self) -> Ref:
        p = self.parsed()
        return Ref(p.session, p.version)

    async def callback(self, interaction: discord.Interaction) -> None:
        from . import flow  # flow (through reply) imports this module (build_view): import it late

        try:
            await self.handle(flow, interaction)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - the one error hook reports it
            await flow.on_error(interaction, exc)


class AnswerButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button], template=ids.ANSWER_TEMPLATE):
    async def handle(self, flow: ModuleType, interaction: discord.Interaction) -> None:
        p = self.parsed()
        await flow.step(interaction, self.ref(), Answer(p.question, p.option))


class AnswerSelect(_Persistent, discord.ui.DynamicItem[discord.ui.Select], template=ids.SELECT_TEMPLATE):
    async def handle(self, flow: ModuleType, interaction: discord.Interaction) -> None:
        values = list(getattr(self.item, "values", []) or [])
        if not values:
            await flow.note(interaction, "Choose one of the answers.")
            return
        await flow.step(interaction, self.ref(), Answer(self.parsed().question, values[0]))


class NavButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button], template=ids.NAV_TEMPLATE):
    async def handle(self, flow: ModuleType, interaction: discord.Interaction) -> None:
        action = self.parsed().action
        if action in _NAV_EVENTS:
            await flow.step(interaction, self.ref(), _NAV_EVENTS[action]())
        else:
            await flow.show(interaction, self.ref(), confirm_restart=action == "restart")


class ShareButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button], template=ids.SHARE_TEMPLATE):
    async def handle(self, flow: ModuleType, interaction: discord.Interaction) -> None:
        await flow.share(interaction, self.ref())


class ExportButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button], template=ids.EXPORT_TEMPLATE):
    async def handle(self, flow: ModuleType, interaction: discord.Interaction) -> None:
        await flow.export(interaction, self.ref())


class CompareButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button], template=ids.COMPARE_TEMPLATE):
    async def handle(self, flow: ModuleType, interaction: discord.Interaction) -> None:
        await flow.matrix(interaction, self.ref())


class WhatIfButton(_Persistent, discord.ui.DynamicItem[discord.ui.Button], template=ids.WHATIF_TEMPLATE):
    async def handle(self, flow: ModuleType, interaction: discord.Interaction) -> None:
        p = self.parsed()
        await flow.whatif(interaction, self.ref(), p.question, p.option)


ITEMS = (AnswerButton, AnswerSelect, NavButton, ShareButton, ExportButton, CompareButton, WhatIfButton)
_BUTTONS = {"answer": AnswerButton, "nav": NavButton, "share": ShareButton, "export": ExportButton,
            "compare": CompareButton, "whatif": WhatIfButton}


def _item_for(spec: render.Component) -> discord.ui.DynamicItem:
    parsed = ids.parse(spec.custom_id)
    if parsed is None:
        raise ValueError(f"custom_id {spec.custom_id!r} is outside the contract")
    if isinstance(spec, render.SelectSpec):
        select = discord.ui.Select(
            custom_id=spec.custom_id, placeholder=spec.placeholder, min_values=1, max_values=1,
            options=[discord.SelectOption(label=o.label, value=o.value, description=o.description or None,
                                          default=o.default) for o in spec.options],
        )
        return AnswerSelect(select)
    button = discord.ui.Button(custom_id=spec.custom_id, label=spec.label, style=_STYLES[spec.style],
                               disabled=spec.disabled)
    return _BUTTONS[parsed.kind](button)


def _block(block: render.Text | render.Divider | render.Row) -> discord.ui.Item:
    if isinstance(block, render.Text):
        return discord.ui.TextDisplay(block.content)
    if isinstance(block, render.Divider):
        spacing = discord.SeparatorSpacing.large if block.large else discord.SeparatorSpacing.small
        return discord.ui.Separator(spacing=spacing)
    return discord.ui.ActionRow(*(_item_for(spec) for spec in block.items))


def build_view(screen: render.Screen) -> discord.ui.LayoutView:
    """A rendered screen as a persistent Components V2 view (no timeout, all dynamic items)."""
    view = discord.ui.LayoutView(timeout=None)
    view.add_item(discord.ui.Container(*(_block(b) for b in screen.blocks), accent_colour=screen.accent))
    return view
