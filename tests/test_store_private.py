"""The store at rest: owner-only files, encryption with DuckDB's own AES, no stray temp files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fondly import _private
from fondly.cli import cli
from fondly.store import Store, is_encrypted
from fondly.store._store import INSECURE_CRYPTO_FOR_TESTS
from tests.conftest import write_generic_csv

SECRET = "qzvsecret the surprise party is on friday"
ROWS = [
    ("Sam", "Alex", "2024-05-01T21:04:00", "hey! how was the interview?"),
    ("Sam", "Sam", "2024-05-01T21:10:00", SECRET),
    ("Sam", "Alex", "2024-05-01T21:11:00", "congrats!! so proud of you"),
]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _import(runner: CliRunner, db: Path, chat: Path, *extra: str) -> None:
    got = runner.invoke(cli, ["--db", str(db), "import", str(chat), "--tz", "UTC", *extra])
    assert got.exit_code == 0, got.output


@pytest.fixture
def chat(tmp_path: Path) -> Path:
    return write_generic_csv(tmp_path / "chat.csv", ROWS)


@pytest.fixture
def unsafe_crypto(monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB writes encrypted files only with OpenSSL (httpfs); tests use its MbedTLS path."""
    monkeypatch.setenv(INSECURE_CRYPTO_FOR_TESTS, "1")


# -- owner-only ---------------------------------------------------------------------


def test_everything_fondly_writes_is_owner_only(
    runner: CliRunner, tmp_path: Path, chat: Path
) -> None:
    old = os.umask(0o022)
    try:
        db = tmp_path / "new-folder" / "fondly.duckdb"
        _import(runner, db, chat)
        out = tmp_path / "out"
        html = out / "r.html"
        for args in (
            ["report", "Sam", "--html", str(html)],
            ["report", "--html", str(out / "overview.html")],
            ["report", "Sam", "--redact", "--html", str(out / "shared.html")],
            *(
                ["export", "messages", "--format", fmt, "--out", str(out / f"m.{fmt}")]
                for fmt in ("csv", "jsonl", "parquet")
            ),
            ["export", "corpus", "--out", str(out / "corpus")],
        ):
            got = runner.invoke(cli, ["--db", str(db), *args])
            assert got.exit_code == 0, got.output
    finally:
        os.umask(old)
    assert _mode(db) == 0o600
    assert _mode(db.parent) == 0o700
    written = sorted(out.rglob("*"))
    assert len(written) >= 7, written
    for path in [out, *written]:
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
    assert not [p for p in written if p.name.endswith(".tmp")], "a temporary file survived"


def test_facade_writes_are_owner_only(tmp_path: Path, chat: Path) -> None:
    """The Python facade is used from other programs: their umask must not widen its files."""
    from fondly.api import Fondly

    old = os.umask(0o022)
    try:
        fondly = Fondly(tmp_path / "store" / "fondly.duckdb")
        fondly.import_([chat], tz="UTC", me="Alex")
        written = [
            *fondly.export(tmp_path / "x" / "m.csv"),
            *fondly.export(tmp_path / "x" / "m.jsonl", format="jsonl"),
            *fondly.export(tmp_path / "x" / "m.parquet", format="parquet"),
            *fondly.export(tmp_path / "x" / "corpus", what="corpus"),
        ]
    finally:
        os.umask(old)
    assert os.umask(old) == old, "the caller's umask is left as it was"
    for path in [tmp_path / "store" / "fondly.duckdb", tmp_path / "x", *written]:
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path


