"""Suggestions: the research table of section 11 turned into ranked, explained advice.

Every suggestion names the signal that triggered it, the evidence from the chat and
the study behind it, so a user can disagree with it. Ranking multiplies how strong
the evidence is that the behaviour matters (section 15 of the research notes) by how
large the gap is in this relationship.

Guardrail: fondly never suggests games. The research is clear that responsiveness
beats "mystery" in ongoing relationships and that a check-in after a silence is
appreciated more than people expect (Liu et al. 2023); strategic silence, jealousy and
withheld replies are manipulation (section 14). ``BANNED_PHRASES`` is checked against
the table when it loads, so a bad edit to the data file fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from fondly.insights._now import difference, differs
from fondly.insights._reading import (
    RELATIVE_TOLERANCE,
    direction_of,
    fmt_value,
    has_enough,
    is_share,
    trend_of,
    value_of,
)
from fondly.insights._rows import check_ids

BANNED_PHRASES = (
    "wait",
    "don't reply",
    "do not reply",
    "dont reply",
    "ignore",
    "jealous",
    "hard to get",
    "withhold",
    "go silent",
    "going silent",
    "stay silent",
    "take longer to reply",
    "reply later",
    "reply slower",
    "slower",
    "leave them on read",
    "make them miss",
    "pull back",
    "pull away",
    "hold back",
    "stop texting",
    "stop replying",
    "mystery",
    "unavailable",
    "keep them guessing",
)
"""Words and phrases no suggestion may contain: any of them would be advice to play a game."""

MIN_MESSAGES_FOR_ADVICE = 100
"""Below this a relationship's rates are mostly noise: say "not enough data", give no advice."""

MIN_GAP = 0.25
"""A signal fires when you are 25% below them (or your own past); smaller gaps are noise."""


@dataclass(frozen=True)
class Signal:
    signal: str
    label: str
    practice: str
    metrics: tuple[str, ...]
    test: str
    rank: int
    citation: str
    suggestion: str

    @property
    def strength(self) -> float:
        """Section 15 rank 1 (strongest) maps to 1.0, below-the-line (11) to about 0.1."""
        return round((12 - self.rank) / 11, 3)


@lru_cache(maxsize=1)
def signals() -> tuple[Signal, ...]:
    """The suggestion table from ``data/suggestions.tsv``, checked against the guardrail."""
    text = resources.files("fondly.insights").joinpath("data/suggestions.tsv").read_text("utf-8")
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = rows[0].split("\t")
    table = []
    for line in rows[1:]:
        cells = dict(zip(header, line.split("\t"), strict=True))
        sig = Signal(
            signal=cells["signal"],
            label=cells["label"],
            practice=cells["practice"],
            metrics=tuple(k for k in cells["metrics"].split("|") if k),
            test=cells["test"],
            rank=int(cells["rank"]),
            citation=cells["citation"],
            suggestion=cells["suggestion"],
        )
        check_ids(sig.metrics, f"suggestions.tsv signal {sig.signal!r}")
        bad = banned_in(sig.suggestion)
        if bad:
            raise ValueError(f"suggestion {sig.signal!r} contains banned advice {bad!r}")
        table.append(sig)
    return tuple(table)


def banned_in(text: str) -> str | None:
    """The first banned phrase in ``text`` (case-insensitive), or None."""
    low = text.lower().replace("’", "'")
    return next((p for p in BANNED_PHRASES if p in low), None)


