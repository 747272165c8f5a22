"""Metric blocks: the rows the metric queries return, turned into the contract's values.

A block is one person's (or the pair's) value for one window, with its n, interval
and enough-data flag; a metric's result is its blocks, its monthly series and its
evidence. :mod:`fondly.metrics._compute` runs the SQL and calls these; they only
add up, pivot and pick, the same for every engine.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fondly.metrics.registry import Metric
from fondly.metrics.stats import ratio_interval, wilson

MIN_MESSAGES = 20
"""No per-person rate from fewer than 20 messages in the window (psychology.md section 1)."""
WHOS = ("me", "them", "pair")

Volume = dict[tuple[int, str, str, int], int]
"""Messages per (other_id, who, month, recent) with who in me/them/pair."""


def split_by_metric(table: pa.Table) -> dict[str, pa.Table]:
    """The rows of ``_compute._cells_sql`` cut into one table per metric (sorted by it)."""
    out: dict[str, pa.Table] = defaultdict(lambda: table.slice(0, 0))
    metric = table.column("metric")
    size = len(table)
    if size == 0:
        return out
    changes = pc.not_equal(metric.slice(1), metric.slice(0, size - 1)).to_numpy(
        zero_copy_only=False
    )
    bounds = [0, *(np.flatnonzero(changes) + 1).tolist(), size]
    for lo, hi in itertools.pairwise(bounds):
        out[str(metric[lo])] = table.slice(lo, hi - lo)
    return out


def empty(metric: Metric) -> dict[str, Any]:
    return {
        "me": None,
        "them": None,
        "pair": None,
        "series": [],
        "recent_30d": None,
        "_evidence": [],
    }


def _evidence_by_pair(cells: pa.Table, limit: int = 3) -> dict[int, list[tuple[str, str]]]:
    """Per relationship, up to ``limit`` (evidence id, cell person): newest month first
    (then the larger id), alternating between people, no id twice for one person.

    ``cells`` has ``other_id, who, month, evidence_id`` (nulls allowed). Arrow sorts the
    few candidates of every relationship in one call; Python walks them once.
    """
    with_evidence = cells.filter(pc.is_valid(cells.column("evidence_id")))
    ordered = with_evidence.sort_by(
        [("other_id", "ascending"), ("month", "descending"), ("evidence_id", "descending")]
    )
    by_pair: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for oid, who, mid in zip(
        *(ordered.column(c).to_pylist() for c in ("other_id", "who", "evidence_id")),
        strict=True,
    ):
        picked_for = by_pair[oid][who]
        if len(picked_for) < limit and mid not in picked_for:
            picked_for.append(mid)
    out: dict[int, list[tuple[str, str]]] = {}
    for oid, by_who in by_pair.items():
        picked: list[tuple[str, str]] = []
        for rank in range(limit):
            for who in WHOS:
                if len(by_who[who]) > rank and len(picked) < limit:
                    picked.append((by_who[who][rank], who))
        out[int(oid)] = picked
    return out


Vector = tuple[float, float, float, float, float, float]
"""Summed (n_rows, num, den, num2, numden, den2) of one metric's rows."""
Cell = tuple[str, int, Vector]
"""(month, recent flag, sums) for one person."""
Rows = list[dict[str, Any]]


def _sum_value(
    metric: Metric, v: Vector, *, with_interval: bool = True
) -> tuple[float | None, int, list[float] | None]:
    """Value, n and (unless ``with_interval`` is false: series show no interval) the interval."""
    n_rows, num, den, num2, numden, den2 = v
    if metric.kind == "count":
        return num, int(num), None
    if den <= 0:
        return None, 0, None
    value = num / den
    if metric.kind == "share":
        return value, round(den), wilson(num, den) if with_interval else None
    if not with_interval:
        return value, int(n_rows), None
    return value, int(n_rows), ratio_interval(int(n_rows), num, den, num2, numden, den2)


def _by_pair(rows: Rows) -> dict[int, Rows]:
    grouped: dict[int, Rows] = defaultdict(list)
    for row in rows:
        grouped[int(row["other_id"])].append(row)
    return grouped


_VECTOR_COLUMNS = ("n_rows", "num", "den", "num2", "numden", "den2")


