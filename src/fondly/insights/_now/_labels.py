"""Contact now against before, and the overview's change label (docs/insights.md).

Read from the relationship's own days (``fondly.metrics.reader.Timeline``): messages per
week in the recent period against the year before, and from them the label: new,
reconnected, closer, steady, drifting, silent or unanswered.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from fondly.insights._now._intervals import bootstrap, difference, differs
from fondly.metrics.reader import ChatReader, Pair, Timeline

RECENT_DAYS = 90
"""The recent period: the last 90 days with data (the brief's default)."""

BASELINE_DAYS = 365
"""The baseline: up to a year before the recent period."""

MIN_BASELINE_DAYS = 60
"""With less history than this the relationship is "new": there is no before to compare."""

SILENT_DAYS = 30
"""No exchange in which both wrote for 30 days: the pair is silent."""

RECONNECT_DAYS = 60
"""A silence of two months or more is a reconnection once it is broken..."""

RECONNECT_WINDOW_DAYS = 120
"""...within the last 120 days: the recent period and the month before it, so a return
just before the recent period still reads as one (its "before" is mostly the silence)."""

DRIFT_RATIO, DRIFT_LAST30 = 0.6, 0.75
"""Drifting: the recent rate at 60% of the baseline or less, and the last 30 days still low,
so one quiet month that has already passed (a holiday) does not read as drifting."""

CLOSER_RATIO, CLOSER_LAST30 = 1.4, 1.2


def read_timeline(
    reader: ChatReader | None, relationship: dict[str, Any], me_id: Any
) -> Timeline | None:
    """Daily counts and the last 60 messages of one relationship (its own data only)."""
    pair = Pair.of(relationship, me_id)
    if reader is None or pair is None:
        return None
    return reader.timeline(pair)


def _fmt_day(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def _per_week(rate: float) -> str:
    week = rate * 7
    return f"{week:.0f}" if week >= 10 else f"{week:.1f}".rstrip("0").rstrip(".")


def _weeks(timeline: Timeline, start: date, end: date, who: str) -> list[tuple[float, float]]:
    """(messages per week, 1) for each whole week of [start, end], counted back from the end."""
    start = max(start, timeline.first)
    out = []
    week_end = end
    while week_end - timedelta(days=6) >= start:
        week_start = week_end - timedelta(days=6)
        out.append((timeline.rate(week_start, week_end, who) * 7, 1.0))
        week_end = week_start - timedelta(days=1)
    return out


def contact(timeline: Timeline | None) -> dict[str, Any]:
    """Messages per week, recent against baseline, and the days the windows cover."""
    if timeline is None:
        return {}
    end = timeline.last
    recent_from = end - timedelta(days=RECENT_DAYS - 1)
    base_to = recent_from - timedelta(days=1)
    base_from = max(timeline.first, base_to - timedelta(days=BASELINE_DAYS - 1))
    base_days = (base_to - base_from).days + 1 if base_to >= timeline.first else 0
    out: dict[str, Any] = {
        "recent": {"from": max(recent_from, timeline.first).isoformat(), "to": end.isoformat()},
        "baseline": None,
        "recent_per_week": round(timeline.rate(recent_from, end) * 7, 1),
        "last30_per_week": round(timeline.rate(end - timedelta(days=29), end) * 7, 1),
        "them_recent_per_week": round(timeline.rate(recent_from, end, "them") * 7, 1),
        "recent_interval": bootstrap(_weeks(timeline, recent_from, end, "both")),
        "them_recent_interval": bootstrap(_weeks(timeline, recent_from, end, "them")),
    }
    if base_days >= MIN_BASELINE_DAYS:
        out["baseline"] = {"from": base_from.isoformat(), "to": base_to.isoformat()}
        out["baseline_per_week"] = round(timeline.rate(base_from, base_to) * 7, 1)
        out["them_baseline_per_week"] = round(timeline.rate(base_from, base_to, "them") * 7, 1)
        out["baseline_interval"] = bootstrap(_weeks(timeline, base_from, base_to, "both"))
        out["them_baseline_interval"] = bootstrap(_weeks(timeline, base_from, base_to, "them"))
    return out


def _longest_recent_gap(timeline: Timeline) -> int:
    """The longest pause (days) that ended within the reconnection window."""
    recent_from = timeline.last - timedelta(days=RECONNECT_WINDOW_DAYS - 1)
    days = sorted(timeline.days)
    best = 0
    for before, after in itertools.pairwise(days):
        if after >= recent_from:
            best = max(best, (after - before).days)
    return best


def change_label(
    timeline: Timeline | None, seen: dict[str, Any], alerts: list[dict[str, Any]]
) -> dict[str, Any]:
    """The overview's label, with the figures that decided it (definitions: docs/insights.md)."""
    if timeline is None:
        return {"label": "unknown", "why": "no messages to read"}
    ids = {a["signal"] for a in alerts}
    if "unanswered" in ids:
        return {
            "label": "unanswered",
            "why": next(a["why"] for a in alerts if a["signal"] == "unanswered"),
        }
    if (
        timeline.last_exchange is None
        or (timeline.last - timeline.last_exchange).days >= SILENT_DAYS
    ):
        since = timeline.last_exchange
        why = "no exchange yet" if since is None else f"no exchange since {_fmt_day(since)}"
        return {"label": "silent", "why": why}
    gap = _longest_recent_gap(timeline)
    if gap >= RECONNECT_DAYS:
        return {"label": "reconnected", "why": f"back in touch after {gap} days of silence"}
    if seen.get("baseline") is None:
        return {"label": "new", "why": "less than two months of history before the last 90 days"}
    base = float(seen.get("baseline_per_week") or 0.0)
    recent = float(seen.get("recent_per_week") or 0.0)
    last30 = float(seen.get("last30_per_week") or 0.0)
    if base <= 0:
        return {"label": "reconnected" if recent > 0 else "silent", "why": "no contact before"}
    ratio, ratio30 = recent / base, last30 / base
    why = (
        f"{_per_week(recent / 7)} messages a week in the last 90 days, "
        f"{_per_week(base / 7)} in the year before; {_per_week(last30 / 7)} in the last 30 days"
    )
    # a move is claimed only when the weekly rates' intervals say so (docs/insights.md)
    moved = differs(
        difference(recent, seen.get("recent_interval"), base, seen.get("baseline_interval"))
    )
    if moved and ratio <= DRIFT_RATIO and ratio30 <= DRIFT_LAST30:
        label = "drifting"
    elif moved and ratio >= CLOSER_RATIO and ratio30 >= CLOSER_LAST30:
        label = "closer"
    else:
        label = "steady"
    out = {"label": label, "why": why, "ratio": round(ratio, 2)}
    if label == "steady" and ratio30 <= DRIFT_RATIO:
        out["quieter_lately"] = True  # a quiet last month: said, but not yet a trend
    return out
