"""The hot loop of the WhatsApp importer: text blocks in, column chunks out.

A million-message export must import in seconds, so nothing here runs per
*line*. The file is decoded in 1 MiB blocks of whole lines; the header regex
(which starts with a literal newline, found by the regex engine's fast
substring search) is run over each block with ``finditer``; whatever lies
between two headers is a body, continuation lines included. Timestamps are
integers (microseconds of wall clock since 1970) summed from a per-date and a
per-time cache, and messages are collected column-wise in :class:`Chunk` s of
64k rows. :class:`ColumnarMessages` hands them to ingest as Arrow batches, or
to anyone else as ordinary :class:`~fondly.model.ParsedMessage` objects.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING

from fondly._errors import ParseError
from fondly.importers.whatsapp_format import DateReader, HeaderFormat, looks_like_header
from fondly.importers.whatsapp_text import LineReader, Locale, classify_body
from fondly.model import Kind, ParsedMessage

if TYPE_CHECKING:
    import pyarrow as pa

CHUNK_ROWS = 65_536
# A message is "far past the chat's usual length" when it has at least
# LONG_BODY_FACTOR times the lines of the chat's 99th-percentile message, and
# never fewer than LONG_BODY_FLOOR lines. Relative, because a chat of pasted
# poems or code is not a chat of one-liners; the floor keeps a chat where
# every message is one line from flagging an ordinary five-line message. A run
# of headers the scanner could not read makes one body of many lines, which
# is what this check exists to surface.
LONG_BODY_FLOOR = 20
LONG_BODY_FACTOR = 10
_BLOCK = 1 << 19
_LRM_AFTER_COLON = ": \u200e".encode()
# Stands in for ": " + U+200E once the marks are deleted, so the author
# boundary iOS marked survives; the control character never occurs in real text.
MARKED = ": \x1f"
# U+200E, U+200F, U+202A..U+202E, U+2066..U+2069 and U+FEFF, as UTF-8.
_MARKS_RE = re.compile(rb"\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf")
_MARK_BYTES = (b"\xe2\x80", b"\xe2\x81", b"\xef\xbb\xbf")
_EPOCH = datetime(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_DAY_US = 86_400_000_000


def open_text(opener: Callable[[], IO[bytes]]) -> IO[str]:
    """Text split on ``\\n`` only (for sampling the first lines); a BOM dropped."""
    return io.TextIOWrapper(opener(), encoding="utf-8-sig", errors="replace", newline="\n")


def blocks(raw: IO[bytes]) -> Iterator[str]:
    """The file as text blocks of whole lines, CRLF made LF and invisible marks deleted.

    The cleaning is done on bytes, before decoding: one byte per character is
    four times less to scan than the text of a block holding a single emoji,
    and cutting at a newline byte never splits a UTF-8 sequence.
    """
    tail = b""
    while True:
        data = raw.read(_BLOCK)
        if not data:
            break
        cut = data.rfind(b"\n") + 1
        if not cut:
            tail += data
            continue
        block, tail = tail + data[:cut], data[cut:]
        yield clean_block(block)
    if tail:
        yield clean_block(tail + b"\n")


def clean_block(block: bytes) -> str:
    if b"\r" in block:
        block = block.replace(b"\r\n", b"\n")
    if not block.isascii():
        if _LRM_AFTER_COLON in block:
            block = block.replace(_LRM_AFTER_COLON, MARKED.encode())
        # Substring tests (memchr-fast) first: a block with emoji but no marks,
        # the common case, then never runs the regex over itself.
        if any(mark in block for mark in _MARK_BYTES) and _MARKS_RE.search(block):
            block = _MARKS_RE.sub(b"", block)
    return block.decode("utf-8", errors="replace")


@dataclass
class Chunk:
    """Up to CHUNK_ROWS messages, column by column.

    Most messages are plain text, so kind, media type and the edited flag are
    kept only for the exceptions (``specials``: row, kind, media type, edited).
    """

    senders: list[str | None] = field(default_factory=list)
    ts_us: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    specials: list[tuple[int, str, str | None, bool]] = field(default_factory=list)

    def dense(self) -> tuple[list[str], list[str | None], list[bool]]:
        n = len(self.texts)
        kinds: list[str] = [Kind.TEXT.value] * n
        media: list[str | None] = [None] * n
        edited = [False] * n
        for row, kind, media_type, was_edited in self.specials:
            kinds[row] = str(kind)
            media[row] = media_type
            edited[row] = was_edited
        return kinds, media, edited

    def to_arrow(self) -> pa.RecordBatch:
        """The chunk in ingest's staging layout (without its conv/seq columns)."""
        import pyarrow as pa

        n = len(self.texts)
        kinds, media, edited = self.dense()
        nulls = pa.nulls(n, pa.string())
        return pa.RecordBatch.from_arrays(
            [
                pa.array(self.senders, pa.string()),
                nulls,
                pa.nulls(n, pa.int64()),
                pa.array(self.ts_us, pa.int64()).cast(pa.timestamp("us")),
                pa.array(kinds, pa.string()),
                pa.array(media, pa.string()),
                pa.array(self.texts, pa.string()),
                pa.array(edited, pa.bool_()),
                nulls,
                nulls,
            ],
            names=[
                "sender", "sender_name", "ts_ms", "ts_local", "kind", "media_type", "text",
                "edited", "reply_to", "source_id",
            ],
        )  # fmt: skip

    def messages(self) -> Iterator[ParsedMessage]:
        kinds, media, edited = self.dense()
        last_us, last_dt = -1, _EPOCH
        for i, text in enumerate(self.texts):
            us = self.ts_us[i]
            if us != last_us:
                last_us, last_dt = us, _EPOCH + timedelta(microseconds=us)
            yield ParsedMessage(
                self.senders[i], text, kinds[i], None, last_dt, None, None, edited[i], None,
                self.lines[i], [], media[i],
            )  # fmt: skip


