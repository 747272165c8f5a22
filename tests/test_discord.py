"""The DiscordChatExporter parser (JSON and CSV): golden files, round trips, ingest, errors."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly import ParseError
from fondly.importers import ImportOptions, Tree, detect
from fondly.importers import _jsonstream as jsonstream
from fondly.ingest import import_paths
from fondly.store import Store
from tests.test_telegram import as_data

FIXTURES = Path(__file__).parent / "fixtures" / "discord"
CSV_FIXTURE = FIXTURES / "Direct Messages - Private - sam.example [500000000000000001].csv"
UPDATE_GOLDEN = os.environ.get("FONDLY_UPDATE_GOLDEN") == "1"


def parse(path: Path) -> list[dict[str, Any]]:
    tree = Tree(path)
    try:
        return [
            as_data(conv)
            for unit in detect(tree)
            for conv in unit.importer.parse(tree, unit, ImportOptions())
        ]
    finally:
        tree.close()


@pytest.mark.parametrize(
    ("fixture", "golden"),
    [
        (FIXTURES / "direct_message.json", "direct_message"),
        (FIXTURES / "guild_channel.json", "guild_channel"),
        (CSV_FIXTURE, "direct_message_csv"),
    ],
)
def test_golden(fixture: Path, golden: str) -> None:
    parsed = parse(fixture)
    path = FIXTURES / f"{golden}.golden.json"
    if UPDATE_GOLDEN:
        path.write_text(json.dumps(parsed, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert parsed == json.loads(path.read_text("utf-8"))


def test_direct_message_details() -> None:
    [conv] = parse(FIXTURES / "direct_message.json")
    assert (conv["key"], conv["title"], conv["is_group"]) == (
        "500000000000000001",
        "sam.example",
        False,
    )
    first, reply, photo, sticker, call, pin = conv["messages"]
    assert (first["sender"], first["sender_name"]) == ("700000000000000002", "Sam")
    assert first["ts_ms"] == 1714590245123 and first["ts_local"] == "2024-05-01T21:04:05.123000"
    assert reply["reply_to"] == "600000000000000001" and reply["edited"] is True
    assert reply["text"] == "it went great\nstarting in june"
    assert reply["reactions"] == [["700000000000000002", "❤️"]]
    assert (photo["kind"], photo["media_type"]) == ("media", "image")
    assert (sticker["kind"], sticker["media_type"]) == ("sticker", "sticker")
    assert (call["kind"], call["sender"]) == ("call", "700000000000000001")
    assert (pin["kind"], pin["sender"]) == ("system", None)


def test_guild_channel_is_a_group_and_zero_offset_leaves_the_wall_clock_to_tz() -> None:
    [conv] = parse(FIXTURES / "guild_channel.json")
    assert conv["title"] == "Hiking Friends / #general" and conv["is_group"] is True
    join, question, bot = conv["messages"]
    assert join["kind"] == "system"
    assert question["reactions"] == []  # a count without users names nobody
    assert question["ts_local"] is None and question["ts_ms"] == 1709280300000
    assert bot["sender_name"] == "Trail Bot"


def test_csv_title_key_and_multiline_rows() -> None:
    [conv] = parse(CSV_FIXTURE)
    assert (conv["key"], conv["title"]) == (
        "500000000000000001",
        "Direct Messages - Private - sam.example",
    )
    texts = [m["text"] for m in conv["messages"]]
    assert texts == [
        "hey! how was the interview?",
        "it went great\r\nstarting in june",
        "",
        'she said "yes, really"',
    ]
    assert conv["messages"][2]["media_type"] == "image"
    assert conv["messages"][0]["ts_ms"] == 1714590245123


def test_csv_and_json_of_one_chat_land_in_one_conversation(store: Store) -> None:
    import_paths(store, [FIXTURES / "direct_message.json"], ImportOptions(tz="UTC"))
    import_paths(store, [CSV_FIXTURE], ImportOptions(tz="UTC"))
    assert store.query("SELECT count(*) FROM conversations") == [(1,)]


def test_reimport_and_incremental(store: Store, tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "direct_message.json").read_text("utf-8"))
    older = tmp_path / "older.json"
    older.write_text(json.dumps({**data, "messages": data["messages"][:3]}), "utf-8")
    assert import_paths(store, [older], ImportOptions(tz="UTC")).added == 3
    assert import_paths(store, [older], ImportOptions(tz="UTC")).added == 0
    newer = FIXTURES / "direct_message.json"
    assert import_paths(store, [newer], ImportOptions(tz="UTC")).added == 3
    rows = store.query(
        "SELECT h.handle, r.reaction FROM reactions r JOIN handles h USING (handle_id)"
    )
    assert rows == [("700000000000000002", "❤️")]
    offsets = {r[0] for r in store.query("SELECT tz_offset_min FROM messages")}
    assert offsets == {120}


def test_zero_offset_is_placed_in_tz(store: Store) -> None:
    import_paths(store, [FIXTURES / "guild_channel.json"], ImportOptions(tz="Europe/Berlin"))
    local, offset = store.query("SELECT ts_local, tz_offset_min FROM messages ORDER BY ts_ms")[1]
    assert local == datetime(2024, 3, 1, 9, 5) and offset == 60


def test_small_buffer_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = parse(FIXTURES / "direct_message.json")
    monkeypatch.setattr(jsonstream, "CHUNK_CHARS", 5)
    assert parse(FIXTURES / "direct_message.json") == expected


@pytest.mark.parametrize(
    ("patch", "where", "reason"),
    [
        ({"author": None}, "messages[1]", "author id"),
        ({"timestamp": "last tuesday"}, "messages[1]", "ISO 8601"),
        ({"timestamp": "2024-05-01T21:04:05"}, "messages[1]", "no UTC offset"),
    ],
)
def test_bad_json_records(tmp_path: Path, patch: dict[str, Any], where: str, reason: str) -> None:
    data = json.loads((FIXTURES / "direct_message.json").read_text("utf-8"))
    data["messages"][1].update(patch)
    path = tmp_path / "dm.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ParseError) as info:
        parse(path)
    assert (info.value.line, reason in info.value.reason) == (where, True)
    assert "interview" not in str(info.value) and "june" not in str(info.value)


def test_bad_csv_row_names_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "chat.csv"
    path.write_text(
        'AuthorID,Author,Date,Content,Attachments,Reactions\n1,a,2024-05-01T10:00:00+00:00,"two\nlines",,\n'
        "2,b,not a date,secret words,,\n",
        "utf-8",
    )
    with pytest.raises(ParseError) as info:
        parse(path)
    assert info.value.line == 4 and "secret" not in str(info.value)


def test_truncated_json(tmp_path: Path) -> None:
    text = (FIXTURES / "direct_message.json").read_text("utf-8")
    path = tmp_path / "dm.json"
    path.write_text(text[: len(text) * 2 // 3], "utf-8")
    with pytest.raises(ParseError, match="damaged or incomplete JSON"):
        parse(path)


def test_detected_by_content(tmp_path: Path) -> None:
    renamed = tmp_path / "export.json"
    renamed.write_bytes((FIXTURES / "guild_channel.json").read_bytes())
    assert [u.importer.name for u in detect(Tree(renamed))] == ["discord"]
    renamed_csv = tmp_path / "dms.csv"
    renamed_csv.write_bytes(CSV_FIXTURE.read_bytes())
    assert [u.importer.name for u in detect(Tree(renamed_csv))] == ["discord"]


# -- round trips --------------------------------------------------------------------

AUTHORS = [("1001", "alex.demo", "Alex"), ("1002", "sam.example", None), ("1003", "robin", "Rob")]
TYPES = ["Default", "Reply", "Call", "RecipientAdd", "ChannelNameChange", "GuildMemberJoin"]
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@st.composite
def discord_messages(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(0, 10))
    seconds = sorted(draw(st.lists(st.integers(0, 10**8), min_size=n, max_size=n)))
    out = []
    for i, second in enumerate(seconds):
        author = draw(st.sampled_from(AUTHORS))
        offset = draw(st.sampled_from([0, 120, -300, 330]))
        out.append(
            {
                "id": str(9000 + i),
                "author": author,
                "type": draw(st.sampled_from(TYPES)),
                "text": draw(texts),
                "when": datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=second),
                "zone": timezone(timedelta(minutes=offset)),
                "millis": draw(st.integers(0, 999)),
                "attachment": draw(st.sampled_from([None, "a.png", "b.mp4", "notes.txt"])),
                "reactors": draw(st.lists(st.sampled_from(AUTHORS), max_size=2, unique=True)),
            }
        )
    return out


def _stamp(m: dict[str, Any], digits: int) -> str:
    when = (m["when"] + timedelta(milliseconds=m["millis"])).astimezone(m["zone"])
    text = when.isoformat(timespec="milliseconds")
    return text.replace(f".{m['millis']:03d}", f".{m['millis']:03d}" + "0" * (digits - 3))


def _instant(m: dict[str, Any]) -> tuple[int, str | None]:
    when = m["when"] + timedelta(milliseconds=m["millis"])
    zone_offset = m["zone"].utcoffset(None)
    local = when.astimezone(m["zone"]).replace(tzinfo=None).isoformat()
    return int(when.timestamp() * 1000), (local if zone_offset else None)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(model=discord_messages(), direct=st.booleans())
def test_json_round_trip(tmp_path: Path, model: list[dict[str, Any]], direct: bool) -> None:
    records = []
    for m in model:
        author_id, name, nickname = m["author"]
        records.append(
            {
                "id": m["id"],
                "type": m["type"],
                "timestamp": _stamp(m, 3),
                "timestampEdited": None,
                "content": m["text"],
                "author": {"id": author_id, "name": name, "nickname": nickname, "isBot": False},
                "attachments": [{"fileName": m["attachment"]}] if m["attachment"] else [],
                "stickers": [],
                "reactions": [
                    {
                        "emoji": {"name": "👍"},
                        "count": len(m["reactors"]),
                        "users": [{"id": r[0]} for r in m["reactors"]],
                    }
                ]
                if m["reactors"]
                else [],
            }
        )
    channel_type = "DirectTextChat" if direct else "GuildTextChat"
    doc = {
        "guild": {"id": "1", "name": "G"},
        "channel": {"id": "77", "type": channel_type, "name": "c"},
        "messages": records,
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
    convs = parse(path)
    assert len(convs) == (1 if model else 0)  # an empty export is no conversation
    if not model:
        return
    [conv] = convs
    assert conv["is_group"] is not direct
    for got, m in zip(conv["messages"], model, strict=True):
        ts_ms, local = _instant(m)
        message_like = m["type"] in ("Default", "Reply")
        kind = "text"
        if m["type"] == "Call":
            kind = "call"
        elif not message_like:
            kind = "system"
        elif m["attachment"]:
            kind = "media"
        assert (got["ts_ms"], got["ts_local"], got["source_id"]) == (ts_ms, local, m["id"])
        assert (got["kind"], got["text"]) == (kind, m["text"])
        assert got["sender"] == (None if kind == "system" else m["author"][0])
        reactions = [[r[0], "👍"] for r in m["reactors"]] if kind not in ("system", "call") else []
        assert got["reactions"] == reactions


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(model=discord_messages())
def test_csv_round_trip(tmp_path: Path, model: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["AuthorID", "Author", "Date", "Content", "Attachments", "Reactions"])
    for m in model:
        attachment = f"https://cdn.example.invalid/{m['attachment']}" if m["attachment"] else ""
        writer.writerow([m["author"][0], m["author"][1], _stamp(m, 7), m["text"], attachment, ""])
    path = tmp_path / "Guild - chat [77].csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    [conv] = parse(path)
    assert conv["key"] == "77"
    for got, m in zip(conv["messages"], model, strict=True):
        ts_ms, local = _instant(m)
        assert (got["ts_ms"], got["ts_local"]) == (ts_ms, local)
        assert (got["sender"], got["sender_name"]) == (m["author"][0], m["author"][1])
        assert got["text"] == m["text"]
        assert got["kind"] == ("media" if m["attachment"] else "text")


def test_reactor_who_never_wrote_is_a_named_member(store: Store, tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "direct_message.json").read_text("utf-8"))
    data["channel"]["type"] = "DirectGroupTextChat"
    data["messages"][0]["reactions"] = [
        {
            "emoji": {"name": "👋"},
            "count": 1,
            "users": [{"id": "700000000000000003", "name": "robin"}],
        }
    ]
    path = tmp_path / "group.json"
    path.write_text(json.dumps(data), "utf-8")
    import_paths(store, [path], ImportOptions(tz="UTC"))
    names = dict(
        store.query("SELECT h.handle, p.name FROM handles h JOIN people p USING (person_id)")
    )
    assert names == {
        "700000000000000001": "Alex",
        "700000000000000002": "Sam",
        "700000000000000003": "robin",
    }
