"""The team card and team result as Components V2, pure: within Discord's limits whatever the
team (hostile descriptions and names, 10 KB strings, 500 members), escaped, and every
custom_id taken by exactly one registered item."""
from __future__ import annotations

import random

from test_discord_render import check_screen

from bot.adapters.discord import ids
from bot.adapters.discord.render.team import card as team_card, result as render_team_result
from bot.engine.teamresult import team_result
from bot.store.base import Member, TeamDecision

HOSTILE = ("@everyone @here <@&1200000000000000009> <@!15> <#13> **bold** `x` ||s|| [a](https://e.example) "
           "# h\n> q " + "\u00e9" * 10_000)


def team(members: int = 0, knowledge=None, description: str = "", open_: bool = True, seed: int = 0,  # noqa: ANN001
         names: str = "") -> TeamDecision:
    rng = random.Random(seed)
    people = []
    for i in range(members):
        answers = tuple((q.id, rng.choice(q.options).id) for q in knowledge.questions) if knowledge else ()
        people.append(Member(str(1600000000000000000 + i), names or f"member{i}", answers, f"s{i}:1", 1.0))
    return TeamDecision("Tm_abc-12345", 1, "discord", "1200000000000000001", "1300000000000000001", "",
                        "1400000000000000001", description, tuple(people),
                        status="open" if open_ else "closed", closed_by="" if open_ else "1400000000000000001",
                        starter_name="alice")


def result_of(t: TeamDecision, knowledge):  # noqa: ANN001, ANN201
    return team_result(knowledge, {m.name + m.user: dict(m.answers) for m in t.members})


def test_the_card_fits_and_pings_nobody_whatever_the_description() -> None:
    for description in ("", "Billing admin", HOSTILE, "x" * 10_000, "\n" * 500):
        for open_ in (True, False):
            screen = team_card(team(3, description=description, open_=open_))
            check_screen(screen)
            text = screen.text
            assert "@everyone" not in text and "<@&" not in text and "<#13>" not in text and "**bold**" not in text
            assert ("Answer" in [c.label for c in screen.components]) == open_


def test_the_card_names_members_and_counts_the_rest() -> None:
    screen = team_card(team(500))
    check_screen(screen)
    assert "**500 answered:** <@1600000000000000000>" in screen.text and "and 440 more" in screen.text
    assert "Nobody has answered yet." in team_card(team(0)).text


def test_the_team_result_fits_for_every_team_size(knowledge) -> None:
    for size in (1, 2, 3, 7, 50, 500):
        for seed in range(5):
            t = team(size, knowledge, HOSTILE, open_=False, seed=seed, names=HOSTILE[:90] if seed == 4 else "")
            screen = render_team_result(result_of(t, knowledge), t)
            check_screen(screen)
            text = screen.text
            assert "the team's pick" in text and "**How the team answered**" in text
            assert "@everyone" not in text and "<@&" not in text
            kinds = {ids.parse(c.custom_id).kind for c in screen.components}
            assert kinds <= {"team", "team_whatif"} and "team" in kinds


def test_a_split_that_changes_the_pick_is_said(knowledge) -> None:
    """Two members who agree on everything but one question with answers that pick differently."""
    q = next(q for q in knowledge.questions if len(q.options) >= 2)
    a = {x.id: x.options[0].id for x in knowledge.questions}
    for other in q.options[1:]:
        b = {**a, q.id: other.id}
        result = team_result(knowledge, {"ann": a, "ben": b})
        assert q.id in result.splits
        t = team(0, open_=False)
        text = render_team_result(result, t).text
        if result.split_changes:
            assert "**Splits that would change the pick**" in text
            assert result.split_changes[0].text.split(",")[0][:30] in text.replace("\\", "")
            return
    raise AssertionError("no split changes the pick on the first question with two answers")
