"""iMessage: the macOS ``chat.db`` itself, or the TXT files imessage-exporter writes from it.

**chat.db** (``~/Library/Messages/chat.db``) is SQLite. We open it read-only
(a ``file:...?mode=ro`` URI, so Messages' live database is never written; a copy
in a temporary file when it sits inside a zip) and read the tables ``chat``,
``chat_message_join``, ``chat_handle_join``, ``handle`` and ``message``. Apple
stores ``message.date`` since 2001-01-01 UTC, in nanoseconds on macOS 10.13+ and
in seconds before, so it gives the true instant: ``ts_ms`` only. Tapbacks are rows
of their own (``associated_message_type`` 2000-2006 adds, 3000-3006 removes one)
pointing at their target's ``guid``; they become reactions, not messages. Since
macOS 13 the body is often only in ``attributedBody``, a serialised
NSAttributedString: see :func:`decode_attributed_body`.

**imessage-exporter TXT** writes one file per chat, named after its participants
(or the group's name), as blocks::

    May 17, 2022  5:29:42 PM (Read by you after 1 hour, 49 seconds)
    Sam Doe                                 <- "Me" for the user
    the body, maybe over several lines
    /Users/x/Library/Messages/Attachments/...jpg   <- an attachment
    Tapbacks:                               <- "Reactions:" in older versions
    Loved by Me

A reply is printed again, indented four spaces, under the message it answers,
and carries the line "This message responded to an earlier message."; we keep
one copy. Edited bodies start with their own timestamp and list later versions as
``Edited 5 seconds later: ...``; we keep the final text and set ``edited``. The
timestamps are the exporting Mac's wall clock (``%b %d, %Y %l:%M:%S %p``, hence
the double space before one-digit hours): ``ts_local`` only.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath

from fondly._errors import ParseError
from fondly._private import scratch_dir
from fondly.importers._registry import ImportOptions, Unit
from fondly.importers._tree import Tree
from fondly.importers.imessage_html import (
    looks_like_exporter_html,
    parse_exporter_html,
    read_blocks,
)
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

PLATFORM = "imessage"
ME = "me"
"""The handle every message the user sent is filed under (chat.db has no handle row for it)."""

APPLE_EPOCH_MS = 978_307_200_000
"""2001-01-01T00:00:00Z in Unix milliseconds: the zero of every Apple ``date`` column."""

SQLITE_MAGIC = b"SQLite format 3\x00"

TAPBACKS = {0: "❤️", 1: "👍", 2: "👎", 3: "😂", 4: "‼️", 5: "❓"}
"""``associated_message_type`` minus 2000 (add) or 3000 (remove) -> the tapback."""

TAPBACK_NAMES = {
    "loved": "❤️",
    "liked": "👍",
    "disliked": "👎",
    "laughed": "😂",
    "emphasized": "‼️",
    "questioned": "❓",
}
"""How imessage-exporter spells the same tapbacks in TXT (``Loved by Me``)."""

_OBJECT_REPLACEMENT = "\ufffc"
"""iMessage puts U+FFFC in ``text`` where an attachment sits inside the bubble."""


# --- attributedBody ---------------------------------------------------------------------


def decode_attributed_body(blob: bytes | None) -> str | None:
    """The plain text inside an ``attributedBody`` blob, or ``None`` when there is none.

    The blob is an NSAttributedString in Apple's old ``typedstream`` archive
    format. We do not need its attributes (fonts, mentions, links), only the
    string, which the archive writes right after the class name ``NSString``:
    a few class-version bytes, then ``+`` (0x2B, "a C string follows"), then the
    length and the UTF-8 bytes. The length is one byte when below 0x80; otherwise
    a tag byte says how many little-endian bytes follow: 0x81 two, 0x82 four.
    Scanning for the marker rather than decoding the whole archive keeps this
    small and tolerant of attribute layouts that change between macOS releases.
    """
    if not blob:
        return None
    start = blob.find(b"NSString")
    if start < 0:
        return None
    plus = blob.find(b"+", start + len(b"NSString"))
    if plus < 0 or plus - start > 16 or plus + 1 >= len(blob):
        return None
    pos = plus + 1
    tag = blob[pos]
    if tag == 0x81:
        length, pos = int.from_bytes(blob[pos + 1 : pos + 3], "little"), pos + 3
    elif tag == 0x82:
        length, pos = int.from_bytes(blob[pos + 1 : pos + 5], "little"), pos + 5
    elif tag < 0x80:
        length, pos = tag, pos + 1
    else:
        return None
    if pos + length > len(blob):
        return None
    return blob[pos : pos + length].decode("utf-8", errors="replace")


def encode_attributed_body(text: str) -> bytes:
    """A minimal ``attributedBody`` blob holding ``text`` (what tests and the demo need).

    It carries the same framing a real archive has around the string, so that
    :func:`decode_attributed_body` reads it exactly as it reads Apple's.
    """
    data = text.encode("utf-8")
    n = len(data)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x10000:
        length = b"\x81" + n.to_bytes(2, "little")
    else:
        length = b"\x82" + n.to_bytes(4, "little")
    return (
        b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00"
        b"\x84\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+"
        + length
        + data
        + b"\x86\x84\x02iI\x01\x05\x92\x84\x84\x84\x0cNSDictionary\x00\x94\x84\x01i\x00\x86\x86"
    )


# --- chat.db ------------------------------------------------------------------------------


def apple_time_to_ms(value: int | float | None) -> int | None:
    """Unix ms from an Apple ``date`` (nanoseconds since 2001; seconds before macOS 10.13)."""
    if value is None or value == 0:
        return None
    number = int(value)
    # Seconds since 2001 stay below ~3e9 for centuries; nanoseconds are above 1e14 after 2001.
    millis = number // 1_000_000 if abs(number) > 100_000_000_000_000 else number * 1000
    return millis + APPLE_EPOCH_MS


def contact_handle(value: str) -> ParsedHandle:
    """A handle with its phone number or e-mail address filled in."""
    if "@" in value:
        return ParsedHandle(value, email=value)
    if re.fullmatch(r"\+?[\d\s().-]{5,}", value):
        return ParsedHandle(value, phone=value)
    return ParsedHandle(value)


def _media_type(mime: str | None, name: str | None) -> str:
    if mime:
        major = mime.split("/", 1)[0]
        if major in ("image", "video", "audio"):
            return major
    return media_type_of(name or "")


def media_type_of(path: str) -> str:
    """``image``, ``video``, ``audio`` or ``file`` from a file name."""
    suffix = PurePosixPath(path).suffix.lower().lstrip(".")
    if suffix in {"jpg", "jpeg", "png", "gif", "heic", "heif", "webp", "tiff", "bmp"}:
        return "image"
    if suffix in {"mov", "mp4", "m4v", "3gp", "avi"}:
        return "video"
    if suffix in {"caf", "m4a", "mp3", "aac", "amr", "wav", "opus"}:
        return "audio"
    return "file"


@contextmanager
def open_chat_db(tree: Tree, name: str) -> Iterator[sqlite3.Connection]:
    """A read-only connection to ``chat.db``, copied out first when it lives inside a zip."""
    local = tree.local_path(name)
    # The copy holds every message: it goes to the store's scratch folder, which the
    # next run empties even if this one is killed (fondly._private).
    with tempfile.TemporaryDirectory(prefix="fondly-imessage-", dir=scratch_dir()) as tmp:
        if local is None:
            local = Path(tmp) / "chat.db"
            with tree.open(name) as src, local.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        con = sqlite3.connect(f"{local.resolve().as_uri()}?mode=ro", uri=True)
        try:
            yield con
        finally:
            con.close()


_REQUIRED_TABLES = {"message", "handle", "chat", "chat_message_join"}


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in con.execute(f"PRAGMA table_info({table})")}


def _col(columns: set[str], name: str) -> str:
    """The column, or NULL where an older macOS lacks it (keeps one query for all versions)."""
    return f"m.{name}" if name in columns else f"NULL AS {name}"


def _is_chat_db(tree: Tree, name: str) -> bool:
    if not tree.head(name, len(SQLITE_MAGIC)).startswith(SQLITE_MAGIC):
        return False
    try:
        with open_chat_db(tree, name) as con:
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
    except sqlite3.Error:
        return False
    return tables >= _REQUIRED_TABLES


def _load_reactions(con: sqlite3.Connection, columns: set[str]) -> dict[str, list[tuple[str, str]]]:
    """Tapbacks by target guid, with removals applied in time order."""
    emoji_col = _col(columns, "associated_message_emoji")
    rows = con.execute(
        f"""
        SELECT m.associated_message_type, m.associated_message_guid, m.is_from_me, h.id,
               {emoji_col}
        FROM message m LEFT JOIN handle h ON h.ROWID = m.handle_id
        WHERE m.associated_message_type BETWEEN 2000 AND 3999
          AND m.associated_message_guid IS NOT NULL
        ORDER BY m.date, m.ROWID
        """
    )
    found: dict[str, dict[tuple[str, str], None]] = {}
    for kind, target, from_me, handle, emoji in rows:
        # Targets read "p:0/GUID" (part 0 of the bubble) or "bp:GUID".
        guid = target.rsplit("/", 1)[-1].removeprefix("bp:")
        who = ME if from_me else (handle or "unknown")
        code = int(kind) % 1000
        reaction = TAPBACKS.get(code) or (emoji if code == 6 and emoji else f"tapback-{code}")
        bucket = found.setdefault(guid, {})
        if int(kind) < 3000:
            bucket[(who, reaction)] = None
        else:
            bucket.pop((who, reaction), None)
    return {guid: list(pairs) for guid, pairs in found.items() if pairs}


def _load_attachments(
    con: sqlite3.Connection, tables: set[str]
) -> dict[int, tuple[str | None, str | None]]:
    """The first attachment's ``(mime_type, file name)`` per message ROWID, where recorded."""
    if not {"attachment", "message_attachment_join"} <= tables:
        return {}
    found: dict[int, tuple[str | None, str | None]] = {}
    for message_id, mime, filename in con.execute(
        "SELECT j.message_id, a.mime_type, a.filename FROM message_attachment_join j "
        "JOIN attachment a ON a.ROWID = j.attachment_id ORDER BY j.message_id, a.ROWID"
    ):
        found.setdefault(int(message_id), (mime, filename))
    return found


