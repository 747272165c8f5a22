"""DiscordChatExporter's JSON and CSV exports of one channel or direct message.

Discord has no export of its own; DiscordChatExporter (Tyrrrz) is what people use.
Its JSON has ``guild``, ``channel`` and a ``messages`` array whose records carry
ids, typed system events, ISO 8601 timestamps with an offset, authors with ids,
attachments, stickers, reactions (with the reacting users in newer versions) and
reply references. A busy server channel runs to gigabytes, so the document is
walked one message at a time with :class:`~fondly.importers._jsonstream.JsonStream`.

The CSV layout (``AuthorID,Author,Date,Content,Attachments,Reactions``) has no
message ids, types or reactors; it is recognised by its header and named after
the file, whose default name ends in the channel id in brackets. That id makes a
CSV and a JSON export of one channel the same conversation, but their messages
cannot be matched (ids on one side only), so importing both counts each message
twice: use one format per channel, JSON where there is a choice.

Timestamps: the exporter writes the exporting machine's offset, or ``+00:00`` with
``--utc``. A non-zero offset fixes both the instant and the wall clock; a zero
offset cannot tell "lives in UTC" from "exported with --utc", so only the instant
is kept and ingest derives the wall clock from ``--tz``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from fondly._errors import ParseError
from fondly.importers._jsonstream import JsonStream
from fondly.importers._registry import ImportOptions, Unit
from fondly.importers._tree import Tree
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

PLATFORM = "discord"

MESSAGE_TYPES = frozenset({"Default", "Reply", "ChatInputCommand", "ContextMenuCommand"})
CALL_TYPES = frozenset({"Call"})
ONE_TO_ONE_CHANNELS = frozenset({"DirectTextChat"})

CSV_COLUMNS = ("AuthorID", "Author", "Date", "Content")

_IMAGE = frozenset({"png", "jpg", "jpeg", "webp", "heic", "bmp", "tif", "tiff"})
_VIDEO = frozenset({"mp4", "mov", "webm", "mkv", "avi", "m4v"})
_AUDIO = frozenset({"mp3", "ogg", "wav", "m4a", "flac", "opus", "aac"})

_JSON_HEAD = (re.compile(rb'"guild"\s*:\s*\{'), re.compile(rb'"channel"\s*:\s*\{'))
_CHANNEL_ID_IN_NAME = re.compile(r"\s*\[(\d+)\]$")
_ZERO = timedelta(0)


def looks_like_discord_json(head: bytes) -> bool:
    """DiscordChatExporter JSON opens with a ``guild`` and a ``channel`` object."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and all(
        p.search(head) for p in _JSON_HEAD
    )


def looks_like_discord_csv(head: bytes) -> bool:
    first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    if not first:
        return False
    columns = [c.strip() for c in next(csv.reader(first))]
    return columns[: len(CSV_COLUMNS)] == list(CSV_COLUMNS)


def parse_instant(value: Any, path: str, where: str | int) -> tuple[int, datetime | None]:
    """``(ts_ms, ts_local)`` from the exporter's ISO 8601 time with offset."""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ParseError(path, where, "timestamp is not ISO 8601") from None
    if parsed.tzinfo is None:
        raise ParseError(path, where, "timestamp has no UTC offset")
    ts_ms = int(parsed.timestamp() * 1000)
    offset = parsed.utcoffset()
    return ts_ms, (parsed.replace(tzinfo=None) if offset != _ZERO else None)


def attachment_type(file_name: str) -> str:
    """A fondly media type from an attachment's file extension."""
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if ext == "gif":
        return "gif"
    if ext in _IMAGE:
        return "image"
    if ext in _VIDEO:
        return "video"
    if ext in _AUDIO:
        return "audio"
    return "file"


