"""Intervals: how sure a period's value is, and whether two periods differ.

Every value the recent view, the alerts and the change points compare carries a 95%
interval (docs/insights.md): Wilson for shares, a seeded bootstrap of the period's
months (weeks for contact) for the rest, and MOVER for a difference of two values.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

BOOT_RESAMPLES, BOOT_SEED, BOOT_MIN_UNITS = 2000, 14, 3
"""The seeded bootstrap behind every interval that is not a share's: 2000 resamples of the
period's months (weeks for contact), none below three units (docs/insights.md)."""


def bootstrap(rows: list[tuple[float, float]], stat: Any = None) -> list[float] | None:
    """95% percentile interval of a period's value, its units (months, weeks) resampled.

    ``rows`` are (value, weight) per unit; the statistic is the weighted mean unless ``stat``
    (a function of the resampled unit indices, shape resamples x units) is given. Seeded, so
    a report never flickers; None below ``BOOT_MIN_UNITS`` units, where resampling says
    nothing.
    """
    if len(rows) < BOOT_MIN_UNITS:
        return None
    rng = np.random.default_rng(BOOT_SEED)
    idx = rng.integers(0, len(rows), size=(BOOT_RESAMPLES, len(rows)))
    if stat is None:
        v = np.array([r[0] for r in rows], dtype=float)
        w = np.array([r[1] for r in rows], dtype=float)
        ws = w[idx].sum(axis=1)
        stats = np.where(ws > 0, (v[idx] * w[idx]).sum(axis=1) / np.where(ws > 0, ws, 1), np.nan)
    else:
        stats = np.asarray(stat(idx), dtype=float)
    stats = stats[~np.isnan(stats)]
    if stats.size == 0:
        return None
    lo, hi = np.quantile(stats, [0.025, 0.975])
    return [round(float(lo), 4), round(float(hi), 4)]


def _spread(whole: Any) -> float | None:
    """One event's share of the sampling error, from the whole-history interval.

    The metrics layer gives each median its distribution-free interval over all events
    (ratios their cluster-robust one); half its width over 1.96, times the square root of
    the events, is the spread a period of ``n`` events divides by the square root of ``n``.
    """
    if not isinstance(whole, dict):
        return None
    interval, n = whole.get("interval"), whole.get("n")
    if not (isinstance(interval, list | tuple) and len(interval) == 2 and n):
        return None
    if interval[0] is None or interval[1] is None:
        return None
    return (float(interval[1]) - float(interval[0])) / (2 * 1.96) * math.sqrt(float(n))


def period_interval(rows: list[tuple[float, float]], spread: float | None) -> list[float] | None:
    """95% interval of a period's median or ratio (the event-weighted mean of its months).

    Two sources of error, both kept: how the months differ (a seeded bootstrap of the
    months) and how a value of that many events varies by chance (each resample moved by a
    normal draw of ``spread / sqrt(events)``). With fewer than three months only the
    second is known, so the interval is the normal one around the value.
    """
    events = sum(w for _, w in rows)
    if not rows or events <= 0:
        return None
    value = sum(v * w for v, w in rows) / events
    sd = 0.0 if spread is None else spread / math.sqrt(events)
    if len(rows) < BOOT_MIN_UNITS:
        if spread is None:
            return None
        return [round(value - 1.96 * sd, 4), round(value + 1.96 * sd, 4)]
    rng = np.random.default_rng(BOOT_SEED)
    v = np.array([r[0] for r in rows], dtype=float)
    w = np.array([r[1] for r in rows], dtype=float)
    idx = rng.integers(0, len(rows), size=(BOOT_RESAMPLES, len(rows)))
    stats = (v[idx] * w[idx]).sum(axis=1) / w[idx].sum(axis=1)
    stats = stats + rng.normal(0.0, 1.0, size=BOOT_RESAMPLES) * sd
    lo, hi = np.quantile(stats, [0.025, 0.975])
    return [round(float(lo), 4), round(float(hi), 4)]


def difference(recent: float, recent_ci: Any, before: float, before_ci: Any) -> list[float] | None:
    """95% interval of ``recent - before`` from the two intervals (MOVER; Zou & Donner 2008).

    For two Wilson intervals this is Newcombe's (1998) hybrid score interval; for bootstrap
    intervals the same recovery of the variances from the limits. None without both.
    """
    if not (isinstance(recent_ci, list | tuple) and isinstance(before_ci, list | tuple)):
        return None
    d = recent - before
    lo = d - math.sqrt((recent - recent_ci[0]) ** 2 + (before_ci[1] - before) ** 2)
    hi = d + math.sqrt((recent_ci[1] - recent) ** 2 + (before - before_ci[0]) ** 2)
    return [round(lo, 4), round(hi, 4)]


def differs(interval: list[float] | None) -> bool:
    """Whether a difference's interval leaves out zero: a change the data can claim."""
    return interval is not None and (interval[0] > 0 or interval[1] < 0)


def wilson(k: float, n: float, z: float = 1.96) -> list[float] | None:
    if n <= 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]