def _chat_db_messages(
    con: sqlite3.Connection,
    chat_rowid: int,
    columns: set[str],
    reactions: dict[str, list[tuple[str, str]]],
    attachments: dict[int, tuple[str | None, str | None]],
    path: str,
) -> Iterator[ParsedMessage]:
    tapback_type = "m.associated_message_type" if "associated_message_type" in columns else "NULL"
    query = f"""
        SELECT m.ROWID, m.guid, m.text, {_col(columns, "attributedBody")}, m.is_from_me, m.date,
               {_col(columns, "date_edited")}, {_col(columns, "cache_has_attachments")},
               {_col(columns, "item_type")}, {_col(columns, "thread_originator_guid")},
               {_col(columns, "group_title")}, h.id
        FROM chat_message_join j JOIN message m ON m.ROWID = j.message_id
        LEFT JOIN handle h ON h.ROWID = m.handle_id
        WHERE j.chat_id = ?
          AND coalesce({tapback_type}, 0) NOT BETWEEN 2000 AND 3999
        ORDER BY m.date, m.ROWID
    """
    for row in con.execute(query, [chat_rowid]):
        (
            rowid,
            guid,
            text,
            body,
            from_me,
            date,
            edited,
            has_attachments,
            item_type,
            thread,
            group_title,
            handle,
        ) = row
        if text is None:
            try:
                text = decode_attributed_body(body)
            except (TypeError, ValueError):
                raise ParseError(path, f"message[{rowid}]", "unreadable attributedBody") from None
        text = (text or "").replace(_OBJECT_REPLACEMENT, "").strip()
        sender: str | None = ME if from_me else (handle or None)
        kind: str = Kind.TEXT
        media_type = None
        if item_type:
            # Group events (members added/left, renamed, photo changed): not a turn in the talk.
            kind, sender = Kind.SYSTEM, None
            text = text or (group_title or "")
        elif has_attachments or int(rowid) in attachments:
            mime, filename = attachments.get(int(rowid), (None, None))
            media_type = _media_type(mime, filename)
            kind = Kind.VOICE if media_type == "audio" else Kind.MEDIA
        if sender is None and kind != Kind.SYSTEM:
            sender = "unknown"
        yield ParsedMessage(
            sender=sender,
            text=text,
            kind=kind,
            ts_ms=apple_time_to_ms(date),
            source_id=guid,
            reply_to=thread or None,
            edited=bool(edited),
            reactions=list(reactions.get(guid, [])) if guid else [],
            media_type=media_type,
            line=int(rowid),
        )


