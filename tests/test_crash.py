"""Crashes and concurrency: SIGKILL an import anywhere, run two at once, report during one.

An import is one transaction, its features and report units rebuildable after it; so a
kill at any moment must leave a store that opens, holds all or none of that import, no
temporary file of the killed run, and gives, after the same import is run again,
exactly what a clean import gives. ``FONDLY_CRASH_KILLS`` sets how many moments are tried
(``make fuzz`` tries many more).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fondly import _private
from fondly.demo import whatsapp_writer
from fondly.demo.story import JORDAN, SAM, generate
from fondly.store import Store

KILLS = int(os.environ.get("FONDLY_CRASH_KILLS", "8"))
CODE = "from fondly.cli import main; main()"


def _fondly(db: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, FONDLY_DB=str(db), NO_COLOR="1")
    return subprocess.Popen(
        [sys.executable, "-c", CODE, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def _run(db: Path, *args: str) -> tuple[int, str]:
    child = _fondly(db, *args)
    _, err = child.communicate(timeout=300)
    return child.returncode, err.decode("utf-8", errors="replace")


def _import_args(path: Path) -> list[str]:
    return ["import", str(path), "--tz", "Europe/London", "--me", "Alex Morgan"]


def fingerprint(db: Path) -> dict[str, object]:
    """What an import leaves: messages, people, imports, features and saved report units."""
    with Store(db, read_only=True) as store:
        q = store.query
        return {
            "messages": q(
                "SELECT count(*), sum(hash(message_id, conversation_id, ts_ms, text)) FROM messages"
            )[0],
            "people": q("SELECT list(name ORDER BY name) FROM people")[0],
            "imports": q("SELECT count(*), list(file_sha256 ORDER BY file_sha256) FROM imports")[0],
            "features": q("SELECT count(*), count(DISTINCT message_id) FROM message_features")[0],
            "missing_features": q(
                "SELECT count(*) FROM messages m "
                "WHERE NOT EXISTS (SELECT 1 FROM message_features f "
                "WHERE f.message_id = m.message_id)"
            )[0],
        }


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("crash-exports")
    chats = {c.title: c for c in generate(7)}
    return {
        title: whatsapp_writer.write_export(chats[title], folder, "android_24h_dmy")
        for title in (SAM, JORDAN)
    }


@pytest.fixture(scope="module")
def stores(
    tmp_path_factory: pytest.TempPathFactory, exports: dict[str, Path]
) -> tuple[Path, dict[str, object], float]:
    """A store holding Sam's chat, the fingerprint of Sam + Jordan imported cleanly,
    and how long the Jordan import takes (the window the kills fall in)."""
    tmp = tmp_path_factory.mktemp("crash-stores")
    base = tmp / "base.duckdb"
    status, err = _run(base, *_import_args(exports[SAM]))
    assert status == 0, err
    clean = tmp / "clean.duckdb"
    shutil.copy(base, clean)
    started = time.monotonic()
    status, err = _run(clean, *_import_args(exports[JORDAN]))
    took = time.monotonic() - started
    assert status == 0, err
    return base, fingerprint(clean), took


def _jordan_messages(db: Path) -> int:
    with Store(db) as store:  # read-write: a killed writer must not stop the next one
        return int(
            store.query(
                "SELECT count(*) FROM messages m JOIN conversations c USING (conversation_id) "
                "WHERE c.title = ?",
                [JORDAN],
            )[0][0]
        )


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_all_or_none(
    tmp_path: Path,
    exports: dict[str, Path],
    stores: tuple[Path, dict[str, object], float],
) -> None:
    base, clean, took = stores
    expected_jordan = int(clean["messages"][0]) - fingerprint(base)["messages"][0]  # type: ignore[index,operator]
    rng = random.Random(19)
    outcomes = {"none": 0, "all": 0}
    for attempt in range(KILLS):
        db = tmp_path / f"kill{attempt}" / "store.duckdb"
        db.parent.mkdir()
        shutil.copy(base, db)
        child = _fondly(db, *_import_args(exports[JORDAN]))
        time.sleep(rng.uniform(0.05, took))
        child.send_signal(signal.SIGKILL)
        child.communicate()

        n = _jordan_messages(db)
        assert n in (0, expected_jordan), f"kill {attempt}: {n} of {expected_jordan} messages"
        outcomes["all" if n else "none"] += 1
        leftovers = {p.name for p in db.parent.iterdir()} - {db.name, f"{db.name}.wal"}
        assert not leftovers, f"kill {attempt}: left behind {leftovers}"

        status, err = _run(db, *_import_args(exports[JORDAN]))
        assert status == 0, err
        assert fingerprint(db) == clean, f"kill {attempt}: the rerun differs from a clean import"
        assert not _private.scratch_root(db).exists()
    print(f"SIGKILLs survived: {KILLS} of {KILLS} ({outcomes})")


def _wait_until_open(db: Path, child: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    """True once the child holds the store (its scratch folder exists beside it)."""
    root = _private.scratch_root(db)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        if root.exists() and any(p.name.startswith(f"{child.pid}-") for p in root.iterdir()):
            return True
        time.sleep(0.01)
    return False


@pytest.mark.slow
@pytest.mark.parametrize(
    "second",
    [["import", "{jordan}", "--tz", "Europe/London"], ["report"], ["report", "--json"], ["chats"]],
    ids=["import", "report", "report-json", "chats"],
)
def test_a_second_command_during_an_import_says_the_store_is_busy(
    tmp_path: Path,
    exports: dict[str, Path],
    stores: tuple[Path, dict[str, object], float],
    second: list[str],
) -> None:
    base, clean, _ = stores
    args = [a.format(jordan=exports[JORDAN]) for a in second]
    for _attempt in range(5):
        db = tmp_path / f"try{_attempt}" / "store.duckdb"
        db.parent.mkdir()
        shutil.copy(base, db)
        first = _fondly(db, *_import_args(exports[JORDAN]))
        if not _wait_until_open(db, first):
            first.communicate()
            continue
        status, err = _run(db, *args)
        first_err = first.communicate()[1].decode()
        assert first.returncode == 0, first_err
        assert "Traceback" not in err
        if first_err and status == 0:
            continue  # the first finished before the second asked: try again
        assert status == 1, err
        assert err.strip().count("\n") == 0 and "the store is busy" in err
        assert fingerprint(db) == clean, "the busy store was left intact"
        return
    pytest.fail("the first import never held the store while the second ran")
