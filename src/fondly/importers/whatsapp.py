"""WhatsApp "Export chat" files: Android ``.txt``, iOS ``_chat.txt``, and their zips.

The export is plain text, one header per message and continuation lines for
multi-line bodies; see :mod:`fondly.importers.whatsapp_format` for the header
shapes and the date-order inference, and :mod:`fondly.importers.whatsapp_text`
for authors, system lines and placeholders.

Speed matters because a decade-long chat has a million messages. The file is
streamed line by line (one ``str`` for all of it would cost 4 bytes per
character as soon as it holds one emoji); each line costs one compiled regex
match, and dates and times are parsed once per distinct string. Only the
wall clock is known (``ts_local``); ingest turns it into an instant with ``--tz``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from pathlib import PurePosixPath
from typing import IO

from fondly._errors import ParseError
from fondly.importers._registry import ImportOptions, Unit
from fondly.importers._tree import Tree
from fondly.importers.whatsapp_format import (
    LOOSE_HEADER,
    MARKS,
    SAMPLE_LINES,
    DateReader,
    HeaderFormat,
    infer_date_order,
    sniff,
)
from fondly.importers.whatsapp_text import LineReader, Locale, classify_body, locale
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

_LRM_AFTER_COLON = ": \u200e"
# Stands in for ": " + U+200E once the marks are deleted, so the author
# boundary iOS marked survives; it never occurs in real text.
_MARKED = ": \x1f"
_MARKS_RE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_BLOCK = 1 << 20
_COPY_SUFFIX = re.compile(r"\s*\(\d+\)$")
_DATE_ORDERS = ("dmy", "mdy", "ymd")


def chat_title(tree: Tree, name: str) -> str:
    """The chat's name from the export's file name, else from its zip, else the file stem.

    WhatsApp names the file after the chat in the phone's language
    (``WhatsApp Chat with Sam.txt``, ``WhatsApp Chat mit Sam.txt``); iOS names
    the zip (``WhatsApp Chat - Sam.zip``) and calls the text ``_chat.txt``.
    A browser's `` (1)`` copy suffix is dropped so re-downloads match.
    """
    candidates = [PurePosixPath(name).stem]
    if tree.is_zip:
        candidates.append(tree.path.stem)
    for stem in candidates:
        stem = _COPY_SUFFIX.sub("", stem.strip())
        for pattern in locale().title_patterns:
            m = pattern.match(stem)
            if m is not None:
                return m["title"].strip()
    for stem in reversed(candidates):
        stem = _COPY_SUFFIX.sub("", stem.strip())
        if stem and stem != "_chat":
            return stem
    return tree.path.stem


def _open_text(tree: Tree, name: str) -> IO[str]:
    """Lines split on ``\\n`` only, untranslated: a CR is stripped per line, and a
    lone CR inside a message (rare, but seen) does not start a new line."""
    return io.TextIOWrapper(tree.open(name), encoding="utf-8-sig", errors="replace", newline="\n")


def _clean(line: str) -> str:
    if line.endswith("\n"):
        line = line[:-2] if line.endswith("\r\n") else line[:-1]
    if not line.isascii():
        if _LRM_AFTER_COLON in line:
            line = line.replace(_LRM_AFTER_COLON, _MARKED, 1)
        line = line.translate(MARKS)
    return line


def _head_is_whatsapp(head: bytes) -> bool:
    text = head.decode("utf-8-sig", errors="replace")
    lines = [ln for ln in text.split("\n")[:20] if ln.strip("\r\ufeff\u200e ")]
    return bool(lines) and LOOSE_HEADER.match(lines[0].translate(MARKS)) is not None


class WhatsAppImporter:
    """``IMPORTER`` for WhatsApp text exports (see the module docstring)."""

    name = "whatsapp"
    description = "WhatsApp 'Export chat' (.txt, or the .zip with _chat.txt and media)"

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        units = []
        for name in unclaimed:
            suffix = PurePosixPath(name).suffix.lower()
            if suffix not in (".txt", "") or not _size(tree, name):
                continue
            if _head_is_whatsapp(tree.head(name, 8192)):
                units.append(Unit(self, [name], name))
        return units

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        name = unit.entries[0]
        path = tree.display(name)
        title = chat_title(tree, name)
        with _open_text(tree, name) as fh:
            sample = [_clean(line) for line in islice(fh, SAMPLE_LINES)]
        fmt = sniff(sample)
        if fmt is None:
            raise ParseError(path, 1, "no WhatsApp message header in the first lines")
        if options.date_order is not None and options.date_order not in _DATE_ORDERS:
            raise ParseError(
                path, None, f"unknown date order {options.date_order!r} (use dmy, mdy or ymd)"
            )
        order = options.date_order or infer_date_order(self._header_dates(tree, name, fmt), path)
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
        )
        conv.messages = self._messages(tree, name, fmt, order, reader, conv, options)
        yield conv

    def _header_dates(self, tree: Tree, name: str, fmt: HeaderFormat) -> Iterator[str]:
        """The date string of every header, for the date-order pass."""
        finditer = fmt.pattern.finditer
        with _open_text(tree, name) as fh:
            # Blocks end at a line break, so "\n" + block puts one before every header.
            for block in _blocks(fh):
                for m in finditer("\n" + block):
                    yield m[1]

    def _messages(
        self,
        tree: Tree,
        name: str,
        fmt: HeaderFormat,
        order: str,
        reader: LineReader,
        conv: ParsedConversation,
        options: ImportOptions,
    ) -> Iterator[ParsedMessage]:
        """Scan blocks of text for headers; what lies between two headers is a body.

        Each buffer starts at the newline before the header of the message still
        being collected, so a body that spans blocks is simply carried over and
        its header matched again.
        """
        path = tree.display(name)
        finditer = fmt.pattern.finditer
        reading = DateReader(order)
        dates, times = reading.dates, reading.times
        loc = locale()
        me_names: set[str] = set()
        strict = options.date_order is not None
        line_offset = 0  # lines before the buffer's first character
        carry = "\n"
        prev_hdr = ""
        prev_ts: datetime | None = None
        floor = 0  # a header dated before this day is pasted text, not a message
        with _open_text(tree, name) as fh:
            for block in _blocks(fh):
                buf = carry + block
                if "\x00" in block:
                    at = buf.index("\x00")
                    raise ParseError(
                        path,
                        line_offset + buf.count("\n", 0, at),
                        "binary data (a NUL byte) in a text export",
                    )
                p_start = -1  # where the pending header's newline is, in buf
                p_end = 0
                p_line = 0
                p_ts: datetime | None = None
                counted_to, line = 0, line_offset
                for m in finditer(buf):
                    hdr = m[0]
                    if hdr == prev_hdr:
                        ts = prev_ts
                    else:
                        date_s, time_s = m.groups()
                        d = dates.get(date_s)
                        if d is None:
                            d = reading.date(date_s)
                        t = times.get(time_s)
                        if t is None:
                            t = reading.time(time_s)
                        if d is False or t is False or d[3] < floor:  # type: ignore[index]
                            if d is False and t is not False and strict:
                                raise ParseError(
                                    path,
                                    line_offset + buf.count("\n", 0, m.start() + 1),
                                    f"header date is not valid as {order}; check --date-order",
                                )
                            continue
                        ts = datetime(d[0], d[1], d[2], t[0], t[1], t[2])  # type: ignore[index]
                        prev_hdr, prev_ts = hdr, ts
                        floor = d[3] - 1  # type: ignore[index]
                    start = m.start()
                    line += buf.count("\n", counted_to, start + 1)
                    counted_to = start + 1
                    if p_ts is not None:
                        yield _build(reader, loc, p_line, p_ts, buf[p_end:start], me_names)
                    elif start > 0 and buf[:start].strip():
                        _raise_leading_text(path, buf[:start], line_offset)
                    p_start, p_end, p_line, p_ts = start, m.end(), line, ts
                if p_ts is None:
                    if buf.strip():
                        if len(buf) < (1 << 22):  # a first header may still come
                            carry = buf
                            continue
                        _raise_leading_text(path, buf, line_offset)
                    carry = "\n"
                    line_offset += buf.count("\n") - 1
                    continue
                carry = buf[p_start:]
                line_offset = p_line - 1
            if p_ts is not None:
                yield _build(reader, loc, p_line, p_ts, buf[p_end:].rstrip("\n"), me_names)
            elif carry.strip():
                _raise_leading_text(path, carry, line_offset)
        if reader.group_seen:
            conv.is_group = True
        conv.participants.extend(ParsedHandle(n, is_me=True) for n in sorted(me_names))


def _raise_leading_text(path: str, text: str, line_offset: int) -> None:
    lines = text.split("\n")
    first = next(i for i, ln in enumerate(lines) if ln.strip())
    raise ParseError(path, line_offset + first, "text before the first message header")


def _blocks(fh: IO[str]) -> Iterator[str]:
    """The file as blocks of whole lines, CRLF made LF and invisible marks deleted."""
    tail = ""
    while True:
        data = fh.read(_BLOCK)
        if not data:
            break
        cut = data.rfind("\n") + 1
        if not cut:
            tail += data
            continue
        block, tail = tail + data[:cut], data[cut:]
        yield _clean_block(block)
    if tail:
        yield _clean_block(tail + "\n")


def _clean_block(block: str) -> str:
    if "\r" in block:
        block = block.replace("\r\n", "\n")
    if not block.isascii():
        if _LRM_AFTER_COLON in block:
            block = block.replace(_LRM_AFTER_COLON, _MARKED)
        if _MARKS_RE.search(block):
            block = _MARKS_RE.sub("", block)
    return block


def _size(tree: Tree, name: str) -> int:
    for entry in tree.entries:
        if entry.name == name:
            return entry.size
    return 0


def _build(
    reader: LineReader,
    loc: Locale,
    lineno: int,
    ts: datetime,
    body: str,
    me_names: set[str],
) -> ParsedMessage:
    """One ParsedMessage from what follows a header, up to the next one."""
    lrm_at = -1
    if "\x1f" in body:
        lrm_at = body.find(_MARKED)
        body = body.replace(_MARKED, ": ")
    multiline = "\n" in body
    if multiline and body.endswith("\n"):
        # Blank lines before the next header belong to the layout, not the message.
        body = body.rstrip("\n")
        multiline = "\n" in body
    author, text, system = reader.split(body, lrm_at)
    if system:
        return ParsedMessage(None, text, Kind.SYSTEM, None, ts, None, None, False, None, lineno)
    if author in loc.you:
        me_names.add(author)
    if not multiline and not (
        text in loc.special or text[-1:] in (">", ")") or text.startswith(loc.location_prefixes)
    ):
        return ParsedMessage(author, text, Kind.TEXT, None, ts, None, None, False, None, lineno)
    c = classify_body(text, loc)
    return ParsedMessage(
        author, c.text, c.kind, None, ts, None, None, c.edited, None, lineno, [], c.media_type
    )


IMPORTER = WhatsAppImporter()
