"""How one metric reads to a person: formatted values, trend, certainty, a sentence.

The scorecard never shows a bare number as a verdict. Each value comes with how sure
fondly is (section 1 of the research notes: no per-person rate below 20 messages or 5
events, intervals over sessions) and with the pair's own history as the yardstick,
because research rarely gives absolute norms for texting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

PRACTICES: dict[str, tuple[str, str]] = {
    "presence": ("Being present", "asking about and picking up on what the other just said"),
    "positivity": ("Positivity", "warmth, laughter and affection, against sharp turns"),
    "care": ("Care", "thanks, sympathy and support when things are hard"),
    "disclosure": ("Opening up", "sharing your own feelings and news, in turn"),
    "rhythm": ("Rhythm", "how often you are in touch and who reaches out"),
    "growth": ("Growth", "new things, plans and news from your own lives"),
    "reminders": ("Reminders", '"reminded me of you", shared words and we-talk'),
    "meaningful": ("Meaningful talk", "talk about feelings, hopes and worries"),
    "shared": ("Shared moments", "inside jokes, rituals and remembering together"),
    "cheering": ("Cheering on", "celebrating their news and encouraging their goals"),
}
"""The ten practices, in scorecard order: (label, what it covers)."""

MISSING_COMPONENTS: dict[str, str] = {
    "partner_breaks": "they break the silences",
    "explicit_missing": 'they say "miss you" or check in',
    "compensation": "they write more after a gap",
    "reentry_warmth": "their first message after a gap is warm",
}
"""Section 10 of the research notes: the four parts of "are they missing you"."""

MIN_MISSING_EPISODES = 4
"""Section 10: below four silence episodes the partner-breaks share is noise."""

# Trend windows: the last three calendar months against the six before, as the
# research notes compare "this period vs the dyad's own 6-month history" (section 1).
RECENT_MONTHS = 3
BEFORE_MONTHS = 6
SHARE_TOLERANCE = 0.05
"""Shares move by chance; five points is about the sampling noise of 100 events."""
RELATIVE_TOLERANCE = 0.15
"""Other values must change by 15% of their size before fondly calls it a change."""

ARROWS = {"better": "↑", "worse": "↓", "steady": "→", "up": "↗", "down": "↘", "unknown": "·"}


def direction_of(metric: dict[str, Any]) -> int | str | None:
    """+1 when more is better, -1 when less is better, "balance" near a half, None descriptive."""
    raw = str(metric.get("direction") or "").lower()
    if any(w in raw for w in ("balance", "near", "target", "even", "similar")):
        return "balance"
    if any(w in raw for w in ("higher", "more", "up", "increase", "positive")):
        return 1
    if any(w in raw for w in ("lower", "less", "down", "decrease", "negative")):
        return -1
    return None


def is_share(metric: dict[str, Any]) -> bool:
    if str(metric.get("kind") or "").lower() == "share":
        return True
    unit = str(metric.get("unit") or "").lower()
    return any(w in unit for w in ("share", "fraction", "proportion", "ratio_0_1", "%", "percent"))


def fmt_value(value: Any, metric: dict[str, Any]) -> str:
    """A value as a person reads it: shares as %, durations in minutes/hours/days."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if not isinstance(value, int | float):
        return str(value)
    unit = str(metric.get("unit") or "").lower()
    v = float(value)
    if is_share(metric) or (unit in {"share", "rate"} and 0 <= v <= 1):
        return f"{v * 100:.0f}%"
    if "minute" in unit or unit in {"min", "mins"}:
        return _duration(v * 60)
    if "hour" in unit or unit in {"h", "hrs"}:
        return _duration(v * 3600)
    if "second" in unit or unit in {"s", "sec"}:
        return _duration(v)
    if unit in {"ms", "millis", "milliseconds"}:
        return _duration(v / 1000)
    if unit in {"d", "day", "days"} or unit.startswith("days"):
        return f"{v:.1f} d"
    if "per_100" in unit or "per 100" in unit:
        return f"{v:.1f}/100"
    if abs(v) >= 100 or v.is_integer():
        return f"{v:,.0f}"  # counts (inside jokes, messages) read as whole numbers
    return f"{v:.2f}".rstrip("0").rstrip(".") if abs(v) < 10 else f"{v:.1f}"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def side(metric: dict[str, Any], who: str) -> dict[str, Any] | None:
    got = metric.get(who)
    return got if isinstance(got, dict) else None


def value_of(metric: dict[str, Any], who: str) -> float | None:
    got = side(metric, who)
    if got is None or got.get("value") is None:
        return None
    try:
        return float(got["value"])
    except (TypeError, ValueError):
        return None


