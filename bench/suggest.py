"""What the second tier costs: `suggestions()` per recommendation, and loading the knowledge.

Prints microseconds per `suggestions()` call over seeded random profiles (the pick taken
from the engine), and milliseconds to load the shipped knowledge with and without the nine
frameworks outside the article and also_consider.yaml (the copy without them lives in a
temporary folder).
Run: .venv/bin/python bench/suggest.py [--profiles N]
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import engine  # noqa: E402
from bot.engine.suggest import suggestions  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402


def _load_ms(folder: Path, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        load_knowledge(folder)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=20_000)
    args = parser.parse_args()
    knowledge = load_knowledge(ROOT / "knowledge")
    rng = random.Random(1)
    cases = []
    for _ in range(args.profiles):
        answers = {q.id: o for q in knowledge.questions if (o := rng.choice([None, *(x.id for x in q.options)]))}
        cases.append((answers, engine.winner(knowledge, answers)))
    start = time.perf_counter()
    shown = sum(len(suggestions(knowledge, answers, pick)) for answers, pick in cases)
    elapsed = time.perf_counter() - start
    print(f"suggestions(): {elapsed / len(cases) * 1e6:.1f} us/call over {len(cases)} profiles, "
          f"{len(knowledge.suggestion_rules)} rules; {shown / len(cases):.2f} suggestions per result on average, "
          f"{sum(1 for a, p in cases if suggestions(knowledge, a, p)) / len(cases):.0%} of results have one or more")
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "knowledge"
        shutil.copytree(ROOT / "knowledge", bare)
        (bare / "also_consider.yaml").unlink()
        for fw in knowledge.frameworks:
            if not fw.in_article:
                (bare / "frameworks" / f"{fw.id}.yaml").unlink()
        print(f"load_knowledge: {_load_ms(ROOT / 'knowledge'):.1f} ms with both tiers, "
              f"{_load_ms(bare):.1f} ms with the article's six only (best of 5)")


if __name__ == "__main__":
    main()
