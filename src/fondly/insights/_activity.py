"""Descriptive chart data: volume, hours and the pair's phrases, read through the metrics layer.

These are pictures, not scores: they let the user see the shape of a relationship
(which months were busy, what time of day you talk) next to the scorecard. Buckets
use ``ts_local`` (the wall clock the sender saw) and durations use ``ts_ms``, as every
layer does. The counts come from :class:`fondly.metrics.reader.ChatReader`, limited to
the two people in the relationship, so a group chat shared with them adds only their
own messages.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from fondly.metrics.reader import ChatReader, Pair, PhraseTimes

RITUAL_MIN_WEEKS, RITUAL_WINDOW_SHARE = 3, 0.6
"""A phrase is a ritual (section 9b) when it is used in 3 or more weeks and 60% of its uses
fall in one 3-hour window of the day ("morning ☀️", "night night")."""


def monthly_counts(
    reader: ChatReader | None, relationship: dict[str, Any], me_id: Any
) -> list[dict[str, Any]]:
    """Messages per month from each side: [{"month", "me", "them"}]."""
    pair = Pair.of(relationship, me_id)
    if reader is None or pair is None:
        return []
    return reader.monthly_counts(pair)


def hour_heatmap(
    reader: ChatReader | None, relationship: dict[str, Any], me_id: Any
) -> list[dict[str, Any]]:
    """Messages by weekday (1 = Monday) and local hour."""
    pair = Pair.of(relationship, me_id)
    if reader is None or pair is None:
        return []
    return reader.hour_heatmap(pair)


def shared_phrases(
    reader: ChatReader | None,
    relationship: dict[str, Any],
    me_id: Any,
    redact: Any,
    limit: int = 12,
) -> list[dict[str, Any]]:
    """The pair's own phrases as the inside-jokes metric found them, with when they are said.

    The phrases, their uses and days are the metric's (``fondly.metrics.idioms``: both use
    them, often, on many days, and you rarely elsewhere); there is one phrase engine, so a
    relationship without inside jokes shows none here either. A phrase that clusters at one
    time of day over several weeks is marked as a ritual. Phrases that contain a name,
    number or address after redaction are dropped: they are rarely idioms and always
    personal.
    """
    items = ((relationship.get("metrics") or {}).get("inside_jokes") or {}).get("items")
    if not isinstance(items, list) or not items:
        return []
    pair = Pair.of(relationship, me_id)
    times: dict[str, PhraseTimes] = {}
    if reader is not None and pair is not None:
        times = reader.phrase_times(pair, [str(i.get("phrase") or "") for i in items])
    picked: list[dict[str, Any]] = []
    for item in items:
        gram = str(item.get("phrase") or "")
        shown = redact(gram)
        if not gram or "[" in shown:
            continue
        me, them = int(item.get("uses_me") or 0), int(item.get("uses_them") or 0)
        when = times.get(gram)
        peak_hour, window_share = _peak_window(when.hours) if when else (0, 0.0)
        ritual = (
            when is not None
            and len(when.weeks) >= RITUAL_MIN_WEEKS
            and window_share >= RITUAL_WINDOW_SHARE
        )
        picked.append(
            {
                "phrase": shown,
                "uses": me + them,
                "me": me,
                "them": them,
                "days": int(item.get("days") or 0),
                "ritual": ritual,
                "usual_hour": peak_hour,
            }
        )
        if len(picked) >= limit:
            break
    return picked


def _peak_window(hours: Counter[int]) -> tuple[int, float]:
    """The hour that starts the busiest 3-hour window (wrapping midnight), and its share."""
    total = sum(hours.values()) or 1
    best_hour, best = 0, -1
    for h in range(24):
        count = sum(hours[(h + k) % 24] for k in range(3))
        if count > best:
            best_hour, best = h, count
    return (best_hour + 1) % 24, best / total