def parse_chat_db(con: sqlite3.Connection, path: str) -> Iterator[ParsedConversation]:
    """One conversation per row of ``chat``, messages streamed from the database."""
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = _REQUIRED_TABLES - tables
    if missing:
        raise ParseError(
            path, None, f"not an iMessage chat.db (missing {', '.join(sorted(missing))})"
        )
    columns = _columns(con, "message")
    reactions = _load_reactions(con, columns)
    attachments = _load_attachments(con, tables)
    chats = con.execute(
        "SELECT ROWID, guid, chat_identifier, display_name, style FROM chat ORDER BY ROWID"
    ).fetchall()
    for chat_rowid, guid, identifier, display_name, style in chats:
        members: list[ParsedHandle] = []
        if "chat_handle_join" in tables:
            members = [
                contact_handle(str(h))
                for (h,) in con.execute(
                    "SELECT h.id FROM chat_handle_join j JOIN handle h ON h.ROWID = j.handle_id "
                    "WHERE j.chat_id = ? ORDER BY h.ROWID",
                    [chat_rowid],
                )
            ]
        is_group = style == 43 if style in (43, 45) else None
        title = display_name or (
            ", ".join(m.handle for m in members) if is_group and members else identifier
        )
        yield ParsedConversation(
            platform=PLATFORM,
            key=str(guid or identifier),
            title=str(title or guid),
            messages=_chat_db_messages(con, chat_rowid, columns, reactions, attachments, path),
            is_group=is_group,
            participants=[ParsedHandle(ME, display_name="Me", is_me=True), *members],
            me_handle=ME,
            source=path,
            format="imessage-chatdb",
        )


