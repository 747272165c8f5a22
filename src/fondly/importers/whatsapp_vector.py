"""The WhatsApp scan for ingest, a block at a time in Arrow instead of a message at a time.

:meth:`Scanner.chunks <fondly.importers.whatsapp_scan.Scanner.chunks>` costs
several Python operations per message, which for a million messages is most of
an import. Ingest needs no Python object per message, so here each 1 MiB block
is split into lines and matched with Arrow's compute kernels (RE2, in C++):
header fields, dates and times (through the scanner's caches, once per
*distinct* string), authors and the fast-path tests are all column operations.
Only the messages the scanner's fast path would not take (multi-line bodies,
placeholders, system lines, unknown authors) go through the scanner's own
per-message code, in file order, so both paths give the same rows; the test
suite checks that on every fixture.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import IO, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from fondly._errors import ParseError
from fondly.importers.whatsapp_format import DateReader
from fondly.importers.whatsapp_scan import (
    _EPOCH_ORDINAL,
    MARKED,
    Chunk,
    Scanner,
    _raise_leading_text,
    blocks,
)
from fondly.importers.whatsapp_text import classify_body
from fondly.model import Kind

_DAY_US = 86_400_000_000
_NAMES = [
    "sender", "sender_name", "ts_ms", "ts_local", "kind", "media_type", "text",
    "edited", "reply_to", "source_id",
]  # fmt: skip
_TEXT = Kind.TEXT.value


def line_pattern(pattern: re.Pattern[str], groups: tuple[str, ...] = ()) -> str:
    """The scanner's header regex for RE2 on single lines.

    The block regex starts with a literal newline; on a line that becomes ``^``.
    Its two groups (date, time) get ``groups`` as names, or stop capturing:
    captures make RE2 several times slower, so only one pass uses them.
    """
    source = pattern.pattern
    for newline in ("\\n", "\n"):
        if source.startswith(newline):
            source = source[len(newline) :]
            break
    else:
        raise ValueError("header pattern must start with a newline")
    names = iter(groups)
    return "^" + re.sub(
        r"\((?!\?)", lambda _: f"(?P<{n}>" if (n := next(names, None)) else "(?:", source
    )


class VectorScan:
    """Arrow record batches for one export; see the module docstring."""

    def __init__(self, scanner: Scanner) -> None:
        self.s = scanner
        self.header = line_pattern(scanner.fmt.pattern)
        self.fields = line_pattern(scanner.fmt.pattern, groups=("d", "t"))
        self.reading = DateReader(scanner.order)
        self.floor = 0  # the scanner's "two days before the last header" rule
        self.line_offset = 0

    def batches(self, fh: IO[bytes]) -> Iterator[pa.RecordBatch]:
        s = self.s
        carry = "\n"
        pending: int | None = None  # the wall clock of the carried message, if any
        for block in blocks(fh):
            buf = carry + block
            if "\x00" in block:
                at = buf.index("\x00")
                raise ParseError(
                    s.path, self.line_offset + buf.count("\n", 0, at),
                    "binary data (a NUL byte) in a text export",
                )  # fmt: skip
            lines = pc.split_pattern(pa.array([buf[1:-1]]), "\n").flatten()
            heads, rests = self._accepted(lines)
            if not len(heads.rows):
                if buf.strip():
                    if len(buf) < (1 << 22):  # a first header may still come
                        carry = buf
                        continue
                    _raise_leading_text(s.path, buf, self.line_offset)
                carry = "\n"
                self.line_offset += buf.count("\n") - 1
                continue
            first = heads.rows[0].as_py()
            if first > 0:
                before = "\n".join(lines.slice(0, first).to_pylist())
                if before.strip():
                    _raise_leading_text(s.path, "\n" + before, self.line_offset)
            batch = self._messages(lines, heads, rests, "\x1f" in buf)
            if batch is not None:
                yield batch
            last, pending = heads.rows[-1].as_py(), heads.stamps[-1].as_py()
            tail = lines.slice(last).to_pylist()
            carry = "\n" + "\n".join(tail) + "\n"
            self.line_offset += last
        if pending is not None:
            yield self._final(carry, pending)
        elif carry.strip():
            _raise_leading_text(s.path, carry, self.line_offset)

    def _accepted(self, lines: pa.Array) -> tuple[Heads, pa.Array]:
        """Every header the scanner would accept, and the text after each header line.

        Heads are ``(line index, wall-clock µs, index into the texts)``. Only
        kernels without capture groups run over every line (captures make RE2
        several times slower); a header's date and time are read once per
        distinct header string, as the scanner's caches do.
        """
        s = self.s
        idx = pc.indices_nonzero(pc.match_substring_regex(lines, self.header))
        if not len(idx):
            return Heads(idx, idx, idx), pa.array([], pa.string())
        hl = lines.take(idx)
        rests = pc.list_element(pc.split_pattern_regex(hl, self.header, max_splits=1), 1)
        found = pc.extract_regex(hl, self.fields)
        ords = self._values(found.field("d"), self._date)
        micros = self._values(found.field("t"), self._time)
        bad_dates = pc.any(pc.and_(pc.less(ords, 0), pc.greater_equal(micros, 0))).as_py()
        if s.strict and bad_dates:
            bad = pc.and_(pc.less(ords, 0), pc.greater_equal(micros, 0))
            dates = found.field("d")
            for at in pc.indices_nonzero(bad).to_pylist():
                # a date no order can read is pasted text, not a wrong --date-order
                if self.reading.valid_elsewhere(dates[at].as_py()):
                    raise ParseError(
                        s.path, self.line_offset + idx[at].as_py() + 1,
                        f"header date is not valid as {s.order}; check --date-order",
                    )  # fmt: skip
        stamps = pc.add(pc.multiply(pc.subtract(ords, _EPOCH_ORDINAL), _DAY_US), micros)
        ks = pa.array(range(len(idx)), pa.int64())
        floors = pa.concat_arrays(
            [pa.array([self.floor], pa.int64()), ords.slice(0, len(ords) - 1)]
        )
        if pc.all(pc.and_(pc.greater_equal(micros, 0), pc.greater_equal(ords, floors))).as_py():
            # The usual case: every header is valid and none goes two days back.
            # (Each floor is then the previous header's day minus one; ords >= 0 follows.)
            self.floor = ords[-1].as_py() - 1
            return Heads(idx, stamps, ks), rests
        keep: list[int] = []
        floor = self.floor
        # A pasted or broken header: the scanner's rule, over small ints only.
        for k, (d, t) in enumerate(zip(ords.to_pylist(), micros.to_pylist(), strict=True)):
            if d < 0 or t < 0 or d < floor:
                continue
            keep.append(k)
            floor = d - 1
        self.floor = floor
        chosen = pa.array(keep, pa.int64())
        return Heads(idx.take(chosen), stamps.take(chosen), chosen), rests

    def _date(self, text: str) -> int:
        d = self.reading.dates.get(text)
        if d is None:
            d = self.reading.date(text)
        return -1 if d is False else d[3]  # type: ignore[index]

    def _time(self, text: str) -> int:
        t = self.reading.times.get(text)
        if t is None:
            t = self.reading.time(text)
        return -1 if t is False else int(t)

    @staticmethod
    def _values(strings: pa.Array, read: Callable[[str], int]) -> pa.Array:
        """``read`` of every string, calling it once per distinct string (-1: invalid)."""
        enc = strings.dictionary_encode()
        values = [read(x) for x in enc.dictionary.to_pylist()]
        return pc.take(pa.array(values, pa.int64()), enc.indices)

    def _messages(
        self, lines: pa.Array, heads: Heads, rests_all: pa.Array, marked: bool
    ) -> pa.RecordBatch | None:
        """Every message whose header is followed by another one in this block."""
        n = len(heads.rows) - 1
        if n <= 0:
            return None
        s = self.s
        loc = s.loc
        rows = heads.rows
        stamps = heads.stamps.slice(0, n)
        rests = rests_all.take(heads.ks.slice(0, n))
        single = pc.equal(pc.subtract(rows.slice(1), rows.slice(0, n)), 1)
        author, text, known = self._authors(rests)
        fast = pc.and_(single, known)
        if s.fmt.platform != "android":
            fast = pa.array([False] * n)
        if marked:  # a cheap test on the block's text before a kernel over every line
            fast = pc.and_(fast, pc.invert(pc.match_substring(rests, "\x1f")))
        odd = pc.or_(
            pc.is_in(text, value_set=pa.array(sorted(loc.special), pa.string())),
            pc.or_(pc.ends_with(text, ">"), pc.ends_with(text, ")")),
        )
        for prefix in loc.location_prefixes:
            odd = pc.or_(odd, pc.starts_with(text, prefix))
        odd = pc.fill_null(pc.and_(fast, odd), False)
        kinds = pa.array([_TEXT] * n, pa.string())
        media = pa.nulls(n, pa.string())
        edited = pa.array([False] * n, pa.bool_())
        if pc.any(odd).as_py():
            # Placeholders by a known author: classified once per distinct text.
            enc = text.filter(odd).dictionary_encode()
            said = [classify_body(t, loc) for t in enc.dictionary.to_pylist()]
            for column, values, kind in (
                ("kinds", [str(c.kind) for c in said], pa.string()),
                ("media", [c.media_type for c in said], pa.string()),
                ("edited", [c.edited for c in said], pa.bool_()),
                ("text", [c.text for c in said], pa.string()),
            ):
                got = pc.take(pa.array(values, kind), enc.indices)
                if column == "kinds":
                    kinds = pc.replace_with_mask(kinds, odd, got)
                elif column == "media":
                    media = pc.replace_with_mask(media, odd, got)
                elif column == "edited":
                    edited = pc.replace_with_mask(edited, odd, got)
                else:
                    text = pc.replace_with_mask(text, odd, got)
        slow_rows = pc.invert(pc.fill_null(fast, False))
        others = pc.indices_nonzero(slow_rows).to_pylist()
        if others:
            starts = rows.to_pylist()
            slow = Chunk()
            rest_list = rests.take(pa.array(others, pa.int64())).to_pylist()
            # Every continuation line these messages need, converted in one go.
            wanted = [j for k in others for j in range(starts[k] + 1, starts[k + 1])]
            more = lines.take(pa.array(wanted, pa.int64())).to_pylist() if wanted else []
            at = 0
            for k, rest in zip(others, rest_list, strict=True):
                extra = starts[k + 1] - starts[k] - 1
                if extra:
                    body = rest + "\n" + "\n".join(more[at : at + extra])
                    at += extra
                else:
                    body = rest
                self._one(slow, body, self.line_offset + starts[k] + 1)
            mask = slow_rows
            author = pc.replace_with_mask(author, mask, pa.array(slow.senders, pa.string()))
            text = pc.replace_with_mask(text, mask, pa.array(slow.texts, pa.string()))
            if slow.specials:
                k_kinds, k_media, k_edited = slow.dense()
                kinds = pc.replace_with_mask(kinds, mask, pa.array(k_kinds, pa.string()))
                media = pc.replace_with_mask(media, mask, pa.array(k_media, pa.string()))
                edited = pc.replace_with_mask(edited, mask, pa.array(k_edited, pa.bool_()))
        return _batch(n, author, stamps, text, kinds, media, edited)

    def _authors(self, rests: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
        """(author, text, is a known author) for the fast path, per header line.

        The author is what precedes the first ``": "``. With a handful of known
        names, a ``starts_with`` per name (a name without ``": "`` in it) is
        far cheaper than a regex with captures; a big group uses the regex.
        """
        names = [a for a in self.s.reader.authors if a and ": " not in a]
        n = len(rests)
        if len(names) > 16:
            said = pc.extract_regex(rests, "^(?P<a>.*?): (?P<x>.*)")
            author, text = said.field("a"), said.field("x")
            known = pc.is_in(author, value_set=pa.array(names, pa.string()))
            return author, text, pc.fill_null(known, False)
        author = pa.nulls(n, pa.string())
        text = pa.nulls(n, pa.string())
        known = pa.array([False] * n)
        for name in names:
            mask = pc.starts_with(rests, name + ": ")
            hits = pc.sum(mask).as_py()
            if not hits:
                continue
            author = pc.if_else(mask, pa.scalar(name, pa.string()), author)
            said = pc.utf8_slice_codeunits(rests.filter(mask), len(name) + 2)
            text = pc.replace_with_mask(text, mask, said)
            known = pc.or_(known, mask)
        return author, text, known

    def _one(self, chunk: Chunk, body: str, line: int) -> None:
        """One message exactly as :meth:`Scanner.chunks` treats it."""
        s = self.s
        i = body.find(": ")
        if (
            s.fmt.platform == "android"
            and i > 0
            and (author := body[:i]) in s.reader.authors
            and body.find("\n", i) < 0
            and "\x1f" not in body
        ):
            text = body[i + 2 :]
            loc = s.loc
            if (
                text in loc.special
                or text.endswith((">", ")"))
                or text.startswith(loc.location_prefixes)
            ):
                s._special(chunk, author, text)
            else:
                chunk.senders.append(author)
                chunk.texts.append(text)
        else:
            s._slow(chunk, body, line)

    def _final(self, carry: str, ts: int) -> pa.RecordBatch:
        """The last message, which the scanner always reads the slow way."""
        m = self.s.fmt.pattern.match(carry)
        if m is None:  # the carry starts at an accepted header
            raise AssertionError("carried text does not start with a header")
        chunk = Chunk()
        self.s._slow(chunk, carry[m.end() :].rstrip("\n"), self.line_offset + 1)
        kinds, media, edited = chunk.dense()
        return _batch(
            1,
            pa.array(chunk.senders, pa.string()),
            pa.array([ts], pa.int64()),
            pa.array(chunk.texts, pa.string()),
            pa.array(kinds, pa.string()),
            pa.array(media, pa.string()),
            pa.array(edited, pa.bool_()),
        )


class Heads(NamedTuple):
    """The accepted headers of a block: line index, wall clock (µs), index into its texts."""

    rows: pa.Array
    stamps: pa.Array
    ks: pa.Array


def _batch(
    n: int,
    senders: pa.Array,
    stamps: pa.Array,
    texts: pa.Array,
    kinds: pa.Array,
    media: pa.Array,
    edited: pa.Array,
) -> pa.RecordBatch:
    nulls = pa.nulls(n, pa.string())
    return pa.RecordBatch.from_arrays(
        [senders, nulls, pa.nulls(n, pa.int64()), stamps.cast(pa.timestamp("us")), kinds,
         media, texts, edited, nulls, nulls],
        names=_NAMES,
    )  # fmt: skip


__all__ = ["MARKED", "VectorScan", "line_pattern"]
