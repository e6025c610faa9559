"""The real openings (tests/fixtures/real_openings_dev.yaml): facts taken and misreadings, per class.

Run: .venv/bin/python bench/text_dev.py [-v]   (-v lists every misreading and missed fact)
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.textmatch import extract
from bot.knowledge.loader import load_knowledge
from tests.support.openings import load, score


def main() -> None:
    knowledge = load_knowledge(ROOT / "knowledge")
    s = score(load(), lambda text: extract(knowledge, text))
    print(f"{'class':14s} {'facts':>5s} {'taken':>6s} {'misread':>7s}")
    for name, t in sorted(s.by_class.items()):
        print(f"{name:14s} {t.facts:5d} {t.rate:6.0%} {t.misread:7d}")
    t = s.total
    print(f"{'all':14s} {t.facts:5d} {t.rate:6.0%} {t.misread:7d}   ({s.open_answers} answers to questions the labels leave open)")
    if "-v" in sys.argv:
        for text, item in s.misreadings:
            print(f"MISREAD {item:22s} {text[:100]}")
        for text, item in s.missed:
            print(f"missed  {item:22s} {text[:100]}")


if __name__ == "__main__":
    main()
