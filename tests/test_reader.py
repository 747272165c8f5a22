"""fondly.metrics.reader: the one place a report reads the chats beside the metrics result."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from fondly.insights import build_insights
from fondly.metrics.reader import ChatReader, Pair
from fondly.store import Store
from tests.test_insights_fixtures import Chat, seeded


def _pair(store: Store) -> Pair:
    data, _ = seeded(store)
    found = Pair.of(data["relationships"][0], data["me"]["person_id"])
    assert found is not None
    return found


def test_a_relationship_without_chats_or_people_has_no_scope() -> None:
    assert Pair.of({"conversations": [], "person": {"person_id": 2}}, 1) is None
    assert Pair.of({"conversations": [2], "person": {}}, 1) is None
    assert Pair.of({"conversations": [2], "person": {"person_id": 2}}, None) is None
    assert Pair.of({"conversations": ["2"], "person": {"person_id": 2}}, 1) == Pair((2,), 1, 2)


def test_timeline_counts_every_message_of_the_pair(store: Store) -> None:
    pair = _pair(store)
    timeline = ChatReader(store).timeline(pair)
    assert timeline is not None
    total = store.query("SELECT count(*) FROM messages")[0][0]
    assert sum(mine + theirs for mine, theirs in timeline.days.values()) == total
    assert len(timeline.tail) == 60 and timeline.tail[-1]["who"] == "me"  # the hostile <img>
    assert timeline.last_exchange == timeline.last


def test_phrase_times_match_whole_tokens_as_the_metric_splits_them(store: Store) -> None:
    chat = Chat(5, "Robin", other=(5, "Robin"))
    start = datetime(2025, 3, 3, 7, 15)
    for week in range(4):
        when = start + timedelta(weeks=week)
        chat.add("me", when, "Morning BEAN ☀️ don't be late")
        chat.add("them", when + timedelta(minutes=3), "morning bean ☀")
        chat.add("them", when + timedelta(hours=12), "beans for dinner, morning beans")
    chat.write(store)
    pair = Pair((5,), 1, 5)
    times = ChatReader(store).phrase_times(pair, ["morning bean ☀", "don't", "bean", "beans"])
    assert sum(times["morning bean ☀"].hours.values()) == 8  # case and emoji variation folded
    assert times["morning bean ☀"].hours == {7: 8}
    assert len(times["morning bean ☀"].weeks) == 4
    assert sum(times["bean"].hours.values()) == 8  # never inside "beans"
    assert times["beans"].hours == {19: 4}
    assert sum(times["don't"].hours.values()) == 4


def test_insights_take_the_store_or_a_reader_on_it_alike(store: Store) -> None:
    data, _ = seeded(store)
    through_store = build_insights(data, store, charts=True)
    through_reader = build_insights(data, ChatReader(store), charts=True)
    assert json.dumps(through_store, default=str) == json.dumps(through_reader, default=str)
