"""The Messenger / Instagram importer: mojibake, split threads, duplicates, pseudo-messages."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fondly import ParseError
from fondly.importers import ImportOptions, Tree, detect
from fondly.importers.meta import fix_mojibake, pseudo_reaction, strip_edited
from fondly.ingest import import_paths
from fondly.store import Store
from tests.fixtures.meta.exports import (
    INSTAGRAM_INBOX,
    MESSENGER_INBOX,
    T0,
    golden_text,
    mojibake,
    msg,
    serialise,
    write_sample,
    write_thread,
    zip_tree,
)

GOLDEN = Path(__file__).parent / "fixtures" / "meta" / "golden.json"


def parse_tree(path: Path) -> list[dict[str, Any]]:
    tree = Tree(path)
    try:
        convs = [
            c for u in detect(tree, only="meta") for c in u.importer.parse(tree, u, ImportOptions())
        ]
        return serialise(convs)
    finally:
        tree.close()


def test_sample_matches_golden_file(tmp_path: Path) -> None:
    parsed = parse_tree(write_sample(tmp_path / "export"))
    if os.environ.get("FONDLY_UPDATE_GOLDEN"):
        GOLDEN.write_text(golden_text(parsed), "utf-8")
    assert parsed == json.loads(GOLDEN.read_text("utf-8"))


def test_zip_reads_like_the_folder(tmp_path: Path) -> None:
    root = write_sample(tmp_path / "export")
    archive = zip_tree(root, tmp_path / "facebook-alexkim-2024.zip")
    assert parse_tree(archive) == parse_tree(root)


def test_split_thread_is_one_unit_in_file_order(tmp_path: Path) -> None:
    root = write_sample(tmp_path / "export")
    tree = Tree(root)
    units = {u.label: u.entries for u in detect(tree, only="meta")}
    split = units[f"{MESSENGER_INBOX}/joaosilva_10001"]
    assert [Path(e).name for e in split] == ["message_1.json", "message_2.json", "message_3.json"]


def test_messages_come_out_oldest_first(tmp_path: Path) -> None:
    for conv in parse_tree(write_sample(tmp_path / "export")):
        stamps = [m["ts_ms"] for m in conv["messages"]]
        assert stamps == sorted(stamps)


def test_platform_comes_from_where_the_thread_is(tmp_path: Path) -> None:
    platforms = {c["key"]: c["platform"] for c in parse_tree(write_sample(tmp_path / "e"))}
    assert platforms == {
        "inbox/joaosilva_10001": "messenger",
        "inbox/climbingcrew_20002": "messenger",
        "inbox/miratan_30003": "instagram",
    }


def test_instagram_zip_named_instagram_without_the_activity_folder(tmp_path: Path) -> None:
    root = tmp_path / "export"
    write_thread(root, "messages/inbox", "sam_1", ["Sam", "Alex"], [msg("Sam", 0, "hi")])
    archive = zip_tree(root, tmp_path / "instagram-alex-2025-01-01.zip")
    assert parse_tree(archive)[0]["platform"] == "instagram"


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("plain ascii", "plain ascii"),
        (mojibake("João"), "João"),
        (mojibake("😂❤️"), "😂❤️"),
        (mojibake("Zoë Müller"), "Zoë Müller"),
        ("already correct: 😂", "already correct: 😂"),  # above U+00FF: not mojibake
        ("café", "café"),  # a lone latin-1 é is not UTF-8 bytes: kept
    ],
)
def test_fix_mojibake(raw: str, fixed: str) -> None:
    assert fix_mojibake(raw) == fixed


@pytest.mark.parametrize(
    ("content", "sender", "reaction"),
    [
        ("Liked a message", "Mira", "❤️"),
        ("liked a message", "Mira", "❤️"),
        ("Reacted 😂 to your message", "Mira", "😂"),
        ("Mira Tan reacted ❤️ to your message", "Mira Tan", "❤️"),
        ("Mira reacted 👍 to your message", "Mira Tan", "👍"),
        ("Gostou de uma mensagem", "Mira", "❤️"),
        ("Reagiu com 😮 à sua mensagem", "Mira", "😮"),
        ("Reagiu 😢 à sua mensagem", "Mira", "😢"),
        ("Le gustó un mensaje", "Mira", "❤️"),
        ("Ha reaccionado con 😡 a tu mensaje", "Mira", "😡"),
        ("Hat eine Nachricht geliked", "Mira", "❤️"),
        ("Hat mit 👍 auf deine Nachricht reagiert", "Mira", "👍"),
        ("hat mit 😂 reagiert", "Mira", "😂"),
        ("A aimé un message", "Mira", "❤️"),
        ("A réagi avec 😍 à votre message", "Mira", "😍"),
        ("Ha reagito con 😂 al tuo messaggio", "Mira", "😂"),
    ],
)
def test_pseudo_messages_in_several_languages(content: str, sender: str, reaction: str) -> None:
    assert pseudo_reaction(content, sender) == reaction


@pytest.mark.parametrize(
    "content",
    [
        "my sister liked a message of mine",
        "my sister liked a message",  # an actor that is not the sender
        "Reacted badly to your message",  # words, not an emoji
        "I liked it",
        "",
    ],
)
def test_ordinary_text_is_not_a_pseudo_message(content: str) -> None:
    assert pseudo_reaction(content, "Mira Tan") is None


def test_edited_suffix() -> None:
    assert strip_edited("dinner at 8? (edited)") == ("dinner at 8?", True)
    assert strip_edited("jantar às 8 (editado)") == ("jantar às 8", True)
    assert strip_edited("(edited) is a word here") == ("(edited) is a word here", False)


def test_pseudo_reaction_prefers_the_message_that_lists_it(tmp_path: Path) -> None:
    root = tmp_path / "e"
    write_thread(
        root,
        INSTAGRAM_INBOX,
        "mira_1",
        ["Mira", "Alex"],
        [
            msg("Alex", 0, "first", reactions=[{"reaction": "😂", "actor": "Mira"}]),
            msg("Alex", 1, "second"),
            msg("Mira", 2, "Reacted 😂 to your message"),
        ],
    )
    messages = parse_tree(root)[0]["messages"]
    assert [m["text"] for m in messages] == ["first", "second"]
    assert messages[0]["reactions"] == [["Mira", "😂"]]
    assert messages[1]["reactions"] == []


def test_pseudo_reaction_with_nothing_before_is_dropped(tmp_path: Path) -> None:
    root = tmp_path / "e"
    write_thread(
        root,
        INSTAGRAM_INBOX,
        "mira_1",
        ["Mira", "Alex"],
        [
            msg("Mira", 0, "Liked a message"),
            msg("Mira", 1, "hello"),
        ],
    )
    messages = parse_tree(root)[0]["messages"]
    assert [(m["text"], m["reactions"]) for m in messages] == [("hello", [])]


def test_messenger_keeps_identical_records(tmp_path: Path) -> None:
    """Only Instagram doubles its records; two identical Messenger bubbles are two."""
    root = tmp_path / "e"
    write_thread(
        root, MESSENGER_INBOX, "sam_1", ["Sam", "Alex"], [msg("Sam", 0, "ha"), msg("Sam", 0, "ha")]
    )
    assert len(parse_tree(root)[0]["messages"]) == 2


def test_import_from_folder_and_zip(store: Store, tmp_path: Path) -> None:
    root = write_sample(tmp_path / "export")
    summary = import_paths(store, [root], ImportOptions())
    assert summary.added == 4 + 9 + 7
    rows = store.query("SELECT platform, is_group FROM conversations ORDER BY conv_key")
    assert rows == [("messenger", True), ("messenger", False), ("instagram", False)]
    assert store.query("SELECT count(*) FROM reactions")[0][0] == 10
    names = {r[0] for r in store.query("SELECT name FROM people")}
    assert {"João Silva", "Zoë Müller", "Björn Åberg"} <= names

    other = Store(tmp_path / "other.duckdb")
    try:
        archive = zip_tree(root, tmp_path / "export.zip")
        again = import_paths(other, [archive], ImportOptions())
        assert again.added == summary.added
        ids = "SELECT message_id FROM messages ORDER BY 1"
        assert other.query(ids) == store.query(ids)
    finally:
        other.close()


def test_me_is_left_to_inference(store: Store, tmp_path: Path) -> None:
    """Meta never says who exported; ingest takes the one person in every Messenger chat."""
    root = write_sample(tmp_path / "export")
    summary = import_paths(store, [root / "messages"], ImportOptions())
    assert summary.me == "Alex Kim"


def test_reimport_is_idempotent(store: Store, tmp_path: Path) -> None:
    root = write_sample(tmp_path / "export")
    import_paths(store, [root], ImportOptions())
    again = import_paths(store, [root], ImportOptions())
    assert again.added == 0
    assert all(r.already_imported for r in again.results)


def test_later_export_adds_only_new_messages(store: Store, tmp_path: Path) -> None:
    records = [msg("Sam" if i % 2 else "Alex", i, f"message number {i}") for i in range(30)]
    old, new = tmp_path / "old", tmp_path / "new"
    write_thread(old, MESSENGER_INBOX, "sam_1", ["Sam", "Alex"], records[:20], per_file=7)
    write_thread(new, MESSENGER_INBOX, "sam_1", ["Sam", "Alex"], records, per_file=7)
    assert import_paths(store, [old], ImportOptions()).added == 20
    assert import_paths(store, [new], ImportOptions()).added == 10
    assert store.query("SELECT count(*) FROM conversations")[0][0] == 1


def test_bad_json_names_the_file(tmp_path: Path) -> None:
    thread = tmp_path / MESSENGER_INBOX / "sam_1"
    thread.mkdir(parents=True)
    (thread / "message_1.json").write_text(
        '{"participants": [{"name": "Sam"}], "messages": [', "utf-8"
    )
    tree = Tree(tmp_path)
    (unit,) = detect(tree, only="meta")
    with pytest.raises(ParseError) as err:
        list(unit.importer.parse(tree, unit, ImportOptions()))
    assert err.value.path.endswith("message_1.json")


def test_bad_record_is_located_without_quoting_it(tmp_path: Path) -> None:
    secret = "a very private sentence"
    write_thread(
        tmp_path,
        MESSENGER_INBOX,
        "sam_1",
        ["Sam", "Alex"],
        [
            msg("Sam", 0, "fine"),
            {"sender_name": "Alex", "content": secret},
        ],
    )
    tree = Tree(tmp_path)
    (unit,) = detect(tree, only="meta")
    with pytest.raises(ParseError) as err:
        list(unit.importer.parse(tree, unit, ImportOptions()))
    assert err.value.line == "messages[0]"  # newest first: the broken record leads the file
    assert secret not in str(err.value)


def test_unrelated_json_is_not_claimed(tmp_path: Path) -> None:
    (tmp_path / "liked_posts.json").write_text(json.dumps({"likes_media_likes": []}), "utf-8")
    write_thread(tmp_path, MESSENGER_INBOX, "sam_1", ["Sam", "Alex"], [msg("Sam", 0, "hi")])
    tree = Tree(tmp_path)
    assert [u.entries for u in detect(tree, only="meta")] == [
        [f"{MESSENGER_INBOX}/sam_1/message_1.json"]
    ]


# -- round trip -----------------------------------------------------------------

_people = st.sampled_from(["Alex Kim", "João Silva", "Zoë", "Мира", "李雷"])
_texts = st.text(min_size=1, max_size=40)


@st.composite
def _threads(draw: st.DrawFn) -> list[tuple[str, int, str]]:
    n = draw(st.integers(1, 25))
    gaps = draw(st.lists(st.integers(1, 10_000_000), min_size=n, max_size=n))
    rows = []
    at = T0
    for gap in gaps:
        at += gap
        sender = draw(_people)
        text = draw(_texts)
        assume(pseudo_reaction(text, sender) is None and not strip_edited(text)[1])
        rows.append((sender, at, text))
    return rows


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_threads(), per_file=st.integers(1, 8), instagram=st.booleans())
def test_round_trip(
    tmp_path: Path, rows: list[tuple[str, int, str]], per_file: int, instagram: bool
) -> None:
    root = tmp_path / f"rt-{abs(hash((tuple(rows), per_file, instagram)))}"
    records = [{"sender_name": s, "timestamp_ms": t, "content": c} for s, t, c in rows]
    if instagram:
        records = [r for record in records for r in (record, dict(record))]
    inbox = INSTAGRAM_INBOX if instagram else MESSENGER_INBOX
    write_thread(root, inbox, "t_1", ["Alex Kim", "João Silva"], records, per_file=per_file)
    (conv,) = parse_tree(root)
    assert [(m["sender"], m["ts_ms"], m["text"]) for m in conv["messages"]] == rows


# -- the account owner's profile record -----------------------------------------


def _facebook_profile(root: Path, full_name: str) -> None:
    folder = root / "profile_information"
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"profile_v2": {"name": {"full_name": full_name, "first_name": "x"}, "emails": {}}}
    (folder / "profile_information.json").write_text(
        json.dumps(mojibake(doc), ensure_ascii=True), encoding="ascii"
    )


def _instagram_profile(root: Path, name: str, username: str) -> None:
    folder = root / "personal_information" / "personal_information"
    folder.mkdir(parents=True, exist_ok=True)
    fields = {
        "Name": {"href": "", "value": name, "timestamp": 0},
        "Username": {"href": "", "value": username, "timestamp": 0},
    }
    doc = {"profile_user": [{"title": "", "media_map_data": {}, "string_map_data": fields}]}
    (folder / "personal_information.json").write_text(
        json.dumps(mojibake(doc), ensure_ascii=True), encoding="ascii"
    )


def test_owner_comes_from_the_profile_records(store: Store, tmp_path: Path) -> None:
    """A group thread does not say who the user is; the profile files of each export do."""
    downloads = tmp_path / "Downloads"
    facebook = downloads / "facebook-samrivera"
    write_thread(
        facebook, MESSENGER_INBOX, "trip_1234567", ["Ana", "Sam Rivera", "Bo"],
        [msg("Ana", 0, "who drives"), msg("Sam Rivera", 1, "me"), msg("Bo", 2, "ok")],
        title="Trip",
    )  # fmt: skip
    _facebook_profile(facebook, "Sam Rivera")
    instagram = downloads / "instagram-sam.r"
    write_thread(
        instagram, INSTAGRAM_INBOX, "zoe_7654321", ["Zoé Martin", "sam.r"],
        [msg("Zoé Martin", 0, "salut"), msg("sam.r", 1, "hey")],
        title="Zoé Martin",
    )  # fmt: skip
    # Instagram's display name is not who wrote here: the username is.
    _instagram_profile(instagram, "Sam Rivera", "sam.r")
    threads = {c["title"]: c for c in parse_tree(downloads)}
    assert threads["Trip"]["me_handle"] == "Sam Rivera"
    assert threads["Zoé Martin"]["me_handle"] == "sam.r"
    summary = import_paths(store, [downloads], ImportOptions(), keep_going=True)
    assert summary.me == "Sam Rivera"
    mine = store.query(
        "SELECT h.platform, h.handle FROM handles h JOIN people p USING (person_id) "
        "WHERE p.is_me ORDER BY 1"
    )
    # Both accounts' own records name their owner: both handles are the user.
    assert mine == [("instagram", "sam.r"), ("messenger", "Sam Rivera")]


def test_unreadable_profile_says_nothing(tmp_path: Path) -> None:
    root = tmp_path / "export"
    write_thread(root, MESSENGER_INBOX, "trip_1234567", ["Ana", "Sam", "Bo"], [msg("Ana", 0, "x")])
    (root / "profile_information").mkdir()
    (root / "profile_information" / "profile_information.json").write_text("{", "utf-8")
    (thread,) = parse_tree(root)
    assert thread["me_handle"] is None and len(thread["messages"]) == 1


@pytest.mark.parametrize(
    ("profile_path", "doc"),
    [
        (
            "personal_information/profile_information/profile_information.json",
            {"profile_v2": {"name": {"full_name": "Sam Rivera"}}},
        ),
        ("profile_information/profile_information.json", {"profile": {"name": "Sam Rivera"}}),
    ],
)
def test_owner_in_newer_and_oldest_facebook_layouts(
    tmp_path: Path, profile_path: str, doc: dict[str, Any]
) -> None:
    root = tmp_path / "export"
    write_thread(
        root, "your_facebook_activity/messages/inbox", "trip_1234567", ["Ana", "Sam Rivera", "Bo"],
        [msg("Ana", 0, "x"), msg("Sam Rivera", 1, "y")], title="Trip",
    )  # fmt: skip
    (root / profile_path).parent.mkdir(parents=True)
    (root / profile_path).write_text(json.dumps(doc), "utf-8")
    (thread,) = parse_tree(zip_tree(root, tmp_path / "facebook.zip"))
    assert (thread["platform"], thread["me_handle"]) == ("messenger", "Sam Rivera")


def test_owner_for_a_thread_file_given_on_its_own(tmp_path: Path) -> None:
    root = tmp_path / "facebook-sam"
    thread = write_thread(
        root, MESSENGER_INBOX, "trip_1234567", ["Ana", "Sam Rivera", "Bo"],
        [msg("Ana", 0, "x")], title="Trip",
    )  # fmt: skip
    _facebook_profile(root, "Sam Rivera")
    (conv,) = parse_tree(thread / "message_1.json")
    assert conv["me_handle"] == "Sam Rivera"
