"""One chat, every header variant: all must parse to the same messages.

The demo writer renders a :class:`DemoChat` as each platform and locale writes
it; the parser must get the same senders, times, kinds and texts back from
every variant, zipped or not. A Hypothesis round trip does the same for random
chats with multi-line texts, awkward names and header-shaped lines in bodies.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly import AmbiguousDateOrder
from fondly.demo.model import DemoChat, DemoMessage
from fondly.demo.whatsapp_writer import VARIANTS, render, write_export
from fondly.importers import ImportOptions, Tree, detect
from fondly.importers.whatsapp_format import infer_date_order

Row = tuple[str | None, datetime, str, str, bool]

START = datetime(2024, 3, 14, 21, 4)


def sample_chat(group: bool = False) -> DemoChat:
    others = ["Sam Okafor", "~ Kim Lee", "+49 151 23456789"] if group else ["Sam Okafor"]
    t = START
    msgs = [
        DemoMessage(t, "Alex", "hey! how was the interview?"),
        DemoMessage(t + timedelta(minutes=3), "Sam Okafor", "great!!\nin june\n\nso happy"),
        DemoMessage(t + timedelta(minutes=4), "Alex", "", kind="media"),
        DemoMessage(t + timedelta(days=3), "Sam Okafor", "Note: bring snacks", edited=True),
        DemoMessage(t + timedelta(days=30, hours=13), "Alex", "", kind="deleted"),
        DemoMessage(t + timedelta(days=31), others[-1], "location: https://maps.example/?q=1,2",
                    kind="location"),
        DemoMessage(t + timedelta(days=32), "Sam Okafor", "01/01/2001, 10:00 - Alex: pasted"),
        DemoMessage(t + timedelta(days=33), "Alex", "bye 👋"),
    ]  # fmt: skip
    return DemoChat("Trip: Lisbon 2024" if group else "Sam Okafor", "Alex", others, msgs)


def parse_file(path: Path, date_order: str | None = None) -> tuple[list[Row], int, bool | None]:
    """(non-system rows, number of system lines, is_group) of one export."""
    tree = Tree(path)
    try:
        units = detect(tree)
        assert [u.importer.name for u in units] == ["whatsapp"]
        conv = next(units[0].importer.parse(tree, units[0], ImportOptions(date_order=date_order)))
        messages = list(conv.messages)
    finally:
        tree.close()
    rows = [(m.sender, m.ts_local, str(m.kind), m.text, m.edited) for m in messages
            if m.kind != "system"]  # fmt: skip
    assert all(m.ts_local is not None for m in messages)
    return rows, sum(m.kind == "system" for m in messages), conv.is_group  # type: ignore[misc]


def expected_rows(chat: DemoChat) -> list[Row]:
    return [
        (m.sender, m.ts_local, m.kind, "" if m.kind in ("media", "deleted") else m.text, m.edited)
        for m in chat.messages
        if m.sender is not None
    ]


@pytest.mark.parametrize("zipped", [False, True], ids=["txt", "zip"])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("group", [False, True], ids=["pair", "group"])
def test_every_variant_parses_to_the_same_messages(
    tmp_path: Path, variant: str, zipped: bool, group: bool
) -> None:
    chat = sample_chat(group)
    path = write_export(chat, tmp_path, variant, zip=zipped)
    rows, n_system, is_group = parse_file(path)
    assert rows == expected_rows(chat)
    assert n_system == (2 + len(chat.others) if group else 1)  # notice, created, added...
    assert is_group is (True if group else None)


def test_file_names_follow_the_phone(tmp_path: Path) -> None:
    chat = sample_chat()
    names = {v: write_export(chat, tmp_path / v, v, zip=True).name for v in VARIANTS}
    assert names["android_24h_dmy"] == "WhatsApp Chat with Sam Okafor.zip"
    assert names["ios_24h_dmy"] == "WhatsApp Chat - Sam Okafor.zip"
    assert names["german_dotted"] == "WhatsApp Chat mit Sam Okafor.zip"
    assert names["android_es_ampm"] == "Chat de WhatsApp con Sam Okafor.zip"


def test_title_and_key_are_stable_across_platforms(tmp_path: Path) -> None:
    chat = sample_chat()
    keys = set()
    for variant in ("android_24h_dmy", "ios_24h_dmy", "german_dotted"):
        path = write_export(chat, tmp_path / variant, variant, zip=variant.startswith("ios"))
        tree = Tree(path)
        units = detect(tree)
        conv = next(units[0].importer.parse(tree, units[0], ImportOptions()))
        keys.add((conv.title, conv.key))
        tree.close()
    assert keys == {("Sam Okafor", "sam okafor")}


# -- date order -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "order"),
    [
        (["01/02/2024", "13/02/2024", "14/02/2024", "15/02/2024"], "dmy"),
        (["02/01/2024", "02/13/2024", "02/14/2024", "02/15/2024"], "mdy"),
        (["2024-01-02", "2024-01-03", "2024-02-01", "2024-02-02"], "ymd"),
        # No field above 12: the day is the field that falls back when the month moves on.
        (["11/01/2024", "12/01/2024", "01/02/2024", "02/02/2024"], "dmy"),
        (["01/11/2024", "01/12/2024", "02/01/2024", "02/02/2024"], "mdy"),
    ],
)
def test_date_order_is_inferred_from_the_file(dates: list[str], order: str) -> None:
    assert infer_date_order(iter(dates), "chat.txt") == order


def test_ambiguous_dates_name_the_file_and_the_option() -> None:
    with pytest.raises(AmbiguousDateOrder) as info:
        infer_date_order(iter(["01/02/2024", "01/02/2024"]), "WhatsApp Chat with Sam.txt")
    message = str(info.value)
    assert message.startswith("WhatsApp Chat with Sam.txt: ")
    assert "--date-order" in message


def test_date_order_option_overrides(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("01/02/2024, 10:00 - Sam: a\n03/02/2024, 10:00 - Alex: b\n", "utf-8")
    rows, _, _ = parse_file(path, date_order="mdy")
    assert [r[1] for r in rows] == [datetime(2024, 1, 2, 10), datetime(2024, 3, 2, 10)]
    rows, _, _ = parse_file(path, date_order="dmy")
    assert [r[1] for r in rows] == [datetime(2024, 2, 1, 10), datetime(2024, 2, 3, 10)]


# -- detection by content -----------------------------------------------------------------


def test_claims_by_content_not_name(tmp_path: Path) -> None:
    renamed = tmp_path / "export"
    renamed.write_text(render(sample_chat(), "ios_12h_mdy_u202f"), "utf-8")
    tree = Tree(renamed)
    assert [u.importer.name for u in detect(tree)] == ["whatsapp"]
    tree.close()
    notes = tmp_path / "WhatsApp Chat with Notes.txt"
    notes.write_text("shopping list\n01/02/2024, 10:00 - milk\n", "utf-8")
    tree = Tree(notes)
    assert all(u.importer.name != "whatsapp" for u in _detect_or_empty(tree))
    tree.close()


def _detect_or_empty(tree: Tree) -> list:  # type: ignore[type-arg]
    from fondly import UnknownFormat

    try:
        return detect(tree)
    except UnknownFormat:
        return []


# -- Hypothesis round trip ---------------------------------------------------------------

NAMES = st.sampled_from(
    ["Alex", "Sam Okafor", "~ Kim Lee", "+49 151 23456789", "Zoë 🌸", "José María", "O'Brien",
     "李雷", "Dr. Who", "Anna-Lena"]
)  # fmt: skip
_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"), blacklist_characters="\ufffd"
)
_WORDS = st.text(_CHARS, min_size=1, max_size=12)
_FAKE = st.sampled_from(
    [
        "01/01/2001, 10:00 - Alex: an old pasted line",
        "[01/01/2001, 10:00:00] Sam Okafor: pasted from iOS",
        "31/02/2024, 10:00 - Sam Okafor: no such day",
        "12/05/2024 was a good day",
        "10:00 - Alex: half a header",
    ]
)
_LINE = st.one_of(st.lists(_WORDS, min_size=1, max_size=6).map(" ".join), _FAKE)
TEXTS = (
    st.lists(_LINE, min_size=1, max_size=4)
    .map(lambda ls: "\n".join(ls).strip())
    .filter(lambda t: t != "" and not t.endswith((">", ")")))
)


@st.composite
def chats(draw: st.DrawFn) -> DemoChat:
    names = draw(st.lists(NAMES, min_size=2, max_size=4, unique=True))
    n = draw(st.integers(1, 12))
    t = datetime(2023, 1, 20, 8, 0)
    messages = []
    for _ in range(n):
        t += timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
        kind = draw(st.sampled_from(["text"] * 8 + ["media", "deleted"]))
        text = draw(TEXTS) if kind == "text" else ""
        edited = kind == "text" and draw(st.booleans()) and not text[-1].isspace()
        messages.append(DemoMessage(t, draw(st.sampled_from(names)), text, kind, edited))
    return DemoChat("Round Trip", names[0], names[1:], messages)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chat=chats(), variant=st.sampled_from(sorted(VARIANTS)))
def test_round_trip(tmp_path: Path, chat: DemoChat, variant: str) -> None:
    path = tmp_path / f"case-{variant}" / "WhatsApp Chat with Round Trip.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(render(chat, variant).encode("utf-8"))
    # A chat whose every day is 12 or less cannot tell its date order; say it.
    order: str | None = None
    if all(m.ts_local.day <= 12 for m in chat.messages):
        order = "ymd" if variant == "ymd" else ("mdy" if "mdy" in variant else "dmy")
    rows, _, _ = parse_file(path, date_order=order)
    assert rows == expected_rows(chat)


def test_pasted_headers_of_another_clock_do_not_outvote_the_first_line(tmp_path: Path) -> None:
    """A 12-hour export whose one message quotes four 24-hour header lines (Hypothesis found it)."""
    pasted = "\n".join(["01/01/2001, 10:00 - Alex: an old pasted line"] * 4)
    msg = DemoMessage(datetime(2023, 1, 20, 8, 0), "Alex", pasted, "text", False)
    chat = DemoChat(title="Round Trip", me="Alex", others=["Sam Okafor"], messages=[msg])
    path = tmp_path / "WhatsApp Chat with Round Trip.txt"
    path.write_bytes(render(chat, "android_12h_mdy").encode("utf-8"))
    rows, _, _ = parse_file(path, date_order="mdy")
    assert rows == expected_rows(chat)