# --- imessage-exporter TXT ----------------------------------------------------------------

TIMESTAMP = re.compile(
    r"^(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<d>\d{1,2}), (?P<y>\d{4}) +"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2}) (?P<ampm>AM|PM)(?P<rest>.*)$"
)
_READ = re.compile(r"^ \(Read by (?:you|them|.+?) after [^)]*\)$")
_EDIT = re.compile(r"^Edited .+? later: (?P<text>.*)$")
_REACTION_LINE = re.compile(r"^(?P<what>.+?) by (?P<who>.+)$")
_STICKER_REACTION = re.compile(r"^Sticker from (?P<who>.+?): ")
_EXPRESSIVE = re.compile(r"^Sent with [A-Z][A-Za-z ]+$")
_DELETED = re.compile(r"^(?:You|They|.+) deleted a message\.$")
_REPLY_NOTE = "This message responded to an earlier message."
_ATTACHMENT = re.compile(
    r"^(?:~/|/|\.{0,2}/?attachments/).*\.[A-Za-z0-9]{1,5}$|^Attachment missing!$"
)


def parse_exporter_time(match: re.Match[str]) -> datetime:
    """The wall clock of a matched timestamp line."""
    clock = f"{match['h']}:{match['mi']}:{match['s']} {match['ampm']}"
    stamp = f"{match['mon']} {match['d']} {match['y']} {clock}"
    return datetime.strptime(stamp, "%b %d %Y %I:%M:%S %p")