def _summed(table: pa.Table, keys: list[str]) -> pa.Table:
    """Sums of the vector columns (and msgs) per ``keys``, groups in first-seen order."""
    columns = [*_VECTOR_COLUMNS, "msgs"]
    return table.group_by(keys, use_threads=False).aggregate([(c, "sum") for c in columns])


def _point_values(metric: Metric, t: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """Value (NaN for none) and n of each series point, column-wise (as :func:`_sum_value`)."""
    num, den = t.column("num_sum"), t.column("den_sum")
    if metric.kind == "count":
        return _floats(num), _floats(pc.trunc(num)).astype(np.int64)
    ok = pc.greater(den, 0)
    value = pc.if_else(ok, pc.divide(num, den), pa.scalar(None, pa.float64()))
    if metric.kind == "share":
        n = pc.round(den, ndigits=0, round_mode="half_to_even")
    else:
        n = pc.trunc(t.column("n_rows_sum"))
    n = pc.if_else(ok, n, 0.0)
    return _floats(value), _floats(pc.cast(n, pa.int64())).astype(np.int64)


def _floats(column: Any) -> np.ndarray:
    """A numeric Arrow column as a float numpy array, NaN for null."""
    filled = pc.fill_null(pc.cast(column, pa.float64()), float("nan"))
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=float)


def sum_metric(metric: Metric, table: pa.Table, volume: Volume) -> dict[int, dict[str, Any]]:
    """Blocks of a share, ratio or count metric from the rows of ``_compute._cells_sql``.

    Arrow adds the cells up (rows arrive sorted by person, month and recent
    flag, so sums always add in the same order) and computes series points
    column-wise; Python touches each point once to place it. With ~40 months x
    3 people x 150 relationships per metric, a Python loop per cell used to be
    most of the assembly time. ``volume`` is unused: each cell carries its
    message count (``msgs``).
    """
    del volume
    filled = {
        name: pc.cast(pc.fill_null(table.column(name), 0), pa.float64())
        for name in [*_VECTOR_COLUMNS, "msgs"]
    }
    t = pa.table(
        {
            "other_id": table.column("other_id"),
            "who": table.column("who"),
            "month": table.column("month"),
            "recent": table.column("recent"),
            **filled,
        }
    )
    blocks: dict[tuple[int, str, int], dict[str, Any]] = {}
    for recent, part in ((0, t), (1, t.filter(pc.equal(t.column("recent"), 1)))):
        sums = _summed(part, ["other_id", "who"])
        vectors = zip(*(sums.column(f"{c}_sum").to_pylist() for c in _VECTOR_COLUMNS), strict=True)
        for oid, who, msgs, vec in zip(
            sums.column("other_id").to_pylist(),
            sums.column("who").to_pylist(),
            sums.column("msgs_sum").to_pylist(),
            vectors,
            strict=True,
        ):
            value, n, interval = _sum_value(metric, vec)
            blocks[(oid, who, recent)] = {
                "value": value,
                "n": n,
                "interval": interval,
                "enough_data": value is not None and n >= metric.min_n and msgs >= MIN_MESSAGES,
            }

    series = _series(metric, _summed(t, ["other_id", "who", "month"]))

    evidence = _evidence_by_pair(table)

    out = {}
    for oid, points in series.items():
        result: dict[str, Any] = {who: blocks.get((oid, who, 0)) for who in WHOS}
        result["recent_30d"] = {who: blocks.get((oid, who, 1)) for who in WHOS}
        result["series"] = points
        result["_evidence"] = evidence.get(int(oid), [])
        out[int(oid)] = result
    return out


