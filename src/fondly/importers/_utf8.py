"""Which lines of a text export hold bytes that are not UTF-8.

Every text importer decodes with ``errors="replace"``: one bad byte (a phone that
wrote a broken emoji, a file cut and pasted between encodings) becomes U+FFFD and the
rest of the export is still imported, because refusing a year of messages for one
byte helps no one. This module makes that choice visible: after a unit is read, its
text entries are scanned once more and the import summary names each ``FILE:LINE``.

The scan runs at the speed of ``bytes.decode`` on 1 MiB blocks; only a block that
fails is split into lines to find which ones. It never holds more than a block plus
one unfinished line (capped, so a 50 MB single line is checked in pieces).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from fondly.importers._tree import Tree

BLOCK = 1 << 20
LONG_LINE = 8 << 20
"""An unfinished line longer than this is checked in pieces (cut on a character)."""
KEEP = 200
"""How many line numbers are kept per entry; the count goes on."""

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SQLITE = b"SQLite format 3\x00"


@dataclass
class BadLines:
    """Line numbers (1-based, the first ``KEEP``) of lines that are not UTF-8, and how many."""

    lines: list[int] = field(default_factory=list)
    count: int = 0

    def add(self, line: int) -> None:
        if self.lines and self.lines[-1] == line:
            return  # a long line checked in pieces counts once
        self.count += 1
        if len(self.lines) < KEEP:
            self.lines.append(line)


def is_text(head: bytes) -> bool:
    """Whether an entry is UTF-8-ish text worth scanning (not SQLite, UTF-16 or binary)."""
    return not (head.startswith(_UTF16_BOMS) or head.startswith(_SQLITE) or b"\x00" in head)


def _check(segment: bytes, first_line: int, found: BadLines) -> None:
    try:
        segment.decode("utf-8")
    except UnicodeDecodeError:
        # A newline byte never occurs inside a multi-byte character, so splitting
        # on it cannot cut one: each piece is judged on its own.
        for offset, line in enumerate(segment.split(b"\n")):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                found.add(first_line + offset)


def _char_boundary(data: bytes) -> int:
    """The last position in ``data`` where a character starts (at most 3 bytes back)."""
    end = len(data)
    for back in range(1, min(4, end) + 1):
        if data[end - back] & 0xC0 != 0x80:  # not a continuation byte
            return end - back
    return end


def bad_lines(stream: IO[bytes]) -> BadLines:
    """Scan a byte stream; return the lines whose bytes are not valid UTF-8."""
    found = BadLines()
    line = 1
    rest = b""
    for block in iter(lambda: stream.read(BLOCK), b""):
        data = rest + block
        cut = data.rfind(b"\n") + 1
        if cut == 0 and len(data) > LONG_LINE:
            cut = _char_boundary(data)
            _check(data[:cut], line, found)
            rest = data[cut:]
            continue
        _check(data[:cut], line, found)
        line += data.count(b"\n", 0, cut)
        rest = data[cut:]
    if rest:
        _check(rest, line, found)
    return found


def scan_entries(tree: Tree, names: Iterable[str]) -> list[tuple[str, BadLines]]:
    """``(entry, bad lines)`` for each text entry of a tree that has any.

    Entries that are not text (SQLite databases, UTF-16 files, media) are skipped.
    """
    out = []
    for name in names:
        try:
            if not is_text(tree.head(name)):
                continue
            with tree.open(name) as stream:
                found = bad_lines(stream)
        except Exception:  # the importer has read it already; a note is not worth failing
            continue
        if found.count:
            out.append((name, found))
    return out
