"""Comparison (c) of the brief: you in this relationship against you in your others."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fondly.insights import build_insights
from fondly.insights._across import add_comparisons
from fondly.metrics import compute
from fondly.store import Store
from tests.synthetic import Chat, fill_simple_features, write_chats

T0 = datetime(2024, 2, 1, 18, 0)


def warm_chat(other: str, loving_every: int) -> Chat:
    """Forty evenings; every ``loving_every``-th one the user says "love you"."""
    rows: list[tuple[datetime, str, str]] = []
    for day in range(40):
        t = T0 + timedelta(days=day)
        mine = "love you, see you soon" if day % loving_every == 0 else "see you soon"
        rows += [(t, "Alex", mine), (t + timedelta(minutes=3), other, "see you")]
    return Chat(f"chat with {other}", ["Alex", other], rows)


@pytest.fixture(scope="module")
def insights() -> dict[str, dict]:
    chats = [warm_chat("Sam", 1), warm_chat("Kim", 2), warm_chat("Robin", 4), warm_chat("Lee", 8)]
    with Store(":memory:") as store:
        write_chats(store, chats, me="Alex")
        fill_simple_features(store)
        result = build_insights(compute(store), store)
    return {r["name"]: r for r in result["relationships"]}


def affection_row(relationship: dict) -> dict:
    care = next(p for p in relationship["scorecard"] if p["practice"] == "care")
    return next(r for r in care["metrics"] if r["metric_id"] == "affection")


def test_rank_among_your_relationships(insights: dict[str, dict]) -> None:
    assert affection_row(insights["Sam"])["among_yours"] == {"higher_than": 3, "of": 3}
    assert affection_row(insights["Lee"])["among_yours"] == {"higher_than": 0, "of": 3}
    assert affection_row(insights["Kim"])["among_yours"] == {"higher_than": 2, "of": 3}


def test_the_reading_says_it_in_words(insights: dict[str, dict]) -> None:
    assert "higher than in most of your other chats" in affection_row(insights["Sam"])["reading"]
    assert "lower than in most of your other chats" in affection_row(insights["Lee"])["reading"]


def test_no_rank_with_too_few_relationships() -> None:
    row = {"metric_id": "affection", "me": 0.4, "certainty": {"level": "high"}, "reading": "R."}
    relationships = [{"scorecard": [{"metrics": [dict(row)], "headline": None}]} for _ in range(2)]
    add_comparisons(relationships)
    assert relationships[0]["scorecard"][0]["metrics"][0]["among_yours"] is None
    assert relationships[0]["scorecard"][0]["metrics"][0]["reading"] == "R."
