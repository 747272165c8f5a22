"""imessage-exporter's HTML output: one ``.html`` file per chat.

The exporter (``imessage-exporter -f html``) writes each message as nested
``div`` s, documented by its own example page and CSS::

    <div class="message">
      <div class="sent iMessage">          <- "sent ..." for the user, "received" otherwise
        <p><span class="timestamp">May 17, 2022  5:29:42 PM (Read by ...)</span>
           <span class="sender">Me</span></p>
        <hr><div class="message_part"><span class="bubble">text</span></div>
        <div class="message_part"><img src="attachments/x.jpeg"></div>
        <div class="reactions"><p><span class="reaction"><b>Loved</b> by Sam</span></p></div>
        <div class="replies"><div class="reply"><div class="message">...</div></div></div>
      </div>
    </div>
    <div class="announcement"><p><span class="timestamp">...</span> You renamed ...</p></div>

Newer versions wrap the timestamp in a link (``<a title="Reveal in Messages app">``)
and inline the CSS in a ``<style>`` block. As in the TXT output, a reply is
printed twice: nested under the message it answers and again in its own place;
the nested copies are skipped. Times are the exporting Mac's wall clock:
``ts_local`` only. The file is fed to the standard library's HTML parser in
blocks, so memory stays flat.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

from fondly._errors import ParseError
from fondly.model import Kind, ParsedMessage

_STAMP = re.compile(
    r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<d>\d{1,2}), (?P<y>\d{4})\s+"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2})\s*(?P<ampm>AM|PM)"
)
_REACTION = re.compile(r"^(?P<what>\w+) by (?P<who>.+)$")
_MEDIA_TAGS = {"img": "image", "video": "video", "audio": "audio"}
_BLOCK = 1 << 16


def looks_like_exporter_html(head: bytes) -> bool:
    """imessage-exporter's page: its message markup, or its stylesheet inlined at the top."""
    text = head.decode("utf-8", errors="replace")
    if '<div class="message">' in text and 'class="timestamp"' in text:
        return True
    return ".message .sent" in text and "span.bubble" in text and ".announcement" in text


def read_stamp(text: str) -> datetime | None:
    """The wall clock in an exporter timestamp (``May 17, 2022  5:29:42 PM (Read by...)``)."""
    match = _STAMP.search(text)
    if match is None:
        return None
    stamp = (
        f"{match['mon']} {match['d']} {match['y']} "
        f"{match['h']}:{match['mi']}:{match['s']} {match['ampm']}"
    )
    return datetime.strptime(stamp, "%b %d %Y %I:%M:%S %p")


