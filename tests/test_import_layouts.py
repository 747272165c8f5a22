"""More real export layouts (issue 16): each written from its format's documentation.

WhatsApp's Finnish "klo" headers, LINE's Buddhist-era years, imessage-exporter's
HTML pages (its documented page structure) and Signal's own ``main.jsonl``
(Signal's Backup.proto in proto3 JSON). Every fixture is generated here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fondly.importers import ImportOptions, Tree, detect
from fondly.ingest import import_paths
from fondly.store import Store
from tests.test_import_robust import parse_whatsapp

# -- more layouts ------------------------------------------------------------------


@pytest.mark.parametrize("columnar", [False, True])
@pytest.mark.parametrize(
    "lines",
    [
        [
            "24.12.2023 klo 18.01 - Mummo: Hyvää joulua!",
            "24.12.2023 klo 18.02 - Aino: Kiitos, samoin",
            "25.12.2023 klo 9.15 - Mummo: Huomenta",
        ],
        [
            "[24.12.2023 klo 18.01.05] Mummo: Hyvää joulua!",
            "[24.12.2023 klo 18.02.00] Aino: Kiitos, samoin",
            "[25.12.2023 klo 9.15.30] Mummo: Huomenta",
        ],
    ],
    ids=["android", "ios"],
)
def test_whatsapp_finnish_klo_headers(tmp_path: Path, lines: list[str], columnar: bool) -> None:
    path = tmp_path / "WhatsApp-keskustelu.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    rows, _ = parse_whatsapp(path, columnar=columnar)
    assert [(s, ts.strftime("%Y-%m-%d %H:%M")) for s, ts, _ in rows] == [
        ("Mummo", "2023-12-24 18:01"),
        ("Aino", "2023-12-24 18:02"),
        ("Mummo", "2023-12-25 09:15"),
    ]


def test_line_buddhist_era_years(tmp_path: Path) -> None:
    from datetime import date

    from fondly.importers.line import parse_date_line

    assert parse_date_line("2567.01.02 Tuesday", "mdy") == date(2024, 1, 2)
    assert parse_date_line("Sat, 11/01/2568", "mdy") == date(2025, 11, 1)
    path = tmp_path / "[LINE] Chat history with Som.txt"
    path.write_text(
        "[LINE] Chat history with Som\nSaved on: 2567/01/05 10:00\n\n"
        "2567.01.02 Tuesday\n15:05\tSom\tสวัสดี\n15:06\tAlex\thi!\n",
        "utf-8",
    )
    tree = Tree(path)
    (unit,) = detect(tree)
    conv = next(unit.importer.parse(tree, unit, ImportOptions()))
    assert [m.ts_local for m in conv.messages] == [
        datetime(2024, 1, 2, 15, 5),
        datetime(2024, 1, 2, 15, 6),
    ]
    tree.close()


def _line_conv(path: Path) -> tuple[object, list[object]]:
    tree = Tree(path)
    (unit,) = detect(tree)
    assert unit.importer.name == "line"
    conv = next(unit.importer.parse(tree, unit, ImportOptions()))
    messages = list(conv.messages)
    tree.close()
    return conv, messages


def test_line_thai_one_to_one(tmp_path: Path) -> None:
    """Thai app: Thai header and labels, Thai weekdays before day-first Buddhist-era dates."""
    path = tmp_path / "[LINE] แชทกับ สมชาย.txt"
    path.write_text(
        "[LINE] ประวัติการแชทกับ สมชาย\n"
        "บันทึกเมื่อ 04/12/2568 07:48\n\n"
        # 5/11 is a Wednesday (พ.) only when read day-first.
        "พ. 05/11/2568\n"
        "08:54\tสมชาย\tสวัสดีครับ\n"
        "08:55\tAlex\t[รูป]\n"
        '09:02\tสมชาย\t"บรรทัดแรก\n'
        'บรรทัดสอง"\n\n'
        "วันเสาร์ 29/11/2568\n"
        "10:00\tAlex\t[สติกเกอร์]\n"
        "10:01\t\tAlex ยกเลิกข้อความ\n",
        "utf-8",
    )
    conv, messages = _line_conv(path)
    assert (conv.title, conv.is_group, conv.me_handle) == ("สมชาย", False, "Alex")  # type: ignore[attr-defined]
    assert [(m.sender, m.kind, m.ts_local, m.text) for m in messages] == [  # type: ignore[attr-defined]
        ("สมชาย", "text", datetime(2025, 11, 5, 8, 54), "สวัสดีครับ"),
        ("Alex", "media", datetime(2025, 11, 5, 8, 55), ""),
        ("สมชาย", "text", datetime(2025, 11, 5, 9, 2), "บรรทัดแรก\nบรรทัดสอง"),
        ("Alex", "sticker", datetime(2025, 11, 29, 10, 0), ""),
        (None, "system", datetime(2025, 11, 29, 10, 1), "Alex ยกเลิกข้อความ"),
    ]


def test_line_thai_group_with_year_first_dates(tmp_path: Path) -> None:
    path = tmp_path / "group.txt"
    path.write_text(
        '[LINE] ประวัติการแชทในกลุ่ม "ทริปเชียงใหม่"\n'
        "บันทึกวันที่ 2568/12/21 10:30\n\n"
        "2568.12.20 วันเสาร์\n"
        "22:31\tนก\tไปกี่โมง\n"
        "22:32\tต้น\tแปดโมง\n",
        "utf-8",
    )
    conv, messages = _line_conv(path)
    assert (conv.title, conv.is_group) == ("ทริปเชียงใหม่", True)  # type: ignore[attr-defined]
    assert [m.ts_local for m in messages] == [  # type: ignore[attr-defined]
        datetime(2025, 12, 20, 22, 31),
        datetime(2025, 12, 20, 22, 32),
    ]


def exporter_page(messages: list[str]) -> str:
    """A page shaped as imessage-exporter's HTML output (inline CSS, nested replies)."""
    style = (
        "<style>\n.message { margin: 1%; }\n.message .sent.imessage { color: blue; }\n"
        "span.bubble { white-space: pre-wrap; }\n.announcement { text-align: center; }\n</style>"
    )
    return (
        '<html>\n<head>\n<meta charset="UTF-8">\n' + style + "\n</head>\n<body>\n"
        + "\n".join(messages) + "\n</body></html>"
    )  # fmt: skip


