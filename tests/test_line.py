"""The LINE chat-history parser: golden files in three languages, round trip, import and errors."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly import ParseError
from fondly.importers import ImportOptions, Tree, detect
from fondly.importers.line import infer_date_order, parse_lines, parse_time, read_header
from fondly.ingest import import_paths
from fondly.store import Store
from tests.golden import parse_export

FIXTURES = Path(__file__).parent / "fixtures" / "line"
UPDATE_GOLDEN = os.environ.get("FONDLY_UPDATE_GOLDEN") == "1"
CHATS = sorted(p.name for p in FIXTURES.glob("*.txt"))


@pytest.mark.parametrize("chat", CHATS)
def test_golden(chat: str) -> None:
    got = parse_export(FIXTURES / chat)
    golden = FIXTURES / chat.replace(".txt", ".golden.json")
    if UPDATE_GOLDEN:
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def test_english_private_chat() -> None:
    (conv,) = parse_export(FIXTURES / "[LINE] Chat history with Sam.txt")
    assert (conv["title"], conv["is_group"], conv["me_handle"]) == ("Sam", False, "Alex")
    m = conv["messages"]
    assert m[0]["ts_local"] == "2025-11-01T15:05:00"  # "Sun, 11/02" later in the file fixes m/d
    assert m[1]["text"] == 'yes!\nbring your "famous" cake'
    assert [(x["kind"], x["media_type"]) for x in m[2:4]] == [("media", "image"), ("sticker", None)]
    assert m[3]["ts_local"] == "2025-11-01T00:10:00"  # 12:10AM
    assert [x["kind"] for x in m[4:6]] == ["call", "call"]
    assert m[4]["ts_local"] == "2025-11-01T12:11:00"  # 12:11PM
    assert (m[6]["sender"], m[6]["kind"]) == (None, "system")
    assert m[7]["text"] == '"quoted" is how I\'d put it'  # starts with a quote, never wrapped


@pytest.mark.parametrize(
    ("chat", "first_text", "first_time"),
    [
        ("[LINE] Samとのトーク履歴.txt", "こんにちは", "2024-01-02T15:04:00"),
        ("[LINE] 与Sam的聊天记录.txt", "你好", "2024-01-02T15:04:00"),
        ("[LINE] 與Sam的聊天記錄.txt", "你好", "2024-01-02T15:04:00"),
    ],
)
def test_asian_languages(chat: str, first_text: str, first_time: str) -> None:
    (conv,) = parse_export(FIXTURES / chat)
    assert (conv["title"], conv["is_group"], conv["me_handle"]) == ("Sam", False, "Alex")
    assert conv["key"] == "chat:Sam"  # one chat whatever the app language
    first, second = conv["messages"][:2]
    assert (first["text"], first["ts_local"]) == (first_text, first_time)
    assert second["kind"] in ("sticker", "media") and second["text"] == ""


def test_japanese_midnight_and_quoted() -> None:
    (conv,) = parse_export(FIXTURES / "[LINE] Samとのトーク履歴.txt")
    times = [m["ts_local"][11:16] for m in conv["messages"]]
    assert times == ["15:04", "00:05", "00:30", "12:30"]
    assert conv["messages"][3]["text"] == "また\n明日"


def test_group_header() -> None:
    (conv,) = parse_export(FIXTURES / "[LINE] Chat history in Hiking Club.txt")
    assert (conv["is_group"], conv["me_handle"], conv["key"]) == (True, None, "group:Hiking Club")
    assert conv["messages"][1]["text"] == "me! [File] follows"  # a placeholder only when alone


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("[LINE] Chat history with Sam Doe", ("Sam Doe", False)),
        ("[LINE] Chat history in Book Club", ("Book Club", True)),
        ("[LINE] 佐藤とのトーク履歴", ("佐藤", False)),
        ("[LINE] 家族のトーク履歴", ("家族", True)),
        ("[LINE] 与小明的聊天记录", ("小明", False)),
        ("[LINE] 與小明的聊天記錄", ("小明", False)),
        ("\ufeff[LINE] Chat history with Sam", ("Sam", False)),
        ("Chat history with Sam", None),
    ],
)
def test_headers(line: str, expected: tuple[str, bool] | None) -> None:
    assert read_header(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15:05", (15, 5)),
        ("03:05pm", (15, 5)),
        ("03:05PM", (15, 5)),
        ("12:00AM", (0, 0)),
        ("12:00PM", (12, 0)),
        ("下午03:04", (15, 4)),
        ("上午12:04", (0, 4)),
        ("午後3:04", (15, 4)),
        ("午前0:04", (0, 4)),
        ("25:00", None),
        ("hello", None),
    ],
)
def test_times(text: str, expected: tuple[int, int] | None) -> None:
    assert parse_time(text) == expected


def test_day_month_order_from_weekdays() -> None:
    # 03/11/2025 is a Monday read day-first (3 Nov), a Tuesday month-first (11 Mar).
    assert infer_date_order(["Mon, 03/11/2025"]) == "dmy"
    assert infer_date_order(["Tue, 03/11/2025"]) == "mdy"
    assert infer_date_order(["Sat, 11/01/2025"]) == "mdy"  # both fit: the US default


def test_date_order_option_overrides(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    shutil.copy(FIXTURES / "[LINE] Chat history with Sam.txt", path)
    (conv,) = parse_export(path, ImportOptions(date_order="dmy"))
    assert conv["messages"][0]["ts_local"].startswith("2025-01-11")  # Saturday either way


def test_claims_by_content(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "[LINE] 與Sam的聊天記錄.txt", tmp_path / "export.txt")
    (tmp_path / "notes.txt").write_text("shopping list\n", encoding="utf-8")
    units = detect(Tree(tmp_path))
    assert [(u.importer.name, u.entries) for u in units] == [("line", ["export.txt"])]


def test_utf16_with_bom(tmp_path: Path) -> None:
    source = FIXTURES / "[LINE] Samとのトーク履歴.txt"
    path = tmp_path / "windows.txt"
    path.write_bytes(source.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-16"))
    assert parse_export(path)[0]["messages"] == parse_export(source)[0]["messages"]


def test_message_before_date_line_is_an_error() -> None:
    with pytest.raises(ParseError) as info:
        list(parse_lines(["Saved on: x", "", "15:05\tSam\tsecret plans"], "c.txt", first_line=2))
    assert info.value.line == 4
    assert "secret" not in str(info.value)


def test_unclosed_quote_is_an_error() -> None:
    lines = ["2024.01.02 Tuesday", '15:05\tSam\t"secret', "more secret"]
    with pytest.raises(ParseError) as info:
        list(parse_lines(lines, "c.txt"))
    assert info.value.line == 2
    assert "secret" not in str(info.value)


def test_import_and_idempotent_reimport(store: Store, tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(FIXTURES, export, ignore=shutil.ignore_patterns("*.json"))
    summary = import_paths(store, [export], ImportOptions(tz="Asia/Tokyo"))
    assert {r.format for r in summary.results} == {"line"}
    assert summary.me == "Alex"  # named by every one-to-one header
    # The EN, JA and both ZH exports of the chat with Sam are one conversation.
    assert store.query("SELECT count(*) FROM conversations")[0][0] == 2
    offsets = {r[0] for r in store.query("SELECT tz_offset_min FROM messages")}
    assert offsets == {540}
    before = sorted(map(repr, store.query("SELECT * FROM messages")))
    again = import_paths(store, [export], ImportOptions(tz="Asia/Tokyo"))
    assert again.added == 0
    assert sorted(map(repr, store.query("SELECT * FROM messages"))) == before


# --- round trip -------------------------------------------------------------------------

_LINE_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=["L", "N", "Zs", "Po", "So"],
        exclude_characters="\t\r\n\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e[☎",
    )
    | st.just('"'),
    min_size=1,
    max_size=25,
).map(str.strip)
# Every line starts with a letter, so no continuation line reads as a date or time line.
_TEXT_LINE = st.tuples(st.sampled_from("abcxyzあ你"), _LINE_TEXT).map("".join)
_TEXT = st.tuples(
    st.sampled_from(["", '"']), st.lists(_TEXT_LINE, min_size=1, max_size=3).map("\n".join)
).map("".join)

_CLOCKS = {
    "24h": lambda t: t.strftime("%H:%M"),
    "en": lambda t: t.strftime("%I:%M%p"),
    "zh": lambda t: (
        ("上午" if t.hour < 12 else "下午") + f"{(t.hour % 12) or 12:02d}:{t.minute:02d}"
    ),
    "ja": lambda t: ("午前" if t.hour < 12 else "午後") + f"{t.hour % 12}:{t.minute:02d}",
    "th": lambda t: t.strftime("%H:%M"),
}
# The Thai app: abbreviated Thai weekday, day first, Buddhist-era year.
_THAI_WEEKDAYS = ["จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา."]
_DATES = {
    "24h": lambda d: d.strftime("%Y.%m.%d %A"),
    "en": lambda d: d.strftime("%a, %m/%d/%Y"),
    "zh": lambda d: f"{d.year}/{d.month}/{d.day}週二",
    "ja": lambda d: d.strftime("%Y/%m/%d") + "(火)",
    "th": lambda d: f"{_THAI_WEEKDAYS[d.weekday()]} {d.day:02d}/{d.month:02d}/{d.year + 543}",
}


def render(style: str, messages: list[tuple[str | None, str, datetime]]) -> list[str]:
    """LINE's layout: a date line per day, quotes around multi-line (or quote-led) texts."""
    out: list[str] = []
    day: date | None = None
    for sender, text, when in messages:
        if when.date() != day:
            day = when.date()
            out.append(_DATES[style](day))
        if "\n" in text or text.startswith('"'):
            text = '"' + text.replace('"', '""') + '"'
        out.extend(f"{_CLOCKS[style](when)}\t{sender or ''}\t{text}".split("\n"))
    return out


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(_CLOCKS)),
    st.lists(
        st.tuples(
            st.sampled_from(["Sam", "Alex", "佐藤", None]),
            _TEXT,
            st.integers(min_value=0, max_value=60 * 24 * 3),
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_round_trip(style: str, raw: list[tuple[str | None, str, int]]) -> None:
    start = datetime(2024, 1, 2)
    offsets = sorted(offset for _, _, offset in raw)
    messages = [
        (sender, text, start + timedelta(minutes=offset))
        for (sender, text, _), offset in zip(raw, offsets, strict=True)
    ]
    lines = render(style, messages)
    parsed = list(parse_lines(lines, "c.txt", infer_date_order(lines)))
    assert [(m.sender, m.text, m.ts_local) for m in parsed] == messages
    assert [m.kind for m in parsed] == ["text" if s else "system" for s, _, _ in messages]