class DiscordImporter:
    name = "discord"
    description = "DiscordChatExporter JSON or CSV (one channel or DM per file)"

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        units = []
        for name in unclaimed:
            lower = name.lower()
            if lower.endswith(".json"):
                sniff = looks_like_discord_json
            elif lower.endswith(".csv"):
                sniff = looks_like_discord_csv
            else:
                continue
            if sniff(tree.head(name)):
                units.append(Unit(self, [name], name))
        return units

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        name = unit.entries[0]
        if name.lower().endswith(".csv"):
            yield from _parse_csv(tree, name)
            return
        with tree.text_stream(name) as fh:
            yield from _parse_json(JsonStream(fh, tree.display(name)))


# -- JSON ---------------------------------------------------------------------


def _parse_json(stream: JsonStream) -> Iterator[ParsedConversation]:
    path = stream.path
    guild: Any = None
    channel: Any = None
    for key in stream.keys("(document)"):
        if key == "guild":
            guild = stream.value(key)
        elif key == "channel":
            channel = stream.value(key)
        elif key == "messages" and stream.peek() == "[":
            if not isinstance(channel, dict) or channel.get("id") in (None, ""):
                raise ParseError(path, "channel", "no channel id before the messages")
            if stream.empty_array():
                continue  # an export of a date range with nothing in it
            conv = _conversation(channel, guild, path)
            messages = _json_messages(stream, conv)
            conv.messages = messages
            yield conv
            for _ in messages:  # leave the reader past the array even if stopped early
                pass
        else:
            stream.skip(key)
    stream.end("(document)")


def _conversation(channel: dict[str, Any], guild: Any, path: str) -> ParsedConversation:
    channel_name = str(channel.get("name") or channel["id"])
    guild_name = guild.get("name") if isinstance(guild, dict) else None
    channel_type = channel.get("type")
    is_direct = str(channel_type or "").startswith("Direct")
    title = channel_name if is_direct or not guild_name else f"{guild_name} / #{channel_name}"
    return ParsedConversation(
        platform=PLATFORM,
        key=str(channel["id"]),
        title=title,
        messages=iter(()),
        is_group=(channel_type not in ONE_TO_ONE_CHANNELS) if channel_type else None,
        source=path,
        format="discord",
    )


def _json_messages(stream: JsonStream, conv: ParsedConversation) -> Iterator[ParsedMessage]:
    path = stream.path
    senders: set[str] = set()
    reactors: dict[str, str | None] = {}
    for i in stream.items("messages"):
        record = stream.value(f"messages[{i}]")
        if not isinstance(record, dict):
            raise ParseError(path, f"messages[{i}]", "message is not a JSON object")
        message = _json_message(record, path, i)
        if message.sender is not None:
            senders.add(message.sender)
        if message.reactions:
            for reaction in record["reactions"]:
                for user in reaction.get("users") or ():
                    if isinstance(user, dict) and user.get("id"):
                        name = user.get("nickname") or user.get("name")
                        reactors.setdefault(str(user["id"]), str(name) if name else None)
        yield message
    # Members who only reacted; added last so that a sender's own name wins.
    for handle, name in reactors.items():
        if handle not in senders:
            conv.participants.append(ParsedHandle(handle, name))


def _json_message(record: dict[str, Any], path: str, index: int) -> ParsedMessage:
    where = f"messages[{index}]"
    author = record.get("author")
    timestamp = record.get("timestamp")
    if not isinstance(author, dict) or author.get("id") in (None, "") or not timestamp:
        raise ParseError(path, where, "message lacks an author id or a timestamp")
    ts_ms, ts_local = parse_instant(timestamp, path, where)
    msg_type = record.get("type") or "Default"
    text = str(record.get("content") or "")
    source_id = str(record["id"]) if record.get("id") not in (None, "") else None
    edited = bool(record.get("timestampEdited"))
    sender = str(author["id"])
    sender_name = author.get("nickname") or author.get("name")
    if msg_type in CALL_TYPES:
        return ParsedMessage(
            sender=sender,
            text=text,
            kind=Kind.CALL,
            ts_ms=ts_ms,
            ts_local=ts_local,
            source_id=source_id,
            sender_name=str(sender_name) if sender_name else None,
            line=index,
        )
    if msg_type not in MESSAGE_TYPES:
        # Member joins, pins, renames, thread creation: events, not anyone's words.
        return ParsedMessage(
            sender=None,
            text=text,
            kind=Kind.SYSTEM,
            ts_ms=ts_ms,
            ts_local=ts_local,
            source_id=source_id,
            line=index,
        )
    kind: str = Kind.TEXT
    media_type = None
    if record.get("stickers"):
        kind, media_type = Kind.STICKER, "sticker"
    elif record.get("attachments"):
        first = record["attachments"][0]
        name = (
            str(first.get("fileName") or first.get("url") or "") if isinstance(first, dict) else ""
        )
        kind, media_type = Kind.MEDIA, attachment_type(name)
    reference = record.get("reference")
    reply_to = None
    if isinstance(reference, dict) and reference.get("messageId"):
        reply_to = str(reference["messageId"])
    return ParsedMessage(
        sender=sender,
        text=text,
        kind=kind,
        ts_ms=ts_ms,
        ts_local=ts_local,
        source_id=source_id,
        reply_to=reply_to,
        edited=edited,
        sender_name=str(sender_name) if sender_name else None,
        line=index,
        reactions=_reactions(record.get("reactions")),
        media_type=media_type,
    )