def exporter_message(
    when: str, sender: str, parts: list[str], *, sent: bool = False, extra: str = ""
) -> str:
    side = "sent iMessage" if sent else "received"
    body = "".join(f'<hr><div class="message_part">{p}</div>' for p in parts)
    return (
        f'<div class="message">\n<div class="{side}">\n<p><span class="timestamp">'
        f'<a title="Reveal in Messages app" href="sms://open?message-guid=x">{when}</a> '
        f'</span>\n<span class="sender">{sender}</span></p>\n{body}{extra}\n</div>\n</div>'
    )


def test_imessage_exporter_html(store: Store, tmp_path: Path) -> None:
    reply = exporter_message(
        "May 17, 2022  5:31:00 PM", "Me", ['<span class="bubble">on my way</span>'], sent=True
    )
    first = exporter_message(
        "May 17, 2022  5:29:42 PM (Read by you after 5 seconds)",
        "Sam Doe",
        ['<span class="bubble">dinner at 8? &lt;3 &amp; [bold]</span>'],
        extra=(
            '<div class="reactions"><hr><p>Reactions:</p>'
            '<p><span class="reaction"><b>Loved</b> by Me</span></p></div>'
            f'<div class="replies"><div class="reply">{reply}</div></div>'
        ),
    )
    page = exporter_page(
        [
            first,
            '<div class ="announcement"><p><span class="timestamp">May 17, 2022  5:30:00 PM'
            "</span> You renamed the conversation to <b>Dinner</b></p></div>",
            reply.replace("</span></p>", "</span></p>", 1),
            exporter_message(
                "May 18, 2022 10:02:03 AM",
                "Sam Doe",
                ['<img src="attachments/1/photo.jpeg" loading="lazy">'],
            ),
        ]
    )
    path = tmp_path / "Sam Doe.html"
    path.write_text(page, "utf-8")
    tree = Tree(path)
    (unit,) = detect(tree)
    assert unit.importer.name == "imessage"
    conv = next(unit.importer.parse(tree, unit, ImportOptions()))
    rows = [(m.sender, m.ts_local, m.kind, m.text, m.reactions) for m in conv.messages]
    tree.close()
    assert rows == [
        (
            "Sam Doe",
            datetime(2022, 5, 17, 17, 29, 42),
            "text",
            "dinner at 8? <3 & [bold]",
            [("me", "❤️")],
        ),
        (
            None,
            datetime(2022, 5, 17, 17, 30),
            "system",
            "You renamed the conversation to Dinner",
            [],
        ),
        ("me", datetime(2022, 5, 17, 17, 31), "text", "on my way", []),
        ("Sam Doe", datetime(2022, 5, 18, 10, 2, 3), "media", "", []),
    ]
    assert conv.format == "imessage-html" and conv.key == "txt:Sam Doe"
    assert import_paths(store, [path], ImportOptions()).added == 4


