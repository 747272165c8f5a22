"""You here against you elsewhere: the brief's third comparison (psychology.md section 1).

Texting has few absolute norms, so the brief compares (a) you with them, (b) the pair
with its own history, and (c) you in this relationship with you across your other
relationships, as a rank. (a) and (b) are in each reading; this module adds (c) to
every scorecard row where at least :data:`MIN_RELATIONSHIPS` relationships have
enough data for the metric, so one odd chat is not ranked against nothing.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

MIN_RELATIONSHIPS = 3
"""Relationships (this one included) with enough data before a rank means anything."""


def _rows(relationship: dict[str, Any]) -> list[dict[str, Any]]:
    """Every metric row of a relationship's scorecard, each once."""
    return [row for practice in relationship["scorecard"] for row in practice["metrics"]]


def _usable(row: dict[str, Any]) -> bool:
    return row.get("me") is not None and row["certainty"]["level"] != "not enough data"


def add_comparisons(relationships: list[dict[str, Any]]) -> None:
    """Give each row an ``among_yours`` rank and its sentence; in place.

    ``among_yours`` is ``{"higher_than": k, "of": n}``: your value here is higher than
    in ``k`` of your ``n`` other relationships with enough data (ties count half).
    """
    values: dict[str, list[float]] = defaultdict(list)
    for relationship in relationships:
        for row in _rows(relationship):
            if _usable(row):
                values[row["metric_id"]].append(float(row["me"]))
    for relationship in relationships:
        for practice in relationship["scorecard"]:
            for row in practice["metrics"]:
                others = list(values.get(row["metric_id"], []))
                if not _usable(row) or len(others) < MIN_RELATIONSHIPS:
                    row["among_yours"] = None
                    continue
                mine = float(row["me"])
                others.remove(mine)
                below = sum(1.0 for v in others if v < mine) + 0.5 * sum(
                    1.0 for v in others if v == mine
                )
                row["among_yours"] = {"higher_than": below, "of": len(others)}
                row["reading"] += " " + _sentence(below, len(others))
            head = practice.get("headline")
            if head is not None:
                practice["reading"] = head["reading"]


def _sentence(below: float, of: int) -> str:
    """Where this relationship sits among your others, in words."""
    share = below / of
    if share >= 0.75:
        where = "higher than in most of your other chats"
    elif share <= 0.25:
        where = "lower than in most of your other chats"
    else:
        where = "about the middle of your other chats"
    count = f"{below:g}"
    return f"Yours here is {where} ({count} of {of} lower)."
