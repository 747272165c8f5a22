"""The Google importer: Google Chat Takeout (localized dates) and Hangouts.json (streamed)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly import ParseError
from fondly.importers import ImportOptions, Tree, detect
from fondly.importers.google import parse_chat_date
from fondly.ingest import import_paths
from fondly.store import Store
from tests.fixtures.google.exports import (
    LOCALES,
    ME,
    SAM,
    T_H,
    at,
    chat_date,
    chat_message,
    hangouts_conversation,
    hangouts_event,
    write_chat_group,
    write_chat_sample,
    write_hangouts_sample,
    write_user_info,
)
from tests.fixtures.meta.exports import golden_text, serialise, zip_tree

GOLDEN = Path(__file__).parent / "fixtures" / "google" / "golden.json"


def parse_tree(path: Path) -> list[dict[str, Any]]:
    tree = Tree(path)
    try:
        units = detect(tree, only="google")
        return serialise([c for u in units for c in u.importer.parse(tree, u, ImportOptions())])
    finally:
        tree.close()


def write_sample(root: Path, locale: str = "en") -> Path:
    write_chat_sample(root, locale)
    write_hangouts_sample(root)
    return root


def test_sample_matches_golden_file(tmp_path: Path) -> None:
    parsed = parse_tree(write_sample(tmp_path / "takeout"))
    if os.environ.get("FONDLY_UPDATE_GOLDEN"):
        GOLDEN.write_text(golden_text(parsed), "utf-8")
    assert parsed == json.loads(GOLDEN.read_text("utf-8"))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_reads_the_same(tmp_path: Path, locale: str) -> None:
    assert parse_tree(write_sample(tmp_path / locale, locale)) == parse_tree(
        write_sample(tmp_path / "en", "en")
    )


def test_zip_reads_like_the_folder(tmp_path: Path) -> None:
    root = write_sample(tmp_path / "takeout")
    assert parse_tree(zip_tree(root, tmp_path / "takeout-20240301.zip")) == parse_tree(root)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday, September 10, 2019 at 8:44:40 PM UTC", datetime(2019, 9, 10, 20, 44, 40)),
        ("Tuesday, September 10, 2019 at 8:44:40\u202fPM UTC", datetime(2019, 9, 10, 20, 44, 40)),
        ("Tuesday, September 10, 2019 at 12:05:00 AM UTC", datetime(2019, 9, 10, 0, 5)),
        ("Tuesday, September 10, 2019 at 12:05:00 PM UTC", datetime(2019, 9, 10, 12, 5)),
        ("Dienstag, 10. September 2019 um 20:44:40 UTC", datetime(2019, 9, 10, 20, 44, 40)),
        ("Montag, 4. März 2024 um 07:01:02 UTC", datetime(2024, 3, 4, 7, 1, 2)),
        ("mardi 10 septembre 2019 à 20:44:40 UTC", datetime(2019, 9, 10, 20, 44, 40)),
        ("jeudi 15 août 2019 à 09:00:00 UTC", datetime(2019, 8, 15, 9, 0)),
        ("martes, 10 de septiembre de 2019, 20:44:40 UTC", datetime(2019, 9, 10, 20, 44, 40)),
        ("martes, 10 de septiembre de 2019, 8:44:40 p. m. UTC", datetime(2019, 9, 10, 20, 44, 40)),
        ("2026年5月29日星期五 UTC 03:00:29", datetime(2026, 5, 29, 3, 0, 29)),
        ("2026年5月29日星期五 下午3:00:29 UTC", datetime(2026, 5, 29, 15, 0, 29)),
        ("2015. február 15., vasárnap 21:54:36 UTC", datetime(2015, 2, 15, 21, 54, 36)),
        ("terça-feira, 10 de setembro de 2019 20:44:40 UTC", datetime(2019, 9, 10, 20, 44, 40)),
        ("Tuesday, September 10, 2019 at 10:44:40 PM GMT+02:00", datetime(2019, 9, 10, 20, 44, 40)),
    ],
)
def test_localized_created_date(text: str, expected: datetime) -> None:
    assert parse_chat_date(text) == int(expected.replace(tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize(
    "text", ["", "yesterday", "10/09/2019 20:44", "Smarch 3, 2019 at 1:00:00 PM"]
)
def test_unreadable_dates_are_refused(text: str) -> None:
    assert parse_chat_date(text) is None


@settings(max_examples=150, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2037, 12, 31)),
    locale=st.sampled_from(LOCALES),
)
def test_date_round_trip(moment: datetime, locale: str) -> None:
    instant = moment.replace(microsecond=0, tzinfo=UTC)
    assert parse_chat_date(chat_date(instant, locale)) == int(instant.timestamp()) * 1000


def test_import_marks_me_and_keeps_emails(store: Store, tmp_path: Path) -> None:
    summary = import_paths(store, [write_sample(tmp_path / "takeout")], ImportOptions())
    assert summary.added == 7 + 3 + 5 + 2
    assert summary.me == "Alex Kim"
    rows = store.query(
        "SELECT h.handle, h.email FROM handles h JOIN people p USING (person_id) "
        "WHERE p.is_me ORDER BY h.platform"
    )
    assert rows == [("alex@example.com", "alex@example.com"), ("111", None)]
    groups = store.query("SELECT platform, conv_key, is_group FROM conversations ORDER BY 1, 2")
    assert groups == [
        ("google_chat", "DM 7bQz2AAAAE", False),
        ("google_chat", "Space AAAAq9Zt1x0", True),
        ("hangouts", "UgxAAA", False),
        ("hangouts", "UgxBBB", True),
    ]
    (reply,) = store.query("SELECT reply_to FROM messages WHERE text = 'so proud of you'")[0]
    (target,) = store.query("SELECT message_id FROM messages WHERE text LIKE 'Brilliant!%'")[0]
    assert reply == target
    assert store.query("SELECT reaction FROM reactions") == [("🎉",)]


def test_reimport_is_idempotent(store: Store, tmp_path: Path) -> None:
    root = write_sample(tmp_path / "takeout")
    import_paths(store, [root], ImportOptions())
    again = import_paths(store, [zip_tree(root, tmp_path / "takeout.zip")], ImportOptions())
    assert again.added == 0


def test_later_export_adds_only_new_messages(store: Store, tmp_path: Path) -> None:
    dm = "DM 7bQz2AAAAE"
    records = [
        chat_message(ME if i % 2 else SAM, at(1 + i // 10, 8 + i % 10), f"note {i}", f"x/{i}")
        for i in range(25)
    ]
    old, new = tmp_path / "old", tmp_path / "new"
    for root, upto in ((old, 15), (new, 25)):
        write_user_info(root)
        write_chat_group(root, dm, [ME, SAM], records[:upto])
    assert import_paths(store, [old], ImportOptions()).added == 15
    assert import_paths(store, [new], ImportOptions()).added == 10

    hangouts_old, hangouts_new = tmp_path / "h_old.json", tmp_path / "h_new.json"
    events = [
        hangouts_event("1" if i % 2 else "2", T_H + i * 10**6, f"e{i}", f"hi {i}")
        for i in range(12)
    ]
    people = {"1": "Alex Kim", "2": "Sam Rivera"}
    for path, upto in ((hangouts_old, 8), (hangouts_new, 12)):
        doc = {
            "conversations": [
                hangouts_conversation("Ugx1", people, "1", [dict(e) for e in events[:upto]])
            ]
        }
        path.write_text(json.dumps(doc), "utf-8")
    assert import_paths(store, [hangouts_old], ImportOptions()).added == 8
    assert import_paths(store, [hangouts_new], ImportOptions()).added == 4


def test_bad_date_is_located_without_quoting_the_message(tmp_path: Path) -> None:
    secret = "a very private sentence"
    record = chat_message(SAM, at(1, 9), secret, "x/1")
    record["created_date"] = "the day after " + secret
    write_chat_group(
        tmp_path, "DM abc", [ME, SAM], [chat_message(SAM, at(1, 8), "ok", "x/0"), record]
    )
    tree = Tree(tmp_path)
    (unit,) = detect(tree, only="google")
    with pytest.raises(ParseError) as err:
        list(unit.importer.parse(tree, unit, ImportOptions()))
    assert err.value.line == "messages[1]"
    assert secret not in str(err.value)


def test_malformed_hangouts_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "Hangouts.json"
    path.write_text('{"conversations": [{"conversation": {"conversation_id": {"id": "a"}', "utf-8")
    tree = Tree(path)
    (unit,) = detect(tree, only="google")
    with pytest.raises(ParseError) as err:
        for conv in unit.importer.parse(tree, unit, ImportOptions()):
            list(conv.messages)
    assert err.value.path == str(path)


def test_hangouts_consumer_may_skip_a_conversation(tmp_path: Path) -> None:
    """Events are streamed: an unread conversation is drained, the next still parses."""
    path = write_hangouts_sample(tmp_path)
    tree = Tree(path)
    (unit,) = detect(tree, only="google")
    keys = [c.key for c in unit.importer.parse(tree, unit, ImportOptions())]
    assert keys == ["UgxAAA", "UgxBBB"]


def test_hangouts_old_layout_and_events_before_header(tmp_path: Path) -> None:
    people = {"1": "Alex Kim", "2": "Sam Rivera"}
    new = hangouts_conversation("Ugx1", people, "1", [hangouts_event("2", T_H, "e1", "hello")])
    old_doc = {
        "conversation_state": [
            {
                "conversation_id": {"id": "Ugx1"},
                "conversation_state": {
                    "conversation_id": {"id": "Ugx1"},
                    "conversation": new["conversation"]["conversation"],
                    "event": new["events"],
                },
            }
        ]
    }
    reordered = {"conversations": [{"events": new["events"], "conversation": new["conversation"]}]}
    results = []
    for name, doc in (
        ("old.json", old_doc),
        ("reordered.json", reordered),
        ("new.json", {"conversations": [new]}),
    ):
        (tmp_path / name).write_text(json.dumps(doc), "utf-8")
        results.append(parse_tree(tmp_path / name))
    assert results[0] == results[1] == results[2]
    assert [m["text"] for m in results[0][0]["messages"]] == ["hello"]


def test_unrelated_json_is_not_claimed(tmp_path: Path) -> None:
    (tmp_path / "Takeout" / "Keep").mkdir(parents=True)
    (tmp_path / "Takeout" / "Keep" / "note.json").write_text('{"title": "x"}', "utf-8")
    write_chat_sample(tmp_path)
    labels = [u.label for u in detect(Tree(tmp_path), only="google")]
    assert labels == [
        "Takeout/Google Chat/Groups/DM 7bQz2AAAAE",
        "Takeout/Google Chat/Groups/Space AAAAq9Zt1x0",
    ]


# -- round trips ----------------------------------------------------------------

_texts = st.text(min_size=0, max_size=40)
_people = st.sampled_from(
    [ME, SAM, {"name": "Ünal Öz", "email": "unal@example.net", "user_type": "Human"}]
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(_people, st.integers(0, 10**9), _texts), min_size=1, max_size=20),
    locale=st.sampled_from(LOCALES),
)
def test_chat_round_trip(
    tmp_path: Path, rows: list[tuple[dict[str, str], int, str]], locale: str
) -> None:
    base = datetime(2020, 1, 1, tzinfo=UTC).timestamp()
    rows = sorted(rows, key=lambda r: r[1])
    root = tmp_path / f"rt-{abs(hash((repr(rows), locale)))}"
    records = [
        chat_message(p, datetime.fromtimestamp(base + s, UTC), t, f"g/{i}", locale)
        for i, (p, s, t) in enumerate(rows)
    ]
    write_chat_group(root, "DM g", [ME, SAM], records)
    (conv,) = parse_tree(root)
    got = [(m["sender"], m["ts_ms"], m["text"], m["source_id"]) for m in conv["messages"]]
    want = [(p["email"], int(base + s) * 1000, t, f"g/{i}") for i, (p, s, t) in enumerate(rows)]
    assert got == want


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(["1", "2"]), _texts.filter(str.strip)), min_size=1, max_size=20
    )
)
def test_hangouts_round_trip(tmp_path: Path, rows: list[tuple[str, str]]) -> None:
    events = [hangouts_event(s, T_H + i * 1000, f"e{i}", t) for i, (s, t) in enumerate(rows)]
    doc = {"conversations": [hangouts_conversation("Ugx", {"1": "A", "2": "B"}, "1", events)]}
    path = tmp_path / f"h-{abs(hash(repr(rows)))}.json"
    path.write_text(json.dumps(doc), "utf-8")
    (conv,) = parse_tree(path)
    got = [(m["sender"], m["ts_ms"], m["text"]) for m in conv["messages"]]
    assert got == [(s, T_H // 1000 + i, t) for i, (s, t) in enumerate(rows)]
