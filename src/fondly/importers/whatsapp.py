"""WhatsApp "Export chat" files: Android ``.txt``, iOS ``_chat.txt``, and their zips.

The export is plain text, one header per message and continuation lines for
multi-line bodies; see :mod:`fondly.importers.whatsapp_format` for the header
shapes and the date-order inference, and :mod:`fondly.importers.whatsapp_text`
for authors, system lines and placeholders.

The file is read three times, each cheaply: the first lines to sniff the
header shape and learn the authors; header dates until their order is certain
(usually a few hundred lines); then the full scan in
:mod:`fondly.importers.whatsapp_scan`, streamed in blocks so memory stays flat.
Only the wall clock is known (``ts_local``); ingest turns it into an instant
with ``--tz``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from fondly._errors import ParseError
from fondly.importers._registry import ImportOptions, Unit
from fondly.importers._tree import Tree
from fondly.importers.whatsapp_format import (
    LOOSE_HEADER,
    MARKS,
    SAMPLE_LINES,
    HeaderFormat,
    choose_date_order,
    sniff,
)
from fondly.importers.whatsapp_scan import (
    MARKED,
    Chunk,
    ColumnarMessages,
    Scanner,
    blocks,
    open_text,
)
from fondly.importers.whatsapp_text import LineReader, locale
from fondly.importers.whatsapp_vector import VectorScan
from fondly.model import ParsedConversation, ParsedHandle

if TYPE_CHECKING:
    import pyarrow as pa

_LRM_AFTER_COLON = ": \u200e"
_COPY_SUFFIX = re.compile(r"\s*\(\d+\)$")
_DATE_ORDERS = ("dmy", "mdy", "ymd")
_ORDER_WORDS = {"dmy": "day-first", "mdy": "month-first", "ymd": "year-first"}


def _locale_clue(tree: Tree, name: str, fmt: HeaderFormat) -> str | None:
    """The date order the file's locale suggests, when nothing in its dates decides.

    Dotted or dashed day-month dates (``24.12.23``) are written by day-first
    locales, and so is every non-English "WhatsApp Chat with" file name fondly
    knows (German, Spanish, Italian, French, Portuguese). An English name with
    slashes says nothing: the US and India both write it.
    """
    if fmt.date_sep in ".-":
        return "dmy"
    stems = [_COPY_SUFFIX.sub("", st.strip()) for st in (PurePosixPath(name).stem, tree.path.stem)]
    for pattern in locale().title_patterns:
        english = pattern.pattern.startswith(("^WhatsApp Chat with", "^WhatsApp Chat - "))
        if not english and any(pattern.match(st) for st in stems):
            return "dmy"
    return None


def chat_title(tree: Tree, name: str) -> str:
    """The chat's name; see :func:`chat_title_named`."""
    return chat_title_named(tree, name)[0]


def chat_title_named(tree: Tree, name: str) -> tuple[str, bool]:
    """``(title, named)``: the chat's name, and whether an export file name gave it.

    The chat's name from the export's file name, else from its zip, else the file stem.

    WhatsApp names the file after the chat in the phone's language
    (``WhatsApp Chat with Sam.txt``, ``WhatsApp Chat mit Sam.txt``); iOS names
    the zip (``WhatsApp Chat - Sam.zip``) and calls the text ``_chat.txt``.
    A browser's `` (1)`` copy suffix is dropped so re-downloads match.
    """
    candidates = [PurePosixPath(name).stem]
    if tree.is_zip:
        candidates.append(tree.path.stem)
    elif candidates[0] == "_chat":
        # An unzipped iOS export: the folder still carries the zip's name.
        parent = PurePosixPath(name).parent.name or (
            tree.path.parent.name if tree.is_single_file else tree.path.name
        )
        candidates.append(parent)
    for stem in candidates:
        stem = _COPY_SUFFIX.sub("", stem.strip())
        for pattern in locale().title_patterns:
            m = pattern.match(stem)
            if m is not None:
                return m["title"].strip(), True
    for stem in reversed(candidates):
        stem = _COPY_SUFFIX.sub("", stem.strip())
        if stem and stem != "_chat":
            return stem, False
    return tree.path.stem, False


def _clean(line: str) -> str:
    if line.endswith("\n"):
        line = line[:-2] if line.endswith("\r\n") else line[:-1]
    if not line.isascii():
        if _LRM_AFTER_COLON in line:
            line = line.replace(_LRM_AFTER_COLON, MARKED, 1)
        line = line.translate(MARKS)
    return line


def _head_is_whatsapp(head: bytes) -> bool:
    text = head.decode("utf-8-sig", errors="replace")
    lines = [ln for ln in text.split("\n")[:40] if ln.strip("\r\ufeff\u200e ")][:20]
    headers = [LOOSE_HEADER.match(ln.translate(MARKS)) is not None for ln in lines]
    # A file that starts with a header is an export; one that has a stray line
    # first is still claimed (and then reported at that line) if headers follow.
    return bool(lines) and (headers[0] or sum(headers) >= 2)


