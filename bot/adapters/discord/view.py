"""A rendered Screen as the message's Components V2 layout: one Container with the accent
colour, holding text displays, separators and action rows of plain buttons and selects.

The layout only carries custom_ids (the contract in ids.py); it does not handle clicks. A
click is matched by its custom_id against the templates of the dynamic items registered at
start-up (components.ITEMS), which read the clicked message itself: the same path whether
the message was sent a second ago or before a restart. So discord.py must keep nothing per
message for these views, which `Layout.is_finished` tells it.
"""
from __future__ import annotations

import discord

from . import ids
from bot.adapters.discord.render.screen import Component, Divider, Row, Screen, SelectSpec, Text

_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


class Layout(discord.ui.LayoutView):
    """A message layout whose clicks the registered dynamic items answer."""

    def is_finished(self) -> bool:
        # discord.py stores a view per sent message unless it is finished; every send and
        # edit path checks this. Nothing here listens, so there is nothing to store.
        return True


def _item(spec: Component) -> discord.ui.Button[Layout] | discord.ui.Select[Layout]:
    if ids.parse(spec.custom_id) is None:
        raise ValueError(f"custom_id {spec.custom_id!r} is outside the contract")
    if isinstance(spec, SelectSpec):
        return discord.ui.Select(
            custom_id=spec.custom_id, placeholder=spec.placeholder, min_values=1, max_values=1,
            options=[discord.SelectOption(label=o.label, value=o.value, description=o.description or None,
                                          default=o.default) for o in spec.options],
        )
    return discord.ui.Button(custom_id=spec.custom_id, label=spec.label, style=_STYLES[spec.style],
                             disabled=spec.disabled)


def _block(block: Text | Divider | Row) -> discord.ui.Item[Layout]:
    if isinstance(block, Text):
        return discord.ui.TextDisplay(block.content)
    if isinstance(block, Divider):
        spacing = discord.SeparatorSpacing.large if block.large else discord.SeparatorSpacing.small
        return discord.ui.Separator(spacing=spacing)
    return discord.ui.ActionRow(*(_item(spec) for spec in block.items))


def build_view(screen: Screen) -> Layout:
    """A rendered screen as a Components V2 layout (no timeout; every custom_id in the contract)."""
    view = Layout(timeout=None)
    view.add_item(discord.ui.Container(*(_block(b) for b in screen.blocks), accent_colour=screen.accent))
    return view
