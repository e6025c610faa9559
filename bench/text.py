"""Free text: facts taken and misreadings on the real openings, per class; then microseconds
per extract() call on corpus openings, 2,000-character descriptions and hostile input.

The real openings are tests/fixtures/real_openings_dev.yaml (scored as tests/support/openings.py
says); -v lists each misreading and missed fact. Timings are per call after the knowledge's
phrases are compiled once (as the bot runs); the compile time is printed too. "fresh words"
texts are built from words never seen before, so the typo cache cannot help.
Run: .venv/bin/python bench/text.py [--repeat N] [-v]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.text.phrases import matcher  # noqa: E402
from bot.engine.textmatch import extract  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from tests.support.openings import DEV, load, score  # noqa: E402


def timed(knowledge, texts: list[str], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            extract(knowledge, text)
            samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples) * 1e6, samples[int(len(samples) * 0.99) - 1] * 1e6


def fresh_words(rng: random.Random, n: int) -> str:
    return " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
                    for _ in range(n))


def accuracy(knowledge, verbose: bool) -> None:
    s = score(load(), lambda text: extract(knowledge, text))
    print(f"real openings: {'class':13s} {'facts':>5s} {'taken':>6s} {'misread':>7s}")
    for name, t in sorted(s.by_class.items()) + [("all", s.total)]:
        print(f"               {name:13s} {t.facts:5d} {t.rate:6.0%} {t.misread:7d}")
    print(f"               ({s.open_answers} answers to questions the labels leave open)")
    for text, item in s.misreadings if verbose else ():
        print(f"MISREAD {item:22s} {text[:100]}")
    for text, item in s.missed if verbose else ():
        print(f"missed  {item:22s} {text[:100]}")
    for name in ("real_style_openings", "real_style_validation"):  # our own, written blind (headers)
        w = score(load(DEV.with_name(f"{name}.yaml")), lambda text: extract(knowledge, text))
        print(f"{name}: {w.total.taken}/{w.total.facts} taken ({w.total.rate:.0%}), {w.total.misread} misread")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("-v", action="store_true", help="list each misreading and missed fact")
    args = parser.parse_args()
    knowledge = load_knowledge(ROOT / "knowledge")
    start = time.perf_counter()
    matcher(knowledge)
    compiled = (time.perf_counter() - start) * 1e3
    accuracy(knowledge, args.v)
    print(f"compile phrases: {compiled:.1f} ms (once per knowledge load)")
    corpus = [c["text"] for c in yaml.safe_load((ROOT / "tests" / "fixtures" / "text_corpus.yaml").read_text())]
    rng = random.Random(7)
    long = []
    while len(long) < 20:
        text = ""
        while len(text) < 2000:
            text += rng.choice(corpus) + " "
        long.append(text[:2000])
    fresh = [fresh_words(rng, 320)[:2000] for _ in range(20)]
    hostile = ["x" * 10_000, "<@U1> " * 2000, "no " * 3000 + "api", "~a " * 3000, "websockets, " * 900]
    for name, texts, repeat in (
        (f"corpus openings ({len(corpus)})", corpus, args.repeat),
        ("2,000 chars of corpus text", long, args.repeat),
        ("2,000 chars of fresh words", fresh, max(1, args.repeat // 10)),
        ("hostile 10 KB inputs", hostile, args.repeat),
    ):
        median, p99 = timed(knowledge, texts, repeat)
        print(f"{name:32s} median {median:8.0f} us   p99 {p99:8.0f} us")


if __name__ == "__main__":
    main()
