"""update_store: only missing messages, per-detector versions, follow-ups, `fondly features`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner

from fondly.cli import cli
from fondly.features import registry, update_store
from fondly.store import Store

ME, SAM = 1, 2
CHAT = [
    (SAM, "text", "I have my driving exam tomorrow, so nervous"),
    (ME, "text", "good luck!! what time is the exam?"),
    (SAM, "text", "at 9"),
    (ME, "media", None),
    (ME, "text", "what's for dinner?"),
    (SAM, "text", "thanks ❤️"),
    (SAM, "system", "Sam changed the group photo"),
]


def add_messages(store: Store, rows: list[tuple[int, str, str | None]], start: int = 0) -> None:
    records = [
        {
            "message_id": f"m{start + i}",
            "conversation_id": 1,
            "handle_id": handle,
            "ts_ms": 60_000 * (start + i),
            "ts_local": dt.datetime(2024, 5, 1) + dt.timedelta(minutes=start + i),
            "tz_offset_min": 0,
            "seq": start + i,
            "kind": kind,
            "media_type": None,
            "text": text,
            "edited": False,
            "reply_to": None,
            "source_id": None,
            "import_id": 1,
        }
        for i, (handle, kind, text) in enumerate(rows)
    ]
    store.register("test_rows", pa.Table.from_pylist(records))
    store.execute("INSERT INTO messages SELECT * FROM test_rows")
    store.unregister("test_rows")


def feature(store: Store, message_id: str, column: str) -> object:
    return store.query(f"SELECT {column} FROM message_features WHERE message_id = ?", [message_id])[
        0
    ][0]


def test_every_message_gets_one_row_with_contract_columns(store: Store) -> None:
    add_messages(store, CHAT)
    assert update_store(store) == len(CHAT)
    assert store.query("SELECT count(*), count(DISTINCT message_id) FROM message_features") == [
        (len(CHAT), len(CHAT))
    ]
    for column in registry.columns():
        assert column in store.columns("message_features")
    assert dict(store.query("SELECT feature, version FROM feature_versions")) == registry.versions()


def test_non_text_messages_get_nulls(store: Store) -> None:
    add_messages(store, CHAT)
    update_store(store)
    for mid in ("m3", "m6"):
        row = store.query_dicts("SELECT * FROM message_features WHERE message_id = ?", [mid])[0]
        assert all(v is None for k, v in row.items() if k != "message_id"), mid


def test_only_missing_messages_are_computed(store: Store) -> None:
    add_messages(store, CHAT[:3])
    assert update_store(store) == 3
    assert update_store(store) == 0
    add_messages(store, CHAT[3:], start=3)
    assert update_store(store) == len(CHAT) - 3


def test_followup_questions_pick_up_the_other_turn(store: Store) -> None:
    add_messages(store, CHAT)
    update_store(store)
    assert feature(store, "m1", "is_followup") is True  # "exam" picks up Sam's turn
    assert feature(store, "m4", "is_followup") is False  # same turn, new topic
    assert feature(store, "m2", "is_followup") is False  # not a question
    assert feature(store, "m3", "is_followup") is None  # media


def test_bumping_one_version_recomputes_only_its_columns(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_messages(store, CHAT)
    update_store(store)
    store.execute("UPDATE message_features SET gratitude = NULL, affection = NULL")
    bumped = [
        dataclasses.replace(f, version="999") if f.name == "gratitude" else f
        for f in registry.FEATURES
    ]
    monkeypatch.setattr(registry, "FEATURES", bumped)
    monkeypatch.setattr(registry, "BY_NAME", {f.name: f for f in bumped})
    assert update_store(store) == len(CHAT)
    assert feature(store, "m5", "gratitude") is True
    assert feature(store, "m5", "affection") is None  # untouched: its version did not change
    assert dict(store.query("SELECT * FROM feature_versions"))["gratitude"] == "999"


def test_dependents_are_recomputed_with_their_dependency() -> None:
    assert "negativity" in registry.with_dependents({"sentiment"})
    assert "gratitude" not in registry.with_dependents({"sentiment"})
    assert registry.with_dependents({"language"}) == set(registry.BY_NAME)


def test_force_recomputes_everything(store: Store) -> None:
    add_messages(store, CHAT)
    update_store(store)
    store.execute("UPDATE message_features SET affection = NULL, is_followup = NULL")
    assert update_store(store, force=True) == len(CHAT)
    assert feature(store, "m5", "affection") is True
    assert feature(store, "m1", "is_followup") is True


def test_fondly_features_command(db_path: Path) -> None:
    with Store(db_path) as s:
        add_messages(s, CHAT)
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db_path), "features", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["features_computed"] == len(CHAT)
    again = runner.invoke(cli, ["--db", str(db_path), "features", "--json"])
    assert json.loads(again.stdout)["features_computed"] == 0
    forced = runner.invoke(cli, ["--db", str(db_path), "features", "--force", "--json"])
    assert json.loads(forced.stdout)["features_computed"] == len(CHAT)


def test_parallel_scoring_matches_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from fondly.features import _scoring

    texts = pa.array([f"thanks {i}, see you at {i % 12}?" for i in range(60)] + ["haha", "❤️"])
    names = list(registry.BY_NAME)
    expected = registry.compute(texts, names)
    monkeypatch.setattr(_scoring, "PARALLEL_MIN", 0)
    monkeypatch.setattr(_scoring, "CHUNK_MIN", 10)
    monkeypatch.setattr(_scoring, "_workers", lambda: 2)
    got = _scoring.compute_many(texts, names)
    for column, values in expected.items():
        assert got[column].to_pylist() == values.to_pylist(), column


IMPORT_ROWS = [
    ("Sam", "Sam", "2024-06-01T10:00:00", "I have an interview tomorrow"),
    ("Sam", "Alex", "2024-06-01T10:01:00", "good luck! what is the interview for?"),
    ("Sam", "Sam", "2024-06-01T10:02:00", "thanks ❤️"),
]


def test_import_computes_features_and_no_features_defers_them(tmp_path: Path) -> None:
    from tests.conftest import write_generic_csv

    runner = CliRunner()
    csv_path = write_generic_csv(tmp_path / "chat.csv", IMPORT_ROWS)
    db = tmp_path / "with.duckdb"
    result = runner.invoke(cli, ["--db", str(db), "import", str(csv_path), "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    with Store(db) as s:
        assert s.query("SELECT count(*), count(lang) FROM message_features") == [(3, 3)]
        assert s.query("SELECT count(*) FROM message_features WHERE is_followup") == [(1,)]

    deferred = tmp_path / "without.duckdb"
    args = ["--db", str(deferred), "import", str(csv_path), "--tz", "UTC", "--no-features"]
    assert runner.invoke(cli, args).exit_code == 0
    with Store(deferred) as s:
        assert s.query("SELECT count(*) FROM message_features") == [(0,)]
    result = runner.invoke(cli, ["--db", str(deferred), "features", "--json"])
    assert json.loads(result.stdout)["features_computed"] == 3
