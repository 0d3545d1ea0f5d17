"""A timed fuzz campaign over the analysis, every feature and every quick fix.

    .venv/bin/python bench/fuzz.py --minutes 10 [--seed N] [--out DIR]

Each execution takes a seed document (every ``cerebrium.toml`` of ``../shared/corpus/real`` and
``examples/``), applies 1-12 random mutations (insert, delete, duplicate, swap characters and
lines, insert TOML tokens, cut), or generates a TOML-like document from scratch, or flips bytes
of a seed and decodes it as ``check`` does; then runs the oracle of ``tests/unit/fuzz_support.py``
(analysis never raises, every range inside the document, completion, hover, selection, symbols,
folding, links at random offsets, every quick fix keeps a parsing file parsing and keeps every
comment, and the server's handlers, code actions included, answer without a guarded error). Failures are deduplicated by exception type and location; one reproducer per failure
is written to ``--out`` as a JSON string (``json.load`` it and pass it to
``fuzz_support.exercise``). Prints a JSON report: executions, executions per second, per
strategy, failures. Exit code 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "unit"))
sys.path.insert(0, str(ROOT))

from fuzz_support import ALPHABET, TOKENS, exercise, mutate, random_offsets, seed_texts  # noqa: E402

from cerebrium_lsp.check import decode  # noqa: E402
from cerebrium_lsp.model import MODEL  # noqa: E402

TABLES = sorted({".".join(t.path) for t in MODEL.tables})
KEYS = sorted({k.name for t in MODEL.tables for k in t.keys})
VALUES = (
    '"x"',
    "'y'",
    '"""a\nb"""',
    "1",
    "-0.5",
    "inf",
    "true",
    "1979-05-27",
    "[1, 2]",
    '["a", "b",]',
    "{ a = 1 }",
    "{}",
    "[",
    '"',
    "[[1], [{ b = [] }]]",
    '"AMPERE_A10"',
    '"3.11"',
    '"hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345"',
)


def generate(rng: random.Random) -> str:
    """A TOML-like document from the model's tables, keys and values, with some noise."""
    lines = []
    for _ in range(rng.randint(0, 30)):
        roll = rng.random()
        if roll < 0.2:
            lines.append(f"[{rng.choice(TABLES)}]")
        elif roll < 0.25:
            lines.append(f"[[{rng.choice(TABLES)}]]")
        elif roll < 0.8:
            key = rng.choice(KEYS) if rng.random() < 0.8 else rng.choice(TOKENS)
            lines.append(f"{key} = {rng.choice(VALUES)}")
        elif roll < 0.9:
            lines.append("# " + "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8))))
        else:
            lines.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12))))
    return rng.choice(["\n", "\r\n", "\r"]).join(lines)


def flip_bytes(text: str, rng: random.Random) -> str:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 6)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return decode(bytes(data))[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", type=Path, default=Path("bench/fuzz-failures"))
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    seeds = seed_texts()
    deadline = time.monotonic() + args.minutes * 60
    started = time.monotonic()
    executions = 0
    characters = 0
    strategies: Counter[str] = Counter()
    failures: dict[str, dict[str, object]] = {}
    while time.monotonic() < deadline:
        strategy = rng.choices(["mutate", "generate", "bytes"], weights=[7, 2, 1])[0]
        name, base = rng.choice(seeds)
        if strategy == "mutate":
            text = mutate(base, rng, rng.randint(1, 12))
        elif strategy == "generate":
            text, name = generate(rng), "generated"
        else:
            text = flip_bytes(base, rng)
        executions += 1
        characters += len(text)
        strategies[strategy] += 1
        try:
            exercise(text, random_offsets(text, rng))
        except Exception as error:
            frame = traceback.extract_tb(error.__traceback__)[-1]
            key = f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            if key not in failures:
                args.out.mkdir(parents=True, exist_ok=True)
                # JSON: the text may hold lone surrogates, which no file encoding can.
                reproducer = args.out / f"failure-{len(failures) + 1}.json"
                reproducer.write_text(json.dumps(text), encoding="ascii")
                failures[key] = {
                    "seed_document": name,
                    "strategy": strategy,
                    "message": str(error)[:500],
                    "reproducer": str(reproducer),
                    "count": 0,
                }
                print(f"FAILURE {key}: {str(error)[:200]}", file=sys.stderr)
            failures[key]["count"] = int(str(failures[key]["count"])) + 1
    elapsed = time.monotonic() - started
    report = {
        "seed": seed,
        "minutes": round(elapsed / 60, 2),
        "seed_documents": len(seeds),
        "executions": executions,
        "executions_per_second": round(executions / elapsed, 1),
        "characters_analysed": characters,
        "strategies": dict(strategies),
        "failures": failures,
    }
    print(json.dumps(report, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
