"""``fondly export messages`` and ``fondly export corpus``: the data out again, unchanged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from fondly.cli import cli
from fondly.store import Store
from tests.synthetic import demo_corpus


def make_store(path: Path) -> int:
    with Store(path) as store:
        demo_corpus(store, n_people=2, n_messages=300)
        return int(store.query("SELECT count(*) FROM messages")[0][0])


def test_messages_as_csv_on_stdout(tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "s.duckdb"
    n = make_store(db)
    result = runner.invoke(cli, ["--db", str(db), "export", "messages", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == n
    assert {"message_id", "sender", "ts_utc", "ts_local", "text", "is_group"} <= set(rows[0])


def test_messages_as_jsonl_and_parquet_files(tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "s.duckdb"
    n = make_store(db)
    out = tmp_path / "m.jsonl"
    result = runner.invoke(
        cli, ["--db", str(db), "export", "messages", "--format", "jsonl", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == n
    assert json.loads(lines[0])["message_id"]
    pq_out = tmp_path / "m.parquet"
    result = runner.invoke(
        cli, ["--db", str(db), "export", "messages", "--format", "parquet", "--out", str(pq_out)]
    )
    assert result.exit_code == 0, result.output
    assert pq.read_table(pq_out).num_rows == n


def test_parquet_needs_a_file(tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "s.duckdb"
    make_store(db)
    result = runner.invoke(cli, ["--db", str(db), "export", "messages", "--format", "parquet"])
    assert result.exit_code == 2
    assert "--out" in result.stderr


def test_corpus_writes_every_table(tmp_path: Path, runner: CliRunner) -> None:
    db = tmp_path / "s.duckdb"
    n = make_store(db)
    out = tmp_path / "corpus"
    result = runner.invoke(cli, ["--db", str(db), "export", "corpus", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"{t}.parquet"
        for t in (
            "messages",
            "handles",
            "people",
            "conversations",
            "conversation_members",
            "message_features",
        )
    )
    assert pq.read_table(out / "messages.parquet").num_rows == n
    assert "sentiment" in pq.read_table(out / "message_features.parquet").column_names
