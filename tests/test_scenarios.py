"""The report's verdicts on chats whose truth is known by construction (tests/scenarios).

All eight scenarios live in one store and end on different dates, so a verdict that
measured one chat against another chat's end would fail here.
"""

from __future__ import annotations

from typing import Any

import pytest

from fondly.insights import build_insights
from fondly.metrics import compute
from fondly.store import Store
from tests.scenarios.chats import Scenario, all_scenarios, write_scenarios
from tests.synthetic import fill_simple_features

SCENARIOS = {s.name: s for s in all_scenarios()}
ALERTS = {"unanswered", "they_stopped_starting", "fading"}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    with Store(":memory:") as store:
        write_scenarios(store, list(SCENARIOS.values()))
        fill_simple_features(store)
        insights = build_insights(compute(store), store)
        authors = dict(
            store.query(
                "SELECT m.message_id, CASE WHEN p.is_me THEN 'me' ELSE 'them' END "
                "FROM messages m JOIN handles h ON h.handle_id = m.handle_id "
                "JOIN people p ON p.person_id = h.person_id"
            )
        )
        texts = dict(store.query("SELECT message_id, text FROM messages"))
    return {"insights": insights, "authors": authors, "texts": texts}


def _rel(report: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    rels = report["insights"]["relationships"]
    return next(r for r in rels if r["name"] == scenario.other)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_headline_signal(report: dict[str, Any], name: str) -> None:
    scenario = SCENARIOS[name]
    rel = _rel(report, scenario)
    alert = scenario.truth["alert"]
    signals = [s["signal"] for s in rel["suggestions"]]
    if alert is None:
        assert not ALERTS & set(signals), signals
        assert not rel["alerts"]
    else:
        assert signals[0] == alert  # an alert outranks every other suggestion
        assert rel["alerts"][0]["signal"] == alert
        assert rel["headline"].startswith(rel["alerts"][0]["why"][:20].capitalize()[:1])
    if scenario.truth.get("not_top"):
        assert not signals or signals[0] != scenario.truth["not_top"]
    if scenario.truth.get("not_signal"):
        assert scenario.truth["not_signal"] not in signals


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_change_label(report: dict[str, Any], name: str) -> None:
    scenario = SCENARIOS[name]
    rel = _rel(report, scenario)
    assert rel["change"]["label"] in scenario.truth["change"], rel["change"]
    row = next(r for r in report["insights"]["overview"] if r["name"] == scenario.other)
    assert row["change"] == rel["change"]["label"]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_since_you_changed(report: dict[str, Any], name: str) -> None:
    scenario = SCENARIOS[name]
    rel = _rel(report, scenario)
    expected = scenario.truth["since_you_changed"]
    if expected is None:
        assert rel["changes"] == []
        return
    metric_id, direction, since = expected
    found = [c for c in rel["changes"] if c["metric_id"] == metric_id]
    assert found, rel["changes"]
    change = found[0]
    assert change["direction"] == direction
    if since is not None:
        assert change["since"] == since
    for key, way in (scenario.truth.get("them_after") or {}).items():
        after = next(f for f in change["them_after"] if f["metric_id"] == key)
        assert (after["after"] > after["before"]) == (way == "up"), after
    assert change["sentence"].startswith("Since ")


@pytest.mark.parametrize("name", [n for n, s in SCENARIOS.items() if s.truth.get("initiation")])
def test_who_starts_conversations(report: dict[str, Any], name: str) -> None:
    """Overnight answers across time zones are replies, not new conversations."""
    scenario = SCENARIOS[name]
    rel = _rel(report, scenario)
    row = next(r for r in rel["scorecard"] if r["practice"] == "rhythm")
    assert row["headline"]["metric_id"] == "initiation_share"
    low, high = scenario.truth["initiation"]
    assert low <= row["headline"]["me"] <= high


def test_the_chaser_reads_what_followed(report: dict[str, Any]) -> None:
    rel = _rel(report, SCENARIOS["a chaser who changes"])
    sentence = rel["changes"][0]["sentence"]
    assert "you start fewer conversations" in sentence
    assert "Robin starts" in sentence and "silences" in sentence
    assert "answers your openings in a median of" in sentence and "min instead of" in sentence
    assert rel["headline"] == sentence


@pytest.mark.parametrize("name", [n for n, s in SCENARIOS.items() if s.truth.get("missing")])
def test_missing_index_now_against_before(report: dict[str, Any], name: str) -> None:
    scenario = SCENARIOS[name]
    assert _rel(report, scenario)["missing"]["now"]["direction"] == scenario.truth["missing"]


def test_unanswered_run_names_dates_and_quotes_only_the_unanswered(
    report: dict[str, Any],
) -> None:
    rel = _rel(report, SCENARIOS["a partner who goes quiet"])
    alert = rel["alerts"][0]
    assert (
        "your last 4 messages" in alert["why"] and "Sam last wrote on 21 Aug 2024" in alert["why"]
    )
    ids = [e["message_id"] for e in alert["evidence"]]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert all(report["authors"][i] == "me" for i in ids)
    assert rel["overview"]["closeness"] < 40  # unanswered is never close


def test_silence_is_measured_within_each_relationship(report: dict[str, Any]) -> None:
    """Lee's chat ends in October 2023, the others in 2024: Lee is not silent for that."""
    rel = _rel(report, SCENARIOS["a reconnection after a long silence"])
    assert rel["contact"]["recent"]["to"] == "2023-10-24"
    assert rel["change"]["label"] == "reconnected"
    assert not rel["alerts"]


def test_every_scenario_has_a_one_sentence_headline(report: dict[str, Any]) -> None:
    for rel in report["insights"]["relationships"]:
        assert rel["headline"].endswith(".") and "\n" not in rel["headline"]


def test_every_row_reports_recent_and_baseline(report: dict[str, Any]) -> None:
    rel = _rel(report, SCENARIOS["a chaser who changes"])
    row = next(r for r in rel["scorecard"] if r["practice"] == "rhythm")
    now = row["headline"]["now"]
    assert now["recent"]["me"]["interval"] is not None
    assert now["baseline"]["me"]["interval"] is not None


def test_people_who_do_not_answer_are_never_ranked_close(report: dict[str, Any]) -> None:
    overview = report["insights"]["overview"]
    quiet = next(r for r in overview if r["name"] == "Sam")
    answering = [r for r in overview if r["change"] in {"steady", "closer"}]
    assert answering and all(quiet["closeness"] < r["closeness"] for r in answering)


def test_a_partial_last_month_does_not_decide_drifting() -> None:
    """A steady daily chat that ends five days into January reads steady, not drifting."""
    from datetime import date

    from tests.scenarios.chats import Scenario, Script, _days

    s = Script("Noa", seed=11)
    for t in _days(date(2023, 1, 1), date(2024, 1, 6), 1.0, s.rng):
        s.conversation(t, "me" if s.rng.random() < 0.5 else "them", reply_min=8)
    scenario = Scenario("partial month", "Noa", s.chat(), {})
    with Store(":memory:") as store:
        write_scenarios(store, [scenario])
        fill_simple_features(store)
        rel = build_insights(compute(store), store)["relationships"][0]
    assert scenario.end.date() <= date(2024, 1, 6)
    assert rel["change"]["label"] == "steady"
    assert rel["contact"]["last30_per_week"] > 0.8 * rel["contact"]["baseline_per_week"]


def test_missing_index_reads_the_recent_silences_first(report: dict[str, Any]) -> None:
    """Robin breaks most silences since May: the reading leads with those months."""
    missing = _rel(report, SCENARIOS["a chaser who changes"])["missing"]
    assert missing["reading"].startswith("In the last six months")
    assert missing["recent_text"] is not None
    recent, before = missing["now"]["recent"], missing["now"]["baseline"]
    assert recent["share"] > 0.6 > 0.4 > before["share"]
    assert recent["index"] > before["index"]