@dataclass
class _Draft:
    """A message being read: where it started, and what has been seen of it."""

    depth: int
    nested: bool
    sent: bool
    line: int
    stamp: str = ""
    sender: str = ""
    parts: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    reactions: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    """Collects messages as the parser walks the page; see the module docstring."""

    def __init__(self, path: str, me: str, tapbacks: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.me = me
        self.tapbacks = tapbacks
        self.done: list[ParsedMessage] = []
        self._depth = 0  # open divs
        self._drafts: list[_Draft] = []
        self._replies: list[int] = []  # depths of open "replies" divs
        self._capture: str | None = None  # which span's text is being read
        self._capture_depth = 0
        self._buffer: list[str] = []
        self._announcement: tuple[int, int] | None = None  # (depth, line)
        self._announce_text: list[str] = []
        self._in_style = False

    # -- structure -------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "style":
            self._in_style = True
            return
        if self._capture is not None:
            if tag == "br":
                self._buffer.append("\n")
            self._capture_depth += tag == "span"
            return
        if tag == "div":
            self._depth += 1
            if "message" in classes:
                self._drafts.append(
                    _Draft(self._depth, bool(self._replies), False, self.getpos()[0])
                )
            elif (
                self._drafts
                and self._drafts[-1].depth == self._depth - 1
                and ("sent" in classes or "received" in classes)
            ):
                self._drafts[-1].sent = "sent" in classes
            elif "replies" in classes:
                self._replies.append(self._depth)
            elif "announcement" in classes:
                self._announcement = (self._depth, self.getpos()[0])
                self._announce_text = []
            return
        if tag in _MEDIA_TAGS and self._drafts:
            self._drafts[-1].media.append(_MEDIA_TAGS[tag])
        elif tag == "span" and (self._drafts or self._announcement):
            for kind in ("timestamp", "sender", "bubble", "reaction"):
                if kind in classes:
                    self._capture, self._capture_depth, self._buffer = kind, 1, []
                    break

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
            return
        if self._capture is not None:
            if tag == "span":
                self._capture_depth -= 1
                if self._capture_depth == 0:
                    self._finish_capture()
            return
        if tag != "div":
            return
        if self._replies and self._replies[-1] == self._depth:
            self._replies.pop()
        if self._drafts and self._drafts[-1].depth == self._depth:
            self._finish(self._drafts.pop())
        if self._announcement is not None and self._announcement[0] == self._depth:
            self._finish_announcement()
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        if self._capture is not None:
            self._buffer.append(data)
        elif self._announcement is not None:
            self._announce_text.append(data)

    # -- messages --------------------------------------------------------------------

    def _finish_capture(self) -> None:
        kind, text = self._capture, "".join(self._buffer)
        self._capture = None
        if self._announcement is not None and not self._drafts:
            if kind == "timestamp":
                self._announce_text.append("\x00" + text + "\x00")
            else:
                self._announce_text.append(text)
            return
        draft = self._drafts[-1]
        if kind == "timestamp" and not draft.stamp:
            draft.stamp = text
        elif kind == "sender" and not draft.sender:
            draft.sender = " ".join(text.split())
        elif kind == "bubble":
            draft.parts.append(text)
        elif kind == "reaction":
            draft.reactions.append(" ".join(text.split()))

    def _finish(self, draft: _Draft) -> None:
        if draft.nested:
            return  # the same reply follows in its own place
        when = read_stamp(draft.stamp)
        if when is None:
            raise ParseError(self.path, draft.line, "message without a readable timestamp")
        sender = self.me if draft.sent or draft.sender in ("Me", "") else draft.sender
        text = "\n".join(p for p in draft.parts if p.strip())
        kind, media_type = Kind.TEXT, None
        if draft.media and not text:
            media_type = draft.media[0]
            kind = Kind.VOICE if media_type == "audio" else Kind.MEDIA
        reactions = []
        for said in draft.reactions:
            match = _REACTION.match(said)
            if match is None:
                continue
            emoji = self.tapbacks.get(match["what"].lower())
            if emoji is not None:
                who = match["who"].strip()
                reactions.append((self.me if who in ("Me", "you", "You") else who, emoji))
        self.done.append(
            ParsedMessage(
                sender,
                text,
                kind,
                ts_local=when,
                line=draft.line,
                reactions=reactions,
                media_type=media_type,
            )
        )

    def _finish_announcement(self) -> None:
        assert self._announcement is not None
        line = self._announcement[1]
        self._announcement = None
        raw = "".join(self._announce_text)
        stamp, _, rest = raw.partition("\x00")[2].partition("\x00")
        when = read_stamp(stamp)
        if when is None:
            return  # a heading without a time says nothing about the chat
        self.done.append(
            ParsedMessage(None, " ".join(rest.split()), Kind.SYSTEM, ts_local=when, line=line)
        )


def parse_exporter_html(
    chunks: Iterator[str], path: str, me: str, tapbacks: dict[str, str]
) -> Iterator[ParsedMessage]:
    """Messages of one exporter HTML page, in page order, nested reply copies skipped."""
    reader = _Reader(path, me, tapbacks)
    for chunk in chunks:
        reader.feed(chunk)
        if reader.done:
            yield from reader.done
            reader.done = []
    reader.close()
    yield from reader.done


def read_blocks(fh: object) -> Iterator[str]:
    """A text stream in blocks, for :func:`parse_exporter_html`."""
    read = fh.read  # type: ignore[attr-defined]
    while block := read(_BLOCK):
        yield block
