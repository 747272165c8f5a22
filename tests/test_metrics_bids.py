"""Turn-taking metrics: bid uptake (A4) and laughing together (M4 episodes)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fondly.metrics import compute
from fondly.store import Store
from tests.synthetic import Chat, fill_simple_features, write_chats

T0 = datetime(2024, 5, 1, 12, 0)


def bids_chat(other: str, *, answer_every: int) -> Chat:
    """Each day the other asks something; the user answers every ``answer_every``-th day.

    Unanswered days the other simply writes again the next day (a new bid), so those
    bids end without a reply from the user.
    """
    rows: list[tuple[datetime, str, str]] = []
    for day in range(24):
        t = T0 + timedelta(days=day)
        rows.append((t, other, "how was the interview?"))
        if day % answer_every == 0:
            rows.append((t + timedelta(minutes=4), "Alex", "it went fine, long day"))
            rows.append((t + timedelta(minutes=9), other, "glad to hear"))
    return Chat(f"chat with {other}", ["Alex", other], rows)


@pytest.fixture(scope="module")
def uptake() -> dict[str, dict]:
    with Store(":memory:") as store:
        write_chats(
            store,
            [bids_chat("Sam", answer_every=1), bids_chat("Kim", answer_every=2)],
            me="Alex",
        )
        fill_simple_features(store)
        result = compute(store)
    return {r["person"]["name"]: r["metrics"]["bid_uptake"] for r in result["relationships"]}


def test_answering_every_bid_in_your_usual_time_is_full_uptake(uptake: dict[str, dict]) -> None:
    assert uptake["Sam"]["me"]["value"] == pytest.approx(1.0)
    assert uptake["Sam"]["me"]["n"] == 24
    assert uptake["Sam"]["evidence"][0]["who"] == "me"


def test_bids_left_unanswered_lower_uptake(uptake: dict[str, dict]) -> None:
    # 12 of the 23 bids that something followed (the chat's last message is not judged yet)
    assert uptake["Kim"]["me"]["value"] == pytest.approx(12 / 23)
    assert uptake["Kim"]["me"]["interval"][1] < 1.0


def laughs_chat(other: str, *, laughs_along: bool) -> Chat:
    """The other jokes every day; the user laughs along, or answers without laughing."""
    rows: list[tuple[datetime, str, str]] = []
    for day in range(12):
        t = T0 + timedelta(days=day)
        rows.append((t, other, "haha you should have seen the cat"))
        rows.append((t + timedelta(minutes=3), "Alex", "lol no way" if laughs_along else "ok"))
        rows.append((t + timedelta(minutes=6), other, "see you"))
    return Chat(f"chat with {other}", ["Alex", other], rows)


def test_laughing_together_credits_who_laughs_along() -> None:
    with Store(":memory:") as store:
        write_chats(
            store,
            [laughs_chat("Sam", laughs_along=True), laughs_chat("Kim", laughs_along=False)],
            me="Alex",
        )
        fill_simple_features(store)
        result = compute(store)
    together = {
        r["person"]["name"]: r["metrics"]["laughing_together"] for r in result["relationships"]
    }
    assert together["Sam"]["me"]["value"] == pytest.approx(1.0)
    assert together["Sam"]["me"]["n"] == 12
    assert together["Sam"]["evidence"][0]["who"] == "me"
    assert together["Kim"]["me"]["value"] == pytest.approx(0.0)
