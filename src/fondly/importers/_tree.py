"""A uniform view of what the user pointed ``fondly import`` at.

A path may be one file, a folder of exports, or a zip (WhatsApp's iOS export,
Meta's "Download your information", Google Takeout). :class:`Tree` hides the
difference: importers see entry names relative to the root and open them as
bytes, so detection and parsing work the same on all three.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from fondly._errors import ParseError

_SKIP_PARTS = {"__MACOSX", ".DS_Store"}
DAMAGED_ZIP = "damaged or incomplete zip archive (download or copy it again)"
# A zip member that inflates more than this many times its packed size, past the
# floor below, is a zip bomb: text compresses about 5-10x, media hardly at all.
_MAX_RATIO = 200
_RATIO_FLOOR = 64 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One file inside a tree: its posix path relative to the root and its size."""

    name: str
    size: int

    @property
    def basename(self) -> str:
        return PurePosixPath(self.name).name

    @property
    def parent(self) -> str:
        return str(PurePosixPath(self.name).parent)


class Tree:
    """Files under a root: a directory, a zip archive, or a single file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self.entries: list[Entry] = []
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and not (_SKIP_PARTS & set(p.parts)) and not p.name.startswith("."):
                    self.entries.append(Entry(p.relative_to(path).as_posix(), p.stat().st_size))
        elif zipfile.is_zipfile(path):
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, EOFError, OSError) as exc:
                raise ParseError(path, None, DAMAGED_ZIP) from exc
            for info in self._zip.infolist():
                _check_member(path, info)
                parts = set(PurePosixPath(info.filename).parts)
                if (
                    info.is_dir()
                    or _SKIP_PARTS & parts
                    or PurePosixPath(info.filename).name.startswith(".")
                ):
                    continue
                self.entries.append(Entry(info.filename, info.file_size))
        else:
            with path.open("rb") as fh:
                magic = fh.read(4)
            if magic in (b"PK\x03\x04", b"PK\x05\x06"):
                # A zip's directory is at its end: a download cut short has none.
                raise ParseError(path, None, DAMAGED_ZIP)
            self.entries.append(Entry(path.name, path.stat().st_size))

    @property
    def is_single_file(self) -> bool:
        return not self.path.is_dir() and self._zip is None

    @property
    def is_zip(self) -> bool:
        return self._zip is not None

    def open(self, name: str) -> IO[bytes]:
        """Open an entry for binary reading (streamed, never loaded whole)."""
        if self._zip is not None:
            return self._zip.open(name)
        if self.is_single_file:
            return self.path.open("rb")
        return (self.path / name).open("rb")

    def head(self, name: str, size: int = 4096) -> bytes:
        """The first bytes of an entry, for sniffing its format."""
        with self.open(name) as fh:
            return fh.read(size)

    def read_bytes(self, name: str) -> bytes:
        with self.open(name) as fh:
            return fh.read()

    def local_path(self, name: str) -> Path | None:
        """A real filesystem path for the entry, when it has one (not inside a zip)."""
        if self._zip is not None:
            return None
        return self.path if self.is_single_file else self.path / name

    def display(self, name: str) -> str:
        """How error messages name an entry: ``file``, ``folder/entry`` or ``archive.zip!entry``."""
        if self.is_single_file:
            return str(self.path)
        if self._zip is not None:
            return f"{self.path}!{name}"
        return str(self.path / name)

    def sha256(self, names: Iterable[str]) -> str:
        """A content hash over the given entries, so re-importing the same data is a no-op."""
        digest = hashlib.sha256()
        for name in sorted(names):
            digest.update(name.encode("utf-8") if not self.is_single_file else b"")
            with self.open(name) as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
        return digest.hexdigest()

    def text_stream(self, name: str, encoding: str = "utf-8-sig") -> IO[str]:
        """A text stream over an entry; ``utf-8-sig`` drops a leading BOM."""
        return io.TextIOWrapper(self.open(name), encoding=encoding, errors="replace", newline="")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _check_member(path: Path, info: zipfile.ZipInfo) -> None:
    """Refuse a zip member that climbs out of the archive or is a zip bomb.

    fondly never extracts to disk, but a member named ``../../x`` has no business in
    an export and would be unsafe for any tool the user later unzips it with; a
    bomb is refused from its declared size, before a byte is inflated (reads never
    go past the declared size, so the declaration cannot lie to us).
    """
    from fondly._errors import ParseError

    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    drive = len(name) >= 2 and name[1] == ":" and name[0].isalpha()  # "C:/..." (not "Trip: X")
    if name.startswith("/") or ".." in parts or drive:
        shown = "".join(ch if ch.isprintable() else "?" for ch in info.filename)
        raise ParseError(f"{path}!{shown}", None, "a member's name points outside the archive")
    if info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
        raise ParseError(
            path,
            None,
            f"a member would inflate {info.file_size // max(info.compress_size, 1):,} times "
            "(a zip bomb); refused without unpacking it",
        )