def looks_like_exporter_txt(head: bytes) -> bool:
    """The first non-blank line is an imessage-exporter timestamp."""
    for line in head.decode("utf-8-sig", errors="replace").splitlines():
        if line.strip():
            return TIMESTAMP.match(line) is not None
    return False


def _block_messages(
    lines: list[tuple[int, str]], path: str
) -> Iterator[tuple[ParsedMessage, bool]]:
    """``(message, is_nested_reply)`` pairs from one top-level block (timestamp line first)."""
    number, first = lines[0]
    match = TIMESTAMP.match(first)
    assert match is not None  # the caller cut blocks at timestamp lines
    when = parse_exporter_time(match)
    rest = match["rest"]
    if rest and not _READ.match(rest):
        # A one-line announcement: "<time> Sam renamed the conversation to ...".
        yield ParsedMessage(None, rest.strip(), Kind.SYSTEM, ts_local=when, line=number), False
        return
    if len(lines) < 2 or not lines[1][1].strip():
        raise ParseError(path, number, "a message timestamp without a sender line")
    sender_line = lines[1][1].strip()
    sender = ME if sender_line == "Me" else sender_line
    body: list[str] = []
    nested: list[tuple[int, str]] = []
    replies: list[tuple[ParsedMessage, bool]] = []
    reactions: list[tuple[str, str]] = []
    in_reactions = False
    edited = False
    kind: str = Kind.TEXT
    media_type: str | None = None
    for index, (line_no, line) in enumerate(lines[2:]):
        if line.startswith("    ") and (nested or TIMESTAMP.match(line[4:])):
            nested.append((line_no, line[4:]))
            continue
        if nested:
            replies.extend(_nested(nested, path))
            nested = []
        stripped = line.strip()
        if stripped in ("Tapbacks:", "Reactions:"):
            in_reactions = True
            continue
        if in_reactions:
            if not stripped:
                in_reactions = False
                continue
            sticker = _STICKER_REACTION.match(stripped)
            tapback = _REACTION_LINE.match(stripped)
            if sticker:
                reactions.append((_who(sticker["who"]), "sticker"))
            elif tapback:
                what = tapback["what"].strip()
                emoji = TAPBACK_NAMES.get(what.lower()) or what.removeprefix("Emoji(").rstrip(")")
                reactions.append((_who(tapback["who"]), emoji))
            continue
        if stripped == _REPLY_NOTE or _EXPRESSIVE.match(stripped):
            continue
        if index == 0:
            edit_start = TIMESTAMP.match(line)
            if edit_start and edit_start["rest"].startswith(" "):
                edited = True
                body.append(edit_start["rest"][1:])
                continue
        edit = _EDIT.match(stripped) if edited else None
        if edit:
            body = [edit["text"]]
            continue
        if _ATTACHMENT.match(stripped):
            kind = Kind.MEDIA
            media_type = media_type or media_type_of(stripped)
            continue
        body.append(line)
    while body and not body[-1].strip():
        body.pop()
    text = "\n".join(body)
    if _DELETED.match(text):
        kind, text = Kind.DELETED, ""
    if media_type == "audio":
        kind = Kind.VOICE
    message = ParsedMessage(
        sender=sender,
        text=text,
        kind=kind,
        ts_local=when,
        edited=edited,
        reactions=reactions,
        media_type=media_type,
        line=number,
    )
    yield message, False
    # Replies after their original, as the exporter printed them.
    yield from replies
    if nested:
        yield from _nested(nested, path)


def _nested(lines: list[tuple[int, str]], path: str) -> Iterator[tuple[ParsedMessage, bool]]:
    """Replies printed under their original: parsed like top-level blocks, flagged as copies."""
    for block in _split_blocks(lines):
        for message, _ in _block_messages(block, path):
            yield message, True


def _who(name: str) -> str:
    name = name.strip()
    return ME if name in ("Me", "you", "You") else name


