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


def test_a_store_from_a_newer_duckdb_is_one_clear_line(tmp_path: Path) -> None:
    """fondly used DuckDB 2.0 before the 1.5.5 pin; this DuckDB cannot read those stores.
    DuckDB 1.5.5's own message for one (its checksummed header cannot be forged here)."""
    import duckdb

    from fondly.store._store import _store_error

    said = (
        "IO Error: Trying to read a database file with version number 999, but we can only "
        "read versions between 64 and 68.\nThe database file was created with an newer "
        "version of DuckDB."
    )
    line = str(_store_error(str(tmp_path / "old.duckdb"), duckdb.IOException(said), None))
    assert "newer DuckDB" in line and "import your exports again" in line
    assert "\n" not in line and "999" not in line


def test_a_damaged_store_is_damaged_not_busy(runner: CliRunner, tmp_path: Path, chat: Path) -> None:
    """DuckDB says "checksum ... in block at location 0": a damaged file, not a lock."""
    db = tmp_path / "locks" / "fondly.duckdb"
    _import(runner, db, chat)
    data = bytearray(db.read_bytes())
    data[12] ^= 0xFF  # inside the header the checksum covers
    db.write_bytes(bytes(data))
    got = runner.invoke(cli, ["--db", str(db), "chats"])
    assert got.exit_code == 1
    assert "damaged" in got.output and "busy" not in got.output, got.output
    assert got.output.strip().count("\n") == 0


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
#
# Encrypted stores are written for real here: DuckDB's httpfs extension (OpenSSL) comes
# with the pinned duckdb-extension-httpfs wheel and fondly loads it from that file.

MARKERS = ("zqxmarkname", "zqxmarktext", "zqxmarktitle", "zqxmarkfile")


def _marked_chat(folder: Path) -> Path:
    """A chat whose name, sender, messages and file name each carry a unique marker."""
    rows = [
        (f"Trip {MARKERS[2]}", f"Sam {MARKERS[0]}", f"2024-05-0{d}T21:0{d}:00", text)
        for d, text in (
            (1, f"hey! the {MARKERS[1]} plan is on friday"),
            (2, f"so happy for you {MARKERS[1]}!!"),
        )
    ]
    rows += [
        (f"Trip {MARKERS[2]}", "Alex", f"2024-05-0{d}T22:00:00", f"thank you {MARKERS[1]} ❤️")
        for d in (1, 2, 3)
    ]
    return write_generic_csv(folder / f"chat-{MARKERS[3]}.csv", rows)


def _bytes_beside(db: Path) -> bytes:
    """Every byte of the store, its log and anything left in its scratch folder."""
    files = [db, Path(f"{db}.wal"), *_private.scratch_root(db).rglob("*")]
    return b"".join(p.read_bytes() for p in files if p.is_file())


def _no_marker(data: bytes, where: str) -> None:
    lowered = data.lower()
    found = [m for m in MARKERS if m.encode() in lowered]
    assert not found, f"{found} in {where}"


def test_httpfs_comes_from_the_pinned_package_never_the_network() -> None:
    import duckdb
    import duckdb_extension_httpfs

    from fondly.store._store import connection_config, httpfs_path

    found = httpfs_path()
    assert found is not None and found.is_file()
    assert Path(duckdb_extension_httpfs.__file__).parent in found.parents
    assert f"v{duckdb.__version__}" in found.parts
    config = connection_config()
    assert config["autoinstall_known_extensions"] is False
    assert config["autoload_known_extensions"] is False


