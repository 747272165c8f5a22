"""How far an import has read its files: the byte count behind the import bar's total.

A progress bar needs a total, and messages have none until the file is read; its
size does. Importers stay pure parsers: ingest hands them a :class:`CountedTree`,
the same tree whose ``open`` returns streams that report how far into each file
they have read. An importer may read a file more than once (WhatsApp samples its
first lines, may read headers to settle the date order, then scans the whole file),
so progress is the furthest point reached in each file, never the sum of all reads:
the bar only moves forward and ends at the files' size.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import IO

from fondly.importers import Tree

Progress = Callable[[int], None]


class CountedTree(Tree):
    """A view of ``tree`` whose entries report, through ``advance``, new bytes reached.

    Only the entries named (the unit being imported) count, each up to its size;
    :meth:`finish` advances whatever is left, for files an importer reads another way
    (an SQLite database through its path) or not to the end.
    """

    def __init__(self, tree: Tree, names: Iterable[str], advance: Progress) -> None:
        # The same files, archive and entries as ``tree`` (closing stays the caller's).
        self.__dict__.update(tree.__dict__)
        sizes = {e.name: e.size for e in tree.entries}
        self._sizes = {name: sizes.get(name, 0) for name in names}
        self._reached = dict.fromkeys(self._sizes, 0)
        self._advance = advance

    @property
    def total(self) -> int:
        """The bytes the bar counts to: the named entries' sizes."""
        return sum(self._sizes.values())

    def open(self, name: str) -> IO[bytes]:
        stream = super().open(name)
        if name not in self._sizes:
            return stream
        return io.BufferedReader(_Counting(stream, lambda at: self._moved(name, at)), 1 << 16)

    def finish(self) -> None:
        """Count every named entry as read to its end."""
        for name, size in self._sizes.items():
            self._moved(name, size)

    def _moved(self, name: str, at: int) -> None:
        at = min(at, self._sizes[name])
        ahead = at - self._reached[name]
        if ahead > 0:
            self._reached[name] = at
            self._advance(ahead)


class _Counting(io.RawIOBase):
    """A raw stream over ``inner`` that tells ``moved`` its position after every read."""

    def __init__(self, inner: IO[bytes], moved: Callable[[int], None]) -> None:
        super().__init__()
        self._inner = inner
        self._moved = moved
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        into = getattr(self._inner, "readinto", None)
        if into is not None:
            n = into(buffer) or 0
        else:
            data = self._inner.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        if n:
            self._at += n
            self._moved(self._at)
        return n

    def close(self) -> None:
        if not self.closed:
            self._inner.close()
        super().close()
