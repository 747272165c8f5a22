"""The report's verdicts on chats whose truth is known by construction (tests/scenarios).

All the scenarios live in one store and end on different dates, so a verdict that
measured one chat against another chat's end would fail here.
"""

from __future__ import annotations

import itertools
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
    assert (signals[0] if signals else None) == scenario.truth["top"], signals
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


def test_a_change_across_a_long_silence_is_dated_at_the_return() -> None:
    """The month that ends a silence carries the date when the evidence is near level..."""
    from fondly.insights._now import _change_point

    before = [(f"2022-{m:02d}", 0.7, 20.0) for m in range(5, 12)] + [("2022-12", 0.5, 14.0)]
    after = [("2023-08", 0.45, 8.0), ("2023-09", 0.3, 9.0), ("2023-10", 0.3, 8.0)]
    point = _change_point(before + after)
    assert point is not None and point["since"] == "2023-08"
    assert point["before"] > 0.6 > 0.4 > point["after"]


def test_a_clear_change_before_a_silence_keeps_its_own_date() -> None:
    """...but a change that plainly came earlier is not moved to the return."""
    from fondly.insights._now import _change_point

    early = [(f"2022-{m:02d}", 0.8, 20.0) for m in range(1, 7)]
    late = [(f"2022-{m:02d}", 0.2, 20.0) for m in range(7, 13)]
    back = [("2023-08", 0.2, 10.0), ("2023-09", 0.2, 10.0)]
    point = _change_point(early + late + back)
    assert point is not None and point["since"] == "2022-07"


def test_no_change_point_in_a_steady_series() -> None:
    from fondly.insights._now import _change_point

    rows = [(f"2023-{m:02d}", 0.5 + (0.05 if m % 2 else -0.05), 20.0) for m in range(1, 13)]
    assert _change_point(rows) is None


def _inside(value: float, interval: list[float] | None) -> bool:
    return interval is not None and interval[0] - 1e-6 <= value <= interval[1] + 1e-6


def test_every_recent_and_baseline_value_carries_its_interval(report: dict[str, Any]) -> None:
    """Shares, medians and ratios alike: each period's value has an interval around it."""
    seen_kinds = set()
    for rel in report["insights"]["relationships"]:
        for row in rel["scorecard"]:
            for metric in [row["headline"], *row["metrics"]]:
                if not metric or not metric.get("now"):
                    continue
                for period in ("recent", "baseline"):
                    for side, got in metric["now"][period].items():
                        where = (rel["name"], metric["metric_id"], period, side)
                        assert _inside(got["value"], got["interval"]), where
                        seen_kinds.add(metric["metric_id"])
        contact = rel["contact"]
        assert _inside(contact["recent_per_week"], contact["recent_interval"])
        if contact["baseline"] is not None:
            assert _inside(contact["baseline_per_week"], contact["baseline_interval"])
    assert {"first_reply", "reply_latency", "session_gap", "initiation_share"} <= seen_kinds


def test_the_missing_index_has_an_interval_for_each_period(report: dict[str, Any]) -> None:
    now = _rel(report, SCENARIOS["a chaser who changes"])["missing"]["now"]
    for period in ("recent", "baseline"):
        got = now[period]
        assert _inside(got["share"], got["interval"])
        assert _inside(got["index"], got["index_interval"])
    low, high = now["difference"]
    assert 0 < low < high  # the rise in silences Robin breaks is more than chance


def test_what_followed_a_change_carries_intervals_that_say_it_moved(
    report: dict[str, Any],
) -> None:
    change = _rel(report, SCENARIOS["a chaser who changes"])["changes"][0]
    assert _inside(change["before"], change["before_interval"])
    assert _inside(change["after"], change["after_interval"])
    reply = next(f for f in change["them_after"] if f["metric_id"] == "first_reply")
    assert reply["after_interval"][1] < reply["before_interval"][0]