def _matching(metrics: dict[str, Any], ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """The signal's metrics, by exact id (declared in suggestions.tsv, checked at load)."""
    return [metrics[i] | {"id": i} for i in ids if isinstance(metrics.get(i), dict)]


def _me_low(metric: dict[str, Any]) -> tuple[float, str] | None:
    """How far you fall short of them (or of your own last six months) on a good behaviour."""
    direction = direction_of(metric)
    me = value_of(metric, "me")
    if direction == "balance" and has_enough(metric, "me") and me is not None:
        off = abs(me - 0.5)
        if off > 0.15:
            return min(1.0, off * 2), f"your share is {fmt_value(me, metric)} (even is 50%)"
        return None
    if direction == -1:
        return None
    them = value_of(metric, "them")
    best: tuple[float, str] | None = None
    if has_enough(metric, "me") and has_enough(metric, "them") and me is not None and them:
        gap = (them - me) / max(abs(them), 1e-9)
        if gap >= MIN_GAP and _apart(metric):
            best = (min(1.0, gap), f"you {fmt_value(me, metric)}, them {fmt_value(them, metric)}")
    trend = _own_trend(metric, "me", direction=1)
    if trend["label"] == "worse" and trend.get("before"):
        drop = (trend["before"] - trend["recent"]) / max(abs(trend["before"]), 1e-9)
        if drop >= max(MIN_GAP, RELATIVE_TOLERANCE) and (best is None or drop > best[0]):
            best = (
                min(1.0, drop),
                f"yours fell from {fmt_value(trend['before'], metric)} to "
                f"{fmt_value(trend['recent'], metric)} {trend['span']}",
            )
    return best


def _own_trend(metric: dict[str, Any], who: str, *, direction: int) -> dict[str, Any]:
    """Recent against baseline (``_now``) when the metric has both, else the monthly trend.

    The recent view's periods are the ones every other figure on the page uses; the
    monthly trend (three months against six) is the fallback for a bare metrics result.
    """
    split = metric.get("now") or {}
    if split:
        recent = (split.get("recent") or {}).get(who)
        before = (split.get("baseline") or {}).get(who)
        out: dict[str, Any] = {"label": "unknown"}
        if not (recent and before and recent["enough_data"] and before["enough_data"]):
            return out
        r, b = float(recent["value"]), float(before["value"])
        # claimed only when the difference's interval leaves out zero (docs/insights.md)
        apart = differs(difference(r, recent.get("interval"), b, before.get("interval")))
        moved = abs(r - b) > (0.05 if is_share(metric) else 0.15 * max(abs(r), abs(b), 1e-9))
        if moved and apart:
            better = (r - b) * direction > 0
            out["label"] = "better" if better else "worse"
        span = f"since {split.get('recent_from')}, against the year before"
        return out | {"recent": r, "before": b, "span": span}
    trend = trend_of(metric.get("series") or [], metric, who, direction=direction)
    return trend | {"span": "in the last 3 months"}


def _apart(metric: dict[str, Any], low: str = "me", high: str = "them") -> bool:
    """Whether ``low``'s interval lies wholly below ``high``'s (True without intervals).

    A 25% gap between two small rates is often chance; the intervals the metrics layer
    gives say when it is not.
    """
    mine = (metric.get(low) or {}).get("interval")
    theirs = (metric.get(high) or {}).get("interval")
    if not (isinstance(mine, list | tuple) and isinstance(theirs, list | tuple)):
        return True
    if None in (*mine, *theirs) or len(mine) != 2 or len(theirs) != 2:
        return True
    return float(mine[1]) < float(theirs[0])


def _pair_rising(metric: dict[str, Any]) -> tuple[float, str] | None:
    for who in ("pair", "me", "them"):
        trend = _own_trend(metric, who, direction=-1)
        if trend["label"] == "worse":
            before, recent = trend["before"], trend["recent"]
            rise = (recent - before) / max(abs(before), 0.01 if is_share(metric) else 1e-9)
            return min(1.0, rise), (
                f"up from {fmt_value(before, metric)} to {fmt_value(recent, metric)} "
                f"{trend['span']}"
            )
    return None


DECAY_DROP = 0.5
"""Section 6 (S1): a sustained drop of half against the pair's own past is a decay alert."""


def _pair_decay(metric: dict[str, Any]) -> tuple[float, str] | None:
    """The pair's volume over the last 3 months against the 6 before (Roberts & Dunbar 2015)."""
    for who in ("pair", "me"):
        trend = trend_of(metric.get("series") or [], metric, who, direction=1)
        before = trend.get("before")
        if trend["label"] in ("worse", "steady") and before:
            drop = (before - trend["recent"]) / abs(before)
            if drop >= DECAY_DROP:
                return min(1.0, drop), (
                    f"{fmt_value(trend['recent'], metric)} a month lately, "
                    f"down from {fmt_value(before, metric)}"
                )
            return None
    return None


def _pursuit(metric: dict[str, Any]) -> tuple[float, str] | None:
    me, them = value_of(metric, "me"), value_of(metric, "them")
    if not (has_enough(metric, "me") and me is not None and them is not None):
        return None
    gap = (me - them) / max(abs(me), 1e-9)
    if gap < 0.5 or not _apart(metric, low="them", high="me"):
        return None
    return min(1.0, gap), f"you {fmt_value(me, metric)}, them {fmt_value(them, metric)}"


# Whose messages illustrate a signal best: when you do less of something, their
# messages show what it looks like; when you pile on messages, yours show it.
_PREFER = {"me_low": "them", "pursuit": "me"}

# What the excerpts under a suggestion show. A metric's evidence is where the
# behaviour happened, so under "do more of X" it shows X done well (often by them
# first): labelled as such, it models the advice instead of seeming to contradict it.
_EVIDENCE_CAPTION = {
    "me_low": "What it looks like, from your own chat:",
    "pursuit": "In your chat:",
    "pair_rising": "In your chat:",
    "pair_decay": "The last messages:",
}

_TESTS = {
    "me_low": _me_low,
    "pair_rising": _pair_rising,
    "pursuit": _pursuit,
    "pair_decay": _pair_decay,
}


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value)[:19]).date()
    except ValueError:
        return None