_html_texts = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\x0c"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Me", "Sam Doe", "Kim <K>", "Jo & Co"]),
            st.integers(0, 10**6),
            _html_texts,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_imessage_html_round_trip(rows: list[tuple[str, int, str]]) -> None:
    """Render messages as the exporter does (escaped), parse them back: the same messages."""
    import html
    from datetime import timedelta

    from fondly.importers.imessage_html import parse_exporter_html

    start = datetime(2022, 5, 17, 9, 0, 0)
    page = []
    expected = []
    for sender, offset, text in rows:
        when = start + timedelta(seconds=offset)
        stamp = when.strftime("%b %d, %Y %I:%M:%S %p").replace(" 0", "  ", 1)
        bubble = f'<span class="bubble">{html.escape(text)}</span>'
        page.append(exporter_message(stamp, html.escape(sender), [bubble], sent=sender == "Me"))
        expected.append(("me" if sender == "Me" else sender, when, text))
    got = [
        (m.sender, m.ts_local, m.text)
        for m in parse_exporter_html(iter([exporter_page(page)]), "x.html", "me", {})
    ]
    assert got == expected


def signal_backup_lines() -> list[dict[str, object]]:
    """Frames shaped by Signal's Backup.proto in proto3 JSON (64-bit numbers as strings)."""
    return [
        {"version": "1", "backupTimeMs": "1717000000000"},
        {"account": {"givenName": "Alex", "familyName": "Moss", "username": "alex.01"}},
        {"recipient": {"id": "1", "self": {}}},
        {
            "recipient": {
                "id": "2",
                "contact": {
                    "e164": "4915123456789",
                    "profileGivenName": "Sam",
                    "systemGivenName": "Sam",
                    "systemFamilyName": "Lee",
                },
            }
        },
        {
            "recipient": {
                "id": "3",
                "group": {"masterKey": "bWFzdGVy", "snapshot": {"title": {"title": "Book club"}}},
            }
        },
        {"chat": {"id": "10", "recipientId": "2"}},
        {"chat": {"id": "11", "recipientId": "3"}},
        {
            "chatItem": {
                "chatId": "10",
                "authorId": "2",
                "dateSent": "1716000000000",
                "incoming": {},
                "standardMessage": {
                    "text": {"body": "dinner tonight?"},
                    "reactions": [
                        {"emoji": "👍", "authorId": "1", "sentTimestamp": "1716000005000"}
                    ],
                },
            }
        },
        {
            "chatItem": {
                "chatId": "11",
                "authorId": "1",
                "dateSent": "1716000001000",
                "outgoing": {},
                "standardMessage": {"text": {"body": "chapter 3 done"}},
            }
        },
        {
            "chatItem": {
                "chatId": "10",
                "authorId": "1",
                "dateSent": "1716000060000",
                "outgoing": {},
                "revisions": [{"standardMessage": {"text": {"body": "yse"}}}],
                "standardMessage": {
                    "text": {"body": "yes!"},
                    "quote": {"targetSentTimestamp": "1716000000000", "authorId": "2"},
                },
            }
        },
        {
            "chatItem": {
                "chatId": "10",
                "authorId": "2",
                "dateSent": "1716000120000",
                "incoming": {},
                "standardMessage": {"attachments": [{"pointer": {"contentType": "image/jpeg"}}]},
            }
        },
        {
            "chatItem": {
                "chatId": "10",
                "authorId": "2",
                "dateSent": "1716000180000",
                "incoming": {},
                "updateMessage": {"individualCall": {"type": "AUDIO_CALL"}},
            }
        },
        {
            "chatItem": {
                "chatId": "10",
                "authorId": "2",
                "dateSent": "1716000240000",
                "incoming": {},
                "paymentNotification": {},
            }
        },
    ]


