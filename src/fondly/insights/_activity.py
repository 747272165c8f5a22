"""Descriptive chart data read from the store: volume, who starts, reply times, hours, phrases.

These are pictures, not scores: they let the user see the shape of a relationship
(which months were busy, what time of day you talk) next to the scorecard. Buckets
use ``ts_local`` (the wall clock the sender saw) and durations use ``ts_ms``, as every
layer does. Each query is limited to the two people in the relationship, so a group
chat shared with them adds only their own messages.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any

PHRASE_MIN_USES = 3
PHRASE_MIN_DAYS = 3
"""Section 8 (R1): a pair's phrase is used by both, at least 3 times, on at least 3 days."""

PHRASE_SAMPLE = 50_000
"""The newest messages read for phrases: enough for any pair, bounded for huge chats."""


def _scope(relationship: dict[str, Any], me_id: Any) -> tuple[str, list[Any]] | None:
    conversations = [int(c) for c in relationship.get("conversations") or []]
    them_id = (relationship.get("person") or {}).get("person_id")
    if not conversations or them_id is None or me_id is None:
        return None
    marks = ", ".join("?" for _ in conversations)
    where = f"conversation_id IN ({marks}) AND person_id IN (?, ?)"
    return where, [*conversations, int(me_id), int(them_id)]


def monthly_counts(store: Any, relationship: dict[str, Any], me_id: Any) -> list[dict[str, Any]]:
    """Messages per month from each side: [{"month", "me", "them"}]."""
    scope = _scope(relationship, me_id)
    if store is None or scope is None:
        return []
    where, params = scope
    rows = store.query(
        f"""
        SELECT strftime(ts_local, '%Y-%m') AS month,
               sum(CASE WHEN person_id = ? THEN 1 ELSE 0 END) AS me,
               sum(CASE WHEN person_id = ? THEN 0 ELSE 1 END) AS them
        FROM messages_people WHERE {where}
        GROUP BY month ORDER BY month
        """,
        [int(me_id), int(me_id), *params],
    )
    return [{"month": m, "me": int(a), "them": int(b)} for m, a, b in rows]


def hour_heatmap(store: Any, relationship: dict[str, Any], me_id: Any) -> list[dict[str, Any]]:
    """Messages by weekday (1 = Monday) and local hour."""
    scope = _scope(relationship, me_id)
    if store is None or scope is None:
        return []
    where, params = scope
    rows = store.query(
        f"""
        SELECT isodow(ts_local) AS dow, hour(ts_local) AS hour, count(*) AS messages
        FROM messages_people WHERE {where}
        GROUP BY dow, hour ORDER BY dow, hour
        """,
        params,
    )
    return [{"dow": int(d), "hour": int(h), "messages": int(n)} for d, h, n in rows]


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    text = resources.files("fondly.insights").joinpath("data/stopwords.txt").read_text("utf-8")
    words = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(words)


_WORD = re.compile(r"[^\W\d_][\w'’]*|[\U0001F300-\U0001FAFF\u2600-\u27BF]", re.UNICODE)


def shared_phrases(
    store: Any,
    relationship: dict[str, Any],
    me_id: Any,
    redact: Any,
    limit: int = 12,
    candidates: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Words and short phrases you both use, often, on many days: the pair's own language.

    A phrase that clusters at one time of day over several weeks ("morning ☀️", "night
    night") is marked as a ritual (section 9b). Phrases that contain a name, number or
    address after redaction are dropped: they are rarely idioms and always personal.
    """
    scope = _scope(relationship, me_id)
    if store is None or scope is None:
        return []
    where, params = scope
    rows = store.query(
        f"""
        SELECT person_id = ? AS mine, text, ts_local FROM messages_people
        WHERE {where} AND text IS NOT NULL AND kind = 'text'
        ORDER BY ts_ms DESC LIMIT {PHRASE_SAMPLE}
        """,
        [int(me_id), *params],
    )
    stop = _stopwords()
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    days: dict[str, set[Any]] = defaultdict(set)
    weeks: dict[str, set[tuple[int, int]]] = defaultdict(set)
    hours: dict[str, Counter[int]] = defaultdict(Counter)
    for mine, text, ts_local in rows:
        words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
        grams: set[str] = set()
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                parts = words[i : i + n]
                if all(w in stop for w in parts) or (
                    n == 1 and len(parts[0]) < 3 and parts[0].isascii()
                ):
                    continue
                grams.add(" ".join(parts))
        who = "me" if mine else "them"
        for gram in grams:
            uses[gram][who] += 1
            days[gram].add(ts_local.date())
            iso = ts_local.isocalendar()
            weeks[gram].add((iso[0], iso[1]))
            hours[gram][ts_local.hour] += 1
    if candidates:
        return _annotate(candidates, uses, days, weeks, hours, redact, limit)
    picked: list[dict[str, Any]] = []
    found = [
        g
        for g, c in uses.items()
        if c["me"] >= PHRASE_MIN_USES
        and c["them"] >= PHRASE_MIN_USES
        and len(days[g]) >= PHRASE_MIN_DAYS
    ]
    found.sort(key=lambda g: (-min(uses[g]["me"], uses[g]["them"]) * len(g.split()), g))
    for gram in found:
        shown = redact(gram)
        if "[" in shown:
            continue
        total = uses[gram]["me"] + uses[gram]["them"]
        # Skip a phrase that is only a part of one already kept with about the same use.
        if any(gram in p["phrase"] and p["uses"] >= 0.8 * total for p in picked):
            continue
        peak_hour, window_share = _peak_window(hours[gram])
        picked.append(
            {
                "phrase": shown,
                "uses": total,
                "me": uses[gram]["me"],
                "them": uses[gram]["them"],
                "days": len(days[gram]),
                "ritual": len(weeks[gram]) >= 3 and window_share >= 0.6,
                "usual_hour": peak_hour,
            }
        )
        if len(picked) >= limit:
            break
    return picked


def _annotate(
    items: list[dict[str, Any]],
    uses: dict[str, Counter[str]],
    days: dict[str, set[Any]],
    weeks: dict[str, set[tuple[int, int]]],
    hours: dict[str, Counter[int]],
    redact: Any,
    limit: int,
) -> list[dict[str, Any]]:
    picked: list[dict[str, Any]] = []
    for item in items:
        gram = str(item.get("phrase") or "")
        shown = redact(gram)
        if not gram or "[" in shown:
            continue
        me = int(item.get("uses_me") or uses[gram]["me"])
        them = int(item.get("uses_them") or uses[gram]["them"])
        peak_hour, window_share = _peak_window(hours[gram]) if hours.get(gram) else (0, 0.0)
        picked.append(
            {
                "phrase": shown,
                "uses": me + them,
                "me": me,
                "them": them,
                "days": int(item.get("days") or len(days.get(gram, ()))),
                "ritual": len(weeks.get(gram, ())) >= 3 and window_share >= 0.6,
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