def _with_before(why: str, metric: dict[str, Any] | None) -> str:
    """Say which period a figure is from, and what it was the year before.

    Suggestions read the recent period (``_now.recent_view``); without the word "lately"
    and the earlier value a reader cannot tell a habit from something they already changed.
    """
    split = (metric or {}).get("now") or {}
    if not split or "year before" in why:
        return why
    before = ((split.get("baseline") or {}).get("me") or {}).get("text")
    since = str(split.get("recent_from") or "")
    text = f"{why}, since {since}" if since else why
    return f"{text}; the year before, you {before}" if before else text


def suggest(
    relationship: dict[str, Any], as_of: Any, evidence_for: Any
) -> tuple[list[dict[str, Any]], str | None]:
    """Ranked suggestions for one relationship, and a note when there is too little data.

    ``evidence_for(metric, practice, prefer)`` returns excerpts for a metric, ``prefer``'s
    messages first (or, given no metric, the pair's last message), so this module never
    touches the store itself.
    """
    n_messages = int(relationship.get("n_messages") or 0)
    if n_messages < MIN_MESSAGES_FOR_ADVICE:
        return [], (
            f"Not enough data for advice yet: {n_messages} messages, "
            f"fondly needs {MIN_MESSAGES_FOR_ADVICE}."
        )
    metrics = relationship.get("metrics") or {}
    found: dict[str, dict[str, Any]] = {}
    for sig in signals():
        hit: tuple[float, str] | None = None
        metric: dict[str, Any] | None = None
        for candidate in _matching(metrics, sig.metrics):
            got = _TESTS[sig.test](candidate)
            if got and (hit is None or got[0] > hit[0]):
                hit, metric = got, candidate
        if hit is None:
            continue
        gap, why = hit
        why = _with_before(why, metric)
        score = round(sig.strength * gap, 3)
        item = {
            "signal": sig.signal,
            "label": sig.label,
            "practice": sig.practice,
            "suggestion": sig.suggestion,
            "citation": sig.citation,
            "metric_id": metric["id"] if metric else None,
            "metric_name": metric.get("name") if metric else None,
            "why": why,
            "now": metric.get("now") if metric else None,
            "gap": round(gap, 3),
            "strength": sig.strength,
            "score": score,
            "evidence": evidence_for(metric, sig.practice, _PREFER.get(sig.test)),
            "evidence_caption": _EVIDENCE_CAPTION.get(sig.test, "In your chat:"),
        }
        # Two signals can share one piece of advice (silence and decay): keep the stronger.
        kept = found.get(sig.suggestion)
        if kept is None or kept["score"] < score:
            found[sig.suggestion] = item
    ranked = sorted(found.values(), key=lambda s: (-s["score"], s["signal"]))
    return ranked, None