def test_signal_in_app_export_main_jsonl(store: Store, tmp_path: Path) -> None:
    import json

    folder = tmp_path / "signal-export-2024-05-30"
    folder.mkdir()
    path = folder / "main.jsonl"
    path.write_text("\n".join(json.dumps(f) for f in signal_backup_lines()) + "\n", "utf-8")
    (folder / "metadata.json").write_text('{"version": 1}')
    tree = Tree(folder)
    units = detect(tree)
    assert [(u.importer.name, u.entries) for u in units] == [("signal", ["main.jsonl"])]
    convs = list(units[0].importer.parse(tree, units[0], ImportOptions()))
    tree.close()
    sam = next(c for c in convs if not c.is_group)
    assert (sam.title, sam.key, sam.me_handle) == ("Sam Lee", "backup:+4915123456789", "Me")
    rows = [(m.sender, m.ts_ms, m.kind, m.text, m.edited, m.reply_to) for m in sam.messages]
    assert rows == [
        ("+4915123456789", 1716000000000, "text", "dinner tonight?", False, None),
        ("Me", 1716000060000, "text", "yes!", True, "+4915123456789:1716000000000"),
        ("+4915123456789", 1716000120000, "media", "", False, None),
        ("+4915123456789", 1716000180000, "call", "", False, None),
    ]
    assert next(iter(sam.messages)).reactions == [("Me", "👍")]
    group = next(c for c in convs if c.is_group)
    assert (group.title, [m.text for m in group.messages]) == ("Book club", ["chapter 3 done"])
    summary = import_paths(store, [folder], ImportOptions(), keep_going=True)
    assert summary.added == 5 and summary.me == "Alex Moss"
    assert store.query("SELECT count(*) FROM reactions")[0][0] == 1
    assert import_paths(store, [path], ImportOptions()).added == 0


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(0, 10**9), _html_texts),
        min_size=1,
        max_size=10,
        unique_by=lambda r: (r[0], r[1]),
    )
)
def test_signal_backup_round_trip(rows: list[tuple[bool, int, str]]) -> None:
    """Messages written as backup frames and read back: the same senders, instants and text."""
    import json

    from fondly.importers.signal_backup import BackupReader

    frames: list[dict[str, object]] = [
        {"version": "1", "backupTimeMs": "1"},
        {"account": {"givenName": "Alex"}},
        {"recipient": {"id": "1", "self": {}}},
        {"recipient": {"id": "2", "contact": {"aci": "QUNJ", "profileGivenName": "Kim"}}},
        {"chat": {"id": "5", "recipientId": "2"}},
    ]
    start = 1_700_000_000_000
    for mine, offset, text in rows:
        frames.append(
            {
                "chatItem": {
                    "chatId": "5",
                    "authorId": "1" if mine else "2",
                    "dateSent": str(start + offset),
                    "standardMessage": {"text": {"body": text}},
                }
            }
        )
    (conv,) = BackupReader("main.jsonl").read(json.dumps(f) for f in frames)
    got = [(m.sender, m.ts_ms, m.text) for m in conv.messages]
    assert got == [("Me" if mine else "aci:QUNJ", start + off, text) for mine, off, text in rows]
