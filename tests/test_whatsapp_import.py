"""WhatsApp exports through ingest and the CLI: idempotent, incremental, atomic, clear errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from fondly import AmbiguousDateOrder, ParseError
from fondly.cli import cli
from fondly.demo.model import DemoChat, DemoMessage
from fondly.demo.whatsapp_writer import write_export
from fondly.importers import ImportOptions
from fondly.importers.whatsapp_scan import ColumnarMessages
from fondly.ingest import import_paths
from fondly.store import Store
from tests.test_ingest import snapshot

SECRET = "the secret plan"


def chat(n: int = 6, group: bool = False) -> DemoChat:
    t = datetime(2024, 5, 20, 9, 0)
    others = ["Sam Okafor", "~ Kim Lee"] if group else ["Sam Okafor"]
    people = ["Alex", *others]
    msgs = [
        DemoMessage(t + timedelta(hours=7 * i), people[i % len(people)], f"message {i}\nline two")
        for i in range(n)
    ]
    return DemoChat("Trip: Lisbon" if group else "Sam Okafor", "Alex", others, msgs)


def test_import_stores_messages_people_and_kinds(store: Store, tmp_path: Path) -> None:
    c = chat(4, group=True)
    c.messages.append(DemoMessage(datetime(2024, 6, 2, 10), "Sam Okafor", "", kind="media"))
    path = write_export(c, tmp_path, "android_24h_dmy")
    summary = import_paths(store, [path], ImportOptions(tz="Europe/Berlin", me="Alex"))
    assert summary.results[0].format == "whatsapp"
    assert summary.added == 5 + 4  # messages + notice, created, 2 added
    assert summary.me == "Alex"
    rows = store.query("SELECT title, is_group FROM conversations")
    assert rows == [("Trip: Lisbon", True)]
    kinds = dict(store.query("SELECT kind, count(*) FROM messages GROUP BY kind"))
    assert kinds == {"text": 4, "media": 1, "system": 4}
    assert (
        store.query("SELECT count(*) FROM messages WHERE kind = 'system' AND handle_id IS NULL")[0][
            0
        ]
        == 4
    )
    first = store.query(
        "SELECT ts_local, ts_ms, text FROM messages WHERE kind = 'text' ORDER BY seq"
    )[0]
    assert first == (datetime(2024, 5, 20, 9, 0), 1716188400000, "message 0\nline two")  # CEST


def test_literal_you_is_me(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat mit Oma.txt"
    path.write_text(
        "24.12.23, 18:01 - Oma: Frohe Weihnachten!\n24.12.23, 18:02 - Du: Danke!\n", "utf-8"
    )
    summary = import_paths(store, [path], ImportOptions())
    assert summary.me == "Du"


def test_reimport_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = write_export(chat(), tmp_path, "ios_24h_dmy", zip=True)
    import_paths(store, [path], ImportOptions())
    before = snapshot(store)
    again = import_paths(store, [path], ImportOptions())
    assert again.results[0].already_imported and again.added == 0
    after = snapshot(store)
    assert before["messages"] == after["messages"]
    # The same chat exported as a bare .txt is a different file with the same messages.
    txt = write_export(chat(), tmp_path / "txt", "ios_24h_dmy")
    assert import_paths(store, [txt], ImportOptions()).added == 0


def test_longer_export_adds_only_new_messages(store: Store, tmp_path: Path) -> None:
    old = write_export(chat(6), tmp_path / "old", "android_12h_mdy")
    new = write_export(chat(10), tmp_path / "new", "android_12h_mdy")
    assert import_paths(store, [old], ImportOptions()).added == 7  # with the notice
    assert import_paths(store, [new], ImportOptions()).added == 4
    assert store.query("SELECT count(*) FROM conversations")[0][0] == 1
    assert store.query("SELECT count(*) FROM messages")[0][0] == 11


def test_bad_file_leaves_store_unchanged_and_says_where(store: Store, tmp_path: Path) -> None:
    good = write_export(chat(), tmp_path / "good", "android_24h_dmy")
    import_paths(store, [good], ImportOptions())
    before = snapshot(store)
    newer = write_export(chat(9), tmp_path / "newer", "android_24h_dmy")
    bad = tmp_path / "WhatsApp Chat with Kim.txt"
    bad.write_bytes(
        f"20/05/2024, 09:00 - Kim: {SECRET}\n20/05/2024, 09:01 - Kim: x\x00y\n".encode()
    )
    with pytest.raises(ParseError) as info:
        import_paths(store, [newer, bad], ImportOptions())
    assert str(info.value).startswith(f"{bad}:2: ")
    assert SECRET not in str(info.value)
    assert snapshot(store) == before


def test_text_before_the_first_header(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("\n\n20/05/2024, 09:00 - Kim: hi\n", "utf-8")  # blank lines are fine
    assert import_paths(store, [path], ImportOptions()).added == 1
    forced = tmp_path / "notes.txt"
    forced.write_text(f"{SECRET}\n20/05/2024, 09:00 - Kim: hi\n20/05/2024, 09:01 - A: b\n", "utf-8")
    with pytest.raises(ParseError) as info:
        import_paths(store, [forced], ImportOptions())
    assert str(info.value) == f"{forced}:1: text before the first message header"


def test_ambiguous_date_order_is_an_error_naming_the_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with Sam.txt"
    path.write_text("01/02/2024, 10:00 - Sam: a\n01/02/2024, 10:05 - Alex: b\n", "utf-8")
    with pytest.raises(AmbiguousDateOrder) as info:
        import_paths(store, [path], ImportOptions())
    assert str(info.value).startswith(str(path))
    assert "--date-order" in str(info.value)
    assert store.query("SELECT count(*) FROM messages")[0][0] == 0
    assert import_paths(store, [path], ImportOptions(date_order="mdy")).added == 2


def test_columnar_path_stores_what_the_message_path_stores(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = chat(12, group=True)
    c.messages.append(c.messages[-1])  # two identical bubbles stay two messages
    path = write_export(c, tmp_path, "ios_12h_mdy_u202f", zip=True)
    fast = Store(tmp_path / "fast.duckdb")
    import_paths(fast, [path], ImportOptions(tz="America/New_York"))
    monkeypatch.delattr(ColumnarMessages, "arrow_batches")
    slow = Store(tmp_path / "slow.duckdb")
    import_paths(slow, [path], ImportOptions(tz="America/New_York"))
    query = "SELECT * EXCLUDE (import_id) FROM messages ORDER BY seq"
    assert fast.query(query) == slow.query(query)
    assert len(fast.query(query)) == 13 + 4
    fast.close()
    slow.close()


def test_cli_import(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "cli.duckdb"
    path = write_export(chat(), tmp_path, "german_dotted")
    args = ["--db", str(db), "import", str(path), "--no-features", "--tz", "Europe/Berlin"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "whatsapp" in result.output and "7 new" in result.output
    again = runner.invoke(cli, args)
    assert again.exit_code == 0 and "already imported" in again.output


def test_cli_error_is_one_line_without_message_text(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "WhatsApp Chat with Kim.txt"
    bad.write_bytes(f"20/05/2024, 09:00 - Kim: {SECRET}\n\x00\n".encode())
    result = runner.invoke(cli, ["--db", str(tmp_path / "x.duckdb"), "import", str(bad)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert lines == [f"fondly: {bad}:2: binary data (a NUL byte) in a text export"]
    assert SECRET not in result.output


def test_cli_ambiguous_then_date_order(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "WhatsApp Chat with Sam.txt"
    path.write_text("01/02/2024, 10:00 - Sam: a\n01/02/2024, 10:05 - Alex: b\n", "utf-8")
    db = ["--db", str(tmp_path / "y.duckdb")]
    result = runner.invoke(cli, [*db, "import", str(path), "--no-features"])
    assert result.exit_code == 2 and "--date-order" in result.output
    result = runner.invoke(cli, [*db, "import", str(path), "--no-features", "--date-order", "dmy"])
    assert result.exit_code == 0, result.output
