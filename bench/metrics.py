"""Benchmark: every metric for a 1M-message store (target: <= 5 s for compute()).

Builds a seeded demo-like store by direct inserts (tests/synthetic.py),
fills message_features with the keyword stand-in, then keeps the units reports
start from, as ``fondly import`` does when it ends (fondly.metrics.kept), and
prints how long that took and what it added to the store. Then times compute()
a few times from the kept units (what a report does after an import) and, side
by side in the same run, building every unit from scratch (what a report with
another --gap, or on a store another tool wrote, does). Run:
``.venv/bin/python bench/metrics.py``.
``--profile`` adds one timed run of each that says where the time goes: each
unit, each query (named by its metric; "summed metrics" is the one query of
every share, ratio and count metric), and the rest (Python's assembly, partly
overlapping the queries, which run on a worker thread).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from fondly.metrics import compute, keep_units, kept, metrics
from fondly.metrics.engines import DuckDBEngine
from fondly.store import Store

# The generated store is test support, kept out of the package (tests/synthetic.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.synthetic import demo_corpus


class TimedEngine(DuckDBEngine):
    """DuckDB engine that notes how long each unit and query takes (wall seconds)."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.seconds: dict[str, float] = {}
        # a metric's query contains its SQL, comments dropped: its first tokens name it
        self._heads = [
            (m.id, " ".join(re.sub(r"--[^\n]*", "", m.sql).split()[:12])) for m in metrics()
        ]

    def materialize(self, name: str, sql: str, *, lazy: bool = False) -> None:
        started = time.perf_counter()
        super().materialize(name, sql, lazy=lazy)
        self._add(f"unit {name}", started)

    def fetch(self, sql: str) -> pa.Table:
        started = time.perf_counter()
        table = super().fetch(sql)
        self._add(f"query {self._label(sql)}", started)
        return table

    def _label(self, sql: str) -> str:
        flat = " ".join(sql.split())
        found = [mid for mid, head in self._heads if "{{" not in head and head in flat]
        if len(found) > 1:
            return "summed metrics"
        return found[0] if found else flat[:60]

    def _add(self, key: str, started: float) -> None:
        self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - started


def profile(store: Store, *, use_kept: bool) -> None:
    """One timed compute(): units, queries and the rest, largest first."""
    engine = TimedEngine(store)
    started = time.perf_counter()
    compute(store, engine=engine, use_kept=use_kept)
    total = time.perf_counter() - started
    units = sum(v for k, v in engine.seconds.items() if k.startswith("unit "))
    queries = sum(v for k, v in engine.seconds.items() if k.startswith("query "))
    print(
        f"profile ({'kept units' if use_kept else 'units from scratch'}): {total:.2f} s = "
        f"units {units:.2f} s + queries {queries:.2f} s "
        f"+ {total - units - queries:.2f} s not overlapped with them (Python)"
    )
    for key, seconds in sorted(engine.seconds.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {seconds:6.3f}  {key}")


def keep(path: Path) -> None:
    """Keep the units as an import does at its end, and say what that cost."""
    with Store(path) as store:
        started = time.perf_counter()
        keep_units(store)
        seconds = time.perf_counter() - started
        store.execute("CHECKPOINT")
        # whole blocks each table's columns occupy (an upper bound: small columns share blocks)
        blocks = {
            name: store.query(
                f"SELECT count(DISTINCT block_id) FROM pragma_storage_info('{name}') "
                "WHERE block_id >= 0"
            )[0][0]
            for (name,) in store.query("SELECT table_name FROM duckdb_tables()")
        }
        block_size = store.query("SELECT block_size FROM pragma_database_size()")[0][0]
    kept_mib = sum(n for t, n in blocks.items() if t.startswith(kept.PREFIX)) * block_size / 2**20
    all_mib = sum(blocks.values()) * block_size / 2**20
    file_mib = path.stat().st_size / 2**20
    print(
        f"kept units (the end of an import): {seconds:.2f} s; they take about {kept_mib:.0f} MiB "
        f"of the {all_mib:.0f} MiB the store's tables use (file {file_mib:.0f} MiB)"
    )


def timed(store: Store, repeat: int, *, use_kept: bool) -> tuple[list[float], dict[str, Any]]:
    timings, result = [], {}
    for _ in range(repeat):
        started = time.perf_counter()
        result = compute(store, use_kept=use_kept)
        timings.append(time.perf_counter() - started)
    return timings, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--store", type=Path, help="reuse (or build once) the store at this path")
    parser.add_argument("--dump", type=Path, help="write the last result here as JSON")
    parser.add_argument("--profile", action="store_true", help="add a run timed step by step")
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
        keep(path)
        with Store(path, read_only=True) as store:
            timings, result = timed(store, args.repeat, use_kept=True)
            scratch, scratch_result = timed(store, args.repeat, use_kept=False)
            if args.profile:
                profile(store, use_kept=True)
                profile(store, use_kept=False)
        if args.dump:
            args.dump.write_text(json.dumps(result, sort_keys=True, indent=1))
        n_rel = len(result["relationships"])
        n_metrics = len(result["relationships"][0]["metrics"]) if n_rel else 0
        print(f"compute(): {n_rel} relationships x {n_metrics} metrics + missing index")
        same = "identical" if result == scratch_result else "DIFFERENT (a bug)"
        for label, runs in (("from kept units", timings), ("units from scratch", scratch)):
            print(
                f"compute() seconds, {label}: "
                + ", ".join(f"{t:.2f}" for t in runs)
                + f" (best {min(runs):.2f}, target <= 5.00)"
            )
        print(f"results of the two: {same}")


if __name__ == "__main__":
    main()