class ColumnarMessages:
    """A chat's messages, produced once, as chunks.

    Ingest asks for :meth:`arrow_batches` (no Python object per message);
    everything else iterates and gets ParsedMessage objects.
    """

    def __init__(self, produce: Callable[[bool], Iterator[Chunk | pa.RecordBatch]]) -> None:
        # ``produce(columnar)``: record batches when true, else Chunks.
        self._produce = produce

    def arrow_batches(self) -> Iterator[pa.RecordBatch]:
        for item in self._produce(True):
            yield item.to_arrow() if isinstance(item, Chunk) else item

    def __iter__(self) -> Iterator[ParsedMessage]:
        for item in self._produce(False):
            if isinstance(item, Chunk):
                yield from item.messages()


@dataclass
class Scanner:
    """Reads one export's text into chunks; see the module docstring."""

    path: str
    fmt: HeaderFormat
    order: str
    reader: LineReader
    loc: Locale
    strict: bool
    track_lines: bool = True
    # Lines inside bodies that look like a header but were not read as one
    # (an impossible date or time, another header shape, a date far back):
    # kept as text, and reported so a silent merge of messages is visible.
    suspects: list[int | None] = field(default_factory=list)
    # How many multi-line bodies had each number of lines, and the ones of at
    # least LONG_BODY_FLOOR lines as (header line, number of lines): which of
    # them are far past the chat's usual length is known only at the end.
    line_counts: dict[int, int] = field(default_factory=dict)
    tall_bodies: list[tuple[int | None, int]] = field(default_factory=list)

    def long_bodies(self, messages: int) -> tuple[int, list[tuple[int | None, int]]]:
        """``(threshold, bodies)``: the messages far past this chat's usual length.

        ``messages`` is how many the scan produced (single-line ones never
        reach :meth:`_slow`, so they are counted as the rest). The usual length
        is the 99th percentile of lines per message, with at least one message
        allowed above it, so in a short chat the longest one is measured
        against the others rather than against itself.
        """
        allowed = max(1, messages // 100)
        above = 0
        usual = 1
        for n_lines in sorted(self.line_counts, reverse=True):
            if above + self.line_counts[n_lines] > allowed:
                usual = n_lines
                break
            above += self.line_counts[n_lines]
        threshold = max(LONG_BODY_FLOOR, LONG_BODY_FACTOR * usual)
        return threshold, [b for b in self.tall_bodies if b[1] >= threshold]

    def chunks(self, fh: IO[bytes]) -> Iterator[Chunk]:
        """Scan blocks for headers; what lies between two headers is a body.

        Each buffer starts at the newline before the header of the message still
        being collected, so a body that spans blocks is carried over and its
        header matched again.
        """
        path, loc, reader = self.path, self.loc, self.reader
        finditer = self.fmt.pattern.finditer
        reading = DateReader(self.order)
        dates, times = reading.dates, reading.times
        android = self.fmt.platform == "android"
        authors = reader.authors
        special = loc.special
        location_prefixes = loc.location_prefixes
        chunk = Chunk()
        senders, stamps, texts, lines = chunk.senders, chunk.ts_us, chunk.texts, chunk.lines
        line_offset = 0  # lines before the buffer's first character
        carry = "\n"
        prev_hdr = ""
        prev_ts = 0
        floor = 0  # a header dated two days before the last one is pasted text
        p_ts = -1
        buf = ""
        p_end = p_line = 0
        track = self.track_lines
        for block in blocks(fh):
            buf = carry + block
            if "\x00" in block:
                at = buf.index("\x00")
                raise ParseError(
                    path, line_offset + buf.count("\n", 0, at),
                    "binary data (a NUL byte) in a text export",
                )  # fmt: skip
            p_start, p_end, p_line, p_ts = -1, 0, 0, -1
            counted_to, line = 0, line_offset
            marked = "\x1f" in buf
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
                        if (
                            d is False
                            and t is not False
                            and self.strict
                            and reading.valid_elsewhere(date_s)
                        ):
                            raise ParseError(
                                path, line_offset + buf.count("\n", 0, m.start() + 1),
                                f"header date is not valid as {self.order}; check --date-order",
                            )  # fmt: skip
                        continue
                    ts = (d[3] - _EPOCH_ORDINAL) * _DAY_US + t  # type: ignore[index]
                    prev_hdr, prev_ts = hdr, ts
                    floor = d[3] - 1  # type: ignore[index]
                start = m.start()
                if track:
                    line += buf.count("\n", counted_to, start + 1)
                    counted_to = start + 1
                if p_ts >= 0:
                    # The common case, without slicing a body first: an Android
                    # one-liner by a known author.
                    i = buf.find(": ", p_end, start)
                    if (
                        android
                        and i > p_end
                        and (author := buf[p_end:i]) in authors
                        and buf.find("\n", i, start) < 0
                        and not (marked and buf.find("\x1f", p_end, start) >= 0)
                    ):
                        text = buf[i + 2 : start]
                        if (
                            text in special
                            or text.endswith((">", ")"))
                            or text.startswith(location_prefixes)
                        ):
                            self._special(chunk, author, text)
                        else:
                            senders.append(author)
                            texts.append(text)
                    else:
                        self._slow(chunk, buf[p_end:start], p_line if track else None)
                    stamps.append(p_ts)
                    if track:
                        lines.append(p_line)
                    if len(texts) >= CHUNK_ROWS:
                        yield chunk
                        chunk = Chunk()
                        senders, stamps, texts, lines = (
                            chunk.senders, chunk.ts_us, chunk.texts, chunk.lines,
                        )  # fmt: skip
                elif start > 0 and buf[:start].strip():
                    _raise_leading_text(path, buf[:start], line_offset)
                p_start, p_end, p_line, p_ts = start, m.end(), line, ts
            if p_ts < 0:
                if buf.strip():
                    if len(buf) < (1 << 22):  # a first header may still come
                        carry = buf
                        continue
                    _raise_leading_text(path, buf, line_offset)
                carry = "\n"
                line_offset += buf.count("\n") - 1
                continue
            carry = buf[p_start:]
            line_offset = p_line - 1 if track else line_offset + buf.count("\n", 0, p_start + 1) - 1
        if p_ts >= 0:
            self._slow(chunk, buf[p_end:].rstrip("\n"), p_line if track else None)
            stamps.append(p_ts)
            if track:
                lines.append(p_line)
        elif carry.strip():
            _raise_leading_text(path, carry, line_offset)
        if texts:
            yield chunk

    def _special(self, chunk: Chunk, author: str, text: str) -> None:
        c = classify_body(text, self.loc)
        if c.kind != Kind.TEXT or c.edited:
            chunk.specials.append((len(chunk.texts), c.kind, c.media_type, c.edited))
        chunk.senders.append(author)
        chunk.texts.append(c.text)

    def _slow(self, chunk: Chunk, body: str, line: int | None = None) -> None:
        """A body the fast path cannot take: multi-line, marked, unknown author, system.

        ``line`` is the header's 1-based line, for reporting header-like lines inside.
        """
        if "\n" in body:
            body_lines = body.split("\n")
            for j, text_line in enumerate(body_lines[1:], 1):
                if looks_like_header(text_line):
                    self.suspects.append(None if line is None else line + j)
            # Blank lines before the next header are layout, not length.
            n_lines = body.rstrip("\n").count("\n") + 1
            self.line_counts[n_lines] = self.line_counts.get(n_lines, 0) + 1
            if n_lines >= LONG_BODY_FLOOR:
                self.tall_bodies.append((line, n_lines))
        lrm_at = -1
        if "\x1f" in body:
            lrm_at = body.find(MARKED)
            body = body.replace(MARKED, ": ")
        if body.endswith("\n"):
            # Blank lines before the next header belong to the layout, not the message.
            body = body.rstrip("\n")
        author, text, system = self.reader.split(body, lrm_at)
        if system or author is None:
            chunk.specials.append((len(chunk.texts), Kind.SYSTEM, None, False))
            chunk.senders.append(None)
            chunk.texts.append(text)
            return
        self._special(chunk, author, text)


def _raise_leading_text(path: str, text: str, line_offset: int) -> None:
    lines = text.split("\n")
    first = next(i for i, ln in enumerate(lines) if ln.strip())
    raise ParseError(path, line_offset + first, "text before the first message header")