def test_html_writer_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report written over a killed writer's leftover removes it; a failed write leaves none."""
    target = tmp_path / "report.html"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    leftover = tmp_path / f".report.html.{int(dead.stdout)}.tmp"
    leftover.write_text("half a report, with message text")
    other = tmp_path / f".other.html.{int(dead.stdout)}.tmp"
    other.write_text("not ours to judge")
    _private.write_private(target, "<p>ok</p>")
    assert target.read_text() == "<p>ok</p>" and _mode(target) == 0o600
    assert not leftover.exists(), "the killed writer's copy was removed"
    assert other.exists(), "only the file being written is cleaned"

    def broken(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(_private.os, "replace", broken)
    with pytest.raises(OSError):
        _private.write_private(target, "<p>new</p>")
    assert target.read_text() == "<p>ok</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "report.html"]


def test_store_tightens_an_existing_file(tmp_path: Path) -> None:
    db = tmp_path / "loose.duckdb"
    Store(db).close()
    db.chmod(0o644)
    Store(db).close()
    assert _mode(db) == 0o600


# -- scratch folder -----------------------------------------------------------------


def test_duckdb_spills_into_the_scratch_folder_beside_the_store(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        (temp_dir,) = store.query("SELECT current_setting('temp_directory')")[0]
        assert Path(temp_dir).parent == _private.scratch_root(db)
        assert _private.scratch_dir() == temp_dir
        assert _mode(Path(temp_dir)) == 0o700
    assert not _private.scratch_root(db).exists(), "a clean close leaves nothing behind"


def test_scratch_left_by_a_killed_process_is_removed_on_start(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    stale = _private.scratch_root(db) / f"{int(dead.stdout)}-0"
    stale.mkdir(parents=True)
    (stale / "spill.tmp").write_text(SECRET)
    with Store(db):
        assert not stale.exists()
    assert not _private.scratch_root(db).exists()


# -- encryption ---------------------------------------------------------------------


def test_encrypted_store_hides_text_and_needs_its_key(
    runner: CliRunner,
    tmp_path: Path,
    chat: Path,
    unsafe_crypto: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "sealed.duckdb"
    monkeypatch.setenv("FONDLY_KEY", "correct horse ‘battery’ \\staple")
    _import(runner, db, chat, "--encrypt")
    assert is_encrypted(db)
    raw = db.read_bytes() + (Path(f"{db}.wal").read_bytes() if Path(f"{db}.wal").exists() else b"")
    assert b"qzvsecret" not in raw and b"surprise party" not in raw
    for args in (["chats"], ["report", "Sam"], ["report", "--json"], ["people"]):
        got = runner.invoke(cli, ["--db", str(db), *args])
        assert got.exit_code == 0, (args, got.output)

    monkeypatch.setenv("FONDLY_KEY", "wrong")
    for args in (["chats"], ["report", "Sam"], ["import", str(chat)]):
        got = runner.invoke(cli, ["--db", str(db), *args])
        assert got.exit_code == 1, got.output
        assert got.output.strip().count("\n") == 0 and "wrong key" in got.output
        assert "Traceback" not in got.output

    monkeypatch.delenv("FONDLY_KEY")
    got = runner.invoke(cli, ["--db", str(db), "report", "Sam"])
    assert got.exit_code == 1
    assert "encrypted" in got.output and "FONDLY_KEY" in got.output
    assert got.output.strip().count("\n") == 0


def test_encrypt_turns_an_existing_plain_store_into_an_encrypted_one(
    runner: CliRunner,
    tmp_path: Path,
    chat: Path,
    unsafe_crypto: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "s.duckdb"
    _import(runner, db, chat)
    assert not is_encrypted(db)
    with Store(db, read_only=True) as store:
        before = store.query("SELECT message_id, text FROM messages ORDER BY 1")
    monkeypatch.setenv("FONDLY_KEY", "k3y")
    _import(runner, db, chat, "--encrypt")
    assert is_encrypted(db)
    assert b"qzvsecret" not in db.read_bytes()
    assert not Path(f"{db}.wal").exists() or b"qzvsecret" not in Path(f"{db}.wal").read_bytes()
    with Store(db, read_only=True, key="k3y") as store:
        assert store.query("SELECT message_id, text FROM messages ORDER BY 1") == before


def test_writing_encrypted_without_openssl_is_one_clear_line(
    runner: CliRunner, tmp_path: Path, chat: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(INSECURE_CRYPTO_FOR_TESTS, raising=False)
    monkeypatch.setenv("FONDLY_KEY", "k3y")
    db = tmp_path / "s.duckdb"
    got = runner.invoke(cli, ["--db", str(db), "import", str(chat), "--encrypt"])
    try:
        import duckdb

        duckdb.connect().execute("LOAD httpfs")
        pytest.skip("httpfs is installed here: encrypted writes work for real")
    except duckdb.Error:
        pass
    assert got.exit_code == 1
    assert "httpfs" in got.output and got.output.strip().count("\n") == 0


def test_without_openssl_an_encrypted_store_is_read_and_never_written(
    runner: CliRunner, tmp_path: Path, chat: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What SECURITY.md promises where DuckDB's httpfs is missing: reading works, and every
    command that would write says so in one line and leaves the store as it was."""
    import duckdb

    try:
        duckdb.connect().execute("LOAD httpfs")
        pytest.skip("httpfs is installed here: encrypted writes work for real")
    except duckdb.Error:
        pass
    monkeypatch.setenv("FONDLY_KEY", "k3y")
    db = tmp_path / "sealed.duckdb"
    monkeypatch.setenv(INSECURE_CRYPTO_FOR_TESTS, "1")  # made once, with the test-only crypto
    _import(runner, db, chat, "--encrypt")
    monkeypatch.delenv(INSECURE_CRYPTO_FOR_TESTS)
    before = db.read_bytes()
    for args in (["chats"], ["people"], ["report", "Sam"], ["report", "--json", "--redact"]):
        got = runner.invoke(cli, ["--db", str(db), *args])
        assert got.exit_code == 0, (args, got.output)
    for args in (["import", str(chat), "--tz", "UTC"], ["features"], ["me", "Alex"]):
        got = runner.invoke(cli, ["--db", str(db), *args])
        assert got.exit_code == 1, (args, got.output)
        assert "httpfs" in got.output and "read" in got.output, got.output
        assert got.output.strip().count("\n") == 0 and "Traceback" not in got.output
    assert db.read_bytes() == before, "a refused write left the store as it was"
