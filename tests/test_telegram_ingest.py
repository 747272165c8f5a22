"""Telegram exports through ingest: idempotent, incremental, zone-correct, chat selection."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fondly.cli import cli
from fondly.importers import ImportOptions
from fondly.ingest import import_paths
from fondly.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "telegram"


def write_chat(path: Path, messages: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {"name": "Sam Example", "type": "personal_chat", "id": 4242, "messages": messages}
        ),
        "utf-8",
    )
    return path


def message(i: int, *, unixtime: bool = True) -> dict[str, Any]:
    """The i-th message of a chat, one hour apart, with a +2 h wall clock."""
    record: dict[str, Any] = {
        "id": i,
        "type": "message",
        "date": f"2024-05-01T{10 + i:02d}:00:00",
        "from": "Sam Example" if i % 2 else "Alex Demo",
        "from_id": "user2" if i % 2 else "user1",
        "text": f"message {i}",
    }
    if unixtime:
        record["date_unixtime"] = str(1714550400 + i * 3600)  # 08:00 UTC + i hours
    return record


def test_reimport_adds_nothing_and_newer_export_adds_only_new(store: Store, tmp_path: Path) -> None:
    first = write_chat(tmp_path / "a" / "result.json", [message(i) for i in range(1, 4)])
    assert import_paths(store, [first], ImportOptions()).added == 3
    assert import_paths(store, [first], ImportOptions()).added == 0
    newer = write_chat(tmp_path / "b" / "result.json", [message(i) for i in range(1, 6)])
    summary = import_paths(store, [newer], ImportOptions())
    assert summary.added == 2
    assert store.query("SELECT count(*), count(DISTINCT conversation_id) FROM messages")[0] == (
        5,
        1,
    )


def test_unixtime_and_date_give_instant_and_offset(store: Store, tmp_path: Path) -> None:
    path = write_chat(tmp_path / "result.json", [message(1)])
    import_paths(store, [path], ImportOptions(tz="America/New_York"))  # --tz is not needed
    ts_ms, local, offset = store.query("SELECT ts_ms, ts_local, tz_offset_min FROM messages")[0]
    assert ts_ms == (1714550400 + 3600) * 1000
    assert local == datetime(2024, 5, 1, 11, 0)
    assert offset == 120


def test_date_only_is_read_in_the_given_zone(store: Store, tmp_path: Path) -> None:
    path = write_chat(tmp_path / "result.json", [message(1, unixtime=False)])
    import_paths(store, [path], ImportOptions(tz="Europe/Berlin"))
    ts_ms, local, offset = store.query("SELECT ts_ms, ts_local, tz_offset_min FROM messages")[0]
    assert local == datetime(2024, 5, 1, 11, 0)
    assert offset == 120  # CEST
    assert ts_ms == int(datetime.fromisoformat("2024-05-01T09:00:00+00:00").timestamp() * 1000)


def test_full_account_marks_me_keeps_phones_and_replies(store: Store) -> None:
    summary = import_paths(store, [FIXTURES / "full_account.json"], ImportOptions())
    assert summary.me == "Alex Demo"
    phones = dict(store.query("SELECT handle, phone FROM handles WHERE platform = 'telegram'"))
    assert phones["user1"] == "+491510000001" and phones["user2"] == "+491510000002"
    assert phones["user3"] is None
    titles = {r[0] for r in store.query("SELECT title FROM conversations")}
    assert titles == {"Sam Example", "Book Club", "Old Group"}
    [(reply_to, target)] = store.query(
        "SELECT m.reply_to, t.message_id FROM messages m "
        "JOIN messages t ON t.message_id = m.reply_to"
    )
    assert reply_to == target
    kinds = dict(store.query("SELECT kind, count(*) FROM messages GROUP BY kind"))
    assert kinds == {"text": 5, "system": 1}


def test_single_chat_reactions_reach_the_store(store: Store) -> None:
    import_paths(store, [FIXTURES / "single_chat.json"], ImportOptions())
    rows = store.query(
        "SELECT h.handle, r.reaction FROM reactions r JOIN handles h USING (handle_id)"
    )
    assert rows == [("user2", "❤")]


def test_cli_chat_selection(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    args = ["--db", str(db), "import", "--no-features", "--tz", "UTC", "--json"]
    result = runner.invoke(cli, [*args, "--chat", "Book Club", str(FIXTURES / "full_account.json")])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert store.query("SELECT title FROM conversations") == [("Book Club",)]
    args[1] = str(tmp_path / "other.duckdb")
    result = runner.invoke(cli, [*args, "--chat", "Nobody", str(FIXTURES / "full_account.json")])
    assert result.exit_code == 2
    assert "no chat named nobody" in result.output


def test_reactors_keep_their_names_and_old_contacts_match_by_name(
    store: Store, tmp_path: Path
) -> None:
    """A reaction before someone's first message must not leave them named by their id."""
    first = message(2)  # from Alex (user1)
    first["reactions"] = [
        {
            "type": "emoji",
            "count": 2,
            "emoji": "👍",
            "recent": [
                {"from": "Sam Example", "from_id": "user2", "date": first["date"]},
                {"from": "Robin Sample", "from_id": "user3", "date": first["date"]},
            ],
        }
    ]
    chat = {"name": "Trio", "type": "private_group", "id": 5, "messages": [first, message(3)]}
    export = {
        "about": "",
        # An export from before contacts carried user ids: matched by full name.
        "contacts": {
            "about": "",
            "list": [{"first_name": "Sam", "last_name": "Example", "phone_number": "+1 555 0100"}],
        },
        "chats": {"about": "", "list": [chat]},
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export), "utf-8")
    import_paths(store, [path], ImportOptions())
    rows = store.query(
        "SELECT h.handle, p.name, h.phone FROM handles h JOIN people p USING (person_id) "
        "ORDER BY h.handle"
    )
    assert rows == [
        ("user1", "Alex Demo", None),
        ("user2", "Sam Example", "+15550100"),
        ("user3", "Robin Sample", None),
    ]
    assert store.query("SELECT count(*) FROM reactions") == [(2,)]


def test_another_chat_selection_of_the_same_file_is_imported(store: Store) -> None:
    path = FIXTURES / "full_account.json"
    first = import_paths(store, [path], ImportOptions(chats=["Sam Example"]))
    assert not first.results[0].already_imported
    n_first = store.query("SELECT count(*) FROM messages")[0][0]
    # The same file with another selection is a new import, not "already imported".
    second = import_paths(store, [path], ImportOptions(chats=["book club"]))
    assert not second.results[0].already_imported
    assert second.added > 0
    assert store.query("SELECT count(*) FROM messages")[0][0] == n_first + second.added
    # The same selection again (in another order and case) is still a no-op.
    again = import_paths(store, [path], ImportOptions(chats=["BOOK CLUB"]))
    assert again.results[0].already_imported and again.added == 0


def test_spilled_staging_keeps_reactions(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import fondly.ingest._stage

    monkeypatch.setattr(fondly.ingest._stage, "_HOLD_BYTES", 0)
    import_paths(store, [FIXTURES / "full_account.json"], ImportOptions())
    spilled = (
        store.query("SELECT count(*) FROM messages")[0][0],
        store.query("SELECT count(*) FROM reactions")[0][0],
    )
    monkeypatch.undo()
    with Store(":memory:") as other:
        import_paths(other, [FIXTURES / "full_account.json"], ImportOptions())
        held = (
            other.query("SELECT count(*) FROM messages")[0][0],
            other.query("SELECT count(*) FROM reactions")[0][0],
        )
    assert spilled == held
