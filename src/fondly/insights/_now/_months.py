"""Months as the metrics series give them ("YYYY-MM"), and values pooled over them."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def _month_add(month: str, delta: int) -> str:
    idx = int(month[:4]) * 12 + int(month[5:7]) - 1 + delta
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def _month_name(month: str) -> str:
    return datetime(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def _pool(series: list[dict[str, Any]], who: str, keep: Any) -> tuple[float, float] | None:
    """(hits, events) of a share over the months ``keep`` accepts, from value x n."""
    k = n = 0.0
    for row in series:
        value, count = row.get(who), row.get(f"n_{who}")
        if value is None or not count or not keep(str(row.get("month"))):
            continue
        k += float(value) * float(count)
        n += float(count)
    return (k, n) if n > 0 else None


def _mean(series: list[dict[str, Any]], who: str, keep: Any) -> tuple[float, float] | None:
    """Event-weighted mean of a monthly value (medians, ratios), with its events."""
    pooled = _pool(series, who, keep)
    return None if pooled is None else (pooled[0] / pooled[1], pooled[1])


def _months_of(series: list[dict[str, Any]], who: str) -> list[tuple[str, float, float]]:
    rows = []
    for row in series:
        value, n = row.get(who), row.get(f"n_{who}")
        if value is not None and n:
            rows.append((str(row["month"]), float(value), float(n)))
    return sorted(rows)