def _reactions(value: Any) -> list[tuple[str, str]]:
    """``(user id, emoji)`` pairs; exports without ``users`` give counts only, dropped."""
    pairs: list[tuple[str, str]] = []
    if not isinstance(value, list):
        return pairs
    for reaction in value:
        if not isinstance(reaction, dict):
            continue
        emoji = reaction.get("emoji")
        name = emoji.get("name") if isinstance(emoji, dict) else emoji
        if not name:
            continue
        for user in reaction.get("users") or ():
            if isinstance(user, dict) and user.get("id"):
                pairs.append((str(user["id"]), str(name)))
    return pairs


# -- CSV ----------------------------------------------------------------------


def _csv_title_and_key(name: str) -> tuple[str, str]:
    """DiscordChatExporter names files ``Guild - Category - channel [id].csv``."""
    stem = PurePosixPath(name).stem
    match = _CHANNEL_ID_IN_NAME.search(stem)
    if match:
        return stem[: match.start()].strip() or match.group(1), match.group(1)
    return stem, stem


def _parse_csv(tree: Tree, name: str) -> Iterator[ParsedConversation]:
    title, key = _csv_title_and_key(name)
    path = tree.display(name)
    conv = ParsedConversation(
        platform=PLATFORM,
        key=key,
        title=title,
        messages=_csv_messages(tree, name, path),
        source=path,
        format="discord",
    )
    yield conv


def _csv_messages(tree: Tree, name: str, path: str) -> Iterator[ParsedMessage]:
    with tree.text_stream(name) as fh:
        reader = csv.reader(fh)
        header = [c.strip() for c in next(reader, [])]
        if header[: len(CSV_COLUMNS)] != list(CSV_COLUMNS):
            raise ParseError(path, 1, "header is not AuthorID,Author,Date,Content,...")
        has_attachments = len(header) > 4 and header[4] == "Attachments"
        end = reader.line_num
        for row in reader:
            # A quoted Content may span lines; errors name the line the row starts on.
            line, end = end + 1, reader.line_num
            if not row:
                continue
            if len(row) < len(CSV_COLUMNS):
                raise ParseError(path, line, "row has fewer than four columns")
            author_id, author, date, content = row[0], row[1], row[2], row[3]
            if not author_id or not date:
                raise ParseError(path, line, "row lacks an author id or a date")
            ts_ms, ts_local = parse_instant(date, path, line)
            kind: str = Kind.TEXT
            media_type = None
            attachments = row[4].strip() if has_attachments and len(row) > 4 else ""
            if attachments:
                kind = Kind.MEDIA
                media_type = attachment_type(attachments.split(",")[0].strip())
            yield ParsedMessage(
                sender=author_id,
                text=content,
                kind=kind,
                ts_ms=ts_ms,
                ts_local=ts_local,
                sender_name=author or None,
                line=line,
                media_type=media_type,
            )


IMPORTER = DiscordImporter()