def _series(metric: Metric, points: pa.Table) -> dict[int, list[dict[str, Any]]]:
    """Monthly points per relationship: one entry per month with every person's value and n.

    The summed cells are pivoted column-wise (a value and an n column per
    person), so Python builds each month's entry once, from one zipped row.
    """
    points = points.sort_by([("other_id", "ascending"), ("month", "ascending")])
    values, ns = _point_values(metric, points)
    oid = points.column("other_id").to_numpy()
    month = points.column("month")
    size = len(points)
    starts = np.ones(size, dtype=bool)
    if size > 1:
        same_month = pc.equal(month.slice(1), month.slice(0, size - 1)).to_numpy(
            zero_copy_only=False
        )
        starts[1:] = (oid[1:] != oid[:-1]) | ~same_month
    group = np.cumsum(starts) - 1
    n_groups = int(group[-1]) + 1 if size else 0
    who = pc.index_in(points.column("who"), value_set=pa.array(WHOS)).to_numpy()
    value_grid = np.full((n_groups, len(WHOS)), np.nan)
    known = np.zeros((n_groups, len(WHOS)), dtype=bool)
    n_grid = np.zeros((n_groups, len(WHOS)), dtype=np.int64)
    value_grid[group, who] = values
    known[group, who] = ~np.isnan(values)
    n_grid[group, who] = ns
    # WHOS is ("me", "them", "pair"): grid column w belongs to WHOS[w]
    me, them, pair = (pa.array(value_grid[:, w], mask=~known[:, w]).to_pylist() for w in range(3))
    n_me, n_them, n_pair = (n_grid[:, w].tolist() for w in range(3))
    first = np.flatnonzero(starts)
    months = pc.take(month, pa.array(first)).to_pylist()
    entries = [
        {"month": m, "me": a, "n_me": na, "them": b, "n_them": nb, "pair": p, "n_pair": np_}
        for m, a, na, b, nb, p, np_ in zip(
            months, me, n_me, them, n_them, pair, n_pair, strict=True
        )
    ]
    # groups are sorted by relationship: cut the entries where the relationship changes
    group_oid = oid[first]
    cuts = np.flatnonzero(np.diff(group_oid)) + 1
    bounds = [0, *cuts.tolist(), len(entries)]
    return {int(group_oid[lo]): entries[lo:hi] for lo, hi in itertools.pairwise(bounds) if hi > lo}


def _median_cell(metric: Metric, row: dict[str, Any] | None, msgs: int) -> dict[str, Any] | None:
    """One block of a median metric from its cell row; ``msgs``: the person's messages in
    the cell's months (for enough_data)."""
    if row is None:
        return None
    n = int(row["n"])
    interval = None
    if n >= 3 and row["lo"] is not None and row["hi"] is not None:
        interval = [float(row["lo"]), float(row["hi"])]
    return {
        "value": float(row["med"]),
        "n": n,
        "interval": interval,
        "enough_data": n >= metric.min_n and msgs >= MIN_MESSAGES,
    }


def median_metric(metric: Metric, rows: Rows, volume: Volume) -> dict[int, dict[str, Any]]:
    """Blocks of a median metric from the per-cell rows of ``_compute._median_sql``.

    A cell's enough-data test counts the person's messages in the months the metric
    has rows for (``*``: all of them; ``recent``: their last-30-days part), each
    month's count read once per person.
    """
    out = {}
    for oid, group in _by_pair(rows).items():
        cells = {(r["who"], r["cell"]): r for r in group}
        months = sorted({r["cell"] for r in group if r["cell"] not in ("*", "recent")})
        month_msgs: dict[str, dict[str, int]] = {}
        for who in WHOS:
            older = [volume.get((oid, who, m, 0), 0) for m in months]
            recent = [volume.get((oid, who, m, 1), 0) for m in months]
            month_msgs[who] = {m: a + b for m, a, b in zip(months, older, recent, strict=True)}
            month_msgs[who]["*"] = sum(older) + sum(recent)
            month_msgs[who]["recent"] = sum(recent)
        blocks = {
            (who, cell): _median_cell(metric, cells.get((who, cell)), msgs)
            for who in WHOS
            for cell, msgs in month_msgs[who].items()
        }
        series = []
        for month in months:
            entry: dict[str, Any] = {"month": month}
            for who in WHOS:
                b = blocks[(who, month)]
                entry[who] = None if b is None else b["value"]
                entry[f"n_{who}"] = 0 if b is None else b["n"]
            series.append(entry)
        result: dict[str, Any] = {who: blocks[(who, "*")] for who in WHOS}
        result["recent_30d"] = {who: blocks[(who, "recent")] for who in WHOS}
        result["series"] = series
        result["_evidence"] = [
            (str(cells[(who, "*")]["evidence_id"]), who)
            for who in WHOS
            if (who, "*") in cells and cells[(who, "*")]["evidence_id"]
        ]
        out[oid] = result
    return out
