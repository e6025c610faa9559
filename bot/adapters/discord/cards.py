"""Team cards kept in step with their records; team results posted; deadlines kept.

A card shows who has answered. Members finish on any replica, often many at once, so a
finished member only marks the card (`touch`); the shared coalescer (bot/adapters/coalesce.py)
then edits it from the record as it is by then: a burst is one edit, and one card is edited
at most once a second by each replica (Discord allows about 5 edits per 5 s per channel;
discord.py waits out a 429 itself). After an edit the record is read again, and if the card
would now read differently (a member finished meanwhile, or another replica's older edit may
have landed after ours) it is edited once more: the card ends showing every member.

A deleted card (404 Unknown Message) loses nothing: the answers are in the store. While the
decision is open the card is posted again (the team needs its buttons); once closed it stays
gone, and the result is posted in the channel all the same.

Deadlines: `close_due` closes Discord's decisions past their deadline (of several replicas
exactly one closes each) and posts their results; `keep_deadlines` runs it every DUE_EVERY s.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.adapters.coalesce import Coalescer
from bot.service.team import TeamOutcome
from bot.store.base import Scope, TeamDecision

from bot.adapters.discord.render.screen import Screen
from bot.adapters.discord.render.team import card as team_card, result as team_result
from .reply import message_kwargs

log = logging.getLogger("bot.discord")

DUE_EVERY = 30.0  # s between two looks for decisions past their deadline
SHOWN_KEPT = 10_000  # cards whose last edit is remembered, to skip edits that would change nothing
Key = tuple[Scope, str]  # (the card's scope, the team id)


def card_scope(team: TeamDecision) -> Scope:
    return Scope(team.platform, team.workspace, team.channel)


class Cards:
    """One per client: the coalescer of its card edits and what each card last showed."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self.coalescer: Coalescer[Key] = Coalescer(self._edit, name="Discord team card edit")
        self.shown: dict[str, Screen] = {}  # team id -> the card this replica last sent
        self.edits = 0  # edits Discord accepted (bench/team.py counts them)

    def posted_card(self, team_id: str, screen: Screen) -> None:
        """The card was just posted showing `screen`: no edit needed until it would change."""
        self._remember(team_id, screen)

    def touch(self, scope: Scope, team_id: str) -> None:
        self.coalescer.mark((Scope(scope.platform, scope.workspace, scope.channel), team_id))

    def _advisor(self) -> Any:
        return self.client.app.advisor  # type: ignore[attr-defined]

    async def _edit(self, key: Key) -> bool:
        """Edit the card from its record; True asks the coalescer for one more round."""
        scope, team_id = key
        status = await asyncio.to_thread(self._advisor().team_status, scope, team_id)
        team = status.team
        if team is None or not team.card.isdigit() or not team.channel.isdigit():
            return False  # expired, or its card is not up yet (set_team_card marks it again)
        screen = team_card(team)
        if self.shown.get(team_id) == screen:
            return False
        message = self.client.get_partial_messageable(int(team.channel)).get_partial_message(int(team.card))
        try:
            await message.edit(**message_kwargs(screen))
        except discord.NotFound:
            return await self._post_again(scope, team, screen)
        except discord.HTTPException as exc:
            log.warning("Discord team card %s not edited: HTTP %s (%s)", team_id, exc.status, exc.code)
            return False
        self.edits += 1
        self._remember(team_id, screen)
        again = await asyncio.to_thread(self._advisor().team_status, scope, team_id)
        return again.team is not None and team_card(again.team) != screen

    async def _post_again(self, scope: Scope, team: TeamDecision, screen: Screen) -> bool:
        """The card was deleted (404 Unknown Message). Answers never lived on it, so none is lost;
        but while the decision is open the team needs its buttons (the starter's Close above all),
        so the card is posted again, as the bot, and the record points to the new one. A closed
        decision's card stays gone. True: read again, and edit the new card if anything changed."""
        if not team.open:
            log.info("Discord team card %s is gone and the decision closed: left alone", team.id)
            self._remember(team.id, screen)
            return False
        now = await asyncio.to_thread(self._advisor().team_status, scope, team.id)
        if now.team is None or now.team.card != team.card:
            return now.team is not None  # another replica posted it again already: keep that one in step
        try:
            message = await self.client.get_partial_messageable(int(team.channel)).send(**message_kwargs(screen))
        except discord.HTTPException as exc:
            log.warning("Discord team card %s was deleted and could not be posted again: HTTP %s (%s)",
                        team.id, exc.status, exc.code)
            self._remember(team.id, screen)
            return False
        log.info("Discord team card %s was deleted: posted again as message %s", team.id, message.id)
        await asyncio.to_thread(self._advisor().set_team_card, scope, team.id, str(message.id))
        self._remember(team.id, screen)
        return True

    def _remember(self, team_id: str, screen: Screen) -> None:
        self.shown.pop(team_id, None)
        self.shown[team_id] = screen
        if len(self.shown) > SHOWN_KEPT:  # the oldest first: dicts keep insertion order
            del self.shown[next(iter(self.shown))]


def cards_of(client: discord.Client) -> Cards:
    cards: Cards | None = getattr(client, "cards", None)
    if cards is None:
        cards = Cards(client)
        client.cards = cards  # type: ignore[attr-defined]
    return cards


def touch(client: discord.Client, scope: Scope, team_id: str) -> None:
    """The record of `team_id` changed: its card will show it."""
    cards_of(client).touch(scope, team_id)


async def publish(client: discord.Client, outcome: TeamOutcome,
                  post: Callable[..., Awaitable[Any]] | None = None) -> None:
    """Post a closed decision's result in its channel (with `post`, say an interaction's
    follow-up; else as the bot), record where, and bring the card in step."""
    team, result = outcome.team, outcome.result
    assert team is not None and result is not None
    post = post or client.get_partial_messageable(int(team.channel)).send
    await post(**message_kwargs(team_result(result, team)))
    advisor = client.app.advisor  # type: ignore[attr-defined]
    await asyncio.to_thread(advisor.team_posted, card_scope(team), team.id, team.channel)
    touch(client, card_scope(team), team.id)


async def close_due(client: discord.Client, now: float | None = None) -> int:
    """Close Discord's decisions past their deadline and post each result; how many this closed."""
    advisor = client.app.advisor  # type: ignore[attr-defined]
    closed: list[TeamOutcome] = await asyncio.to_thread(advisor.close_due_teams, now, 100, "discord")
    for outcome in closed:
        try:
            await publish(client, outcome)
        except discord.HTTPException as exc:  # closed all the same: its card says so
            log.warning("Discord team result not posted: HTTP %s (%s)", exc.status, exc.code)
            if outcome.team is not None:
                touch(client, card_scope(outcome.team), outcome.team.id)
    return len(closed)


async def keep_deadlines(client: discord.Client, every: float = DUE_EVERY) -> None:
    """Run by the client while it is open: decisions close by themselves at their deadline."""
    while not client.is_closed():
        await asyncio.sleep(every)
        try:
            await close_due(client)
        except Exception as exc:  # noqa: BLE001 - a store outage, say: one line, and again next time
            log.warning("Discord: closing team decisions past their deadline failed: %s: %s",
                        type(exc).__name__, exc)
