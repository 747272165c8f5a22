"""fondly never advises games: no strategic silence, jealousy or withheld replies.

The research notes (sections 5, 6 and 14) are explicit: responsiveness beats
"mystery" in ongoing relationships, and after a silence the evidence-backed move is a
short check-in (Liu et al. 2023). These tests feed insights the situations that most
tempt a "make them miss you" tool and check what comes out.
"""

from __future__ import annotations

import pytest

from fondly.insights import BANNED_PHRASES, banned_in, build_insights, signals
from tests.test_insights_fixtures import metric, relationship, result, series, standard_metrics

# Our own list, independent of the one in the code: a test that shares its oracle
# with the implementation proves nothing.
GAME_ADVICE = (
    "wait",
    "don't reply",
    "do not reply",
    "ignore",
    "make them jealous",
    "jealous",
    "play hard to get",
    "hard to get",
    "withhold",
    "go silent",
    "take longer to reply",
    "reply slower",
    "leave them on read",
    "make them miss",
    "pull back",
    "act busy",
    "stop texting",
    "keep them guessing",
    "be less available",
    "give them a taste",
)

CHECK_IN = "A short check-in is appreciated more than you'd think."


def _they_initiate_less() -> dict:
    return standard_metrics(
        initiation_share={
            "me": {"value": 0.85, "n": 300, "interval": [0.8, 0.9], "enough_data": True},
            "them": {"value": 0.15, "n": 300, "interval": [0.1, 0.2], "enough_data": True},
            "series": series(0.6, 0.85),
        }
    )


def _they_reply_slower() -> dict:
    metrics = standard_metrics()
    metrics["reply_latency"] = metric(
        "reply_latency",
        "presence",
        me=4.0,
        them=240.0,
        unit="minutes",
        direction="lower",
        rows=series(30.0, 240.0, who="them"),
    )
    return metrics


def _double_texting() -> dict:
    metrics = standard_metrics()
    metrics["double_texting"] = metric(
        "double_texting", "rhythm", me=0.45, them=0.05, direction="descriptive"
    )
    return metrics


def _everything() -> dict:
    return _they_initiate_less() | _they_reply_slower() | _double_texting()


ACTIVE = relationship(person_id=3, name="Robin Lee", last="2025-12-30T21:00:00")
SCENARIOS = {
    "they initiate less": relationship(metrics=_they_initiate_less()),
    "they reply slower": relationship(metrics=_they_reply_slower()),
    "they went quiet for weeks": relationship(last="2025-11-10T20:00:00"),
    "I double-text a lot": relationship(metrics=_double_texting()),
    "all of it at once": relationship(metrics=_everything(), last="2025-11-01T08:00:00"),
}


def _all_advice(rel: dict) -> list[str]:
    return [s["suggestion"] for s in rel["suggestions"]] + [s["label"] for s in rel["suggestions"]]


@pytest.mark.parametrize("situation", list(SCENARIOS))
def test_tempting_situations_get_no_game_advice(situation: str) -> None:
    out = build_insights(result(SCENARIOS[situation], ACTIVE))
    rel = out["relationships"][0]
    for text in _all_advice(rel):
        low = text.lower().replace("’", "'")
        for phrase in GAME_ADVICE:
            assert phrase not in low, f"{situation}: {text!r} contains {phrase!r}"
    for row in rel["scorecard"]:
        low = row["reading"].lower()
        assert not any(p in low for p in ("wait", "ignore", "jealous", "withhold", "go silent"))


@pytest.fixture(scope="module")
def quiet_and_fading() -> dict:
    """A partner who stopped answering and a mutual fade, as real chats (tests/scenarios)."""
    from fondly.metrics import compute
    from fondly.store import Store
    from tests.scenarios.chats import ME, mutual_fade, partner_goes_quiet
    from tests.synthetic import fill_simple_features, write_chats

    with Store(":memory:") as store:
        write_chats(store, [partner_goes_quiet().chat, mutual_fade().chat], me=ME)
        fill_simple_features(store)
        out = build_insights(compute(store), store)
    return {r["name"]: r for r in out["relationships"]}


def test_unanswered_messages_get_one_kind_direct_question(quiet_and_fading: dict) -> None:
    top = quiet_and_fading["Sam"]["suggestions"][0]
    assert top["signal"] == "unanswered"
    assert top["suggestion"].startswith("Ask once, directly and kindly")
    assert "respect the answer" in top["suggestion"]
    assert "Liu" in top["citation"] and "2023" in top["citation"]
    assert "no reply" in top["why"]


def test_fading_contact_suggests_a_check_in_backed_by_liu_2023(quiet_and_fading: dict) -> None:
    top = quiet_and_fading["Kim"]["suggestions"][0]
    assert top["signal"] == "fading"
    assert top["suggestion"].startswith("A short, warm check-in is appreciated")
    assert "Liu" in top["citation"] and "2023" in top["citation"]
    assert "down from" in top["why"]


def test_alerts_are_never_games(quiet_and_fading: dict) -> None:
    for rel in quiet_and_fading.values():
        for sug in rel["suggestions"]:
            low = sug["suggestion"].lower()
            assert not any(p in low for p in GAME_ADVICE), sug["suggestion"]


def test_a_chat_that_ended_earlier_is_not_silent_against_another_chat() -> None:
    """Silence is measured within each relationship, never against another chat's end."""
    rel = build_insights(result(SCENARIOS["they went quiet for weeks"], ACTIVE))["relationships"][0]
    assert CHECK_IN not in [s["suggestion"] for s in rel["suggestions"]]
    assert "days_since_last" not in rel


def test_double_texting_gets_room_not_silence() -> None:
    rel = build_insights(result(SCENARIOS["I double-text a lot"], ACTIVE))["relationships"][0]
    advice = [s for s in rel["suggestions"] if s["signal"] == "many_in_a_row"]
    assert advice and advice[0]["citation"] == "Ohadi et al. 2018"


def test_a_recent_chat_gets_no_check_in_nag() -> None:
    rel = build_insights(result(relationship(), ACTIVE))["relationships"][0]
    assert CHECK_IN not in [s["suggestion"] for s in rel["suggestions"]]


def test_small_sample_in_a_tempting_situation_gets_no_advice() -> None:
    quiet = relationship(n_messages=25, last="2025-09-01T10:00:00", metrics=_everything())
    rel = build_insights(result(quiet, ACTIVE))["relationships"][0]
    assert rel["suggestions"] == []
    assert rel["note"].startswith("Not enough data")


def test_no_suggestion_in_the_table_is_a_game() -> None:
    for sig in signals():
        low = sig.suggestion.lower()
        assert not any(p in low for p in GAME_ADVICE), sig.signal


@pytest.mark.parametrize(
    "advice",
    [
        "Wait a few days before you answer.",
        "Don’t reply until they miss you.",
        "Make them jealous with a story about your date.",
        "Play hard to get for a while.",
        "Go silent for a week.",
        "Take longer to reply than they do.",
        "Withhold affection until they try harder.",
        "Just ignore the message.",
    ],
)
def test_the_runtime_guard_catches_game_advice(advice: str) -> None:
    assert banned_in(advice) is not None
    assert {"wait", "ignore", "withhold", "go silent"} <= set(BANNED_PHRASES)