def test_a_change_is_claimed_only_when_the_intervals_say_so() -> None:
    from fondly.insights._now import difference, trend_now

    def metric(r_ci: list[float], b_ci: list[float]) -> dict[str, Any]:
        side = {"n": 40, "enough_data": True}
        return {
            "kind": "share",
            "direction": "higher",
            "now": {
                "recent": {"me": side | {"value": 0.5, "interval": r_ci}},
                "baseline": {"me": side | {"value": 0.3, "interval": b_ci}},
            },
        }

    assert trend_now(metric([0.42, 0.58], [0.22, 0.38]))["label"] == "better"
    assert trend_now(metric([0.2, 0.8], [0.05, 0.6]))["label"] == "steady"
    # Newcombe (1998), method 10: 56/70 against 48/80 differ by 0.2, 95% CI 0.0524 to 0.3339
    from fondly.insights._now import wilson

    gap = difference(56 / 70, wilson(56, 70), 48 / 80, wilson(48, 80))
    assert gap is not None
    assert abs(gap[0] - 0.0524) < 2e-3 and abs(gap[1] - 0.3339) < 2e-3


def test_a_median_of_few_months_still_has_its_sampling_interval() -> None:
    from fondly.insights._now import period_interval

    two_months = [(30.0, 20.0), (34.0, 20.0)]
    interval = period_interval(two_months, spread=40.0)
    assert interval is not None and interval[0] < 32.0 < interval[1]
    assert period_interval(two_months, spread=None) is None
    # more events, the same spread: a narrower interval
    wide = period_interval([(30.0, 5.0)] * 4, spread=40.0)
    narrow = period_interval([(30.0, 50.0)] * 4, spread=40.0)
    assert wide and narrow and narrow[1] - narrow[0] < wide[1] - wide[0]


def test_slow_texters_hold_one_conversation_a_thread() -> None:
    """A pair who answer every two to three hours: each day's thread is one conversation.

    A fixed 2 h gap made 768 conversations of these 256 threads (docs/metrics.md).
    """
    scenario = SCENARIOS["slow texters"]
    with Store(":memory:") as store:
        write_scenarios(store, [scenario])
        fill_simple_features(store)
        rel = compute(store)["relationships"][0]
    starts = rel["metrics"]["initiation_share"]["me"]
    assert starts["n"] == scenario.truth["conversations"]
    assert 0.6 <= starts["value"] <= 0.8
    assert rel["metrics"]["session_gap"]["pair"]["value"] > 8  # hours between threads
    assert rel["metrics"]["first_reply"]["them"]["value"] > 120  # their answers take hours


def test_a_quick_pair_keeps_the_fixed_gap() -> None:
    """The rhythm only ever lengthens the gap: a pair who answer in minutes splits at 2 h."""
    quick = SCENARIOS["a long couple chat with a quiet holiday month"]
    times = sorted(t for t, _, _ in quick.chat.messages)
    stretches = 1 + sum(1 for a, b in itertools.pairwise(times) if (b - a).total_seconds() >= 7200)
    with Store(":memory:") as store:
        write_scenarios(store, [quick])
        fill_simple_features(store)
        rel = compute(store)["relationships"][0]
    assert rel["sessions_by_gap"]["gap"] == stretches


def test_one_odd_first_month_is_not_a_before() -> None:
    from fondly.insights._now import _change_point

    rows = [("2025-01", 0.68, 62.0)] + [(f"2025-{m:02d}", 0.45, 60.0) for m in range(2, 13)]
    assert _change_point(rows) is None


def test_two_even_periods_are_neither_better_nor_worse() -> None:
    """Who starts moving from 46% to 56% is still even: steady, not worse."""
    from fondly.insights._now import trend_now

    side = {"n": 300, "enough_data": True}
    metric = {
        "kind": "share",
        "direction": "balanced",
        "now": {
            "recent": {"me": side | {"value": 0.56, "interval": [0.5, 0.61]}},
            "baseline": {"me": side | {"value": 0.46, "interval": [0.43, 0.49]}},
        },
    }
    assert trend_now(metric)["label"] == "steady"
    metric["now"]["recent"]["me"] |= {"value": 0.75, "interval": [0.7, 0.8]}
    assert trend_now(metric)["label"] == "worse"
