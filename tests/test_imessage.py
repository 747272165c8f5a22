"""iMessage: a generated chat.db (read-only), imessage-exporter TXT, attributedBody, import."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly import ParseError
from fondly.importers import ImportOptions, Tree, detect
from fondly.importers.imessage import (
    APPLE_EPOCH_MS,
    decode_attributed_body,
    encode_attributed_body,
    parse_exporter_txt,
)
from fondly.ingest import import_paths
from fondly.store import Store
from tests.golden import parse_export

FIXTURES = Path(__file__).parent / "fixtures" / "imessage"
UPDATE_GOLDEN = os.environ.get("FONDLY_UPDATE_GOLDEN") == "1"

# The columns of Apple's schema that the importer reads (the real tables have many more).
SCHEMA = """
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, service TEXT);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
    style INTEGER, chat_identifier TEXT, service_name TEXT, display_name TEXT);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL,
    text TEXT, handle_id INTEGER DEFAULT 0, service TEXT, date INTEGER, date_read INTEGER,
    is_from_me INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0,
    item_type INTEGER DEFAULT 0, group_title TEXT, associated_message_guid TEXT,
    associated_message_type INTEGER DEFAULT 0, attributedBody BLOB,
    date_edited INTEGER DEFAULT 0, thread_originator_guid TEXT);
CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER, message_date INTEGER,
    PRIMARY KEY (chat_id, message_id));
CREATE TABLE chat_handle_join (chat_id INTEGER, handle_id INTEGER, UNIQUE (chat_id, handle_id));
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT, filename TEXT,
    mime_type TEXT, transfer_name TEXT);
