"""Insights: scorecard readings, trends, certainty, evidence, redaction and suggestions."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from fondly.insights import PRACTICES, Redactor, build_insights, excerpt, signals
from fondly.insights._reading import trend_of
from fondly.store import Store
from tests.test_insights_fixtures import (
    metric,
    relationship,
    result,
    seeded,
    series,
    standard_metrics,
)


def _rel(data: dict, store: Store | None = None, **kw: bool) -> dict:
    return build_insights(data, store, **kw)["relationships"][0]


def test_scorecard_has_the_ten_practices_in_order_with_reading_trend_certainty() -> None:
    rel = _rel(result())
    assert [row["practice"] for row in rel["scorecard"]] == list(PRACTICES)
    for row in rel["scorecard"]:
        assert row["reading"].endswith(".")
        assert row["certainty"]["level"] in {"high", "moderate", "low", "not enough data"}
        assert row["trend"]["label"] in {"better", "worse", "steady", "up", "down", "unknown"}
    assert rel["missing"]["components"][0]["id"] == "partner_breaks"
    json.dumps(build_insights(result()))  # JSON-ready all the way down


@pytest.mark.parametrize(
    ("before", "recent", "direction", "expected"),
    [
        (0.20, 0.40, "higher", "better"),
        (0.40, 0.20, "higher", "worse"),
        (0.20, 0.40, "lower", "worse"),
        (0.40, 0.20, "lower", "better"),
        (0.30, 0.32, "higher", "steady"),  # inside the 5-point tolerance for shares
        (0.30, 0.45, "descriptive", "up"),
        (0.80, 0.55, "balance", "better"),  # moved toward an even split
    ],
)
def test_trend_compares_last_three_months_with_the_six_before(
    before: float, recent: float, direction: str, expected: str
) -> None:
    m = metric("x", "presence", direction=direction, rows=series(before, recent))
    assert trend_of(m["series"], m, "me")["label"] == expected


def test_trend_needs_events_in_both_windows() -> None:
    m = metric("x", "presence", rows=series(0.2, 0.6, n=3))  # 9 events in 3 months < min_n 20
    assert trend_of(m["series"], m, "me")["label"] == "unknown"


def test_relative_tolerance_for_rates() -> None:
    m = metric("x", "care", unit="per_100_turns", rows=series(10.0, 11.0))
    assert trend_of(m["series"], m, "me")["label"] == "steady"
    m = metric("x", "care", unit="per_100_turns", rows=series(10.0, 13.0))
    assert trend_of(m["series"], m, "me")["label"] == "better"


def test_small_samples_say_not_enough_data_and_give_no_advice() -> None:
    small = standard_metrics(
        **{
            mid: {"me": {"value": 0.0, "n": 3, "interval": None, "enough_data": False}}
            for mid in ("followup_questions", "gratitude")
        }
    )
    rel = _rel(result(relationship(metrics=small, n_messages=40, last="2025-06-01T10:00:00")))
    assert rel["suggestions"] == []
    assert "not enough data" in rel["note"].lower()
    presence = rel["scorecard"][0]
    assert presence["certainty"]["level"] == "not enough data"
    assert presence["reading"].startswith("Not enough data")
    assert presence["evidence"] == []


def test_missing_index_below_four_silences_is_not_enough_data() -> None:
    missing = {
        "value": 1.0,
        "interval": None,
        "enough_data": False,
        "n_episodes": 2,
        "components": {},
        "series": [],
        "evidence": [],
    }
    rel = _rel(result(relationship(missing=missing)))
    assert rel["missing"]["certainty"]["level"] == "not enough data"
    assert "2 silences" in rel["missing"]["reading"]


def test_missing_index_reading_names_its_strongest_part_and_its_caveat() -> None:
    rel = _rel(result())
    assert "run high" in rel["missing"]["reading"]
    assert 'they say "miss you"' in rel["missing"]["reading"]
    assert "Le et al. 2008" in rel["missing"]["reading"]


def test_excerpt_is_short_and_centred_on_the_key_phrase() -> None:
    text = ("blah " * 40) + "I am so proud of you, congrats on the new job!" + (" more" * 40)
    got = excerpt(text, "cheering")
    assert len(got) <= 84
    assert "proud" in got and got.startswith("…") and got.endswith("…")
    assert excerpt("short one", "cheering") == "short one"


@pytest.mark.parametrize(
    ("text", "hidden", "placeholder"),
    [
        ("Sam said hi", "Sam", "[NAME]"),
        ("ask taylor about it", "taylor", "[NAME]"),
        ("call +44 7700 900123 tonight", "7700", "[PHONE]"),
        ("call (555) 123-4567", "123-4567", "[PHONE]"),
        ("mail sam.t@example.com now", "example.com", "[EMAIL]"),
        ("see https://example.org/a?b=1 and www.test.net", "example.org", "[URL]"),
        ("we met in Little Rock last year", "Little Rock", "[PLACE]"),
        ("Paris was amazing", "Paris", "[PLACE]"),
        ("just back from Tokyo!", "Tokyo", "[PLACE]"),
    ],
)
def test_redaction_replaces_personal_details(text: str, hidden: str, placeholder: str) -> None:
    got = Redactor(["Sam Taylor", "Alex Morgan"])(text)
    assert hidden not in got
    assert placeholder in got


@pytest.mark.parametrize(
    "text",
    ["see you in March", "at 10:30 on 2025-05-01", "2 - 3 days", "I am in love", "I will call"],
)
def test_redaction_leaves_ordinary_text_alone(text: str) -> None:
    assert Redactor(["Sam Taylor", "Will Hope"])(text) == text


def test_names_that_are_words_are_hidden_when_capitalised() -> None:
    assert Redactor(["Will Hope"])("Will said hi") == "[NAME] said hi"


def test_redaction_reaches_evidence_phrases_and_names(store: Store) -> None:
    data, _ = seeded(store)
    plain = build_insights(data, store, charts=True)
    red = build_insights(data, store, redact=True, charts=True)
    dump = json.dumps(red, ensure_ascii=False)
    for secret in ("Sam", "Taylor", "7700 900123", "sam.t@example.com", "Lisbon"):
        assert secret not in dump
    excerpts = [
        e["excerpt"] for row in red["relationships"][0]["scorecard"] for e in row["evidence"]
    ]
    assert excerpts, "evidence is still shown, as what kind of message it was"
    assert all(re.fullmatch(r"(your|their|a) [\w -]+(, \d+ words)?", e) for e in excerpts)
    assert not re.search(r"\d{4}-\d\d-\d\d", dump), "dates are reduced to months"
    assert red["relationships"][0]["name"] == "Person 2"
    assert "Sam Taylor" in json.dumps(plain)


def test_evidence_comes_from_the_store(store: Store) -> None:
    data, _ = seeded(store)
    rel = _rel(data, store)
    shared = next(r for r in rel["scorecard"] if r["practice"] == "shared")
    assert any("<script>" in e["excerpt"] for e in shared["evidence"])
    assert all(len(e["excerpt"]) <= 84 and e["date"] for e in shared["evidence"])


def _with_inside_jokes(data: dict[str, Any], *phrases: str) -> dict[str, Any]:
    """The metrics result with an inside-jokes list, as fondly.metrics.idioms gives it."""
    items = [
        {"phrase": p, "uses_me": 70, "uses_them": 60, "days": 100, "last_month": "2025-12"}
        for p in phrases
    ]
    data["relationships"][0]["metrics"]["inside_jokes"] = {
        "id": "inside_jokes",
        "practice": "reminders",
        "kind": "python",
        "pair": {
            "value": float(len(items)),
            "n": len(items),
            "interval": None,
            "enough_data": True,
        },
        "series": [],
        "items": items,
        "evidence": [],
    }
    return data


def test_phrases_and_rituals_found(store: Store) -> None:
    data, _ = seeded(store)
    data = _with_inside_jokes(data, "good morning ☀", "coffee friday", "night night 🌙")
    phrases = _rel(data, store, charts=True)["activity"]["phrases"]
    found = {p["phrase"]: p for p in phrases}
    assert list(found) == ["good morning ☀", "coffee friday", "night night 🌙"]
    assert (found["coffee friday"]["me"], found["coffee friday"]["them"]) == (70, 60)
    # said every morning at 8:30 (the emoji's variation selector is not a token) ...
    assert found["good morning ☀"]["ritual"] and 7 <= found["good morning ☀"]["usual_hour"] <= 9
    # ... while "coffee friday" is said over breakfast and late at night alike
    assert not found["coffee friday"]["ritual"]


def test_phrases_are_the_metrics_inside_jokes_only(store: Store) -> None:
    """One phrase engine: without the metric's list, the chart invents no phrases of its own."""
    data, _ = seeded(store)
    assert _rel(data, store, charts=True)["activity"]["phrases"] == []


