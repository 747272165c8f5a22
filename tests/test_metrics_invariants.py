"""Metric invariants over generated chats (Hypothesis).

Shares stay in [0, 1] and their intervals hold the value; shares that split one
whole between the two people sum to 1; latencies are never negative; and the
result does not change when the same messages are imported twice or in
another order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly.importers import ImportOptions
from fondly.ingest import import_paths
from fondly.metrics import compute, keep_units, metrics
from fondly.store import Store
from tests.conftest import write_generic_csv
from tests.synthetic import Chat, fill_simple_features, write_chats

T0 = datetime(2024, 2, 1, 8, 0)
TEXTS = [
    "hi",
    "how are you?",
    "i got the job!",
    "congrats!! 🎉",
    "so stressed today",
    "oh no, hugs",
    "haha 😂",
    "let's eat friday?",
    "remember when we hiked",
    "ok",
    "you never listen",
    "thank you",
    "i feel lost",
    "how did it go?",
    "miss you",
]
GAPS = [0, 1, 4, 9, 12, 30, 90, 200, 600, 1500, 3200, 7000]

events = st.lists(
    st.tuples(st.sampled_from(GAPS), st.booleans(), st.sampled_from(TEXTS)),
    min_size=2,
    max_size=90,
)
SPLITS = ("initiation_share", "disclosure_balance", "airtime")


def rows_from(evts: list[tuple[int, bool, str]], other: str) -> list[tuple[datetime, str, str]]:
    t, rows = T0, []
    for gap, mine, text in evts:
        t += timedelta(minutes=gap)
        rows.append((t, "Alex" if mine else other, text))
    return rows


def blocks(result: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for rel in result["relationships"]:
        for mid, m in rel["metrics"].items():
            for who in ("me", "them", "pair"):
                if m[who] is not None:
                    found.append((mid, who, m[who]))
    return found


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=events, second=events)
def test_shares_latencies_and_splits(first: list[Any], second: list[Any]) -> None:
    kinds = {m.id: m.kind for m in metrics()}
    with Store(":memory:") as store:
        write_chats(
            store,
            [
                Chat("a", ["Alex", "Robin"], rows_from(first, "Robin")),
                Chat("b", ["Alex", "Kim"], rows_from(second, "Kim")),
            ],
            me="Alex",
        )
        fill_simple_features(store, unscored_every=5)
        result = compute(store)
        keep_units(store)
        assert compute(store) == result  # the units kept for reports read the same
    for mid, _who, block in blocks(result):
        value, interval = block["value"], block["interval"]
        assert block["n"] >= 0
        if kinds[mid] == "share" and value is not None:
            assert 0.0 <= value <= 1.0, mid
        if interval is not None and value is not None:
            assert interval[0] - 1e-9 <= value <= interval[1] + 1e-9, mid
        if mid in ("reply_latency", "session_gap") and value is not None:
            assert value >= 0
            assert interval is None or interval[0] >= 0
    for rel in result["relationships"]:
        for mid in SPLITS:
            m = rel["metrics"][mid]
            if m["me"] is not None and m["me"]["value"] is not None:
                assert abs(m["me"]["value"] + m["them"]["value"] - 1.0) < 1e-9, mid
        for point in rel["metrics"]["reply_latency"]["series"]:
            assert all(point[w] is None or point[w] >= 0 for w in ("me", "them"))
        mi = rel["missing_index"]
        assert mi["value"] is None or 0.0 <= mi["value"] <= 1.0


def comparable(result: dict[str, Any]) -> dict[str, Any]:
    """The result keyed by person name: ids of people and chats depend on import order."""
    out = {}
    for rel in result["relationships"]:
        rel = dict(rel)
        rel.pop("conversations")
        rel["person"] = {k: v for k, v in rel["person"].items() if k != "person_id"}
        out[rel["person"]["name"]] = rel
    return out


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(first=events, second=events)
def test_importing_twice_or_reordered_changes_nothing(
    tmp_path: Path, first: list[Any], second: list[Any]
) -> None:
    # Alex opens both chats so that --me always names someone in the file.
    first, second = [(0, True, "hi"), *first], [(0, True, "hi"), *second]
    rows = [("robin", who, ts.isoformat(), text) for ts, who, text in rows_from(first, "Robin")]
    rows += [("kim", who, ts.isoformat(), text) for ts, who, text in rows_from(second, "Kim")]
    results = []
    for name, variants in (("once", [rows]), ("twice", [rows, rows[::-1]])):
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        with Store(folder / "s.duckdb") as store:
            for i, variant in enumerate(variants):
                path = write_generic_csv(folder / f"chat{i}.csv", variant)
                import_paths(store, [path], ImportOptions(tz="Europe/Berlin", me="Alex"))
            fill_simple_features(store)
            keep_units(store)  # as an import leaves it: reports read the kept units
            results.append(comparable(compute(store)))
        for p in folder.iterdir():
            p.unlink()
    assert results[0] == results[1]
