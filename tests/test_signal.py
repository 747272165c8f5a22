"""The signal-export Markdown parser: golden files, a round trip, detection, import and errors."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly import ParseError
from fondly.importers import ImportOptions, Tree, detect
from fondly.importers.signal import parse_markdown
from fondly.ingest import import_paths
from fondly.store import Store
from tests.golden import parse_export

FIXTURES = Path(__file__).parent / "fixtures" / "signal"
UPDATE_GOLDEN = os.environ.get("FONDLY_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("chat", ["Sam Doe", "Old Friends"])
def test_golden(chat: str) -> None:
    got = parse_export(FIXTURES / chat / "chat.md")
    golden = FIXTURES / f"{chat}.golden.json"
    if UPDATE_GOLDEN:
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_current_layout_details() -> None:
    (conv,) = parse_export(FIXTURES / "Sam Doe" / "chat.md")
    assert conv["title"] == "Sam Doe"  # the folder name
    first, reply, photo, pdf, link, deleted, call, missed, sticker, sticker_link = conv["messages"]
    assert first["text"] == "are you free on saturday?\nthinking of a hike"
    assert first["ts_local"] == "2024-05-01T18:05:09"
    assert reply["text"] == "yes!! where to?"  # the quoted message is not part of the reply
    assert reply["reactions"] == [["Sam Doe", "👍"]]
    assert (photo["kind"], photo["media_type"], photo["text"]) == (
        "media",
        "image",
        "the ridge trail",
    )
    assert (pdf["kind"], pdf["media_type"], pdf["text"]) == ("media", "file", "")
    assert link["kind"] == "text" and "https://weather.example/ridge" in link["text"]
    assert link["reactions"] == [["Sam Doe", "❤️"], ["Me", "😂"]]
    assert (deleted["kind"], deleted["text"]) == ("deleted", "")
    assert call["kind"] == missed["kind"] == "call"
    assert sticker["kind"] == sticker_link["kind"] == "sticker"


def test_old_layouts() -> None:
    (conv,) = parse_export(FIXTURES / "Old Friends" / "chat.md")
    times = [m["ts_local"] for m in conv["messages"]]
    assert times[0] == "2023-02-10T20:01:00"  # "[YYYY-MM-DD, HH:MM]"
    assert times[3] == "2024-03-15T07:45:00"  # "[YYYY-MM-DD HH:MM]"
    assert conv["messages"][1]["text"] == "absolutely\ncount me in"


def test_claims_by_content_not_name(tmp_path: Path) -> None:
    folder = tmp_path / "Renamed"
    folder.mkdir()
    shutil.copy(FIXTURES / "Sam Doe" / "chat.md", folder / "notes.md")
    (tmp_path / "README.md").write_text("# not a chat\n", encoding="utf-8")
    tree = Tree(tmp_path)
    units = detect(tree)
    assert [(u.importer.name, u.entries) for u in units] == [("signal", ["Renamed/notes.md"])]


def test_bad_date_names_line_without_text(tmp_path: Path) -> None:
    lines = ["[2024-05-01 18:05:09] Sam: secret words", "[2024-02-30 10:00:00] Sam: more secret"]
    with pytest.raises(ParseError) as info:
        list(parse_markdown(iter(lines), "chat.md"))
    assert info.value.line == 2
    assert "secret" not in str(info.value)


def test_text_before_first_header_is_an_error() -> None:
    with pytest.raises(ParseError) as info:
        list(parse_markdown(iter(["", "private note", "[2024-05-01 18:05] Sam: hi"]), "chat.md"))
    assert info.value.line == 2
    assert "private" not in str(info.value)


def test_import_and_idempotent_reimport(store: Store, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / "export", ignore=shutil.ignore_patterns("*.json"))
    summary = import_paths(store, [tmp_path / "export"], ImportOptions(tz="Europe/Berlin"))
    assert summary.me == "Me"
    assert {r.format for r in summary.results} == {"signal"}
    n = store.query("SELECT count(*) FROM messages")[0][0]
    assert summary.added == n == 15
    groups = dict(store.query("SELECT title, is_group FROM conversations"))
    assert groups == {"Sam Doe": False, "Old Friends": True}
    reactions = store.query("SELECT count(*) FROM reactions")[0][0]
    assert reactions == 3
    before = sorted(map(repr, store.query("SELECT * FROM messages")))
    again = import_paths(store, [tmp_path / "export"], ImportOptions(tz="Europe/Berlin"))
    assert again.added == 0
    assert all(r.already_imported for r in again.results)
    assert sorted(map(repr, store.query("SELECT * FROM messages"))) == before


def write_data_json(folder: Path) -> Path:
    """The Sam Doe chat as signal-export's ``data.json`` writes it (fields kept apart)."""

    def record(date: str, sender: str, body: str, **extra: Any) -> str:
        fields = {
            "date": date,
            "sender": sender,
            "body": body + "  ",
            "quote": "",
            "sticker": None,
            "reactions": [],
            "attachments": [],
            "deleted": False,
            "call": False,
            "missed": False,
            **extra,
        }
        return json.dumps(fields, ensure_ascii=False)

    media = [{"name": "IMG_0042.jpg", "path": "media/IMG_0042.jpg"}]
    pdf = [{"name": "trail-map.pdf", "path": "media/trail-map.pdf"}]
    lines = [
        record(
            "2024-05-01T18:05:09.123000", "Sam Doe", "are you free on saturday?\nthinking of a hike"
        ),
        record(
            "2024-05-01T18:06:41",
            "Me",
            "yes!! where to?",
            quote="\n\n> are you free\n\n",
            reactions=[["Sam Doe", "👍"]],
        ),
        record("2024-05-01T18:07:02", "Sam Doe", "the ridge trail", attachments=media),
        record("2024-05-01T18:07:30", "Sam Doe", "", attachments=pdf),
        record(
            "2024-05-01T18:08:00",
            "Me",
            "see [the forecast](https://weather.example/ridge) first",
            reactions=[["Sam Doe", "❤️"], ["Me", "😂"]],
        ),
        record("2024-05-01T18:09:00", "Sam Doe", "", deleted=True),
        record("2024-05-02T09:15:00", "Me", "Outgoing voice call (accepted, 2m 5s)"),
        record("2024-05-02T09:30:00", "Sam Doe", "Missed video call"),
        record("2024-05-02T09:31:00", "Sam Doe", "", sticker="🥾"),
        record("2024-05-02T09:32:00", "Me", "", sticker={"emoji": "👍"}),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "data.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_data_json_matches_markdown(tmp_path: Path) -> None:
    from_md = parse_export(FIXTURES / "Sam Doe" / "chat.md")[0]["messages"]
    from_json = parse_export(write_data_json(tmp_path / "Sam Doe"))[0]["messages"]
    for m in [*from_md, *from_json]:
        del m["line"]
    assert from_json == from_md


def test_folder_with_both_reads_json_once(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "export" / "Sam Doe"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "Sam Doe" / "chat.md", folder / "chat.md")
    write_data_json(folder)
    units = detect(Tree(tmp_path / "export"))
    assert [u.entries for u in units] == [["Sam Doe/data.json", "Sam Doe/chat.md"]]
    import_paths(store, [folder / "chat.md"], ImportOptions())
    # The JSON export of the same chat adds nothing new.
    again = import_paths(store, [tmp_path / "export"], ImportOptions())
    assert again.added == 0
    assert store.query("SELECT count(*) FROM messages")[0][0] == 10


def test_data_json_bad_line(tmp_path: Path) -> None:
    path = write_data_json(tmp_path / "Sam")
    path.write_text(
        path.read_text(encoding="utf-8")
        + '{"date": "yesterday", "sender": "x", "body": "secret"}\n',
        encoding="utf-8",
    )
    with pytest.raises(ParseError) as info:
        parse_export(path)
    assert info.value.line == 11
    assert "secret" not in str(info.value)


# --- round trip -------------------------------------------------------------------------

_LINE = (
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=["L", "N", "Zs", "Po", "So"],
            exclude_characters="[]()!>\r\n\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e",
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)

_MESSAGES = st.lists(
    st.tuples(
        st.sampled_from(["Me", "Sam Doe", "Kim", "李雷"]),
        st.lists(_LINE, min_size=1, max_size=3).map("\n".join),
        st.integers(min_value=0, max_value=10**6),
        st.sampled_from(["new", "short", "old"]),
    ),
    min_size=1,
    max_size=15,
)


def render(messages: list[tuple[str, str, datetime, str]]) -> list[str]:
    """Write messages the way signal-export does, in the given header layout."""
    out = []
    for sender, text, when, layout in messages:
        stamp = {
            "new": when.strftime("%Y-%m-%d %H:%M:%S"),
            "short": when.strftime("%Y-%m-%d %H:%M"),
            "old": when.strftime("%Y-%m-%d, %H:%M"),
        }[layout]
        out.extend(f"[{stamp}] {sender}: {text}  ".split("\n"))
    return out


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(_MESSAGES)
def test_round_trip(raw: list[tuple[str, str, int, str]]) -> None:
    start = datetime(2023, 1, 1)
    messages = []
    for sender, text, offset, layout in raw:
        when = start + timedelta(minutes=offset)
        if layout == "new":
            when += timedelta(seconds=offset % 60)
        messages.append((sender, text, when, layout))
    parsed = list(parse_markdown(iter(render(messages)), "chat.md"))
    assert [(m.sender, m.text, m.ts_local, m.kind) for m in parsed] == [
        (sender, text, when, "text") for sender, text, when, _ in messages
    ]