# -- suggestions ------------------------------------------------------------------


def test_suggestion_table_is_data_with_citations() -> None:
    table = signals()
    assert len(table) >= 10
    for sig in table:
        assert sig.citation and sig.suggestion and sig.label
        assert 0 < sig.strength <= 1
    texts = {s.suggestion for s in table}
    assert "Ask one more question about what they just told you." in texts


def test_suggestions_name_signal_evidence_and_study_ranked_by_expected_help() -> None:
    metrics = standard_metrics(
        followup_questions={
            "me": {"value": 0.10, "n": 200, "interval": [0.08, 0.12], "enough_data": True},
            "evidence": [{"message_id": "x", "who": "them"}],
        },
        novelty={"me": {"value": 0.10, "n": 200, "interval": [0.08, 0.12], "enough_data": True}},
    )
    rel = _rel(result(relationship(metrics=metrics)))
    got = [s["signal"] for s in rel["suggestions"]]
    # Both gaps are about two thirds; follow-up questions have far stronger evidence (rank 4
    # against 11), so they come first.
    assert got[:2] == ["few_followups", "few_plans"]
    top = rel["suggestions"][0]
    assert top["citation"] == "Huang et al. 2017"
    assert top["metric_id"] == "followup_questions"
    assert "you 10%" in top["why"] and "them 30%" in top["why"]
    assert top["score"] > rel["suggestions"][1]["score"]


def test_overlapping_intervals_are_not_a_gap() -> None:
    wide = {"value": 0.20, "n": 40, "interval": [0.08, 0.35], "enough_data": True}
    rel = _rel(result(relationship(metrics=standard_metrics(followup_questions={"me": wide}))))
    assert rel["suggestions"] == []


def test_suggestion_fires_on_a_drop_against_your_own_history() -> None:
    metrics = standard_metrics(
        gratitude={"series": series(4.0, 1.0), "unit": "per_100_turns"},
    )
    rel = _rel(result(relationship(metrics=metrics)))
    assert [s["signal"] for s in rel["suggestions"]] == ["little_gratitude"]
    assert "fell from" in rel["suggestions"][0]["why"]


def test_rising_hostility_suggests_a_call() -> None:
    metrics = standard_metrics(hostility={"series": series(0.02, 0.10, who="pair")})
    rel = _rel(result(relationship(metrics=metrics)))
    assert rel["suggestions"][0]["suggestion"] == "Take hard conversations to a call or in person."
