"""Now against before: the recent period, the relationship's own baseline, alerts and changes.

Whole-history averages tell a person what their relationship *was*. Here every reading is
split into the recent period (the last 90 days of this relationship's own data) and its
baseline (the year before that), and three kinds of findings are read from the split:

- **alerts**: your messages left unanswered, a partner who stopped starting conversations,
  a steep fall in their contact. They outrank every suggestion (docs/insights.md).
- **the change label** of the overview: new, reconnected, closer, steady, drifting,
  silent or unanswered.
- **your own changes**: a clear change point in something you do (who starts, messages in
  a row, follow-up questions, celebrating their news), with what the other person did
  after it: the "did it work?" that the practices call for.

"Now" is always the relationship's own last message, never another chat's (a chat
exported in March says nothing about a silence in a chat exported in June). Rates are
per day, so a few days of a new month weigh as a few days, never as a month.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from fondly.insights._reading import fmt_value, is_share

RECENT_DAYS = 90
"""The recent period: the last 90 days with data (the brief's default)."""

BASELINE_DAYS = 365
"""The baseline: up to a year before the recent period."""

MIN_BASELINE_DAYS = 60
"""With less history than this the relationship is "new": there is no before to compare."""

UNANSWERED_HOURS = 48
"""A run of your messages counts as unanswered once the first is 48 h old (the silence floor)."""

SILENT_DAYS = 30
"""No exchange in which both wrote for 30 days: the pair is silent."""

RECONNECT_DAYS = 60
"""A silence of two months or more is a reconnection once it is broken..."""

RECONNECT_WINDOW_DAYS = 120
"""...within the last 120 days: the recent period and the month before it, so a return
just before the recent period still reads as one (its "before" is mostly the silence)."""

FADE_RATIO = 0.4
"""Their contact in the recent period at 40% or less of the baseline: a steep fall (S1)."""

DRIFT_RATIO, DRIFT_LAST30 = 0.6, 0.75
"""Drifting: the recent rate at 60% of the baseline or less, and the last 30 days still low,
so one quiet month that has already passed (a holiday) does not read as drifting."""

CLOSER_RATIO, CLOSER_LAST30 = 1.4, 1.2

STOPPED_BEFORE, STOPPED_NOW = 0.3, 0.1
"""They started at least 30% of conversations before and at most 10% lately."""

EVEN = 0.15
"""A balance (who starts, airtime) within 15 points of 50% reads as even (as _suggest does)."""

CHANGE_Z, CHANGE_MIN_DELTA, CHANGE_MIN_N = 3.0, 0.2, 12
"""A change point: a two-proportion z of 3 or more, 20 points apart, 12 events each side."""

RETURN_PRIOR_ODDS = 4.0
"""Dating a change: a month that ends a silence of two months or more (a return) is four
times as likely a priori to be where a person changed as any other month."""

BOOT_RESAMPLES, BOOT_SEED, BOOT_MIN_UNITS = 2000, 14, 3
"""The seeded bootstrap behind every interval that is not a share's: 2000 resamples of the
period's months (weeks for contact), none below three units (docs/insights.md)."""

CHANGE_METRICS: dict[str, tuple[str, str]] = {
    "initiation_share": ("you start more conversations", "you start fewer conversations"),
    "double_texting": ("you send more messages in a row", "you send fewer messages in a row"),
    "followup_questions": ("you ask more follow-up questions", "you ask fewer follow-up questions"),
    "active_constructive": (
        "you celebrate their good news more often",
        "you celebrate their good news less often",
    ),
}
"""Your behaviours whose change points fondly looks for: metric id -> (up, down) wording."""


@dataclass(frozen=True)
class Timeline:
    """One relationship's days and last messages, read once from the store."""

    first: date
    last: date
    last_ms: int
    days: dict[date, tuple[int, int]]  # day -> (mine, theirs)
    tail: list[dict[str, Any]]  # newest last: message_id, ts_ms, day, who
    last_exchange: date | None  # the last day a conversation held both of you

    def rate(self, start: date, end: date, who: str = "both") -> float:
        """Messages per day over [start, end], counting only days inside the data."""
        start = max(start, self.first)
        if end < start:
            return math.nan
        span = (end - start).days + 1
        total = 0
        for day, (mine, theirs) in self.days.items():
            if start <= day <= end:
                total += {"me": mine, "them": theirs}.get(who, mine + theirs)
        return total / span


def read_timeline(store: Any, relationship: dict[str, Any], me_id: Any) -> Timeline | None:
    """Daily counts and the last 60 messages of one relationship (its own data only)."""
    conversations = [int(c) for c in relationship.get("conversations") or []]
    them_id = (relationship.get("person") or {}).get("person_id")
    if store is None or not conversations or them_id is None or me_id is None:
        return None
    marks = ", ".join("?" for _ in conversations)
    where = f"conversation_id IN ({marks}) AND person_id IN (?, ?)"
    params = [*conversations, int(me_id), int(them_id)]
    rows = store.query(
        f"""
        SELECT CAST(ts_local AS DATE) AS day,
               sum(CASE WHEN person_id = ? THEN 1 ELSE 0 END),
               sum(CASE WHEN person_id = ? THEN 0 ELSE 1 END)
        FROM messages_people WHERE {where}
        GROUP BY day ORDER BY day
        """,
        [int(me_id), int(me_id), *params],
    )
    if not rows:
        return None
    days = {r[0]: (int(r[1]), int(r[2])) for r in rows}
    tail_rows = store.query(
        f"""
        SELECT message_id, ts_ms, CAST(ts_local AS DATE), person_id = ? AS mine
        FROM messages_people WHERE {where}
        ORDER BY ts_ms DESC, message_id DESC LIMIT 60
        """,
        [int(me_id), *params],
    )
    tail = [
        {"message_id": str(r[0]), "ts_ms": int(r[1]), "day": r[2], "who": "me" if r[3] else "them"}
        for r in reversed(tail_rows)
    ]
    both = [d for d, (mine, theirs) in days.items() if mine and theirs]
    return Timeline(
        first=min(days),
        last=max(days),
        last_ms=tail[-1]["ts_ms"],
        days=days,
        tail=tail,
        last_exchange=max(both) if both else None,
    )


def _fmt_day(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def _per_week(rate: float) -> str:
    week = rate * 7
    return f"{week:.0f}" if week >= 10 else f"{week:.1f}".rstrip("0").rstrip(".")


# -- intervals ----------------------------------------------------------------------------------


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


# -- contact and the change label ---------------------------------------------------------------


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


# -- alerts -------------------------------------------------------------------------------------


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


# -- months, pooled -----------------------------------------------------------------------------


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


def wilson(k: float, n: float, z: float = 1.96) -> list[float] | None:
    if n <= 0:
        return None
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


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


# -- your changes and what followed -------------------------------------------------------------


def _months_of(series: list[dict[str, Any]], who: str) -> list[tuple[str, float, float]]:
    rows = []
    for row in series:
        value, n = row.get(who), row.get(f"n_{who}")
        if value is not None and n:
            rows.append((str(row["month"]), float(value), float(n)))
    return sorted(rows)


def _is_return(before: str, after: str) -> bool:
    """Whether the months ``before`` and ``after`` sit on either side of a long silence."""
    gap = datetime(int(after[:4]), int(after[5:7]), 1) - datetime(
        int(before[:4]), int(before[5:7]), 28
    )
    return gap.days >= RECONNECT_DAYS


def _change_point(rows: list[tuple[str, float, float]]) -> dict[str, Any] | None:
    """Your clear change, dated at the month that most likely starts it.

    Two steps, so that a change found is a change and its date is the likeliest one:

    - **Is there a change?** Some split into before and after (12+ events and two months
      or more on each side: one odd first month is not a "before") has a two-proportion
      z of 3 or more, 20 points apart.
    - **Since when?** Among the splits that show a change of 20 points or more in the same
      direction, the one with the highest posterior: the two-segment binomial likelihood
      (z squared over two, in log odds) plus the log of ``RETURN_PRIOR_ODDS`` for a month
      that ends a silence of 60 days or more. People change when they come back, so a
      return needs a little less evidence to carry the date than any month before it.
    """
    splits: list[dict[str, Any]] = []
    for i in range(2, len(rows) - 1):  # at least two months before and two after
        before, after = rows[:i], rows[i:]
        n_b, n_a = sum(r[2] for r in before), sum(r[2] for r in after)
        if n_b < CHANGE_MIN_N or n_a < CHANGE_MIN_N:
            continue
        p_b = sum(r[1] * r[2] for r in before) / n_b
        p_a = sum(r[1] * r[2] for r in after) / n_a
        p = (p_b * n_b + p_a * n_a) / (n_b + n_a)
        se = math.sqrt(max(p * (1 - p), 1e-9) * (1 / n_b + 1 / n_a))
        z = (p_a - p_b) / se
        prior = math.log(RETURN_PRIOR_ODDS) if _is_return(rows[i - 1][0], rows[i][0]) else 0.0
        split = {"since": rows[i][0], "before": p_b, "after": p_a, "z": z}
        splits.append(split | {"n_before": n_b, "n_after": n_a, "score": z * z / 2 + prior})
    clear = [
        s
        for s in splits
        if abs(s["z"]) >= CHANGE_Z and abs(s["after"] - s["before"]) >= CHANGE_MIN_DELTA
    ]
    if not clear:
        return None
    way = max(clear, key=lambda s: abs(s["z"]))["z"] > 0
    dated = [
        s
        for s in splits
        if (s["z"] > 0) == way and abs(s["after"] - s["before"]) >= CHANGE_MIN_DELTA
    ]
    return max(dated, key=lambda s: s["score"])


def _split(series: list[dict[str, Any]], who: str, since: str, *, share: bool) -> Any:
    before = (_pool if share else _mean)(series, who, lambda m: m < since)
    after = (_pool if share else _mean)(series, who, lambda m: m >= since)
    return before, after


def _followed(
    metrics: dict[str, Any], missing: dict[str, Any] | None, since: str, name: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """What the other person did after ``since``: who starts, silences broken, reply time."""
    found: list[dict[str, Any]] = []
    words: list[str] = []
    starts = (metrics.get("initiation_share") or {}).get("series") or []
    before, after = _split(starts, "them", since, share=True)
    if before and after and before[1] >= 5 and after[1] >= 5:
        b, a = before[0] / before[1], after[0] / after[1]
        found.append(
            {
                "metric_id": "initiation_share",
                "who": "them",
                "before": round(b, 3),
                "after": round(a, 3),
                "before_interval": wilson(*before),
                "after_interval": wilson(*after),
            }
        )
        words.append(f"{name} starts {a:.0%} of your conversations (was {b:.0%})")
    rows = (missing or {}).get("series") or []
    b_n = sum(int(r.get("n_episodes") or 0) for r in rows if str(r.get("month")) < since)
    a_n = sum(int(r.get("n_episodes") or 0) for r in rows if str(r.get("month")) >= since)
    b_k = sum(int(r.get("partner_breaks") or 0) for r in rows if str(r.get("month")) < since)
    a_k = sum(int(r.get("partner_breaks") or 0) for r in rows if str(r.get("month")) >= since)
    if b_n >= 3 and a_n >= 3:
        found.append(
            {
                "metric_id": "missing_index.partner_breaks",
                "who": "them",
                "before": [b_k, b_n],
                "after": [a_k, a_n],
                "before_interval": wilson(b_k, b_n),
                "after_interval": wilson(a_k, a_n),
            }
        )
        words.append(f"breaks {a_k} of {a_n} silences (was {b_k} of {b_n})")
    # How long their answer to your openings takes (a slow reply included); the median of
    # all their replies is the fallback for results computed before first_reply existed.
    metric_id = "first_reply" if metrics.get("first_reply") else "reply_latency"
    latency = metrics.get(metric_id) or {}
    months = _months_of(latency.get("series") or [], "them")
    before, after = _split(latency.get("series") or [], "them", since, share=False)
    spread = _spread(latency.get("them"))
    ci_b = period_interval([(v, w) for m, v, w in months if m < since], spread)
    ci_a = period_interval([(v, w) for m, v, w in months if m >= since], spread)
    moved = bool(before and after and abs(after[0] - before[0]) >= 0.3 * max(after[0], before[0]))
    moved = (
        moved and differs(difference(after[0], ci_a, before[0], ci_b))
        if before and after
        else False
    )
    if before and after and before[1] >= 5 and after[1] >= 5 and moved:
        found.append(
            {
                "metric_id": metric_id,
                "who": "them",
                "before": round(before[0], 1),
                "after": round(after[0], 1),
                "before_interval": ci_b,
                "after_interval": ci_a,
            }
        )
        what = "answers your openings" if metric_id == "first_reply" else "replies"
        words.append(
            f"{what} in a median of {fmt_value(after[0], latency)} "
            f"instead of {fmt_value(before[0], latency)}"
        )
    return found, words


def your_changes(
    metrics: dict[str, Any], missing: dict[str, Any] | None, name: str
) -> list[dict[str, Any]]:
    """Clear changes in what you do, each with the before/after figures and what followed."""
    out = []
    for metric_id, (up, down) in CHANGE_METRICS.items():
        metric = metrics.get(metric_id) or {}
        point = _change_point(_months_of(metric.get("series") or [], "me"))
        if point is None:
            continue
        direction = "up" if point["after"] > point["before"] else "down"
        since = point["since"]
        followed, words = _followed(metrics, missing, since, name)
        what = up if direction == "up" else down
        sentence = (
            f"Since {_month_name(since)} {what} ({point['before']:.0%} to {point['after']:.0%})"
        )
        if words:
            sentence += "; since then " + ", ".join(words[:-1])
            sentence += (" and " if len(words) > 1 else "") + words[-1]
        out.append(
            {
                "metric_id": metric_id,
                "who": "me",
                "direction": direction,
                "since": since,
                "before": round(point["before"], 3),
                "after": round(point["after"], 3),
                "n_before": int(point["n_before"]),
                "n_after": int(point["n_after"]),
                "before_interval": wilson(point["before"] * point["n_before"], point["n_before"]),
                "after_interval": wilson(point["after"] * point["n_after"], point["n_after"]),
                "them_after": followed,
                "sentence": sentence + ".",
            }
        )
    out.sort(key=lambda c: -abs(c["after"] - c["before"]))
    return out


_MISSING_KEYS = (
    "n_episodes",
    "partner_breaks",
    "missing_said",
    "missing_scored",
    "compensation_sum",
    "compensation_n",
    "warmth_sum",
    "warmth_n",
)


def _missing_index(sums: Any) -> Any:
    """The index's own formula over summed columns (one row, or one per resample).

    The mean of the available parts: the shrunk share of silences they broke
    (k + 2) / (n + 4), the share of re-entries with missing language, compensation
    c / (1 + c) and warmth. NaN where the period has no silence.
    """
    n, k = sums[..., 0], sums[..., 1]
    said, scored = sums[..., 2], sums[..., 3]
    c_sum, c_n, w_sum, w_n = sums[..., 4], sums[..., 5], sums[..., 6], sums[..., 7]
    with np.errstate(invalid="ignore", divide="ignore"):
        comp = c_sum / c_n
        parts = [
            np.where(n > 0, (k + 2.0) / (n + 4.0), np.nan),
            np.where(scored > 0, said / scored, np.nan),
            np.where(c_n > 0, comp / (1 + comp), np.nan),
            np.where(w_n > 0, w_sum / w_n, np.nan),
        ]
        stacked = np.stack(parts)
        count = (~np.isnan(stacked)).sum(axis=0)
        total = np.nansum(stacked, axis=0)
        return np.where((n > 0) & (count > 0), total / np.maximum(count, 1), np.nan)


def _index_interval(picked: list[dict[str, Any]]) -> list[float] | None:
    """The period's index, its months resampled (seeded; docs/insights.md)."""
    table = np.array([[float(r.get(key) or 0) for key in _MISSING_KEYS] for r in picked])
    if table.size == 0:
        return None
    return bootstrap([(0.0, 1.0)] * len(picked), lambda idx: _missing_index(table[idx].sum(axis=1)))


def missing_now(missing: dict[str, Any] | None, end_month: str) -> dict[str, Any]:
    """The missing index and its parts over the last six months against the year before.

    Silences are rare, so the recent period here is six months. Each period pools the
    monthly sums the metrics layer gives (metrics.missing) and applies the index's own
    formula: the mean of the shrunk share of silences they broke, the share of re-entries
    with missing language, compensation c / (1 + c) and warmth.
    """
    rows = (missing or {}).get("series") or []
    recent_from = _month_add(end_month, -5)
    out: dict[str, Any] = {"recent_from": recent_from}
    for period, keep in (
        ("recent", lambda m: m >= recent_from),
        ("baseline", lambda m: _month_add(recent_from, -12) <= m < recent_from),
    ):
        picked = [r for r in rows if keep(str(r.get("month")))]

        def total(key: str, picked: list[dict[str, Any]] = picked) -> float:
            return float(sum(float(r.get(key) or 0) for r in picked))

        n, k = int(total("n_episodes")), int(total("partner_breaks"))
        said, scored = total("missing_said"), total("missing_scored")
        comp = (
            total("compensation_sum") / total("compensation_n") if total("compensation_n") else None
        )
        warm = total("warmth_sum") / total("warmth_n") if total("warmth_n") else None
        parts = [(k + 2.0) / (n + 4.0)] if n else []
        parts += [said / scored] if scored else []
        parts += [comp / (1 + comp)] if comp is not None else []
        parts += [warm] if warm is not None else []
        has_parts = bool(picked) and all("missing_scored" in r for r in picked)
        out[period] = {
            "partner_breaks": k,
            "n_episodes": n,
            "share": round(k / n, 3) if n else None,
            "interval": wilson(k, n),
            "index_interval": _index_interval(picked) if n and has_parts else None,
            "explicit_missing": round(said / scored, 3) if scored else None,
            "reentry_warmth": None if warm is None else round(warm, 3),
            "compensation": None if comp is None else round(comp, 2),
            # a series without the component sums (an older metrics result) gives only
            # the share of silences they broke: no index for the period then
            "index": round(sum(parts) / len(parts), 3)
            if n and parts and all("missing_scored" in r for r in picked)
            else None,
        }
    r, b = out["recent"], out["baseline"]
    if r["n_episodes"] >= 3 and b["n_episodes"] >= 3:
        delta = r["share"] - b["share"]
        gap = difference(r["share"], r["interval"], b["share"], b["interval"])
        out["difference"] = gap
        if differs(gap) and abs(delta) >= 0.25:
            out["direction"] = "up" if delta > 0 else "down"
        else:
            out["direction"] = "steady"
    else:
        out["direction"] = "unknown"
    return out


def missing_now_reading(split: dict[str, Any]) -> str:
    """The silences they broke lately against before, in one sentence."""
    recent, before = split["recent"], split["baseline"]
    if not recent["n_episodes"]:
        return "No silences in the last six months to read."
    text = (
        f"In the last six months they broke {recent['partner_breaks']} of "
        f"{recent['n_episodes']} silences"
    )
    if before["n_episodes"]:
        text += f" (the year before: {before['partner_breaks']} of {before['n_episodes']})"
    if recent.get("explicit_missing"):
        text += f", and said they missed you after {recent['explicit_missing']:.0%} of them"
    return text + "."


# -- the recent view of a metric ----------------------------------------------------------------

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