CREATE TABLE message_attachment_join (message_id INTEGER, attachment_id INTEGER);
"""

START = datetime(2024, 5, 1, 19, 4)  # UTC


def apple_ns(when: datetime) -> int:
    return int((when - datetime(2001, 1, 1)).total_seconds()) * 1_000_000_000


def build_chat_db(path: Path) -> Path:
    """A small chat.db: a 1:1 chat with Sam and a group, covering every branch we read."""
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    con.executemany(
        "INSERT INTO handle (ROWID, id, service) VALUES (?, ?, 'iMessage')",
        [(1, "+15555550123"), (2, "kim@example.com"), (3, "+15555550199")],
    )
    con.executemany(
        "INSERT INTO chat VALUES (?, ?, ?, ?, 'iMessage', ?)",
        [
            (1, "iMessage;-;+15555550123", 45, "+15555550123", None),
            (2, "iMessage;+;chat123456", 43, "chat123456", "Book Club"),
        ],
    )
    con.executemany("INSERT INTO chat_handle_join VALUES (?, ?)", [(1, 1), (2, 2), (2, 3)])
    rows = [
        # rowid, guid, text, handle, from_me, minutes, extra columns
        (1, "G1", "hey! how was the interview?", 0, 1, 0, {}),
        (2, "G2", None, 1, 0, 6, {"attributedBody": encode_attributed_body("it went great 🎉")}),
        (3, "G3", None, 1, 0, 7, {"attributedBody": encode_attributed_body("x" * 300)}),
        (
            4,
            "T1",
            "Loved “it went great”",
            0,
            1,
            8,
            {"associated_message_type": 2000, "associated_message_guid": "p:0/G2"},
        ),
        (
            5,
            "T2",
            "Liked “it went great”",
            0,
            1,
            8,
            {"associated_message_type": 2001, "associated_message_guid": "p:0/G2"},
        ),
        (
            6,
            "T3",
            "Removed a like",
            0,
            1,
            9,
            {"associated_message_type": 3001, "associated_message_guid": "p:0/G2"},
        ),
        (7, "G4", "\ufffc", 0, 1, 10, {"cache_has_attachments": 1}),
        (
            8,
            "G5",
            "so proud of you",
            0,
            1,
            11,
            {"thread_originator_guid": "G2", "date_edited": apple_ns(START)},
        ),
        (9, "G6", "welcome!", 2, 0, 20, {}),
        (10, "G7", None, 2, 0, 21, {"item_type": 2, "group_title": "Book Club"}),
        (11, "G8", "thanks all", 0, 1, 22, {}),
        (12, "G9", "\ufffc", 3, 0, 23, {"cache_has_attachments": 1}),
    ]
    for rowid, guid, text, handle, from_me, minutes, extra in rows:
        columns = {
            "ROWID": rowid,
            "guid": guid,
            "text": text,
            "handle_id": handle,
            "is_from_me": from_me,
            "date": apple_ns(START + timedelta(minutes=minutes)),
            **extra,
        }
        con.execute(
            f"INSERT INTO message ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            list(columns.values()),
        )
        chat = 1 if rowid <= 8 else 2
        con.execute("INSERT INTO chat_message_join VALUES (?, ?, 0)", [chat, rowid])
    con.executemany(
        "INSERT INTO attachment VALUES (?, ?, ?, ?, ?)",
        [
            (1, "A1", "~/Library/Messages/Attachments/IMG_1.heic", "image/heic", "IMG_1.heic"),
            (2, "A2", "~/Library/Messages/Attachments/Audio.caf", "audio/x-caf", "Audio.caf"),
        ],
    )
    con.executemany("INSERT INTO message_attachment_join VALUES (?, ?)", [(7, 1), (12, 2)])
    con.commit()
    con.close()
    return path


# --- attributedBody -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 127, 128, 300, 70_000])
def test_attributed_body_lengths(size: int) -> None:
    text = ("é" * size)[:size]
    assert decode_attributed_body(encode_attributed_body(text)) == text


@pytest.mark.parametrize(
    "blob", [None, b"", b"no marker here", b"NSString\x01\x94", b"NSString+\x90"]
)
def test_attributed_body_without_text(blob: bytes | None) -> None:
    assert decode_attributed_body(blob) is None


@given(st.text(max_size=400))
def test_attributed_body_round_trip(text: str) -> None:
    assert decode_attributed_body(encode_attributed_body(text)) == text


# --- chat.db ------------------------------------------------------------------------------


def test_chat_db(tmp_path: Path) -> None:
    db = build_chat_db(tmp_path / "chat.db")
    one, group = parse_export(db)
    assert (one["title"], one["is_group"], one["key"]) == (
        "+15555550123",
        False,
        "iMessage;-;+15555550123",
    )
    assert ["+15555550123", "+15555550123", None, False] in one["participants"]
    hello, great, long, photo, proud = one["messages"]
    assert hello["sender"] == "me"
    assert hello["ts_ms"] == int((START - datetime(1970, 1, 1)).total_seconds()) * 1000
    assert hello["ts_local"] is None  # an instant: ingest derives the wall clock from --tz
    assert (great["text"], great["sender"]) == ("it went great 🎉", "+15555550123")
    assert great["reactions"] == [["me", "❤️"]]  # the like was taken back
    assert long["text"] == "x" * 300  # two-byte length in the typedstream
    assert (photo["kind"], photo["media_type"], photo["text"]) == ("media", "image", "")
    assert (proud["reply_to"], proud["edited"]) == ("G2", True)
    assert (group["title"], group["is_group"]) == ("Book Club", True)
    kinds = [(m["sender"], m["kind"], m["media_type"]) for m in group["messages"]]
    assert kinds == [
        ("kim@example.com", "text", None),
        (None, "system", None),
        ("me", "text", None),
        ("+15555550199", "voice", "audio"),
    ]
    assert ["kim@example.com", None, "kim@example.com", False] in group["participants"]


def test_chat_db_is_opened_read_only(tmp_path: Path) -> None:
    db = build_chat_db(tmp_path / "chat.db")
    db.chmod(0o444)
    before = db.read_bytes()
    parse_export(db)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("chat.db-*"))  # no journal or WAL files created


def test_chat_db_in_zip_and_old_seconds_dates(tmp_path: Path) -> None:
    db = build_chat_db(tmp_path / "chat.db")
    con = sqlite3.connect(db)
    # macOS before 10.13 stored seconds, and had no attributedBody-only rows.
    con.execute("UPDATE message SET date = date / 1000000000")
    con.commit()
    con.close()
    archive = tmp_path / "backup.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(db, "Messages/chat.db")
    one, _ = parse_export(archive)
    assert one["messages"][0]["ts_ms"] == int((START - datetime(1970, 1, 1)).total_seconds()) * 1000


def test_chat_db_golden(tmp_path: Path) -> None:
    got = parse_export(build_chat_db(tmp_path / "chat.db"))
    golden = FIXTURES / "chat_db.golden.json"
    if UPDATE_GOLDEN:
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_apple_epoch_constant() -> None:
    assert (
        int((datetime(2001, 1, 1) - datetime(1970, 1, 1)).total_seconds()) * 1000 == APPLE_EPOCH_MS
    )


# --- imessage-exporter TXT ----------------------------------------------------------------


def test_txt_golden() -> None:
    got = parse_export(FIXTURES / "+15555550123.txt")
    golden = FIXTURES / "+15555550123.golden.json"
    if UPDATE_GOLDEN:
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_txt_details() -> None:
    (conv,) = parse_export(FIXTURES / "+15555550123.txt")
    assert conv["title"] == "+15555550123"
    m = conv["messages"]
    assert m[0]["text"] == "how did the interview go?\ntell me everything"
    assert m[0]["ts_local"] == "2022-05-17T17:29:42"
    assert m[0]["reactions"] == [["me", "❤️"]]
    assert (m[1]["sender"], m[1]["text"], m[1]["edited"]) == ("me", "it went great", True)
    assert m[2]["text"] == "so proud of you!!"
    assert sum(x["text"] == "so proud of you!!" for x in m) == 1  # the reply is printed twice
    assert (m[3]["kind"], m[3]["media_type"], m[3]["text"]) == (
        "media",
        "image",
        "celebration dinner",
    )
    assert (m[4]["kind"], m[4]["media_type"]) == ("voice", "audio")
    assert (m[5]["sender"], m[5]["kind"]) == (None, "system")
    assert m[6]["kind"] == "deleted"
    assert m[7]["text"] == "also: dinner on friday?\n\ntwo paragraphs"
    assert m[7]["reactions"] == [["me", "👍"], ["+15555550123", "‼️"]]
    assert ["sam@example.com", None, "sam@example.com", False] in conv["participants"]


def test_txt_claimed_by_content(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "+15555550123.txt", tmp_path / "renamed.txt")
    (tmp_path / "todo.txt").write_text("buy milk\n", encoding="utf-8")
    units = detect(Tree(tmp_path))
    assert [(u.importer.name, u.entries) for u in units] == [("imessage", ["renamed.txt"])]


def test_txt_timestamp_without_sender_is_an_error() -> None:
    lines = ["May 17, 2022  5:29:42 PM", "", "May 17, 2022  5:30:00 PM", "Me", "secret"]
    with pytest.raises(ParseError) as info:
        list(parse_exporter_txt(iter(lines), "x.txt"))
    assert info.value.line == 1
    assert "secret" not in str(info.value)


# --- import -------------------------------------------------------------------------------


def test_import_and_idempotent_reimport(store: Store, tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    shutil.copy(FIXTURES / "+15555550123.txt", export)
    build_chat_db(export / "chat.db")
    summary = import_paths(store, [export], ImportOptions(tz="America/New_York"))
    assert {r.format for r in summary.results} == {"imessage"}
    assert summary.me == "Me"
    assert store.query("SELECT count(*) FROM conversations")[0][0] == 3
    phones = {r[0] for r in store.query("SELECT phone FROM handles WHERE phone IS NOT NULL")}
    assert phones == {"+15555550123", "+15555550199"}
    # The reply points at the message it answers (ids from the guids).
    assert (
        store.query("SELECT count(*) FROM messages a JOIN messages b ON a.reply_to = b.message_id")[
            0
        ][0]
        == 1
    )
    assert store.query("SELECT count(*) FROM reactions")[0][0] == 4
    before = sorted(map(repr, store.query("SELECT * FROM messages")))
    again = import_paths(store, [export], ImportOptions(tz="America/New_York"))
    assert again.added == 0
    assert sorted(map(repr, store.query("SELECT * FROM messages"))) == before


# --- round trip (TXT) ---------------------------------------------------------------------

_BODY_LINE = st.tuples(
    st.sampled_from("abcxyzé你"),
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=["L", "N", "Zs", "Po", "So"],
            exclude_characters="\r\n\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e/~",
        ),
        max_size=25,
    ),
).map(lambda parts: (parts[0] + parts[1]).rstrip())


def render_txt(messages: list[tuple[str, str, datetime, list[tuple[str, str]]]]) -> list[str]:
    """imessage-exporter's TXT layout, tapbacks included."""
    names = {v: k.capitalize() for k, v in {"loved": "❤️", "laughed": "😂"}.items()}
    out: list[str] = []
    for sender, text, when, reactions in messages:
        hour = when.strftime("%I").lstrip("0").rjust(2)
        out.append(when.strftime(f"%b %d, %Y {hour}:%M:%S %p"))
        out.append("Me" if sender == "me" else sender)
        out.extend(text.split("\n"))
        if reactions:
            out.append("Tapbacks:")
            out.extend(f"{names[r]} by {'Me' if who == 'me' else who}" for who, r in reactions)
            out.append("")
        out.append("")
    return out


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["me", "+15555550123", "Sam Doe", "sam@example.com"]),
            st.lists(_BODY_LINE, min_size=1, max_size=3).map("\n".join),
            st.integers(min_value=0, max_value=10**7),
            st.lists(
                st.tuples(st.sampled_from(["me", "Sam Doe"]), st.sampled_from(["❤️", "😂"])),
                max_size=2,
                unique=True,
            ),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_txt_round_trip(raw: list[tuple[str, str, int, list[tuple[str, str]]]]) -> None:
    start = datetime(2022, 1, 1)
    messages = [(s, t, start + timedelta(seconds=o), r) for s, t, o, r in raw]
    parsed = list(parse_exporter_txt(iter(render_txt(messages)), "x.txt"))
    assert [(m.sender, m.text, m.ts_local, m.reactions) for m in parsed] == [
        (sender, text, when, reactions) for sender, text, when, reactions in messages
    ]
