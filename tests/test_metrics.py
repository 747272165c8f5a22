"""Relationship metrics: registry, units with known answers, the contract shape."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from fondly import UsageError
from fondly.metrics import PRACTICES, compute, metrics
from fondly.metrics.registry import units
from fondly.store import Store
from tests.synthetic import Chat, demo_corpus, fill_simple_features, write_chats

T0 = datetime(2024, 3, 4, 9, 0)  # a Monday


def metric(result: dict[str, Any], name: str, metric_id: str) -> dict[str, Any]:
    for rel in result["relationships"]:
        if rel["person"]["name"] == name:
            return rel["metrics"][metric_id]  # type: ignore[no-any-return]
    raise KeyError(name)


def relationship(result: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in result["relationships"] if r["person"]["name"] == name)


def chatter(
    days: int, *, other: str = "Robin", start: datetime = T0
) -> list[tuple[datetime, str, str]]:
    """A daily daytime exchange: enough messages that both people clear the minimums."""
    rows = []
    for d in range(days):
        t = start + timedelta(days=d)
        rows += [
            (t, "Alex", "morning! how are you?"),
            (t + timedelta(minutes=20), other, "good thanks, you?"),
            (t + timedelta(minutes=25), "Alex", "great, busy day"),
        ]
    return rows


# -- registry -------------------------------------------------------------------------------------


def test_every_practice_has_metrics() -> None:
    covered = {m.practice for m in metrics()}
    assert covered == set(PRACTICES)


def test_registry_headers_are_complete() -> None:
    ids = [m.id for m in metrics()]
    assert len(ids) == len(set(ids))
    for m in metrics():
        assert m.name and m.unit and m.citation and m.description, m.id
        assert m.min_n >= 1
        assert m.direction in {"higher", "lower", "balanced", "descriptive"}, m.id


@pytest.mark.parametrize("sql", [m.sql for m in metrics()] + [u.sql for u in units()])
def test_sql_stays_in_the_shared_subset(sql: str) -> None:
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    for forbidden in (
        r"\bQUALIFY\b",
        r"GROUP BY ALL",
        r"\bdate_diff\b",
        r"\bdatediff\b",
        r"\blist_",
        r"\bstruct_",
        r"\bunnest\b",
        r"::",
        r"\bepoch_ms\b",
        r"\bdayofweek\b",
        r"\barg_(min|max)\b",
    ):
        assert not re.search(forbidden, body, re.IGNORECASE), forbidden


# -- units with known answers ---------------------------------------------------------------------


def test_summed_metrics_name_their_ctes_apart() -> None:
    """Share, ratio and count metrics run as one UNION query; Spark lifts every CTE to the
    top, so two metrics defining the same CTE name would collide there."""
    owner: dict[str, str] = {}
    for m in metrics():
        if m.kind in ("median", "python"):
            continue
        for name in re.findall(r"(?:\bWITH|,)\s+(\w+)\s+AS\s*\(", m.sql, re.IGNORECASE):
            assert owner.setdefault(name.lower(), m.id) == m.id, f"{m.id} and {owner[name]}"


def test_bubbles_under_ten_minutes_form_one_turn(store: Store) -> None:
    rows = chatter(8)
    # three quick bubbles from Robin, then one 12 minutes later: two turns, a double text.
    t = T0 + timedelta(days=20)
    rows += [
        (t, "Robin", "so"),
        (t + timedelta(minutes=4), "Robin", "guess what"),
        (t + timedelta(minutes=9), "Robin", "i got the job"),
        (t + timedelta(minutes=21), "Robin", "hello?"),
    ]
    write_chats(store, [Chat("c", ["Alex", "Robin"], rows)], me="Alex")
    fill_simple_features(store)
    result = compute(store)
    dt = metric(result, "Robin", "double_texting")
    # Robin's turns: 8 replies + 2 at the end; exactly one followed by Robin again.
    assert dt["them"]["n"] == 9  # the very last turn has no next turn
    assert dt["them"]["value"] == pytest.approx(1 / 9)


def test_reply_latency_subtracts_the_sleep_window(store: Store) -> None:
    rows = chatter(14)
    # Alex writes at 23:00; Robin, who never writes between 01:00 and 07:00, replies at 08:00.
    for d in range(16, 22):
        night = T0.replace(hour=23) + timedelta(days=d)
        rows += [(night, "Alex", "good night"), (night + timedelta(hours=9), "Robin", "morning")]
    write_chats(store, [Chat("c", ["Alex", "Robin"], rows)], me="Alex")
    result = compute(store)
    latency = metric(result, "Robin", "reply_latency")
    values = latency["series"]
    assert latency["them"]["n"] == 20
    assert latency["them"]["enough_data"]
    # 14 daytime replies of 20 min and 6 overnight ones of 9 h - 6 h sleep = 180 min.
    assert latency["them"]["value"] == pytest.approx(20.0)
    assert max(v["them"] for v in values if v["them"] is not None) <= 180.0
    lo, hi = latency["them"]["interval"]
    assert lo <= 20.0 <= hi


def test_a_reply_after_more_than_a_day_is_not_timely(store: Store) -> None:
    rows = chatter(10)
    late = T0 + timedelta(days=15)
    for k in range(5):
        t = late + timedelta(days=3 * k)
        rows += [(t, "Alex", "you there?"), (t + timedelta(hours=40), "Robin", "sorry, yes")]
    write_chats(store, [Chat("c", ["Alex", "Robin"], rows)], me="Alex")
    result = compute(store)
    timely = metric(result, "Robin", "timely_replies")["them"]
    # Alex's last daytime turn went unanswered for days too; replies after 40 h
    # (28 h once two nights of sleep are taken out) are not timely.
    assert timely["n"] == 16
    assert timely["value"] == pytest.approx(10 / 16)
    assert timely["interval"][0] < timely["value"] < timely["interval"][1]


def test_initiation_counts_new_conversations_after_the_gap(store: Store) -> None:
    rows = chatter(10)  # Alex opens 10 sessions
    for d in range(10, 14):
        t = T0 + timedelta(days=d, hours=5)
        rows += [(t, "Robin", "hey you"), (t + timedelta(minutes=3), "Alex", "hi!")]
    write_chats(store, [Chat("c", ["Alex", "Robin"], rows)], me="Alex")
    result = compute(store)
    share = metric(result, "Robin", "initiation_share")
    assert share["me"]["value"] == pytest.approx(10 / 14)
    assert share["me"]["value"] + share["them"]["value"] == pytest.approx(1.0)
    # with a 30-day gap everything is one long conversation
    assert (
        compute(store, gap_minutes=30 * 24 * 60)["relationships"][0]["metrics"]["initiation_share"][
            "me"
        ]["n"]
        == 1
    )


def test_group_chats_are_left_out_and_platforms_merge(store: Store) -> None:
    rows = chatter(10)
    group = Chat("group", ["Alex", "Robin", "Kim"], [(T0, "Kim", "hi all"), (T0, "Robin", "yo")])
    write_chats(store, [Chat("wa", ["Alex", "Robin"], rows[:15]), group], me="Alex")
    # the same person on a second platform, already merged into one person
    write_chats(store, [Chat("tg", ["Alex", "Robin"], rows[15:], platform="telegram")], me="Alex")
    result = compute(store)
    names = [r["person"]["name"] for r in result["relationships"]]
    assert names == ["Robin"]
    rel = result["relationships"][0]
    assert rel["n_messages"] == len(rows)
    assert rel["person"]["platforms"] == ["generic", "telegram"]
    assert len(rel["conversations"]) == 2


def test_metrics_tolerate_missing_features(store: Store) -> None:
    write_chats(store, [Chat("c", ["Alex", "Robin"], chatter(25))], me="Alex")
    result = compute(store)  # message_features has only message_id
    rel = result["relationships"][0]["metrics"]
    assert rel["positive_share"]["me"] is None
    assert rel["followup_questions"]["them"] is None
    assert rel["timely_replies"]["them"]["enough_data"]
    assert rel["messages"]["pair"]["value"] == 75


def test_too_little_data_is_flagged(store: Store) -> None:
    write_chats(store, [Chat("c", ["Alex", "Robin"], chatter(3))], me="Alex")
    fill_simple_features(store)
    rel = compute(store)["relationships"][0]
    assert not rel["metrics"]["timely_replies"]["them"]["enough_data"]
    assert not rel["missing_index"]["enough_data"]


def test_person_filter_and_unknown_person(store: Store) -> None:
    write_chats(
        store,
        [
            Chat("a", ["Alex", "Robin"], chatter(5)),
            Chat("b", ["Alex", "Kim"], chatter(5, other="Kim")),
        ],
        me="Alex",
    )
    assert [r["person"]["name"] for r in compute(store, "kim")["relationships"]] == ["Kim"]
    with pytest.raises(UsageError):
        compute(store, "Nobody")


def test_no_user_known_gives_an_empty_result(store: Store) -> None:
    assert compute(store)["relationships"] == []


def test_rituals_and_inside_jokes(store: Store) -> None:
    rows = chatter(40)
    for week in range(6):  # a Sunday-evening call, every week
        t = T0 + timedelta(days=6 + 7 * week, hours=11)
        rows += [(t, "Robin", "sunday call?"), (t + timedelta(minutes=2), "Alex", "yes!")]
    for d in range(0, 40, 5):  # both keep saying their own phrase
        t = T0 + timedelta(days=d, hours=4)
        rows += [
            (t, "Alex", "classic wombat move"),
            (t + timedelta(minutes=1), "Robin", "wombat move indeed"),
        ]
    others = [(T0 + timedelta(days=d, hours=3), "Alex", "morning! how are you?") for d in range(30)]
    write_chats(
        store,
        [
            Chat("c", ["Alex", "Robin"], rows),
            Chat("k", ["Alex", "Kim"], others + chatter(30, other="Kim")),
        ],
        me="Alex",
    )
    fill_simple_features(store)
    result = compute(store)
    rituals = metric(result, "Robin", "rituals")
    assert rituals["pair"]["value"] >= 1
    jokes = metric(result, "Robin", "inside_jokes")
    phrases = [i["phrase"] for i in jokes["items"]]
    assert "wombat move" in phrases
    assert not any("morning" in p for p in phrases)  # Alex says it to Kim too
    assert jokes["evidence"]


# -- the contract ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_result() -> dict[str, Any]:
    with Store(":memory:") as s:
        demo_corpus(s, n_people=4, n_messages=2500)
        return compute(s)


def test_result_follows_the_contract(demo_result: dict[str, Any]) -> None:
    assert demo_result["schema"] == "fondly.metrics/1"
    assert set(demo_result["me"]) == {"person_id", "name"}
    rel = demo_result["relationships"][0]
    assert {
        "person",
        "conversations",
        "n_messages",
        "first",
        "last",
        "metrics",
        "missing_index",
    } <= set(rel)
    assert set(rel["person"]) == {"person_id", "name", "platforms"}
    for mid, m in rel["metrics"].items():
        assert {
            "id",
            "name",
            "practice",
            "unit",
            "direction",
            "citation",
            "min_n",
            "description",
            "me",
            "them",
            "pair",
            "series",
            "evidence",
        } <= set(m), mid
        for who in ("me", "them", "pair"):
            block = m[who]
            if block is not None:
                assert set(block) >= {"value", "n", "interval", "enough_data"}
        for point in m["series"]:
            assert re.fullmatch(r"\d{4}-\d{2}", point["month"])
            assert {"me", "them", "pair", "n_me", "n_them", "n_pair"} <= set(point)
        for ev in m["evidence"]:
            assert ev["who"] in {"me", "them"}
    mi = rel["missing_index"]
    assert {
        "value",
        "interval",
        "enough_data",
        "n_episodes",
        "components",
        "series",
        "evidence",
    } <= set(mi)
    assert set(mi["components"]) == {
        "partner_breaks",
        "explicit_missing",
        "compensation",
        "reentry_warmth",
    }


def test_result_is_json_ready(demo_result: dict[str, Any]) -> None:
    import json

    json.dumps(demo_result, allow_nan=False)


def test_compute_is_deterministic() -> None:
    with Store(":memory:") as s:
        demo_corpus(s, n_people=3, n_messages=1200)
        assert compute(s) == compute(s)


def test_read_only_store_works(tmp_path: Any) -> None:
    path = tmp_path / "ro.duckdb"
    with Store(path) as s:
        demo_corpus(s, n_people=2, n_messages=400)
        expected = compute(s)
    with Store(path, read_only=True) as s:
        assert compute(s) == expected


def test_works_with_the_real_features_layer(store: Store) -> None:
    from fondly.features import update_store

    write_chats(store, [Chat("c", ["Alex", "Robin"], chatter(15))], me="Alex")
    update_store(store)
    rel = compute(store)["relationships"][0]["metrics"]
    assert rel["positive_share"]["me"] is not None
    assert rel["followup_questions"]["me"]["n"] >= 1


def test_every_metric_is_documented() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "metrics.md").read_text("utf-8")
    for m in metrics():
        assert f"`{m.id}`" in doc, m.id


def test_evidence_names_the_person_who_wrote_it() -> None:
    """A me/them cell cites a message that person wrote: compute() relies on it, not a lookup."""
    with Store(":memory:") as store:
        demo_corpus(store, n_people=4, n_messages=12_000, seed=3)
        result = compute(store)
        authors = dict(
            store.query(
                "SELECT m.message_id, CASE WHEN p.is_me THEN 'me' ELSE 'them' END "
                "FROM messages m JOIN handles h ON h.handle_id = m.handle_id "
                "JOIN people p ON p.person_id = h.person_id"
            )
        )
    checked = 0
    for rel in result["relationships"]:
        for m in rel["metrics"].values():
            for ref in m["evidence"]:
                assert authors[ref["message_id"]] == ref["who"], (m["id"], ref)
                checked += 1
    assert checked > 100
