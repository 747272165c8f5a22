"""Benchmark: every metric for a 1M-message store (target: <= 5 s for compute()).

Builds a seeded demo-like store by direct inserts (fondly.metrics.synthetic),
fills message_features with the keyword stand-in, then times compute() a few
times and prints the figures. Run: ``.venv/bin/python bench/metrics.py``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from fondly.metrics import compute
from fondly.metrics.synthetic import demo_corpus
from fondly.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--store", type=Path, help="reuse (or build once) the store at this path")
    parser.add_argument("--dump", type=Path, help="write the last result here as JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "bench.duckdb"
        if not path.exists():
            started = time.perf_counter()
            with Store(path) as store:
                demo_corpus(store, n_people=args.people, n_messages=args.messages, seed=1)
                n = store.query("SELECT count(*) FROM messages")[0][0]
            print(
                f"built store: {n:,} messages, {args.people} people in "
                f"{time.perf_counter() - started:.1f} s"
            )
        with Store(path, read_only=True) as store:
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                result = compute(store)
                timings.append(time.perf_counter() - started)
        if args.dump:
            args.dump.write_text(json.dumps(result, sort_keys=True, indent=1))
        n_rel = len(result["relationships"])
        n_metrics = len(result["relationships"][0]["metrics"]) if n_rel else 0
        print(f"compute(): {n_rel} relationships x {n_metrics} metrics + missing index")
        print(
            "compute() seconds: "
            + ", ".join(f"{t:.2f}" for t in timings)
            + f" (best {min(timings):.2f}, target <= 5.00)"
        )


if __name__ == "__main__":
    main()
