"""The missing index tells a pair where the user chases from one where the other reaches out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fondly.metrics import compute
from fondly.metrics.missing import missing_index
from fondly.store import Store
from tests.synthetic import Chat, fill_simple_features, write_chats

T0 = datetime(2024, 1, 1, 10, 0)


def episodes_chat(other: str, *, they_reach_out: bool, n_episodes: int = 8) -> Chat:
    """Bursts of daily chat separated by 5-day silences; who breaks each silence differs."""
    rows: list[tuple[datetime, str, str]] = []
    t = T0
    for episode in range(n_episodes):
        for day in range(4):  # a few ordinary days: the pair's norm is daily contact
            d = t + timedelta(days=day)
            rows += [
                (d, "Alex", "hey, how was work?"),
                (d + timedelta(minutes=15), other, "fine, long day"),
                (d + timedelta(minutes=20), "Alex", "same here"),
            ]
        t += timedelta(days=4 + 5)  # then five days of silence
        if they_reach_out:
            rows += [
                (t, other, "miss you! been a while, how have you been? so much to tell you ❤"),
                (t + timedelta(minutes=1), other, "thinking of you all week, love you"),
                (t + timedelta(minutes=30), "Alex", "aw hi! i'm good"),
            ]
        else:
            rows += [
                (t, "Alex", "hey, you around?"),
                (t + timedelta(hours=12), "Alex", "hello?"),
                (t + timedelta(hours=20), other, "ok"),
            ]
        t += timedelta(days=1)
        del episode
    return Chat(f"chat with {other}", ["Alex", other], rows)


@pytest.fixture(scope="module")
def result() -> dict:
    with Store(":memory:") as store:
        write_chats(
            store,
            [
                episodes_chat("Robin", they_reach_out=False),
                episodes_chat("Kim", they_reach_out=True),
            ],
            me="Alex",
        )
        fill_simple_features(store)
        return compute(store)


def index_of(result: dict, name: str) -> dict:
    rel = next(r for r in result["relationships"] if r["person"]["name"] == name)
    return rel["missing_index"]  # type: ignore[no-any-return]


def test_episodes_are_found(result: dict) -> None:
    for name in ("Robin", "Kim"):
        mi = index_of(result, name)
        assert mi["n_episodes"] == 8  # one five-day silence after each burst
        assert mi["enough_data"]


def test_partner_who_reaches_out_scores_higher(result: dict) -> None:
    chaser, reacher = index_of(result, "Robin"), index_of(result, "Kim")
    assert reacher["value"] > 0.6 > 0.4 > chaser["value"]
    assert reacher["interval"][0] > chaser["interval"][1]
    pb_chaser = chaser["components"]["partner_breaks"]
    pb_reacher = reacher["components"]["partner_breaks"]
    # shrunk toward 0.5 by Beta(2, 2): 0 of 8 -> 2/12, 8 of 8 -> 10/12
    assert pb_chaser["value"] == pytest.approx(2 / 12)
    assert pb_reacher["value"] == pytest.approx(10 / 12)
    assert reacher["components"]["explicit_missing"]["value"] == pytest.approx(1.0)
    assert chaser["components"]["explicit_missing"]["value"] == pytest.approx(0.0)
    assert (
        reacher["components"]["compensation"]["value"]
        > 1
        > chaser["components"]["compensation"]["value"]
    )
    assert reacher["evidence"] and all(e["who"] == "them" for e in reacher["evidence"])
    assert chaser["evidence"] == []


def test_the_chaser_shows_in_rhythm_metrics_too(result: dict) -> None:
    rel = next(r for r in result["relationships"] if r["person"]["name"] == "Robin")
    assert (
        rel["metrics"]["double_texting"]["me"]["value"]
        > rel["metrics"]["double_texting"]["them"]["value"]
    )


def test_below_four_episodes_is_not_enough() -> None:
    episodes = [
        {
            "session_no": i,
            "month": "2024-01",
            "breaker": "them",
            "last_who": "me",
            "them_missing": 1,
            "words_them": 20,
            "median_words_them": 10,
            "them_first_sentiment": 0.5,
            "them_first_affection": 1,
            "them_first_id": f"m{i}",
        }
        for i in range(3)
    ]
    mi = missing_index(episodes, seed=1)
    assert not mi["enough_data"]
    assert mi["components"]["partner_breaks"]["value"] == pytest.approx(5 / 7)
    lo, hi = mi["components"]["partner_breaks"]["interval"]
    assert 0 < lo < 5 / 7 < hi < 1


def test_no_silences_at_all() -> None:
    mi = missing_index([], seed=1)
    assert mi["value"] is None
    assert mi["n_episodes"] == 0
    assert not mi["enough_data"]