class WhatsAppImporter:
    """``IMPORTER`` for WhatsApp text exports (see the module docstring)."""

    name = "whatsapp"
    description = "WhatsApp 'Export chat' (.txt, or the .zip with _chat.txt and media)"

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        units = []
        sizes = {e.name: e.size for e in tree.entries}
        for name in unclaimed:
            suffix = PurePosixPath(name).suffix.lower()
            if suffix not in (".txt", "") or not sizes.get(name):
                continue
            if _head_is_whatsapp(tree.head(name, 8192)):
                units.append(Unit(self, [name], name))
        return units

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        name = unit.entries[0]
        path = tree.display(name)
        title, named = chat_title_named(tree, name)
        with open_text(lambda: tree.open(name)) as fh:
            sample = [_clean(line) for line in islice(fh, SAMPLE_LINES)]
        fmt = sniff(sample)
        if fmt is None:
            raise ParseError(path, 1, "no WhatsApp message header in the first lines")
        given = options.date_order_for(path, name)
        if given is not None and given not in _DATE_ORDERS:
            raise ParseError(path, None, f"unknown date order {given!r} (use dmy, mdy or ymd)")
        if given is not None:
            order, why = given, "as given by --date-order"
        else:
            order, why = choose_date_order(
                self._header_dates(tree, name, fmt), path, _locale_clue(tree, name, fmt)
            )
        reader = LineReader(fmt.platform, title, locale())
        pattern = fmt.pattern
        heads = [pattern.match("\n" + line) for line in sample]
        reader.learn([line[m.end() - 1 :] for line, m in zip(sample, heads, strict=True) if m])
        conv = ParsedConversation(
            platform="whatsapp",
            key=" ".join(title.split()).casefold(),
            title=title,
            messages=(),
            source=path,
            format=f"whatsapp-{fmt.platform}",
            notes=[f"dates read as {_ORDER_WORDS[order]} ({why})"],
        )
        scanner = Scanner(path, fmt, order, reader, locale(), given is not None)
        conv.messages = ColumnarMessages(
            lambda columnar: self._chunks(tree, name, scanner, conv, columnar, named)
        )
        yield conv

    def _chunks(
        self,
        tree: Tree,
        name: str,
        scanner: Scanner,
        conv: ParsedConversation,
        columnar: bool,
        named: bool = False,
    ) -> Iterator[Chunk | pa.RecordBatch]:
        """The scan; once it is done, what the chat revealed about itself.

        Ingest (``columnar``) gets Arrow batches from the vectorised scan, which
        skips line numbers; everyone else gets the scanner's Chunks. Who the
        user is: an author WhatsApp calls "You" in the phone's language; else,
        in a chat of two whose file is named after one of them ("WhatsApp Chat
        with Robin" holding Sam and Robin), the other one, since the export is
        named after the person the user chatted with.
        """
        messages = 0
        with tree.open(name) as fh:
            items = VectorScan(scanner).batches(fh) if columnar else scanner.chunks(fh)
            for item in items:
                messages += len(item.texts) if isinstance(item, Chunk) else item.num_rows
                yield item
        conv.unread_lines.extend(scanner.suspects)
        threshold, long_bodies = scanner.long_bodies(messages)
        for line, n_lines in long_bodies[:3]:
            where = f"{conv.source}:{line}" if line else conv.source
            conv.notes.append(
                f"a message of {n_lines:,} lines at {where}, far past this chat's usual "
                f"length (flagged from {threshold:,} lines): kept as one; check that no "
                "messages were merged into it"
            )
        reader = scanner.reader
        if reader.group_seen:
            conv.is_group = True
        you = locale().you
        authors = sorted(a for a, n in reader.authors.items() if n > 0)
        mine = [a for a in authors if a in you]
        pair = len(authors) == 2 and conv.title in authors
        if not mine and named and pair and not reader.group_seen:
            mine = [a for a in authors if a != conv.title]
            conv.notes.append(f"{mine[0]} is you: the file is named after the other person")
        conv.participants.extend(ParsedHandle(a, is_me=True) for a in mine)

    def _header_dates(self, tree: Tree, name: str, fmt: HeaderFormat) -> Iterator[str]:
        """The date string of every header, for the date-order pass."""
        finditer = fmt.pattern.finditer
        with tree.open(name) as fh:
            # Blocks end at a line break, so "\n" + block puts one before every header.
            for block in blocks(fh):
                for m in finditer("\n" + block):
                    yield m[1]


IMPORTER = WhatsAppImporter()