def test_every_writing_command_keeps_an_encrypted_store_sealed(
    runner: CliRunner,
    tmp_path: Path,
    chat: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_network: object,
) -> None:
    """Import with --encrypt, then every command that writes, offline: after each one the
    store still needs the key and no marker (names, text, title, file name) is in its bytes,
    its write-ahead log or its scratch folder."""
    db = tmp_path / "sealed.duckdb"
    monkeypatch.setenv("FONDLY_KEY", "correct horse ‘battery’ \\staple")
    marked = _marked_chat(tmp_path)
    other = write_generic_csv(
        tmp_path / "other.csv",
        [
            ("Book club", "Sam T", "2024-05-02T10:00:00", "see you at 7"),
            ("Book club", "Alex", "2024-05-02T10:05:00", "great, see you"),
        ],
    )
    monkeypatch.delenv("FONDLY_KEY")
    plain = tmp_path / "plain.duckdb"
    _import(runner, plain, marked, "--me", "Alex")
    lowered = _bytes_beside(plain).lower()
    assert all(m.encode() in lowered for m in MARKERS), "a plain store shows every marker"
    monkeypatch.setenv("FONDLY_KEY", "correct horse ‘battery’ \\staple")
    _import(runner, db, marked, "--encrypt", "--me", "Alex")
    writes = [
        ["import", str(chat), "--tz", "UTC"],
        ["import", str(other), "--tz", "UTC", "--encrypt"],
        ["features", "--force"],
        ["me", "Alex"],
        ["people", "merge", "Sam", "Sam T"],
        ["people", "split", "Sam"],
        ["import", str(other), "--tz", "UTC", "--replace"],
        ["forget", str(other), "--yes"],
    ]
    for args in writes:
        got = runner.invoke(cli, ["--db", str(db), *args])
        assert got.exit_code == 0, (args, got.output)
        assert is_encrypted(db), args
        _no_marker(_bytes_beside(db), f"the store after {args[0]}")
    for args in (
        ["chats"],
        ["people"],
        ["report", f"Sam {MARKERS[0]}"],
        ["report", "--json"],
        ["export", "messages", "--format", "jsonl"],
    ):
        got = runner.invoke(cli, ["--db", str(db), *args])
        assert got.exit_code == 0, (args, got.output)
    assert MARKERS[1] in got.output, "the key opens what the store holds"
    assert "the store is encrypted, the exported files are not" in got.output
    with Store(db, read_only=True, key="correct horse ‘battery’ \\staple") as store:
        assert store.query("SELECT count(*) FROM messages")[0][0] == 8
    assert not _private.scratch_root(db).exists()


def test_spill_files_of_an_encrypted_store_are_encrypted(tmp_path: Path) -> None:
    """A sort bigger than memory spills to the scratch folder: never in plain text."""
    import threading

    db = tmp_path / "sealed.duckdb"
    seen: list[bytes] = []
    with Store(db, key="k3y") as store:
        store.execute("SET memory_limit = '80MB'")
        store.execute("SET threads = 1")
        store.execute("SET preserve_insertion_order = false")
        store.execute(
            f"CREATE TABLE big AS SELECT '{MARKERS[1]}' || i::VARCHAR || repeat('x', 200) AS t, "
            "hash(i) AS r FROM range(600000) r(i)"
        )
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                for path in _private.scratch_root(db).rglob("*"):
                    try:
                        if path.is_file():
                            seen.append(path.read_bytes())
                    except OSError:
                        pass  # removed while being read

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            store.execute("CREATE TABLE sorted AS SELECT * FROM big ORDER BY r")
        finally:
            stop.set()
            watcher.join()
        (spilled,) = store.query("SELECT current_setting('temp_file_encryption')")[0]
    assert spilled is True
    assert seen, "the sort spilled to the scratch folder"
    _no_marker(b"".join(seen), "a spill file")
    _no_marker(_bytes_beside(db), "the store")


@pytest.mark.parametrize("key", [None, "k3y"], ids=["plain", "encrypted"])
def test_the_write_ahead_log_follows_the_store(tmp_path: Path, key: str | None) -> None:
    """Changes not yet checkpointed sit in the .wal file: plain for a plain store (so the
    check can fail), encrypted for an encrypted one."""
    db = tmp_path / "s.duckdb"
    with Store(db, key=key) as store:
        store.execute("SET checkpoint_threshold = '1GB'")  # keep the change in the log
        store.execute(f"CREATE TABLE t AS SELECT '{MARKERS[1]}' || i AS t FROM range(100) r(i)")
        wal = Path(f"{db}.wal").read_bytes()
        assert wal, "the change is in the log"
        assert (MARKERS[1].encode() in wal) is (key is None)