def has_enough(metric: dict[str, Any], who: str) -> bool:
    got = side(metric, who)
    return bool(got and got.get("enough_data") and got.get("value") is not None)


# -- certainty ------------------------------------------------------------------


@dataclass(frozen=True)
class Certainty:
    level: str  # "not enough data", "low", "moderate", "high"
    why: str

    def as_dict(self) -> dict[str, str]:
        return {"level": self.level, "why": self.why, "words": CERTAINTY_WORDS[self.level]}


CERTAINTY_WORDS = {
    "high": "firm figure",
    "moderate": "fair figure",
    "low": "rough figure",
    "not enough data": "too few events",
}
"""How sure a figure is, in words about the figure, never about the relationship: "low"
next to a reading of someone's affection reads like a verdict on it."""


def certainty_of(metric: dict[str, Any], sides: tuple[str, ...] = ("me", "them")) -> Certainty:
    """How much to trust a row: the weakest of its sides decides.

    The interval width, where the metrics layer gives one, says it best; otherwise
    the number of events against the metric's own minimum (``min_n``).
    """
    present = [s for s in sides if side(metric, s) is not None]
    if not present:
        present = ["pair"] if side(metric, "pair") is not None else []
    if not present:
        return Certainty("not enough data", "no events of this kind yet")
    min_n = int(metric.get("min_n") or 20)
    levels = []
    for s in present:
        got = side(metric, s) or {}
        n = int(got.get("n") or 0)
        if not got.get("enough_data") or got.get("value") is None:
            return Certainty("not enough data", f"{n} events where {min_n} are needed")
        levels.append(_level(got, n, min_n, is_share(metric)))
    order = ["low", "moderate", "high"]
    worst = min(levels, key=lambda lv: order.index(lv[0]))
    return Certainty(worst[0], worst[1])


def _level(got: dict[str, Any], n: int, min_n: int, share: bool) -> tuple[str, str]:
    interval = got.get("interval")
    if isinstance(interval, list | tuple) and len(interval) == 2 and None not in interval:
        lo, hi = float(interval[0]), float(interval[1])
        value = float(got["value"])
        scale = 1.0 if share else max(abs(value), 1e-9)
        width = (hi - lo) / scale
        what = "the scale" if share else "the value"
        why = f"{n} events; the interval spans {width * 100:.0f}% of {what}"
        if width <= 0.15:
            return "high", why
        if width <= 0.4:
            return "moderate", why
        return "low", why
    if n >= 4 * min_n:
        return "high", f"{n} events"
    if n >= 2 * min_n:
        return "moderate", f"{n} events"
    return "low", f"{n} events, just over the {min_n} needed"


# -- trend ----------------------------------------------------------------------


def _month_index(month: str) -> int | None:
    try:
        year, mon = str(month)[:7].split("-")
        return int(year) * 12 + int(mon) - 1
    except ValueError:
        return None


def _window_mean(
    rows: list[tuple[int, float, float]], lo: int, hi: int
) -> tuple[float, float, int]:
    """Weighted mean of the values with month index in [lo, hi]: (mean, total weight, months)."""
    picked = [(v, w) for m, v, w in rows if lo <= m <= hi]
    weight = sum(w for _, w in picked)
    if not picked or weight <= 0:
        return math.nan, 0.0, 0
    return sum(v * w for v, w in picked) / weight, weight, len(picked)


