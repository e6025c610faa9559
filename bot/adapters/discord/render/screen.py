"""A rendered Discord message as plain data: content, one embed, and component specs.

Specs rather than discord.ui items, so rendering stays pure and testable;
`components.build_view` turns them into persistent items.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import discord

BUTTONS_PER_ROW = 5
ROWS_MAX = 5

Style = Literal["primary", "secondary", "success", "danger"]


@dataclass(frozen=True)
class ButtonSpec:
    custom_id: str
    label: str
    style: Style = "secondary"
    row: int = 0
    disabled: bool = False


@dataclass(frozen=True)
class SelectOptionSpec:
    label: str
    value: str
    description: str = ""


@dataclass(frozen=True)
class SelectSpec:
    custom_id: str
    placeholder: str
    options: tuple[SelectOptionSpec, ...]
    row: int = 0


Component = ButtonSpec | SelectSpec


@dataclass
class Screen:
    """One message: content, at most one embed, components (rows 0-4)."""

    content: str = ""
    embed: discord.Embed | None = None
    components: tuple[Component, ...] = field(default_factory=tuple)


def all_custom_ids(screen: Screen) -> list[str]:
    return [c.custom_id for c in screen.components]
