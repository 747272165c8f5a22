"""The recent view of a metric: its recent period against its baseline, and the trend.

The scorecard and the suggestions read each metric as of its last three months
(widened until there are ``min_n`` events) against the year before them.
"""

from __future__ import annotations

from typing import Any

from fondly.insights._now._intervals import _spread, difference, differs, period_interval, wilson
from fondly.insights._now._months import _mean, _month_add, _months_of
from fondly.insights._reading import fmt_value, is_share

EVEN = 0.15
"""A balance (who starts, airtime) within 15 points of 50% reads as even (as _suggest does)."""


def windows(end_month: str, metric: dict[str, Any]) -> tuple[str, str]:
    """(first recent month, first baseline month): three months, widened to ``min_n`` events."""
    min_n = int(metric.get("min_n") or 5)
    series = metric.get("series") or []
    start = _month_add(end_month, -2)
    for _ in range(3):  # widen to six months at most
        counts = [
            sum(float(r.get(f"n_{w}") or 0) for r in series if str(r.get("month")) >= start)
            for w in ("me", "them", "pair")
        ]
        if max(counts) >= min_n:
            break
        start = _month_add(start, -1)
    return start, _month_add(start, -12)


def now_and_before(metric: dict[str, Any], end_month: str) -> dict[str, Any]:
    """The metric's recent and baseline values per side, each with events and interval."""
    series = metric.get("series") or []
    recent_from, base_from = windows(end_month, metric)
    out: dict[str, Any] = {"recent_from": recent_from, "baseline_from": base_from}
    for period, keep in (
        ("recent", lambda m: m >= recent_from),
        ("baseline", lambda m: base_from <= m < recent_from),
    ):
        sides: dict[str, Any] = {}
        for who in ("me", "them", "pair"):
            got = _mean(series, who, keep)
            if got is None:
                continue
            value, n = got
            enough = n >= int(metric.get("min_n") or 5)
            months = [(v, w) for m, v, w in _months_of(series, who) if keep(m)]
            sides[who] = {
                "value": round(value, 4),
                "n": round(n),
                "interval": wilson(value * n, n)
                if is_share(metric)
                else period_interval(months, _spread(metric.get(who))),
                "enough_data": enough,
                "text": fmt_value(value, metric),
            }
        out[period] = sides
    return out


_ARROWS = {"better": "↑", "worse": "↓", "steady": "→", "up": "↗", "down": "↘", "unknown": "·"}


def recent_view(metric: dict[str, Any], end_month: str) -> dict[str, Any]:
    """The metric as the scorecard and suggestions read it: its recent period.

    ``me``/``them``/``pair`` become the recent values (the last three months of this
    relationship, widened until there are ``min_n`` events); the whole history stays
    under ``all_time`` and both periods under ``now``. Counts (messages, inside jokes)
    are totals, not rates, so they keep their whole-history value.
    """
    if str(metric.get("kind") or "") in {"count", "python"} or not metric.get("series"):
        return metric | {"now": None, "all_time": None}
    split = now_and_before(metric, end_month)
    view = dict(metric)
    view["all_time"] = {w: metric.get(w) for w in ("me", "them", "pair")}
    view["now"] = split
    for who in ("me", "them", "pair"):
        if metric.get(who) is None:
            continue
        got = split["recent"].get(who)
        view[who] = (
            None if got is None else {k: got[k] for k in ("value", "n", "interval", "enough_data")}
        )
    return view


def trend_now(metric: dict[str, Any]) -> dict[str, Any]:
    """Recent against baseline on the row's own side, with the direction that is good.

    Steady unless the values differ by more than the noise (5 points for shares, and
    intervals that do not overlap; 15% otherwise) and both periods have enough events.
    """
    split = metric.get("now") or {}
    for who in ("me", "pair", "them"):
        recent = (split.get("recent") or {}).get(who)
        before = (split.get("baseline") or {}).get(who)
        if recent is None:
            continue
        out: dict[str, Any] = {"side": who, "label": "unknown", "arrow": _ARROWS["unknown"]}
        if before is None or not (recent["enough_data"] and before["enough_data"]):
            return out | {"why": "not enough events in both periods"}
        r, b = float(recent["value"]), float(before["value"])
        gap = difference(r, recent.get("interval"), b, before.get("interval"))
        out |= {"recent": r, "before": b, "delta": r - b, "difference": gap}
        if gap is None:
            return out | {"why": "too few months for an interval in one of the periods"}
        big = abs(r - b) > (0.05 if is_share(metric) else 0.15 * max(abs(r), abs(b), 1e-9))
        moved = big and differs(gap)
        raw = str(metric.get("direction") or "")
        if not moved or (raw.startswith("balanc") and max(abs(r - 0.5), abs(b - 0.5)) <= EVEN):
            label = "steady"  # both periods even: 46% then 56% is neither better nor worse
        elif raw.startswith("balanc"):
            label = "better" if abs(r - 0.5) < abs(b - 0.5) else "worse"
        elif raw == "higher":
            label = "better" if r > b else "worse"
        elif raw == "lower":
            label = "better" if r < b else "worse"
        else:
            label = "up" if r > b else "down"
        return out | {"label": label, "arrow": _ARROWS[label]}
    return {"side": "pair", "label": "unknown", "arrow": _ARROWS["unknown"]}
