"""A pull reader that walks a large JSON document one record at a time.

Telegram's full-account ``result.json`` and DiscordChatExporter's channel files
put every message of every chat in one JSON document that can run to several
gigabytes. Loading it whole costs about ten times its size in Python objects, so
the importers walk the *structure* (the outer objects and the ``messages``
arrays) here and hand each message to :meth:`json.JSONDecoder.raw_decode`,
which builds one record at C speed. Memory stays at one read buffer plus one
record, whatever the file size.

Why not an event parser such as ijson: its C backend tokenises fast, but a
message of fifteen keys becomes some forty events that Python code must turn
back into a dict, and that loop costs several times what ``raw_decode`` does for
the whole record; ijson's own C item builder takes only one prefix, and the
importers need the chat boundaries around the messages too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

from fondly._errors import ParseError

# A JSON document that stops before it is complete: a cut download or copy.
TRUNCATED = "damaged or incomplete JSON: the file ends before the export does"


def json_error(path: str, exc: json.JSONDecodeError) -> ParseError:
    """The ParseError for a whole-document ``json.load`` failure.

    An error at the very end of the text is a file cut short ("damaged or
    incomplete"); any other names the JSON rule broken (``exc.msg``), never
    the text around it.
    """
    if exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated"):
        return ParseError(path, None, TRUNCATED)
    return ParseError(path, exc.lineno, f"not valid JSON ({exc.msg})")


CHUNK_CHARS = 1 << 20
"""Characters read at a time; a record larger than the buffer makes it grow."""

MAX_RECORD_CHARS = 256 << 20
"""A single JSON value larger than this is refused rather than held in memory."""

_WS = re.compile(r"[ \t\n\r]*")
_EMPTY_ARRAY = re.compile(r"\[[ \t\n\r]*\]")
_DECODER = json.JSONDecoder()


class JsonStream:
    """Reads one JSON document from a text stream, value by value.

    The caller drives it: :meth:`keys` walks an object, :meth:`items` an array,
    :meth:`value` builds the next value whole and :meth:`skip` passes over one
    without keeping it. Each ``keys``/``items`` step leaves the reader on the
    member's value, which the caller must consume before asking for the next.

    Args:
        fh: the document as text.
        path: how errors name the file.
    """

    def __init__(self, fh: IO[str], path: str) -> None:
        self._fh = fh
        self.path = path
        self._buf = ""
        self._pos = 0
        self._eof = False

    # -- buffer ---------------------------------------------------------------

    def _fill(self, at_least: int = CHUNK_CHARS) -> bool:
        """Append more text, dropping what was consumed; False at end of file."""
        if self._eof:
            return False
        chunk = self._fh.read(max(at_least, CHUNK_CHARS))
        if not chunk:
            self._eof = True
            return False
        self._buf = self._buf[self._pos :] + chunk
        self._pos = 0
        return True

    def _skip_ws(self) -> None:
        while True:
            match = _WS.match(self._buf, self._pos)
            assert match is not None  # the pattern matches the empty string
            self._pos = match.end()
            if self._pos < len(self._buf) or not self._fill():
                return

    def peek(self) -> str:
        """The next significant character, or ``""`` at the end of the document."""
        self._skip_ws()
        return self._buf[self._pos] if self._pos < len(self._buf) else ""

    def _expect(self, char: str, where: str) -> None:
        found = self.peek()
        if found != char:
            # Name what was expected, never the character found: it may be message text.
            if not found:
                raise ParseError(self.path, where, TRUNCATED)
            raise ParseError(
                self.path, where, f"malformed JSON: expected {char!r}, found something else"
            )
        self._pos += 1

    # -- values ---------------------------------------------------------------

    def value(self, where: str) -> Any:
        """Decode the next complete JSON value, reading more text until it is whole."""
        self._skip_ws()
        while True:
            buf, pos = self._buf, self._pos
            try:
                obj, end = _DECODER.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                incomplete = exc.msg.startswith("Unterminated string") or exc.pos >= len(buf) - 16
                if not incomplete or self._eof:
                    cut = exc.pos >= len(buf.rstrip()) or exc.msg.startswith("Unterminated")
                    if self._eof and cut:
                        raise ParseError(self.path, where, TRUNCATED) from None
                    # exc.msg names the JSON rule broken, never the document's text.
                    raise ParseError(self.path, where, f"malformed JSON: {exc.msg}") from None
                self._grow(where)
                continue
            if end == len(buf) and not self._eof:
                # A number or literal cut by the buffer edge parses as a shorter one.
                self._grow(where)
                continue
            self._pos = end
            return obj

    def _grow(self, where: str) -> None:
        pending = len(self._buf) - self._pos
        if pending > MAX_RECORD_CHARS:
            raise ParseError(self.path, where, "a single JSON record is larger than 256 MB")
        # Doubling keeps the re-decoding of a large record linear in its size.
        self._fill(pending)

    def empty_array(self) -> bool:
        """Consume the next value and say True if it is ``[]``; otherwise leave it.

        Looks a few characters ahead only, so ``[`` followed by an unusual run of
        white space reads as non-empty: callers treat that as "maybe empty".
        """
        if self.peek() != "[":
            return False
        if len(self._buf) - self._pos < 64:
            self._fill()
        match = _EMPTY_ARRAY.match(self._buf, self._pos)
        if match is None:
            return False
        self._pos = match.end()
        return True

    def skip(self, where: str) -> None:
        """Pass over the next value; large arrays go element by element."""
        first = self.peek()
        if first == "[":
            for _ in self.items(where):
                self.skip(where)
        elif first == "{":
            for _ in self.keys(where):
                self.skip(where)
        else:
            self.value(where)

    # -- containers -----------------------------------------------------------

    def keys(self, where: str) -> Iterator[str]:
        """Walk an object: yield each key with the reader left on its value."""
        self._expect("{", where)
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            key = self.value(where)
            if not isinstance(key, str):
                raise ParseError(self.path, where, "malformed JSON: an object key is not a string")
            self._expect(":", where)
            yield key
            if not self._next_member("}", where):
                return

    def items(self, where: str) -> Iterator[int]:
        """Walk an array: yield each index with the reader left on the element."""
        self._expect("[", where)
        if self.peek() == "]":
            self._pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            if not self._next_member("]", where):
                return

    def _next_member(self, close: str, where: str) -> bool:
        found = self.peek()
        self._pos += 1
        if found == ",":
            return True
        if found == close:
            return False
        if not found:
            raise ParseError(self.path, where, TRUNCATED)
        raise ParseError(
            self.path, where, f"malformed JSON: expected ',' or {close!r}, found something else"
        )

    def end(self, where: str) -> None:
        """Check that nothing but white space follows the document."""
        if self.peek():
            raise ParseError(self.path, where, "malformed JSON: text after the end of the document")