def _split_blocks(lines: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """Cut numbered lines into blocks, each opened by an unindented timestamp line.

    A timestamp only opens a block after a blank line (or at the start): the
    exporter ends every top-level message with one, while an edited message's
    body, which also starts with a timestamp, follows its sender line directly.
    """
    block: list[tuple[int, str]] = []
    for item in lines:
        if TIMESTAMP.match(item[1]) and (not block or not block[-1][1].strip()):
            if any(line.strip() for _, line in block):
                yield block
            block = [item]
            continue
        block.append(item)
    if any(line.strip() for _, line in block):
        yield block


def parse_exporter_txt(lines: Iterator[str], path: str) -> Iterator[ParsedMessage]:
    """Messages from an imessage-exporter TXT file, one copy of each reply."""
    numbered = enumerate(lines, 1)
    # The exporter prints a reply under its original, which is older, so the nested
    # copy always comes first: remembering only those keeps memory to the replies.
    nested_copies: set[tuple[object, ...]] = set()
    for block in _split_blocks(numbered):
        if not TIMESTAMP.match(block[0][1]):
            raise ParseError(path, block[0][0], "expected an imessage-exporter timestamp line")
        for message, nested in _block_messages(block, path):
            key = (message.ts_local, message.sender, message.text)
            if nested:
                nested_copies.add(key)
            elif key in nested_copies:
                nested_copies.discard(key)
                continue
            yield message


# --- importer -----------------------------------------------------------------------------


class IMessageImporter:
    """Reads ``chat.db`` (read-only) and imessage-exporter's TXT files."""

    name = "imessage"
    description = "iMessage: macOS chat.db, or imessage-exporter TXT or HTML files"

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        units = []
        for name in unclaimed:
            lower = name.lower()
            txt = lower.endswith(".txt") and looks_like_exporter_txt(tree.head(name))
            html = lower.endswith((".html", ".htm")) and looks_like_exporter_html(
                tree.head(name, 32768)
            )
            if txt or html:
                units.append(Unit(self, [name], PurePosixPath(name).stem))
            elif lower.endswith((".db", ".sqlite", ".sqlite3")) and _is_chat_db(tree, name):
                units.append(Unit(self, [name], name))
        return units

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        name = unit.entries[0]
        path = tree.display(name)
        if tree.head(name, len(SQLITE_MAGIC)).startswith(SQLITE_MAGIC):
            with open_chat_db(tree, name) as con:
                try:
                    yield from parse_chat_db(con, path)
                except sqlite3.Error as exc:
                    raise ParseError(
                        path, None, f"cannot read the database ({type(exc).__name__})"
                    ) from None
            return
        title = PurePosixPath(name).stem if not tree.is_single_file else tree.path.stem
        html = name.lower().endswith((".html", ".htm"))
        # TXT and HTML pages of one chat share a key: the exporter names both files
        # after the chat, so either export lands in the same conversation.
        conv = ParsedConversation(
            platform=PLATFORM,
            key=f"txt:{title}",
            title=title,
            messages=[],
            participants=[ParsedHandle(ME, display_name="Me", is_me=True)],
            me_handle=ME,
            source=path,
            format="imessage-html" if html else "imessage-txt",
        )
        conv.messages = self._txt_messages(tree, name, path, conv, html=html)
        yield conv

    def _txt_messages(
        self, tree: Tree, name: str, path: str, conv: ParsedConversation, *, html: bool = False
    ) -> Iterator[ParsedMessage]:
        """Stream messages, adding each new sender's phone/e-mail to ``conv.participants``.

        Ingest reads ``participants`` after the messages are consumed, so filling
        it here records contact details without a second pass over the file.
        """
        known = {ME}
        with tree.text_stream(name) as fh:
            lines = (line.rstrip("\r\n") for line in fh)
            messages = (
                parse_exporter_html(read_blocks(fh), path, ME, TAPBACK_NAMES)
                if html
                else parse_exporter_txt(lines, path)
            )
            for message in messages:
                for handle in [message.sender, *(who for who, _ in message.reactions)]:
                    if handle is not None and handle not in known:
                        known.add(handle)
                        conv.participants.append(contact_handle(handle))
                yield message


IMPORTER = IMessageImporter()
