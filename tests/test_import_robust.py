"""Imports that never lose, merge or refuse a real export (issue 16).

Every fixture is generated here, shaped like what real phones write.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from fondly import AmbiguousDateOrder
from fondly.cli import cli
from fondly.importers import ImportOptions, Tree, detect
from fondly.importers.whatsapp_format import choose_date_order
from fondly.ingest import import_paths
from fondly.store import Store

SECRET = "the secret plan"


def parse_whatsapp(path: Path, options: ImportOptions | None = None, *, columnar: bool = False):  # type: ignore[no-untyped-def]
    """(messages as (sender, wall clock, text), the conversation) for one export file."""
    tree = Tree(path)
    (unit,) = detect(tree)
    conv = next(unit.importer.parse(tree, unit, options or ImportOptions()))
    if columnar:
        rows = []
        for batch in conv.messages.arrow_batches():  # type: ignore[attr-defined]
            data = batch.to_pydict()
            rows.extend(zip(data["sender"], data["ts_local"], data["text"], strict=True))
    else:
        rows = [(m.sender, m.ts_local, m.text) for m in conv.messages]
    tree.close()
    return rows, conv


def twelve_hour_export(path: Path) -> Path:
    """A 12-hour export whose phone wrote "23:59 PM" and "00:04 AM" around midnight."""
    lines = []
    for i in range(24):
        hour = 1 + i % 11
        lines.append(f"1/29/18, {hour}:{i:02d} PM - {'Sam' if i % 2 else 'Robin'}: hello {i}")
    lines.append("1/29/18, 23:59 PM - Robin: almost midnight")
    lines.append("1/30/18, 00:04 AM - Sam: just after")
    lines.append("1/30/18, 00:30 a.m. - Robin: still up")
    for i in range(22):
        lines.append(f"1/30/18, {1 + i % 11}:{i:02d} PM - {'Sam' if i % 2 else 'Robin'}: day {i}")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.mark.parametrize("columnar", [False, True])
def test_impossible_twelve_hour_times_are_read_not_merged(tmp_path: Path, columnar: bool) -> None:
    path = twelve_hour_export(tmp_path / "WhatsApp Chat with Robin.txt")
    rows, conv = parse_whatsapp(path, columnar=columnar)
    assert len(rows) == 49
    by_text = {text: ts for _, ts, text in rows}
    assert by_text["almost midnight"] == datetime(2018, 1, 29, 23, 59)
    assert by_text["just after"] == datetime(2018, 1, 30, 0, 4)
    assert by_text["still up"] == datetime(2018, 1, 30, 0, 30)
    assert max(len(text) for _, _, text in rows) < 20
    assert conv.unread_lines == []


def test_japanese_half_day_markers(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(
        "2021/01/30 午前0:04 - 健: おはよう\n"
        "2021/01/30 午後1:15 - 花子: こんにちは\n"
        "2021/01/30 午後11:59 - 健: おやすみ\n",
        "utf-8",
    )
    rows, _ = parse_whatsapp(path)
    assert [ts for _, ts, _ in rows] == [
        datetime(2021, 1, 30, 0, 4),
        datetime(2021, 1, 30, 13, 15),
        datetime(2021, 1, 30, 23, 59),
    ]


@pytest.mark.parametrize("columnar", [False, True])
def test_header_like_lines_inside_a_message_are_kept_and_reported(
    tmp_path: Path, columnar: bool
) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(
        "20/05/2024, 09:00 - Kim: hi\n"
        f"20/05/2024, 09:01 - Alex: {SECRET}\n"
        "31/02/2024, 09:02 - Kim: an impossible date\n"
        "[20/05/2024, 09:03:00] Kim: another shape\n"
        "20/05/2024, 09:04 - Kim: fine again\n",
        "utf-8",
    )
    rows, conv = parse_whatsapp(path, columnar=columnar)
    assert len(rows) == 3
    assert "an impossible date" in rows[1][2] and "another shape" in rows[1][2]
    assert conv.unread_lines == [3, 4]


def test_import_summary_lists_unread_lines_by_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(
        "20/05/2024, 09:00 - Kim: hi\n20/05/2024, 09:01 - Alex: so\n"
        "20/05/2024, 25:02 - Kim: x\n21/05/2024, 09:04 - Kim: y\n",
        "utf-8",
    )
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "s.duckdb"), "import", str(path), "--no-features"]
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "1 line(s) looked like messages but could not be read" in flat
    assert f"{path}:3" in flat


# -- date order ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "clue", "order", "why"),
    [
        (["01/01/2021", "02/02/2021", "03/03/2021"], None, "dmy", "same either way"),
        # Only month-first keeps these in time order: Jan 2, Jan 5, Feb 1.
        (["01/02/2024", "01/05/2024", "02/01/2024"], None, "mdy", "time order"),
        (["02/01/2024", "05/01/2024", "01/02/2024"], None, "dmy", "time order"),
        (["01/02/2024", "01/02/2024"], "dmy", "dmy", "locale"),
    ],
)
def test_date_order_by_evidence(dates: list[str], clue: str | None, order: str, why: str) -> None:
    found, reason = choose_date_order(iter(dates), "chat.txt", clue)
    assert found == order
    assert why in reason


def test_refusal_names_the_file_only_on_a_true_tie() -> None:
    with pytest.raises(AmbiguousDateOrder) as info:
        choose_date_order(iter(["01/02/2024", "03/04/2024"]), "Chat with Kim.txt")
    assert str(info.value).startswith("Chat with Kim.txt: ")


def test_dotted_dates_are_day_first(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("01.02.24, 10:00 - Sam: a\n01.02.24, 10:05 - Alex: b\n", "utf-8")
    rows, conv = parse_whatsapp(path)
    assert rows[0][1] == datetime(2024, 2, 1, 10, 0)
    assert "day-first" in conv.notes[0]


def test_date_order_per_file_in_a_folder_of_two_locales(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "us.txt").write_text("01/02/2024, 10:00 - Sam: a\n01/02/2024, 10:05 - Al: b\n")
    (folder / "uk.txt").write_text("03/04/2024, 10:00 - Kim: a\n03/04/2024, 10:05 - Al: b\n")
    db = tmp_path / "s.duckdb"
    args = ["--db", str(db), "import", str(folder), "--no-features"]
    result = CliRunner().invoke(
        cli, [*args, "--date-order", "us.txt=mdy", "--date-order", "uk.txt=dmy"]
    )
    assert result.exit_code == 0, result.output
    assert "as given by --date-order" in " ".join(result.output.split())
    with Store(db) as store:
        days = store.query("SELECT DISTINCT ts_local::DATE FROM messages ORDER BY 1")
    assert [d for (d,) in days] == [datetime(2024, 1, 2).date(), datetime(2024, 4, 3).date()]


def test_bad_date_order_value_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("01/02/2024, 10:00 - Sam: a\n")
    result = CliRunner().invoke(cli, ["import", str(path), "--date-order", "chat.txt=dym"])
    assert result.exit_code == 2
    assert "dmy, mdy or ymd" in result.output


# -- folders ---------------------------------------------------------------------


def test_folder_imports_what_it_can_and_reports_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    twelve_hour_export(folder / "WhatsApp Chat with Robin.txt")
    (folder / "broken.txt").write_bytes(f"20/05/2024, 09:00 - Kim: {SECRET}\n\x00\n".encode())
    (folder / "notes.json").write_text('{"shopping": ["milk"]}')
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(folder), "--no-features"])
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "broken.txt" in flat and "failed" in flat and "NUL byte" in flat
    assert "notes.json" in flat and "skipped" in flat
    assert "photo.jpg" not in flat
    assert "1 of 3 file(s) failed" in flat
    assert SECRET not in result.output
    with Store(db) as store:
        assert store.query("SELECT count(*) FROM messages")[0][0] == 49
        assert store.query("SELECT count(*) FROM imports")[0][0] == 1


def test_api_keeps_going_per_unit(store: Store, tmp_path: Path) -> None:
    good = twelve_hour_export(tmp_path / "good.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"20/05/2024, 09:00 - Kim: hi\n\x00\n")
    summary = import_paths(store, [bad, good], ImportOptions(), keep_going=True)
    assert [r.failed for r in summary.results] == [True, False]
    assert summary.results[0].error is not None and summary.results[0].error.startswith(str(bad))
    assert summary.added == 49


# -- who is me -------------------------------------------------------------------


def test_chat_with_x_of_two_people_makes_the_other_me(store: Store, tmp_path: Path) -> None:
    path = twelve_hour_export(tmp_path / "WhatsApp Chat with Robin.txt")
    summary = import_paths(store, [path], ImportOptions())
    assert summary.me == "Sam"


def test_unknown_me_lists_the_names_found(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("20/05/2024, 09:00 - Kim Lee: hi\n20/05/2024, 09:01 - Alex: yo\n")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "s.duckdb"), "import", str(path), "--no-features"]
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Alex" in flat and "Kim Lee" in flat
    assert "fondly me" in flat


# -- undo ------------------------------------------------------------------------


def two_chats(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(exist_ok=True)
    a = folder / "WhatsApp Chat with Kim.txt"
    a.write_text(
        "20/05/2024, 09:00 - Kim: hi\n20/05/2024, 09:01 - Alex: hello Kim\n"
        "21/05/2024, 09:00 - Kim: thanks so much\n",
        "utf-8",
    )
    b = folder / "WhatsApp Chat with Jo.txt"
    b.write_text("22/05/2024, 09:00 - Jo: hey\n22/05/2024, 09:01 - Alex: hey Jo\n", "utf-8")
    return a, b


def test_forget_an_import_removes_it_and_what_hangs_on_it(tmp_path: Path) -> None:
    a, b = two_chats(tmp_path / "exports")
    db = tmp_path / "s.duckdb"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "import", str(a), str(b), "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert store.query("SELECT count(*) FROM message_features")[0][0] == 5
    listed = runner.invoke(cli, ["--db", str(db), "forget"])
    assert listed.exit_code == 0 and "Kim.txt" in listed.output
    declined = runner.invoke(cli, ["--db", str(db), "forget", a.name], input="n\n")
    assert declined.exit_code == 1
    result = runner.invoke(cli, ["--db", str(db), "forget", a.name], input="y\n")
    assert result.exit_code == 0, result.output
    assert "3 message(s)" in result.output
    with Store(db) as store:
        assert store.query("SELECT title FROM conversations") == [("Jo",)]
        assert store.query("SELECT count(*) FROM messages")[0][0] == 2
        assert store.query("SELECT count(*) FROM message_features")[0][0] == 2
        names = {n for (n,) in store.query("SELECT name FROM people")}
        assert "Kim" not in names and "Alex" in names
        assert store.query("SELECT count(*) FROM imports")[0][0] == 1
    again = runner.invoke(cli, ["--db", str(db), "import", str(a), "--no-features"])
    assert again.exit_code == 0 and "3 new" in again.output


def test_forget_a_chat_by_title(store: Store, tmp_path: Path) -> None:
    from fondly.forget import find_conversations, forget

    a, b = two_chats(tmp_path / "exports")
    import_paths(store, [a, b], ImportOptions())
    done = forget(store, conversations=find_conversations(store, "jo"))
    assert (done.messages, done.conversations, done.people) == (2, 1, 1)
    assert store.query("SELECT title FROM conversations") == [("Kim",)]
    # The import that added the chat is gone too, so the file can be read again.
    assert import_paths(store, [b], ImportOptions()).added == 2


def test_replace_reads_a_file_again_with_new_options(tmp_path: Path) -> None:
    a, _ = two_chats(tmp_path / "exports")
    db = tmp_path / "s.duckdb"
    runner = CliRunner()
    base = ["--db", str(db), "import", str(a), "--no-features"]
    assert runner.invoke(cli, [*base, "--tz", "UTC"]).exit_code == 0
    same = runner.invoke(cli, [*base, "--tz", "Asia/Tokyo"])
    assert "already imported" in same.output
    result = runner.invoke(cli, [*base, "--tz", "Asia/Tokyo", "--replace"])
    assert result.exit_code == 0, result.output
    assert "3 new" in result.output
    with Store(db) as store:
        assert store.query("SELECT count(*) FROM imports")[0][0] == 1
        assert store.query("SELECT min(ts_ms) FROM messages")[0][0] == 1716163200000  # 09:00 JST


# -- text is text ----------------------------------------------------------------

HOSTILE = [
    "Jo [/b]",
    "[bold]Kim",
    "[link=https://example.org]Zed",
    "\x1b[31mRed\x1b[0m",
    "Ali\u202eexe.txt",
]


def test_names_print_literally_and_safely(tmp_path: Path) -> None:
    from fondly._display import markup, plain

    assert plain("\x1b[2J\x1b]8;;https://x\x07Ali\u202ece\u0007") == "Alice"
    assert markup("Jo [/b]") == "Jo \\[/b]"
    path = tmp_path / "WhatsApp Chat with Robin [work].txt"
    lines = [f"20/05/2024, 09:0{i} - {name}: hello" for i, name in enumerate(HOSTILE)]
    lines.append("20/05/2024, 09:08 - Robin [work]: hi all")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    db = ["--db", str(tmp_path / "s.duckdb")]
    runner = CliRunner()
    result = runner.invoke(cli, [*db, "import", str(path), "--no-features", "--me", "Jo [/b]"])
    assert result.exit_code == 0, result.output
    for command in (["people"], ["chats"], ["me"], ["people", "suggest"]):
        shown = runner.invoke(cli, [*db, *command], terminal_width=200)
        assert shown.exit_code == 0, (command, shown.output)
        assert "\x1b" not in shown.output and "\u202e" not in shown.output
        if command == ["people"]:
            for literal in ("Jo [/b]", "[bold]Kim", "[link=https://example.org]Zed", "Red"):
                assert literal in shown.output
        if command == ["chats"]:
            assert "Robin [work]" in shown.output
    unknown = runner.invoke(cli, [*db, "report", "\x1b[31mNobody\u202e"])
    assert unknown.exit_code == 2
    assert unknown.output.count("fondly:") == 1
    assert "\x1b" not in unknown.output and "\u202e" not in unknown.output


def test_errors_have_one_prefix_and_say_damaged(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "WhatsApp Chat - Sam.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("_chat.txt", "20/05/2024, 09:00 - Kim: hi\n" * 200)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.duckdb"), "import", str(archive)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("fondly: ")
    assert "damaged or incomplete" in lines[0]
    truncated = tmp_path / "result.json"
    truncated.write_text('{"name": "Sam", "type": "personal_chat", "id": 1, "messages": [{"id"')
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.duckdb"), "import", str(truncated)])
    assert result.exit_code == 2
    assert "damaged or incomplete" in result.output


# -- chats stay apart, minimal layouts ---------------------------------------------


def meta_thread(path: Path, people: list[str], title: str | None, start_ms: int) -> Path:
    """A Messenger thread file as Download Your Information writes it (newest first)."""
    import json

    doc: dict[str, object] = {
        "participants": [{"name": p} for p in people],
        "messages": [
            {
                "sender_name": people[i % 2],
                "timestamp_ms": start_ms - i * 60_000,
                "content": f"m{i}",
            }
            for i in range(3)
        ],
    }
    if title is not None:
        doc["title"] = title
    path.write_text(json.dumps(doc), "utf-8")
    return path


def test_loose_messenger_files_in_one_folder_stay_apart(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "Downloads"
    folder.mkdir()
    meta_thread(folder / "message_1.json", ["Ana", "Me Too"], "Ana", 1_700_000_000_000)
    meta_thread(folder / "message_1 (1).json", ["Ben", "Me Too"], "Ben", 1_700_100_000_000)
    summary = import_paths(store, [folder], ImportOptions(), keep_going=True)
    assert summary.added == 6
    assert store.query("SELECT title FROM conversations ORDER BY title") == [("Ana",), ("Ben",)]
    # The same loose file again lands in the same chat.
    again = tmp_path / "again"
    again.mkdir()
    meta_thread(again / "message_1.json", ["Ana", "Me Too"], "Ana", 1_700_000_500_000)
    import_paths(store, [again], ImportOptions(), keep_going=True)
    assert store.query("SELECT count(*) FROM conversations")[0][0] == 2


def test_loose_copies_of_one_messenger_thread_are_stored_once(store: Store, tmp_path: Path) -> None:
    import json
    import shutil

    folder = tmp_path / "Downloads"
    (folder / "older").mkdir(parents=True)
    meta_thread(folder / "message_1.json", ["Ana", "Me Too"], "Ana", 1_700_000_000_000)
    shutil.copy(folder / "message_1.json", folder / "message_1 (1).json")
    # An older download of the same thread in another folder: the newer one
    # without its newest message, and with one the newer one lacks.
    doc = json.loads((folder / "message_1.json").read_text("utf-8"))
    doc["messages"] = [
        *doc["messages"][1:],
        {"sender_name": "Ana", "timestamp_ms": 1_699_000_000_000, "content": "first"},
    ]
    (folder / "older" / "message_1.json").write_text(json.dumps(doc), "utf-8")
    summary = import_paths(store, [folder], ImportOptions(), keep_going=True)
    assert not summary.failed
    assert store.query("SELECT count(*) FROM conversations")[0][0] == 1
    texts = store.query("SELECT text, count(*) FROM messages GROUP BY text ORDER BY text")
    assert [n for _, n in texts] == [1] * len(texts)
    assert summary.added == 4
    # Another copy later adds nothing.
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(folder / "message_1.json", again / "message_1.json")
    later = import_paths(store, [again], ImportOptions(), keep_going=True)
    assert later.added == 0 and store.query("SELECT count(*) FROM messages")[0][0] == 4


def test_minimal_telegram_and_instagram_exports(store: Store, tmp_path: Path) -> None:
    """The smallest layouts tools write: no chat id, name, participants or message ids."""
    import json

    telegram = tmp_path / "result.json"
    telegram.write_text(
        json.dumps(
            {
                "messages": [
                    {"type": "message", "date_unixtime": "1544006350", "from": "Ana", "text": "hi"},
                    {
                        "type": "message",
                        "date_unixtime": "1544006964",
                        "from": "Ben",
                        "text": [
                            {"type": "bold", "text": "see:"},
                            {"type": "link", "text": "x.org"},
                        ],
                    },
                ]
            }
        ),
        "utf-8",
    )
    instagram = tmp_path / "instagram" / "chat.json"
    instagram.parent.mkdir()
    instagram.write_text(
        json.dumps(
            {
                "messages": [
                    {"sender_name": "Ana L", "timestamp_ms": 1579294140000, "content": "Hello!"},
                    {"sender_name": "Ben I", "timestamp_ms": 1577186580000, "content": "Hey!"},
                ]
            }
        ),
        "utf-8",
    )
    summary = import_paths(store, [telegram, instagram], ImportOptions(), keep_going=True)
    assert [r.error for r in summary.results] == [None, None]
    assert summary.added == 4
    rows = store.query("SELECT platform, title FROM conversations ORDER BY platform")
    assert rows == [("instagram", "Ana L, Ben I"), ("telegram", "Ana, Ben")]
    texts = store.query("SELECT text FROM messages ORDER BY ts_ms")
    assert ("see:x.org",) in texts or ("see: x.org",) in texts
    # The same minimal file again is the same chat: its key is stable.
    copy = tmp_path / "copy" / "result.json"
    copy.parent.mkdir()
    copy.write_text(telegram.read_text("utf-8") + "\n", "utf-8")
    assert import_paths(store, [copy], ImportOptions()).added == 0


def test_hangouts_in_a_folder_is_found_by_content(store: Store, tmp_path: Path) -> None:
    from tests.fixtures.google.exports import write_hangouts_sample

    written = write_hangouts_sample(tmp_path / "takeout")
    folder = tmp_path / "Downloads"
    folder.mkdir()
    (folder / "old-chats-backup.json").write_bytes(written.read_bytes())
    summary = import_paths(store, [folder], ImportOptions(), keep_going=True)
    assert [r.format for r in summary.results] == ["google"]
    assert summary.added > 0


def test_a_handle_that_is_probably_me_is_offered_for_merging(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "WhatsApp Chat with Robin.txt").write_text(
        "20/05/2024, 09:00 - Robin: hi\n20/05/2024, 09:01 - Sam Rivera: hello\n", "utf-8"
    )
    instagram = folder / "instagram" / "inbox" / "robin_1234567"
    instagram.mkdir(parents=True)
    # No title: nothing in this thread says which of the two is the user.
    meta_thread(instagram / "message_1.json", ["Robin", "sam.rivera"], None, 1_700_000_000_000)
    db = ["--db", str(tmp_path / "s.duckdb")]
    runner = CliRunner()
    result = runner.invoke(cli, [*db, "import", str(folder), "--no-features"], terminal_width=200)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "you are Sam Rivera" in flat
    assert "sam.rivera is probably you too" in flat and "fondly people merge" in flat
    # Before the merge, Robin's Instagram chat has no "me": report says what to do.
    with Store(tmp_path / "s.duckdb") as store:
        from fondly.people import me_hints

        (hint,) = me_hints(store)
    assert hint.name == "sam.rivera" and hint.platform == "instagram"


def test_meta_one_to_one_title_names_the_other_person(store: Store, tmp_path: Path) -> None:
    thread = tmp_path / "inbox" / "ana_1234567"
    thread.mkdir(parents=True)
    meta_thread(thread / "message_1.json", ["Ana", "Me Too"], "Ana", 1_700_000_000_000)
    assert import_paths(store, [tmp_path / "inbox"], ImportOptions()).me == "Me Too"


def test_report_for_someone_only_in_chats_without_me_suggests_merge(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "WhatsApp Chat with Robin.txt").write_text(
        "20/05/2024, 09:00 - Robin: hi\n20/05/2024, 09:01 - Sam Rivera: hello\n", "utf-8"
    )
    thread = folder / "instagram" / "inbox" / "kim_7654321"
    thread.mkdir(parents=True)
    meta_thread(thread / "message_1.json", ["Kim", "sam.rivera"], None, 1_700_000_000_000)
    db = ["--db", str(tmp_path / "s.duckdb")]
    runner = CliRunner()
    assert runner.invoke(cli, [*db, "import", str(folder)]).exit_code == 0
    result = runner.invoke(cli, [*db, "report", "Kim"], terminal_width=300)
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "fondly people merge" in flat and "sam.rivera" in flat
    assert flat.count("fondly:") == 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 23), st.integers(0, 59)), min_size=3, max_size=12))
def test_whatsapp_twelve_hour_times_round_trip(times: list[tuple[int, int]]) -> None:
    """A wall clock on a 12-hour clock (``12:05 AM``), or as some phones write it
    (``00:05 AM``, ``23:59 PM``), reads back as the same time."""
    from fondly.importers.whatsapp_format import DateReader

    reader = DateReader("mdy")
    for hour, minute in times:
        half = "PM" if hour >= 12 else "AM"
        expected = (hour * 60 + minute) * 60_000_000
        assert reader.time(f"{(hour % 12) or 12}:{minute:02d} {half}") == expected
        if hour == 0 or hour > 12:
            assert reader.time(f"{hour:02d}:{minute:02d} {half}") == expected


def test_me_confirms_what_changed_and_report_without_me_lists_names(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("20/05/2024, 09:00 - Kim Lee: hi\n20/05/2024, 09:01 - Alex: yo\n", "utf-8")
    db = ["--db", str(tmp_path / "s.duckdb")]
    runner = CliRunner()
    assert runner.invoke(cli, [*db, "import", str(path), "--no-features"]).exit_code == 0
    report = runner.invoke(cli, [*db, "report"], terminal_width=300)
    assert report.exit_code == 2
    assert report.output.count("fondly:") == 1
    assert "Kim Lee" in report.output and "fondly me" in report.output
    result = runner.invoke(cli, [*db, "me", "Alex"], terminal_width=300)
    assert result.exit_code == 0, result.output
    assert "you are Alex (unchanged)" not in result.output
    assert "you are Alex" in result.output and "whatsapp:Alex" in result.output
    again = runner.invoke(cli, [*db, "me", "Kim Lee"], terminal_width=300)
    assert "you are Kim Lee (before: Alex)" in again.output


def _chat_with_bodies(path: Path, bodies: list[str]) -> Path:
    """An Android export with one message per body, a minute apart, Kim and Alex in turn."""
    lines = []
    for i, body in enumerate(bodies):
        lines.append(
            f"20/05/2024, {9 + i // 60:02d}:{i % 60:02d} - {'Alex' if i % 2 else 'Kim'}: {body}"
        )
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _rows(n: int) -> str:
    return "\n".join(f"row {i}" for i in range(n))


@pytest.mark.parametrize("columnar", [False, True])
def test_a_message_far_past_chat_length_is_mentioned(tmp_path: Path, columnar: bool) -> None:
    # A chat of one-liners: 25 lines is far past its usual length (the floor).
    # Blank lines before a header are layout, not a long message.
    path = _chat_with_bodies(tmp_path / "chat.txt", ["hi", _rows(25), "y" + "\n" * 30, "ok"])
    rows, conv = parse_whatsapp(path, columnar=columnar)
    assert len(rows) == 4 and rows[1][2].count("\n") == 24
    (note,) = [n for n in conv.notes if "far past" in n]
    assert f"a message of 25 lines at {path}:2," in note
    assert "row" not in note


@pytest.mark.parametrize("columnar", [False, True])
def test_long_is_relative_to_the_chat_own_messages(tmp_path: Path, columnar: bool) -> None:
    # A chat where every fourth message is a 30-line poem: 250 lines is within
    # ten times its usual length, 400 lines is not.
    bodies = [_rows(30) if i % 4 == 0 else f"line {i}" for i in range(200)]
    bodies[101] = _rows(250)
    bodies[151] = _rows(400)
    path = _chat_with_bodies(tmp_path / "poems.txt", bodies)
    rows, conv = parse_whatsapp(path, columnar=columnar)
    assert len(rows) == 200
    flagged = [n for n in conv.notes if "far past" in n]
    assert len(flagged) == 1 and "a message of 400 lines" in flagged[0]
    assert "flagged from 300 lines" in flagged[0]


def test_summary_names_the_long_message_file_and_line(tmp_path: Path) -> None:
    path = _chat_with_bodies(tmp_path / "chat.txt", ["hi", "yo", _rows(40), "ok"])
    db = ["--db", str(tmp_path / "s.duckdb")]
    result = CliRunner().invoke(
        cli, [*db, "import", str(path), "--no-features"], terminal_width=400
    )
    assert result.exit_code == 0, result.output
    assert f"a message of 40 lines at {path}:3" in " ".join(result.output.split())


def test_zips_inside_a_folder_are_opened(store: Store, tmp_path: Path) -> None:
    import zipfile

    folder = tmp_path / "Downloads"
    folder.mkdir()
    with zipfile.ZipFile(folder / "WhatsApp Chat - Kim.zip", "w") as zf:
        zf.writestr(
            "_chat.txt", "[20/05/2024, 09:00:00] Kim: hi\n[20/05/2024, 09:01:00] Alex: yo\n"
        )
    twelve_hour_export(folder / "WhatsApp Chat with Robin.txt")
    summary = import_paths(store, [folder], ImportOptions(), keep_going=True)
    assert sorted(r.source.rsplit("/", 1)[-1] for r in summary.results) == [
        "WhatsApp Chat - Kim.zip!_chat.txt",
        "WhatsApp Chat with Robin.txt",
    ]
    assert summary.added == 51


def test_a_parser_bug_in_one_file_spares_the_others(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fondly.importers import generic

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError(SECRET)

    monkeypatch.setattr(generic.IMPORTER, "parse", broken)
    folder = tmp_path / "exports"
    folder.mkdir()
    twelve_hour_export(folder / "WhatsApp Chat with Robin.txt")
    (folder / "chat.csv").write_text("chat,sender,timestamp,text\nKim,Kim,2024-06-01T10:00:00,hi\n")
    summary = import_paths(store, [folder], ImportOptions(), keep_going=True)
    errors = [r.error for r in summary.results if r.error]
    assert len(errors) == 1 and "(KeyError)" in errors[0] and "chat.csv" in errors[0]
    assert SECRET not in errors[0]
    assert summary.added == 49
    with pytest.raises(KeyError):
        import_paths(store, [folder / "chat.csv"], ImportOptions(), keep_going=True, debug=True)


def test_report_says_when_chats_have_no_me(tmp_path: Path) -> None:
    """Chats where the user wrote under another name are named in one line, with the fix."""
    (tmp_path / "in").mkdir()
    lines = {
        "a.txt": [("Sam", "hi Robin"), ("Robin", "hi Sam")],
        "b.txt": [("sam.r", "hey Kim"), ("Kim", "hey")],
        "c.txt": [("Lee", "yo"), ("sam.r", "yo Lee")],
    }
    for name, rows in lines.items():
        (tmp_path / "in" / name).write_text(
            "".join(f"20/05/2024, 09:0{i} - {who}: {text}\n" for i, (who, text) in enumerate(rows)),
            "utf-8",
        )
    db = ["--db", str(tmp_path / "s.duckdb")]
    runner = CliRunner()
    imported = runner.invoke(cli, [*db, "import", str(tmp_path / "in"), "--me", "Sam"])
    assert imported.exit_code == 0, imported.output
    report = runner.invoke(cli, [*db, "report"], terminal_width=300)
    assert report.exit_code == 0, report.output
    said = " ".join(report.output.split())
    assert "2 chat(s) have no one marked as you" in said
    assert 'fondly people merge "Sam" "sam.r"' in said
    merged = runner.invoke(cli, [*db, "people", "merge", "Sam", "sam.r"])
    assert merged.exit_code == 0, merged.output
    again = runner.invoke(cli, [*db, "report"], terminal_width=300)
    assert "marked as you" not in again.output


def test_a_handle_joined_to_me_leaves_no_empty_person(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "WhatsApp Chat with Robin.txt").write_text(
        "20/05/2024, 09:00 - Sam: hi\n20/05/2024, 09:01 - Robin: yo\n", "utf-8"
    )
    (folder / "WhatsApp Chat with Kim.txt").write_text(
        "21/05/2024, 09:00 - Sam W: hi\n21/05/2024, 09:01 - Kim: yo\n", "utf-8"
    )
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        summary = import_paths(store, [folder], ImportOptions(), keep_going=True)
        assert summary.me in ("Sam", "Sam W")
        assert store.query(
            "SELECT count(*) FROM people p WHERE NOT EXISTS "
            "(SELECT 1 FROM handles h WHERE h.person_id = p.person_id)"
        ) == [(0,)]
        assert store.query("SELECT count(*) FROM people WHERE is_me") == [(1,)]
    runner = CliRunner()
    forgot = runner.invoke(
        cli, ["--db", str(db), "forget", "WhatsApp Chat with Kim.txt", "--yes"], terminal_width=300
    )
    assert forgot.exit_code == 0, forgot.output
    # Kim went with the file; "me" keeps its other handle.
    assert "1 person(s) left without messages" in " ".join(forgot.output.split())


def test_a_json_cut_before_its_keys_is_called_damaged(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "result.json").write_text('{"messages": [', "utf-8")
    (folder / "settings.json").write_text('{"theme": "dark"}', "utf-8")
    cut_chat = '{"name": "Sam", "type": "personal_chat", "id": 1, "messages": [{"id": 1, "ty'
    (folder / "single.json").write_text(cut_chat, "utf-8")
    db = ["--db", str(tmp_path / "s.duckdb")]
    runner = CliRunner()
    alone = runner.invoke(cli, [*db, "import", str(folder / "result.json")], terminal_width=300)
    assert alone.exit_code != 0
    assert "result.json: damaged or incomplete JSON" in alone.output
    assert alone.output.count("fondly:") == 1
    listed = runner.invoke(cli, [*db, "import", str(folder)], env={"COLUMNS": "400"})
    said = " ".join(listed.output.split())
    assert "skipped: damaged or incomplete JSON" in said
    assert "skipped: not a chat export fondly knows" in said  # settings.json
    assert "failed: at messages[0]: damaged or incomplete JSON" in said


def test_the_rest_of_a_full_export_is_one_row(tmp_path: Path) -> None:
    """Facebook's export is mostly not chats: its other files are counted, not listed."""
    import json
    import zipfile

    downloads = tmp_path / "Downloads"
    export = downloads / "facebook-sam"
    thread = export / "messages" / "inbox" / "ana_1234567"
    thread.mkdir(parents=True)
    meta_thread(thread / "message_1.json", ["Ana", "Sam"], "Ana", 1_700_000_000_000)
    for folder in ("ads_information", "apps_and_websites", "profile_information"):
        (export / folder).mkdir()
        for i in range(3):
            (export / folder / f"part_{i}.json").write_text(json.dumps({"v": i}), "utf-8")
    (downloads / "notes.txt").write_text("shopping", "utf-8")
    with zipfile.ZipFile(downloads / "facebook-sam.zip", "w") as zf:
        for path in sorted(export.rglob("*.json")):
            zf.write(path, path.relative_to(export).as_posix())
    with Store(tmp_path / "s.duckdb") as store:
        summary = import_paths(store, [downloads], ImportOptions(), keep_going=True)
    skipped = sorted((r.source.rsplit("/", 1)[-1], r.skipped) for r in summary.results if r.skipped)
    assert skipped == [
        ("facebook-sam", "9 other file(s) of this export hold no chats"),
        ("facebook-sam.zip", "9 other file(s) of this export hold no chats"),
        ("notes.txt", "not a chat export fondly knows"),
    ]
    assert summary.added == 3 and not summary.failed
