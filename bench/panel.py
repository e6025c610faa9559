"""The pick against the expert panel's judged profiles (tests/fixtures/expert_panel/dev.json).

Per profile the panel lists the frameworks at least 2 of 3 reviews call acceptable and those
they call unreasonable. Prints how many picks are acceptable, unreasonable or debatable, the
picks per framework, how often the pick is the panel's plurality best, and the misses.
Run: .venv/bin/python bench/panel.py [PANEL.json] [--knowledge DIR]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import engine  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402

DEV = ROOT / "tests" / "fixtures" / "expert_panel" / "dev.json"


def judge(knowledge, panel: list[dict]) -> dict:  # type: ignore[no-untyped-def]
    """Counts and the misses (profile id, pick, verdict) for one panel."""
    ok = bad = best = 0
    picks: Counter[str] = Counter()
    misses = []
    for profile in panel:
        pick = engine.winner(knowledge, profile["answers"])
        picks[pick] += 1
        best += pick == profile["best"]
        if pick in profile["acceptable"]:
            ok += 1
        elif pick in profile["unreasonable"]:
            bad += 1
            misses.append((profile["id"], pick, "unreasonable"))
        else:
            misses.append((profile["id"], pick, "debatable"))
    return {"n": len(panel), "acceptable": ok, "unreasonable": bad, "best": best, "picks": picks, "misses": misses}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("panel", nargs="?", default=str(DEV))
    parser.add_argument("--knowledge", default=str(ROOT / "knowledge"))
    args = parser.parse_args()
    result = judge(load_knowledge(Path(args.knowledge)), json.loads(Path(args.panel).read_text()))
    n = result["n"]
    print(f"profiles: {n}")
    print(f"acceptable:   {result['acceptable']}/{n} ({result['acceptable'] / n:.1%})")
    print(f"unreasonable: {result['unreasonable']}/{n} ({result['unreasonable'] / n:.1%})")
    print(f"panel's best: {result['best']}/{n}")
    print("picks: " + ", ".join(f"{f} {c}" for f, c in result["picks"].most_common()))
    for pid, pick, verdict in result["misses"]:
        print(f"  {pid}: {pick} ({verdict})")


if __name__ == "__main__":
    main()
