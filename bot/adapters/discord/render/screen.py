"""A rendered Discord message as plain data: one Components V2 layout.

Every message the adapter sends is a Container (with an accent colour) holding text
displays, separators and action rows of buttons or a select. Specs rather than
discord.ui items, so rendering stays pure and testable; `components.build_view` turns
them into a LayoutView of persistent items.

Discord's limits for a Components V2 message, which discord.py only partly checks:
40 components in all (nested ones included: the container, each text, separator, row
and each button or select count), 4,000 characters of text across all text displays,
5 buttons or one select per action row. `fit()` keeps a screen within them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

COMPONENTS_MAX = 40
TEXT_TOTAL_MAX = 4000
BUTTONS_PER_ROW = 5
SELECT_OPTIONS_MAX = 25
IS_COMPONENTS_V2 = 1 << 15  # the message flag every conversation message carries

COLOUR = 0x3B7A57  # the accent colour of a conversation
NOTE_COLOUR = 0x99AAB5  # notes are grey: they say something about a click, not the answer
WARN_COLOUR = 0xE67E22  # a confirmation that discards something

Style = Literal["primary", "secondary", "success", "danger"]


@dataclass(frozen=True)
class ButtonSpec:
    custom_id: str
    label: str
    style: Style = "secondary"
    disabled: bool = False


@dataclass(frozen=True)
class SelectOptionSpec:
    label: str
    value: str
    description: str = ""
    default: bool = False


@dataclass(frozen=True)
class SelectSpec:
    custom_id: str
    placeholder: str
    options: tuple[SelectOptionSpec, ...]


Component = ButtonSpec | SelectSpec


@dataclass(frozen=True)
class Text:
    """A text display: Discord markdown, already escaped by whoever built it."""

    content: str


@dataclass(frozen=True)
class Divider:
    large: bool = False


@dataclass(frozen=True)
class Row:
    """An action row: up to 5 buttons, or one select."""

    items: tuple[Component, ...]


Block = Text | Divider | Row


@dataclass(frozen=True)
class Screen:
    """One message: a Container with `accent` holding `blocks` in order."""

    blocks: tuple[Block, ...] = field(default_factory=tuple)
    accent: int | None = COLOUR

    @property
    def rows(self) -> list[Row]:
        return [b for b in self.blocks if isinstance(b, Row)]

    @property
    def components(self) -> list[Component]:
        return [c for row in self.rows for c in row.items]

    @property
    def texts(self) -> list[str]:
        return [b.content for b in self.blocks if isinstance(b, Text)]

    @property
    def text(self) -> str:
        """All the text of the message, for tests and logs."""
        return "\n".join(self.texts)


def all_custom_ids(screen: Screen) -> list[str]:
    return [c.custom_id for c in screen.components]


def component_count(screen: Screen) -> int:
    """What Discord counts against its 40: the container, every block, every row item."""
    return 1 + len(screen.blocks) + len(screen.components)


def text_length(screen: Screen) -> int:
    return sum(len(t) for t in screen.texts)


def _cap(lengths: list[int], total: int) -> int:
    """The largest length C such that clipping every text to C leaves at most `total`
    characters: short texts stay whole, the long ones share what is left equally."""
    rest = total
    ordered = sorted(lengths)
    for i, n in enumerate(ordered):
        share = rest // (len(ordered) - i)
        if n > share:
            return max(1, share)
        rest -= n
    return max(ordered)


def fit(screen: Screen) -> Screen:
    """The screen within Discord's limits. Texts over 4,000 characters in all: the longest
    are shortened to an equal length (so every section keeps its heading and first lines,
    short ones stay whole). More than 40 components: text blocks are dropped from the end
    (never a row)."""
    from .text import clip_lines  # text imports nothing from here

    blocks = list(screen.blocks)
    while 1 + len(blocks) + sum(len(b.items) for b in blocks if isinstance(b, Row)) > COMPONENTS_MAX:
        drop = max((i for i, b in enumerate(blocks) if not isinstance(b, Row)), default=None)
        if drop is None:
            raise ValueError("too many components even without text")
        del blocks[drop]
    lengths = [len(b.content) for b in blocks if isinstance(b, Text)]
    if sum(lengths) > TEXT_TOTAL_MAX:
        cap = _cap(lengths, TEXT_TOTAL_MAX)
        blocks = [Text(clip_lines(b.content, cap)) if isinstance(b, Text) and len(b.content) > cap else b
                  for b in blocks]
    return replace(screen, blocks=tuple(blocks))
