"""Question share (A1), questions about the other (A2), we-talk (R5) and style matching (R4)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fondly.metrics import compute
from fondly.store import Store
from tests.synthetic import Chat, fill_simple_features, write_chats

T0 = datetime(2024, 3, 1, 9, 0)


def chat(other: str, days: int, mine: str, theirs: str) -> Chat:
    """One exchange a day: the user says ``mine``, the other answers ``theirs``."""
    rows: list[tuple[datetime, str, str]] = []
    for day in range(days):
        t = T0 + timedelta(days=day)
        rows.append((t, "Alex", mine))
        rows.append((t + timedelta(minutes=5), other, theirs))
    return Chat(f"chat with {other}", ["Alex", other], rows)


def run(*chats: Chat) -> dict[str, dict]:
    with Store(":memory:") as store:
        write_chats(store, chats, me="Alex")
        fill_simple_features(store)
        result = compute(store)
    return {r["person"]["name"]: r["metrics"] for r in result["relationships"]}


@pytest.fixture(scope="module")
def metrics() -> dict[str, dict]:
    return run(
        # Alex asks about Sam; Sam asks about the weather, and says "we" a lot.
        chat(
            "Sam",
            30,
            "how was your day at the new job?",
            "is it going to rain later? we should go to the lake, our favourite spot",
        ),
        # Identical style on both sides: twelve words each, the same function words.
        chat(
            "Kim",
            30,
            "i think the movie was really good and we should see it again",
            "i think the movie was really good and we should see it again",
        ),
    )


def test_question_share_counts_turns_that_ask(metrics: dict[str, dict]) -> None:
    share = metrics["Sam"]["question_share"]
    assert share["me"]["value"] == pytest.approx(1.0)
    assert share["them"]["value"] == pytest.approx(1.0)
    assert metrics["Kim"]["question_share"]["me"]["value"] == pytest.approx(0.0)


def test_partner_questions_tell_asking_about_them_from_asking_about_anything(
    metrics: dict[str, dict],
) -> None:
    about = metrics["Sam"]["partner_questions"]
    assert about["me"]["value"] == pytest.approx(1.0)
    assert about["them"]["value"] == pytest.approx(0.0)
    assert about["me"]["n"] == 30
    assert about["me"]["enough_data"]
    assert about["evidence"] and about["evidence"][0]["who"] == "me"


def test_we_talk_is_per_hundred_words(metrics: dict[str, dict]) -> None:
    we = metrics["Sam"]["we_talk"]
    assert we["me"]["value"] == pytest.approx(0.0)
    # "we" and "our" in 15 words
    assert we["them"]["value"] == pytest.approx(100 * 2 / 15)
    assert we["them"]["interval"] is None or we["them"]["interval"][0] <= we["them"]["value"]


def test_style_matching_is_one_for_identical_style_and_lower_otherwise(
    metrics: dict[str, dict],
) -> None:
    same = metrics["Kim"]["style_matching"]["pair"]["value"]
    different = metrics["Sam"]["style_matching"]["pair"]["value"]
    assert same == pytest.approx(1.0, abs=1e-3)
    assert 0 < different < same
    assert metrics["Kim"]["style_matching"]["me"] is None


def test_style_matching_needs_a_hundred_words_from_each() -> None:
    short = run(chat("Robin", 20, "i think so", "i think so too"))  # < 100 words a month
    assert short["Robin"]["style_matching"]["pair"] is None
