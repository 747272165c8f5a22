"""Hostile input, measured: every case in ``tests/hostile.py`` against the import contract.

Each case runs ``fondly import`` in its own process on a copy of a store that already
holds a chat, and must end with exit status 2 and one line on stderr that names the
file, with no message text in it, the store unchanged, nothing written outside, and
a peak resident memory under 1 GB (read from the child's own rusage, so the figure is
that process's alone). A few inputs are read on purpose rather than refused; they are
listed in TOLERATED with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fondly.cli import cli
from fondly.store import Store
from tests import hostile
from tests.conftest import write_generic_csv

RSS_LIMIT_MB = 1024
# Invalid UTF-8 inside an otherwise good export is read with U+FFFD in place of the
# bad bytes (every text reader in fondly decodes with errors="replace"), and the import
# summary names each such FILE:LINE (fondly.importers._utf8): a phone that
# cut an emoji in half should not cost the user the whole chat.
TOLERATED = {"invalid_utf8_whatsapp", "invalid_utf8_telegram"}
UNREADABLE = {"unreadable_file", "unreadable_folder_member"}


def _prefix() -> list[str] | None:
    """Root reads every file: drop its override so unreadable files are unreadable."""
    if not hostile.running_as_root():
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def _fingerprint(db: Path) -> tuple[object, ...]:
    with Store(db, read_only=True) as store:
        return tuple(
            store.query(
                "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM imports), "
                "(SELECT count(*) FROM people), "
                "(SELECT coalesce(sum(hash(message_id, text)), 0) FROM messages)"
            )[0]
        )


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile-base")
    chat = write_generic_csv(
        tmp / "chat.csv",
        [("Sam", "Sam", "2024-05-01T21:04:00", "hi"), ("Sam", "Alex", "2024-05-01T21:05:00", "yo")],
    )
    db = tmp / "store.duckdb"
    got = CliRunner().invoke(cli, ["--db", str(db), "import", str(chat), "--tz", "UTC"])
    assert got.exit_code == 0, got.output
    return db


# The child writes its own peak RSS (VmHWM) at exit. The kernel's rusage for a child
# would not do: it keeps the high-water mark the forked copy inherited from this
# (much bigger) test process, so every case would read as large as the largest input.
_CHILD = """
import atexit, os

def _peak():
    with open("/proc/self/status") as status, open(os.environ["FONDLY_TEST_RSS"], "w") as out:
        out.write(next(l.split()[1] for l in status if l.startswith("VmHWM:")))

if os.path.exists("/proc/self/status"):
    atexit.register(_peak)
from fondly.cli import main
main()
"""


def run_import(path: Path, db: Path, prefix: list[str]) -> tuple[int, str, int]:
    """Run ``fondly import PATH`` in a child; return (exit status, stderr, peak RSS in MB)."""
    rss_file = db.with_name("peak-rss.txt")
    env = dict(os.environ, FONDLY_DB=str(db), NO_COLOR="1", COLUMNS="400")
    env["FONDLY_TEST_RSS"] = str(rss_file)
    code = _CHILD
    child = subprocess.Popen(
        [*prefix, sys.executable, "-c", code, "import", str(path), "--tz", "UTC"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert child.stderr is not None
    err = child.stderr.read().decode("utf-8", errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    peak_kb = int(rss_file.read_text()) if rss_file.exists() else usage.ru_maxrss
    rss_file.unlink(missing_ok=True)
    return child.returncode, err, peak_kb // 1024


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(hostile.CASES))
def test_hostile_input_is_refused_in_one_line(name: str, tmp_path: Path, base_store: Path) -> None:
    prefix = _prefix()
    if prefix is None and name in UNREADABLE:
        pytest.skip("running as root without setpriv: every file is readable")
    case_dir = tmp_path / "input"
    path = hostile.CASES[name](case_dir)
    db = tmp_path / "store" / "store.duckdb"
    db.parent.mkdir()
    shutil.copy(base_store, db)
    before = _fingerprint(db)
    outside = sorted(p.name for p in tmp_path.iterdir())

    status, err, rss_mb = run_import(path, db, prefix or [])

    assert rss_mb < RSS_LIMIT_MB, f"{name}: peak RSS {rss_mb} MB"
    assert "Traceback" not in err, err[-2000:]
    assert hostile.SECRET not in err, "an error quoted message text"
    assert sorted(p.name for p in tmp_path.iterdir()) == outside, "something written outside"
    assert not Path("/tmp/fondly-zip-slip.txt").exists()
    if name in TOLERATED:
        assert status == 0, err
        with Store(db, read_only=True) as store:
            replaced = store.query("SELECT count(*) FROM messages WHERE text LIKE '%\ufffd%'")
        assert replaced[0][0] >= 1, "the bad bytes became U+FFFD"
        raw = path.read_bytes()
        line = raw.count(b"\n", 0, raw.index(b"\xff")) + 1
        said = "".join(err.split())  # the summary may wrap a long path
        assert "1line(s)hadbytesthatarenotUTF-8text" in said, err
        assert "".join(f"{path}:{line}".split()) in said, err
        return
    assert status == 2, f"{name}: exit {status}: {err}"
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"{name}: {err}"
    assert lines[0].startswith("fondly: ")
    named = {str(path), str(path.name), str(path.parent)}
    assert any(n in lines[0] for n in named), f"{name}: the error names no file: {lines[0]}"
    assert _fingerprint(db) == before, "the store changed"