def trend_of(
    series: list[dict[str, Any]] | None,
    metric: dict[str, Any],
    who: str,
    *,
    direction: int | str | None = None,
    share: bool | None = None,
) -> dict[str, Any]:
    """Last three months against the six before, for one side ("me", "them", "pair", "value").

    Months are weighted by their event counts (``n_<who>``) when the series has them, so
    a month with two events cannot swing the trend. Both windows need the metric's
    ``min_n`` events (or two months with a value when there are no counts).
    """
    share = is_share(metric) if share is None else share
    direction = direction_of(metric) if direction is None else direction
    rows: list[tuple[int, float, float]] = []
    counted = False
    for row in series or []:
        idx = _month_index(row.get("month", ""))
        value = row.get(who)
        if idx is None or value is None:
            continue
        n = row.get(f"n_{who}")
        counted = counted or n is not None
        weight = float(n) if n is not None else 1.0
        rows.append((idx, float(value), weight))
    unknown = {"label": "unknown", "arrow": ARROWS["unknown"], "side": who}
    if not rows:
        return unknown | {"why": "no monthly history"}
    last = max(m for m, _, _ in rows)
    recent, w_recent, m_recent = _window_mean(rows, last - RECENT_MONTHS + 1, last)
    before, w_before, m_before = _window_mean(
        rows, last - RECENT_MONTHS - BEFORE_MONTHS + 1, last - RECENT_MONTHS
    )
    need = float(metric.get("min_n") or 20) if counted else 2.0
    got_recent, got_before = (w_recent, w_before) if counted else (m_recent, m_before)
    if got_recent < need or got_before < need:
        return unknown | {"why": "not enough data in the last 9 months"}
    delta = recent - before
    tolerance = SHARE_TOLERANCE if share else RELATIVE_TOLERANCE * max(abs(before), abs(recent))
    out = {"side": who, "recent": recent, "before": before, "delta": delta}
    if direction == "balance":
        delta_off = abs(recent - 0.5) - abs(before - 0.5)
        label = "steady" if abs(delta_off) <= tolerance else "better" if delta_off < 0 else "worse"
    elif abs(delta) <= tolerance:
        label = "steady"
    elif direction in (1, -1):
        label = "better" if delta * int(direction) > 0 else "worse"
    else:
        label = "up" if delta > 0 else "down"
    return out | {"label": label, "arrow": ARROWS[label]}


def headline_trend(metric: dict[str, Any]) -> dict[str, Any]:
    """The pair's trend when the metric has one, else yours, else theirs."""
    series = metric.get("series") or []
    first: dict[str, Any] | None = None
    for who in ("pair", "me", "them"):
        got = trend_of(series, metric, who)
        if got["label"] != "unknown":
            return got
        first = first or got
    return first or {"label": "unknown", "arrow": ARROWS["unknown"], "side": "pair"}


# -- readings -------------------------------------------------------------------

_TREND_WORDS = {
    "better": "better than the six months before",
    "worse": "worse than the six months before",
    "steady": "steady over the last nine months",
    "up": "up on the six months before",
    "down": "down on the six months before",
}


_SHORT_TREND_WORDS = {
    "better": "improving",
    "worse": "slipping",
    "steady": "steady",
    "up": "rising",
    "down": "falling",
}


def reading_of(metric: dict[str, Any], certainty: Certainty, trend: dict[str, Any]) -> str:
    """One plain sentence: what the numbers say, who does more, and where it is heading."""
    name = str(metric.get("name") or metric.get("id") or "this").strip()
    if certainty.level == "not enough data":
        return f"Not enough data yet for {name.lower()} ({certainty.why})."
    me, them, pair = value_of(metric, "me"), value_of(metric, "them"), value_of(metric, "pair")
    direction = direction_of(metric)
    if me is not None and them is not None:
        sentence = f"{name}: you {fmt_value(me, metric)}, them {fmt_value(them, metric)}; "
        sentence += _who_more(me, them, direction, is_share(metric))
    elif pair is not None:
        sentence = f"{name}: {fmt_value(pair, metric)} for the two of you"
    else:
        one = me if me is not None else them
        sentence = f"{name}: {fmt_value(one, metric)}"
    if trend.get("label") in _TREND_WORDS:
        sentence += f", {_TREND_WORDS[trend['label']]}"
    return sentence + "."


def short_reading_of(metric: dict[str, Any], certainty: Certainty, trend: dict[str, Any]) -> str:
    """The reading without the numbers, for tables that show the numbers in their own columns."""
    name = str(metric.get("name") or metric.get("id") or "this").strip()
    if certainty.level == "not enough data":
        return f"{name}: not enough data yet"
    me, them, pair = value_of(metric, "me"), value_of(metric, "them"), value_of(metric, "pair")
    text = name
    if me is not None and them is not None:
        text += f": {_who_more(me, them, direction_of(metric), is_share(metric))}"
    elif pair is not None:
        text += f": {fmt_value(pair, metric)} together"
    if trend.get("label") in _SHORT_TREND_WORDS:
        text += f"; {_SHORT_TREND_WORDS[trend['label']]}"
    return text


def _who_more(me: float, them: float, direction: int | str | None, share: bool) -> str:
    if direction == "balance":
        off_me, off_them = abs(me - 0.5), abs(them - 0.5)
        return "both near an even split" if max(off_me, off_them) < 0.1 else "lopsided"
    scale = max(abs(me), abs(them), 1e-9)
    gap = (me - them) if share else (me - them) / scale
    if abs(gap) < (SHARE_TOLERANCE if share else RELATIVE_TOLERANCE):
        return "about even"
    if direction == -1:
        return "you more often" if gap > 0 else "they more often"
    return "you do more of this" if gap > 0 else "they do more of this"
