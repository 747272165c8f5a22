"""Conversations as people mean them: a slow reply is not a new conversation (docs/metrics.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fondly.metrics import compute
from fondly.store import Store
from tests.synthetic import Chat, fill_simple_features, write_chats

T0 = datetime(2024, 3, 1, 9, 0)


def _metrics(rows: list[tuple[datetime, str, str]]) -> dict:
    with Store(":memory:") as store:
        write_chats(store, [Chat("c", ["Alex", "Robin"], rows)], me="Alex")
        fill_simple_features(store)
        rel = compute(store)["relationships"][0]
    return rel["metrics"]  # type: ignore[no-any-return]


def _chaser_days(n_days: int) -> list[tuple[datetime, str, str]]:
    """Every day Alex asks three times, hours apart, and Robin answers "ok" hours later."""
    rows = []
    for day in range(n_days):
        t = T0 + timedelta(days=day)
        rows += [
            (t, "Alex", "you around?"),
            (t + timedelta(hours=3), "Alex", "??"),
            (t + timedelta(hours=6), "Alex", "??"),
            (t + timedelta(hours=12), "Robin", "ok"),
        ]
    return rows


def test_slow_reply_to_an_unanswered_call_is_not_a_new_conversation() -> None:
    metrics = _metrics(_chaser_days(10))
    initiation = metrics["initiation_share"]
    assert initiation["me"]["value"] == 1.0
    assert initiation["them"]["value"] == 0.0
    assert initiation["me"]["n"] == 10  # one conversation a day, not four
    # the two "??" of each day are double texts; Robin's "ok" ends the day's conversation
    double = metrics["double_texting"]["me"]
    assert double["value"] > 0.6


def test_finished_exchange_then_a_new_message_starts_a_new_conversation() -> None:
    rows = []
    for day in range(10):
        t = T0 + timedelta(days=day)
        opener, other = ("Alex", "Robin") if day % 2 == 0 else ("Robin", "Alex")
        rows += [
            (t, opener, "morning! how are you"),
            (t + timedelta(minutes=5), other, "good, you?"),
            (t + timedelta(minutes=9), opener, "great"),
            # an evening message after the finished morning exchange: a new conversation,
            # and not a double text although the same person wrote last
            (t + timedelta(hours=9), opener, "how was the day?"),
            (t + timedelta(hours=9, minutes=3), other, "long but good"),
        ]
    metrics = _metrics(rows)
    assert metrics["initiation_share"]["me"]["n"] == 20
    assert metrics["initiation_share"]["me"]["value"] == 0.5
    assert (metrics["double_texting"]["me"]["value"] or 0.0) == 0.0


def test_overnight_answer_to_a_late_question_is_a_reply() -> None:
    rows = []
    for day in range(8):
        t = T0 + timedelta(days=day, hours=14)  # 23:00
        rows += [
            (t, "Alex", "still up? what did the doctor say"),
            (t + timedelta(hours=9), "Robin", "all fine, sorry I was asleep"),
            (t + timedelta(hours=9, minutes=2), "Alex", "phew, good"),
        ]
    metrics = _metrics(rows)
    assert metrics["initiation_share"]["me"]["value"] == 1.0
    assert metrics["initiation_share"]["me"]["n"] == 8


def test_alternating_slow_calls_pair_into_conversations() -> None:
    """Writers alternate across one-sided stretches: each answer closes the call before it.

    The pair usually answers in minutes (twenty quick exchanges first), so its own gap
    stays 2 h and the slow calls are each a conversation, answered.
    """
    rows = []
    for day in range(20):
        t = T0 - timedelta(days=30 - day)
        rows += [(t, "Alex", "hey"), (t + timedelta(minutes=3), "Robin", "hi")]
    t = T0
    for i in range(12):
        rows.append((t, "Alex" if i % 2 == 0 else "Robin", f"note {i}"))
        t += timedelta(hours=5)
    metrics = _metrics(rows)
    assert metrics["initiation_share"]["me"]["value"] == 1.0
    assert metrics["initiation_share"]["me"]["n"] == 20 + 6


def test_a_pair_that_always_answers_slowly_holds_one_conversation() -> None:
    """The same alternation from a pair whose every answer takes 5 h: one slow conversation."""
    rows = []
    t = T0
    for i in range(12):
        rows.append((t, "Alex" if i % 2 == 0 else "Robin", f"note {i}"))
        t += timedelta(hours=5)
    metrics = _metrics(rows)
    assert metrics["initiation_share"]["me"]["value"] == 1.0
    assert metrics["initiation_share"]["me"]["n"] == 1
