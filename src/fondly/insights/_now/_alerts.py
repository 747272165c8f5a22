"""Contact alerts: your messages unanswered, they stopped starting, their contact fading.

They outrank every suggestion (docs/insights.md), and their advice is always genuine:
ask once, kindly, and respect the answer.
"""

from __future__ import annotations

from typing import Any

from fondly.insights._now._intervals import difference, differs
from fondly.insights._now._labels import MIN_BASELINE_DAYS, _fmt_day, _per_week
from fondly.insights._now._months import _month_add, _month_name, _pool
from fondly.metrics.reader import Timeline

UNANSWERED_HOURS = 48
"""A run of your messages counts as unanswered once the first is 48 h old (the silence floor)."""

FADE_RATIO = 0.4
"""Their contact in the recent period at 40% or less of the baseline: a steep fall (S1)."""

STOPPED_BEFORE, STOPPED_NOW = 0.3, 0.1
"""They started at least 30% of conversations before and at most 10% lately."""


def _unanswered(timeline: Timeline, name: str) -> dict[str, Any] | None:
    run: list[dict[str, Any]] = []
    for msg in reversed(timeline.tail):
        if msg["who"] != "me":
            break
        run.append(msg)
    run.reverse()
    if len(run) < 2 or len({m["day"] for m in run}) < 2:
        return None
    if timeline.last_ms - run[0]["ts_ms"] < UNANSWERED_HOURS * 3600_000 and len(run) < 3:
        return None
    theirs = [m for m in timeline.tail if m["who"] == "them"]
    last_theirs = theirs[-1]["day"] if theirs else None
    why = (
        f"your last {len(run)} messages, from {_fmt_day(run[0]['day'])} to "
        f"{_fmt_day(run[-1]['day'])}, have had no reply"
    )
    if last_theirs is not None:
        why += f"; {name} last wrote on {_fmt_day(last_theirs)}"
    return {
        "signal": "unanswered",
        "why": why,
        "since": run[0]["day"].isoformat(),
        "last_from": "me",
        "evidence_ids": [m["message_id"] for m in run],
        "strength": 1.0,
    }


def _stopped_starting(metrics: dict[str, Any], name: str, end_month: str) -> dict[str, Any] | None:
    series = (metrics.get("initiation_share") or {}).get("series") or []
    recent_from = _month_add(end_month, -2)
    before = _pool(series, "them", lambda m: m < recent_from and m >= _month_add(recent_from, -12))
    recent = _pool(series, "them", lambda m: m >= recent_from)
    if before is None or recent is None:
        return None
    (k_b, n_b), (k_r, n_r) = before, recent
    if n_b < 10 or n_r < 5:
        return None
    if k_b / n_b < STOPPED_BEFORE or k_r / n_r > STOPPED_NOW:
        return None
    why = (
        f"{name} started {k_b / n_b:.0%} of your conversations in the year before "
        f"{_month_name(recent_from)}; since then, {k_r:.0f} of {n_r:.0f}, and you started the rest"
    )
    return {
        "signal": "they_stopped_starting",
        "why": why,
        "since": recent_from,
        "last_from": None,
        "evidence_ids": [],
        "strength": 0.9,
    }


def _fading(timeline: Timeline, seen: dict[str, Any], name: str) -> dict[str, Any] | None:
    base = seen.get("them_baseline_per_week")
    recent = seen.get("them_recent_per_week")
    if not base or recent is None or seen.get("baseline") is None:
        return None
    if (float(base) / 7) * MIN_BASELINE_DAYS < 30 or recent > FADE_RATIO * base:
        return None
    fall = difference(
        float(recent),
        seen.get("them_recent_interval"),
        float(base),
        seen.get("them_baseline_interval"),
    )
    if not differs(fall):
        return None
    last = timeline.tail[-1]
    who = "you" if last["who"] == "me" else name
    why = (
        f"{name} writes about {_per_week(recent / 7)} messages a week in the last 90 days, "
        f"down from {_per_week(base / 7)} in the year before; the last message was from "
        f"{who} on {_fmt_day(last['day'])}"
    )
    return {
        "signal": "fading",
        "why": why,
        "since": seen["recent"]["from"],
        "last_from": last["who"],
        "evidence_ids": [last["message_id"]],
        "strength": 0.8,
    }


ALERT_TEXT: dict[str, tuple[str, str, str]] = {
    "unanswered": (
        "your messages have had no reply",
        "Ask once, directly and kindly, whether all is well; then give them room, "
        "and respect the answer.",
        "Kalman & Rafaeli 2011; Liu, Rim, Min & Min 2023",
    ),
    "they_stopped_starting": (
        "they have stopped starting conversations",
        "Ask them directly and kindly how they are, and whether something has changed "
        "for them; respect what they tell you.",
        "Ohadi et al. 2018; Roberts & Dunbar 2015",
    ),
    "fading": (
        "their contact has fallen steeply",
        "A short, warm check-in is appreciated more than you'd think; if they want more "
        "distance, respect it.",
        "Liu, Rim, Min & Min 2023; Roberts & Dunbar 2015",
    ),
}
"""Alert id -> (label, suggestion, citation); always genuine: ask once, kindly, respect it."""


def alerts(
    timeline: Timeline | None, metrics: dict[str, Any], seen: dict[str, Any], name: str
) -> list[dict[str, Any]]:
    """The contact alerts of one relationship, strongest first."""
    if timeline is None:
        return []
    found = [
        _unanswered(timeline, name),
        _stopped_starting(metrics, name, timeline.last.strftime("%Y-%m")),
        _fading(timeline, seen, name),
    ]
    out = []
    for alert in found:
        if alert is None:
            continue
        label, suggestion, citation = ALERT_TEXT[alert["signal"]]
        out.append(alert | {"label": label, "suggestion": suggestion, "citation": citation})
    return out
