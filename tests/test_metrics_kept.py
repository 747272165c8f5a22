"""Kept units: a report read from them equals one built from scratch, and stale ones go unused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fondly.cli import cli
from fondly.metrics import compute, keep_units, kept
from fondly.metrics._compute import _params, features_sql, render
from fondly.metrics.engines import DuckDBEngine
from fondly.metrics.registry import units
from fondly.people import merge
from fondly.store import Store
from tests.conftest import write_generic_csv
from tests.synthetic import demo_corpus


@pytest.fixture
def corpus(store: Store) -> Store:
    demo_corpus(store, n_people=4, n_messages=3000, seed=11)
    return store


def kept_tables(store: Store) -> set[str]:
    rows = store.query(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND table_name LIKE 'kept_%'"
    )
    return {r[0] for r in rows}


def read_kept(
    store: Store, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> tuple[dict[str, Any], list[str]]:
    """compute() with a note of which units it read from kept tables."""
    read: list[str] = []
    original = DuckDBEngine.materialize

    def noting(self: DuckDBEngine, name: str, sql: str, *, lazy: bool = False) -> None:
        if kept.PREFIX in sql:
            read.append(name)
        original(self, name, sql, lazy=lazy)

    with monkeypatch.context() as patch:
        patch.setattr(DuckDBEngine, "materialize", noting)
        result = compute(store, **options)
    return result, read


def test_kept_units_give_the_same_report(corpus: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert keep_units(corpus)
    assert kept_tables(corpus) == {kept.table(u) for u in kept.KEPT} | {kept.STATE_TABLE}
    result, read = read_kept(corpus, monkeypatch)
    assert read == list(kept.KEPT)
    assert result == compute(corpus, use_kept=False)
    assert len(result["relationships"]) == 4


def test_kept_units_work_on_a_read_only_store(db_path: Path) -> None:
    with Store(db_path) as store:
        demo_corpus(store, n_people=3, n_messages=1500, seed=5)
        keep_units(store)
        expected = compute(store, use_kept=False)
    with Store(db_path, read_only=True) as store:
        assert compute(store) == expected


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE message_features SET affection = NOT affection WHERE message_id IN "
        "(SELECT message_id FROM message_features ORDER BY message_id LIMIT 40)",
        "UPDATE messages SET ts_ms = ts_ms + 3600000 WHERE message_id IN "
        "(SELECT message_id FROM messages ORDER BY message_id LIMIT 40)",
        "DELETE FROM messages WHERE message_id IN "
        "(SELECT message_id FROM messages ORDER BY message_id DESC LIMIT 40)",
        "UPDATE conversations SET is_group = TRUE WHERE conversation_id = "
        "(SELECT min(conversation_id) FROM conversations)",
    ],
    ids=["a feature", "a timestamp", "deleted messages", "a chat turned group"],
)
def test_a_changed_store_is_reported_from_scratch(
    corpus: Store, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_units(corpus)
    corpus.execute(change)
    result, read = read_kept(corpus, monkeypatch)
    assert read == []
    assert result == compute(corpus, use_kept=False)


def test_a_merge_makes_kept_units_stale(corpus: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    keep_units(corpus)
    merge(corpus, "Friend 001", "Friend 002")
    result, read = read_kept(corpus, monkeypatch)
    assert read == []
    assert len(result["relationships"]) == 3


def test_another_gap_builds_units_live(corpus: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    keep_units(corpus)
    result, read = read_kept(corpus, monkeypatch, gap_minutes=30)
    assert read == []
    assert result == compute(corpus, use_kept=False, gap_minutes=30)


@pytest.mark.parametrize("person", ["Friend 001", "Friend 004"])
def test_one_persons_report_reads_its_rows_of_the_kept_units(
    corpus: Store, person: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep_units(corpus)
    result, read = read_kept(corpus, monkeypatch, person=person)
    assert read == list(kept.KEPT)
    assert [r["person"]["name"] for r in result["relationships"]] == [person]
    assert result == compute(corpus, use_kept=False, person=person)


def test_the_code_key_follows_the_definitions(corpus: Store) -> None:
    engine = DuckDBEngine(corpus)
    me = corpus.query("SELECT person_id FROM people WHERE is_me")[0][0]
    sqls = {u.name: render(u.sql, _params(engine, me, None, 120)) for u in units()}
    keep_units(corpus)
    assert kept.current(corpus, sqls, features_sql(engine))
    changed = {**sqls, "turns": sqls["turns"] + " "}
    assert not kept.current(corpus, changed, features_sql(engine))


def test_no_user_no_kept_units(store: Store) -> None:
    store.execute("INSERT INTO people VALUES (1, 'Sam', FALSE)")
    assert not keep_units(store)
    assert kept_tables(store) == set()


def test_import_keeps_units_unless_features_are_skipped(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        ("Sam", "Alex", "2024-05-01T21:04:00", "how did the interview go?"),
        ("Sam", "Sam", "2024-05-01T21:10:00", "it went great, they offered me the job!!"),
        ("Sam", "Alex", "2024-05-01T21:11:00", "congrats!! so proud of you"),
    ]
    path = write_generic_csv(tmp_path / "chat.csv", rows)
    bare = tmp_path / "bare.duckdb"
    result = runner.invoke(cli, ["--db", str(bare), "import", str(path), "--no-features"])
    assert result.exit_code == 0, result.output
    with Store(bare, read_only=True) as store:
        assert kept_tables(store) == set()
    result = runner.invoke(cli, ["--db", str(bare), "features"])
    assert result.exit_code == 0, result.output
    full = tmp_path / "full.duckdb"
    result = runner.invoke(cli, ["--db", str(full), "import", str(path)])
    assert result.exit_code == 0, result.output
    for db in (bare, full):
        with Store(db, read_only=True) as store:
            result, read = read_kept(store, monkeypatch)
            assert read == list(kept.KEPT)
            assert result == compute(store, use_kept=False)
