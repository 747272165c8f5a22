"""Which messages still need features: found among the newest imports, or else among all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fondly.cli import cli
from fondly.features import update_store
from fondly.features._pending import _UNSCORED_SQL, unscored
from fondly.store import Store
from tests.conftest import write_generic_csv


def _import(db: Path, tmp: Path, chat: str, n: int, *, features: bool) -> None:
    rows = [
        (chat, chat, f"2024-06-{1 + i // 60:02d}T10:{i % 60:02d}:00", f"hi {i}") for i in range(n)
    ]
    rows += [
        (chat, "Alex", f"2024-06-{1 + i // 60:02d}T11:{i % 60:02d}:00", "ok?") for i in range(n)
    ]
    csv = write_generic_csv(tmp / f"{chat}.csv", rows)
    args = ["--db", str(db), "import", str(csv), "--tz", "UTC", "--me", "Alex"]
    got = CliRunner().invoke(cli, args + ([] if features else ["--no-features"]))
    assert got.exit_code == 0, got.output


@pytest.mark.parametrize(
    ("forget_from", "full_read"),
    [(None, False), ("Kim", False), ("Sam", True)],
    ids=["only the newest import", "the one before too", "the oldest: every message read"],
)
def test_unscored_messages_are_all_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forget_from: str | None, full_read: bool
) -> None:
    db = tmp_path / "f.duckdb"
    _import(db, tmp_path, "Sam", 90, features=True)
    _import(db, tmp_path, "Kim", 70, features=True)
    if forget_from is not None:  # some older messages lose their features rows
        with Store(db) as store:
            store.execute(
                "DELETE FROM message_features WHERE message_id IN (SELECT m.message_id "
                "FROM messages m JOIN conversations c USING (conversation_id) "
                f"WHERE c.title = '{forget_from}' ORDER BY m.ts_ms LIMIT 25)"
            )
    _import(db, tmp_path, "Robin", 40, features=False)
    with Store(db) as store:
        every = {r[0] for r in store.query(_UNSCORED_SQL)}
        read: list[str] = []
        arrow = store.arrow
        monkeypatch.setattr(store, "arrow", lambda sql, *a: read.append(sql) or arrow(sql, *a))
        found = unscored(store)
        assert set(found["message_id"].to_pylist()) == every
        assert len(every) == 80 + (25 if forget_from else 0)
        assert (_UNSCORED_SQL in read) == full_read
        monkeypatch.undo()
        assert update_store(store) == len(every)
        assert unscored(store).num_rows == 0
        assert store.query(_UNSCORED_SQL) == []


def test_nothing_unscored_reads_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "f.duckdb"
    _import(db, tmp_path, "Sam", 30, features=True)
    with Store(db) as store:
        read: list[Any] = []
        monkeypatch.setattr(store, "arrow", lambda *a: read.append(a))
        assert unscored(store).num_rows == 0
        assert read == []
