"""Files fondly writes stay the owner's: private modes and a scratch folder beside the store.

Chat exports are among the most private files a person has, so everything fondly
creates (the store, its write-ahead log, reports, exports, spill files) is readable
by its owner only, and temporary files never go to a shared ``/tmp``: they live in
a scratch folder next to the store, one sub-folder per running process, which the
next fondly run removes if its process died without cleaning up (a SIGKILL, a
power cut). A temporary file there holds message text, so leaving it behind would
undo the one place the user knows to delete.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# Owner-only for everything the process creates (files 0600, folders 0700).
UMASK = 0o077

_ACTIVE: set[Path] = set()
_COUNTER = itertools.count()
_CURRENT: Path | None = None


def owner_only(path: str | Path) -> None:
    """Make an existing file or folder the owner's alone (no-op if missing or not ours)."""
    p = Path(path)
    with contextlib.suppress(OSError):
        p.chmod(DIR_MODE if p.is_dir() else FILE_MODE)


def scratch_root(store_path: str | Path) -> Path:
    """The folder beside a store that holds every temporary file made while it is open."""
    p = Path(store_path)
    return p.with_name(p.name + ".scratch")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: not ours to judge
    except OSError:
        return False
    return True


def clean_stale(root: Path) -> int:
    """Remove scratch folders left by processes that no longer run; return how many.

    Folders are named ``PID-N``; one whose process is gone was left by a crash.
    A folder of this very process that is not open any more is stale too.
    """
    removed = 0
    try:
        children = list(root.iterdir())
    except OSError:
        return 0
    for child in children:
        pid_text = child.name.split("-", 1)[0]
        if not pid_text.isdigit():
            continue
        pid = int(pid_text)
        if child in _ACTIVE or (pid != os.getpid() and _alive(pid)):
            continue
        shutil.rmtree(child, ignore_errors=True)
        removed += 1
    return removed


def open_scratch(store_path: str | Path) -> Path:
    """Clean up after earlier crashes, then make this process's scratch folder (0700)."""
    global _CURRENT
    root = scratch_root(store_path)
    root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    owner_only(root)
    clean_stale(root)
    folder = root / f"{os.getpid()}-{next(_COUNTER)}"
    folder.mkdir(mode=DIR_MODE)
    _ACTIVE.add(folder)
    _CURRENT = folder
    return folder


def close_scratch(folder: Path) -> None:
    """Remove a scratch folder and, when nothing else is in it, the root beside the store."""
    global _CURRENT
    _ACTIVE.discard(folder)
    if folder == _CURRENT:
        _CURRENT = next(iter(_ACTIVE), None)
    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.parent.rmdir()  # only succeeds when empty


def scratch_dir() -> str:
    """Where to put a temporary file now: the open store's scratch folder, else the system's.

    Importers that must copy an input to disk (a SQLite database inside a zip) ask here,
    so their copy is removed with the store's scratch folder even after a crash.
    """
    if _CURRENT is not None and _CURRENT.is_dir():
        return str(_CURRENT)
    return tempfile.gettempdir()


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """Create files 0600 and folders 0700 inside the block (for callers outside the CLI).

    The CLI sets this umask for the whole process; the Python facade and the web app's
    helpers are used from other programs, whose umask fondly leaves alone afterwards.
    """
    old = os.umask(UMASK)
    try:
        yield
    finally:
        os.umask(old)


def _stale_temp(path: Path) -> bool:
    """A ``.NAME.PID[-N].tmp`` sibling whose writer has died (killed mid-write)."""
    pid_text = path.name.rsplit(".", 2)[-2].split("-", 1)[0]
    return pid_text.isdigit() and int(pid_text) != os.getpid() and not _alive(int(pid_text))


def write_private(path: str | Path, text: str) -> Path:
    """Write a report-like file atomically, owner-only, leaving no temporary file behind.

    The text goes to a hidden sibling first (same folder, so the final rename is atomic
    and a half-written report never replaces a good one). The sibling is created 0600
    whatever the umask, removed if writing fails, and one left by a writer that was
    killed is removed the next time the same file is written.
    """
    target = Path(path)
    target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    for old in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        if _stale_temp(old):
            with contextlib.suppress(OSError):
                old.unlink()
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{next(_COUNTER)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    owner_only(target)
    return target