def test_wrong_or_missing_key_is_one_line(
    runner: CliRunner, tmp_path: Path, chat: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "sealed.duckdb"
    monkeypatch.setenv("FONDLY_KEY", "k3y")
    _import(runner, db, chat, "--encrypt")
    monkeypatch.setenv("FONDLY_KEY", "wrong")
    for args in (["chats"], ["report", "Sam"], ["import", str(chat)], ["features"], ["app"]):
        got = runner.invoke(cli, ["--db", str(db), *args])
        assert got.exit_code == 1, (args, got.output)
        assert got.output.strip().count("\n") == 0 and "wrong key" in got.output, got.output
        assert "Traceback" not in got.output and "wrong" not in got.output.split("key")[1:]

    monkeypatch.delenv("FONDLY_KEY")
    for args in (["report", "Sam"], ["me", "Alex"], ["app", "--no-browser"]):
        got = runner.invoke(cli, ["--db", str(db), *args])
        assert got.exit_code == 1, (args, got.output)
        assert "encrypted" in got.output and "FONDLY_KEY" in got.output
        assert got.output.strip().count("\n") == 0


def test_a_report_asks_for_the_key_once(
    runner: CliRunner, tmp_path: Path, chat: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a terminal without FONDLY_KEY, one prompt serves every opening of the store."""
    import click

    from fondly.cli import _common

    db = tmp_path / "sealed.duckdb"
    monkeypatch.setenv("FONDLY_KEY", "k3y")
    _import(runner, db, chat, "--encrypt")
    monkeypatch.delenv("FONDLY_KEY")
    asked: list[str] = []

    def prompt(text: str, **kwargs: object) -> str:
        asked.append(text)
        return "k3y"

    monkeypatch.setattr(_common, "at_terminal", lambda: True)
    monkeypatch.setattr(click, "prompt", prompt)
    for args in (["report", "Sam"], ["me", "Alex"], ["report", "--json"]):
        asked.clear()
        got = runner.invoke(cli, ["--db", str(db), *args])
        assert got.exit_code == 0, (args, got.output)
        assert len(asked) == 1, (args, asked)
        assert "k3y" not in got.output


def test_encrypt_turns_an_existing_plain_store_into_an_encrypted_one(
    runner: CliRunner, tmp_path: Path, chat: Path, monkeypatch: pytest.MonkeyPatch
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
    assert not Path(f"{db}.encrypting").exists()
    assert not _private.scratch_root(db).exists()
    with Store(db, read_only=True, key="k3y") as store:
        assert store.query("SELECT message_id, text FROM messages ORDER BY 1") == before


def test_without_httpfs_an_encrypted_store_is_read_and_never_written(
    runner: CliRunner, tmp_path: Path, chat: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the extension is missing (fondly installed without its pinned wheel): reading
    works with DuckDB's built-in crypto, and every command that would write says so in one
    line and leaves the store as it was."""
    from fondly.store import _store

    monkeypatch.setenv("FONDLY_KEY", "k3y")
    db = tmp_path / "sealed.duckdb"
    _import(runner, db, chat, "--encrypt")
    monkeypatch.setattr(_store, "httpfs_path", lambda: None)
    before = db.read_bytes()
    for args in (["chats"], ["people"], ["report", "Sam"], ["report", "--json", "--redact"]):
        got = runner.invoke(cli, ["--db", str(db), *args])
        assert got.exit_code == 0, (args, got.output)
    plain = tmp_path / "plain.duckdb"
    for target, args in (
        (db, ["import", str(chat), "--tz", "UTC"]),
        (db, ["features"]),
        (db, ["me", "Alex"]),
        (plain, ["import", str(chat), "--encrypt"]),
    ):
        got = runner.invoke(cli, ["--db", str(target), *args])
        assert got.exit_code == 1, (args, got.output)
        assert "httpfs" in got.output and "duckdb-extension-httpfs" in got.output, got.output
        assert got.output.strip().count("\n") == 0 and "Traceback" not in got.output
    assert db.read_bytes() == before, "a refused write left the store as it was"


def test_the_app_opens_and_writes_an_encrypted_store(
    tmp_path: Path, chat: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's pages read an encrypted store with the key given at start (never in a
    URL), and its writes (an upload, "me", forgetting a chat) keep it sealed."""
    from starlette.testclient import TestClient

    from fondly.api import Fondly
    from fondly.app import create_app

    key, token, port = "app k3y ✓", "app-test-token-0123456789", 8767
    db = tmp_path / "sealed.duckdb"
    Fondly(db, key=key).import_([chat], tz="UTC", me="Alex")
    assert is_encrypted(db)
    origin = {"origin": f"http://127.0.0.1:{port}"}
    app = create_app(Fondly(db, key=key), token=token, port=port)
    with TestClient(app, base_url=f"http://127.0.0.1:{port}") as client:
        assert client.get(f"/?token={token}", follow_redirects=False).status_code == 303
        assert "Sam" in client.get("/").text
        assert "qzvsecret" in client.get("/search?q=surprise").text
        marked = _marked_chat(tmp_path)
        with marked.open("rb") as fh:
            answer = client.post(
                "/import",
                files=[("files", (marked.name, fh, "text/csv"))],
                data={"tz": "UTC"},
                headers=origin,
            )
        assert answer.status_code == 200 and "imported" in answer.text, answer.text
        assert client.post("/settings/me", data={"name": "Alex"}, headers=origin).is_success
        chats = {c.title: c.id for c in Fondly(db, key=key).chats()}
        forget = {"chat": str(chats["Sam"])}
        assert client.post("/settings/forget", data=forget, headers=origin).is_success
        assert MARKERS[1] in client.get(f"/search?q={MARKERS[1]}").text
    assert is_encrypted(db)
    _no_marker(_bytes_beside(db), "the store after the app's writes")
    assert b"qzvsecret" not in _bytes_beside(db)
    assert sorted(c.title for c in Fondly(db, key=key).chats()) == [f"Trip {MARKERS[2]}"]
    # the wrong key is one line in the page, not a traceback
    wrong = create_app(Fondly(db, key="nope"), token=token, port=port)
    with TestClient(wrong, base_url=f"http://127.0.0.1:{port}") as client:
        client.get(f"/?token={token}", follow_redirects=False)
        page = client.get("/search?q=x")
        assert page.status_code == 500 and "wrong key for this encrypted store" in page.text
        assert "Traceback" not in page.text and "nope" not in page.text


@pytest.mark.slow
def test_sigkill_during_an_encrypted_import_leaves_all_or_none(tmp_path: Path) -> None:
    """An encrypted store killed mid-import (its write-ahead log encrypted too) opens with
    its key, holds all or none of that import, and a rerun equals a clean import."""
    import random
    import shutil
    import signal
    import time

    from fondly.demo import whatsapp_writer
    from fondly.demo.story import JORDAN, SAM, generate

    key = "crash k3y"
    chats = {c.title: c for c in generate(7)}
    paths = {
        t: whatsapp_writer.write_export(chats[t], tmp_path, "android_24h_dmy")
        for t in (SAM, JORDAN)
    }
    env = dict(os.environ, FONDLY_KEY=key, NO_COLOR="1")
    code = "from fondly.cli import main; main()"

    def start(db: Path, title: str, *extra: str) -> subprocess.Popen[bytes]:
        args = ["--db", str(db), "import", str(paths[title]), "--tz", "UTC", "--me", "Alex Morgan"]
        return subprocess.Popen(
            [sys.executable, "-c", code, *args, *extra],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )

    def run(db: Path, title: str, *extra: str) -> None:
        child = start(db, title, *extra)
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err.decode(errors="replace")

    def state(db: Path) -> tuple[object, ...]:
        with Store(db, read_only=True, key=key) as store:
            return tuple(
                store.query(
                    "SELECT count(*), sum(hash(message_id, ts_ms, text)) FROM messages "
                    "UNION ALL SELECT count(*), NULL FROM message_features "
                    "UNION ALL SELECT count(*), NULL FROM imports"
                )
            )

    base = tmp_path / "base" / "s.duckdb"
    base.parent.mkdir()
    run(base, SAM, "--encrypt")
    clean = tmp_path / "clean" / "s.duckdb"
    clean.parent.mkdir()
    shutil.copy(base, clean)
    started = time.monotonic()
    run(clean, JORDAN)
    took = time.monotonic() - started
    before, after = state(base), state(clean)
    rng = random.Random(1919)
    # The longest messages of the chat being imported: none may sit anywhere in plain bytes.
    said = sorted((m.text for m in chats[JORDAN].messages if m.text), key=len)[-5:]
    texts = [t.encode() for t in said]
    for attempt in range(max(2, int(os.environ.get("FONDLY_CRASH_KILLS", "8")) // 2)):
        db = tmp_path / f"kill{attempt}" / "s.duckdb"
        db.parent.mkdir()
        shutil.copy(base, db)
        child = start(db, JORDAN)
        time.sleep(rng.uniform(0.05, took))
        child.send_signal(signal.SIGKILL)
        child.communicate()
        assert is_encrypted(db)
        found = state(db)
        assert found[0] in (before[0], after[0]), f"kill {attempt}: part of the import"
        left = _bytes_beside(db)
        assert not [t for t in texts if t in left], f"kill {attempt}: plain text left behind"
        run(db, JORDAN)
        assert state(db) == after, f"kill {attempt}: the rerun differs from a clean import"
        assert not _private.scratch_root(db).exists()
