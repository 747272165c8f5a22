"""Signal chats exported by signal-export (``sigexport``) as Markdown, one ``chat.md`` per chat.

Signal has no per-chat export of its own for most of its history; signal-export
decrypts Signal Desktop's database and writes one folder per chat, named after
the chat, holding ``chat.md`` (and ``media/``). The folder name is the only
place the chat's name appears, so it becomes the title and the key.

Each message starts with a header line, in one of three layouts that the tool
used over time (carderne/signal-export#108 changed it in March 2024)::

    [2023-04-01, 18:05] Sam: old layout, minutes only
    [2024-03-01 18:05] Sam: short-lived layout
    [2024-05-01 18:05:09] Sam: current layout

The body runs until the next header line, so multi-line messages keep their
newlines. Inside a body signal-export appends, in this order: a quoted message
(``> `` lines before the body, when the message replies to one), the body, a
reactions line ``(- Name: 👍, Other: ❤️ -)``, a sticker (``(( 😀 ))`` or a link into
``exported_stickers/``) and attachments as Markdown links ``[name](./media/x)``,
with a ``!`` in front for images. Lines end in two spaces (Markdown line breaks).
Outgoing messages are sent by ``Me``; calls and deletions are written as fixed
English phrases, which we recognise exactly so that ordinary text is never taken
for them. The times are the exporting computer's wall clock: ``ts_local`` only.

Since v2.0.0 signal-export also writes ``data.json`` next to ``chat.md``: one JSON
object per line with the same fields kept apart (``date`` in ISO 8601 wall clock,
``sender``, ``body``, ``quote``, ``sticker``, ``reactions`` as ``[name, emoji]``
pairs, ``attachments`` as ``{name, path}``, ``deleted``). Where a folder has it we
read it instead of the Markdown, since nothing there has to be guessed; both give
the same messages (times cut to the second, as the Markdown shows them), so the
two can be mixed across exports without duplicates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from fondly._errors import ParseError
from fondly.importers._registry import ImportOptions, Unit
from fondly.importers._tree import Tree
from fondly.importers.signal_backup import BackupReader, looks_like_backup_jsonl
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

PLATFORM = "signal"
ME = "Me"
"""signal-export names the exporting user ``Me`` on every outgoing message."""

HEADER = re.compile(
    r"^\[(?P<date>\d{4}-\d{2}-\d{2})(?:, | )(?P<time>\d{2}:\d{2}(?::\d{2})?)\] "
    r"(?P<sender>[^\n]*?): ?(?P<rest>.*)$"
)
"""A message header in any of the three layouts (``, HH:MM``, `` HH:MM``, `` HH:MM:SS``)."""

_REACTIONS = re.compile(r"^\(- (?P<list>.*) -\)$")
_STICKER = re.compile(r"^\(\( (?P<label>.*) \)\)$")
_LINK = re.compile(r"(?P<image>!?)\[(?P<name>[^\]\n]*)\]\((?P<target>[^)\s]*)\)")
_DELETED = "(This message was deleted)"
_CALL = re.compile(
    r"^(?:(?:Incoming|Outgoing) (?:voice |video )?call(?: \([^)\n]*\))?"
    r"|Missed (?:voice |video )?call)$"
)
"""The call summaries signal-export writes instead of a body (its ``_format_call``)."""

_MEDIA_DIRS = ("./media/", "media/", "../exported_stickers/", "exported_stickers/")

_EXTENSION_TYPES = {
    "image": {"png", "jpg", "jpeg", "gif", "tif", "tiff", "webp", "apng", "svg", "heic", "bmp"},
    "video": {"mp4", "mov", "mkv", "mpeg", "webm", "qt", "m4v", "3gp"},
    "audio": {"m4a", "aac", "mp3", "ogg", "opus", "wav", "flac", "amr"},
}


def media_type_of(path: str) -> str:
    """``image``, ``video``, ``audio`` or ``file`` from an attachment's file extension."""
    suffix = PurePosixPath(path).suffix.lower().lstrip(".")
    for media_type, extensions in _EXTENSION_TYPES.items():
        if suffix in extensions:
            return media_type
    return "file"


def _first_line(head: bytes) -> str:
    text = head.decode("utf-8-sig", errors="replace")
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def looks_like_signal_markdown(head: bytes) -> bool:
    """The first non-blank line is a signal-export header line."""
    return HEADER.match(_first_line(head)) is not None


def chat_title(tree: Tree, name: str) -> str:
    """The chat's name: the folder signal-export wrote ``chat.md`` into."""
    parent = PurePosixPath(name).parent
    if str(parent) not in ("", "."):
        return parent.name
    # A lone chat.md (or a folder that *is* the chat): the name is one level up.
    return tree.path.parent.name if tree.is_single_file else tree.path.name


def _parse_reactions(listing: str) -> list[tuple[str, str]]:
    """``Name: 👍, Other: ❤️`` -> ``[("Name", "👍"), ("Other", "❤️")]``.

    Names may contain ``", "``, so each item is cut at its *last* ``": "``: emoji
    never contain one.
    """
    pairs: list[tuple[str, str]] = []
    pending = ""
    for item in listing.split(", "):
        pending = f"{pending}, {item}" if pending else item
        name, sep, emoji = pending.rpartition(": ")
        if sep and name and emoji:
            pairs.append((name, emoji))
            pending = ""
    return pairs


def _is_attachment(image: str, target: str) -> bool:
    return bool(image) or target.startswith(_MEDIA_DIRS)


def body_to_message(sender: str, rest: str, lines: list[str]) -> ParsedMessage:
    """Turn a header's trailing text plus continuation lines into a message (time added later).

    Why this order: signal-export writes ``quote + body + reactions + sticker +
    attachments`` on one logical line, so we peel them off in reverse.
    """
    raw = [rest, *lines]
    # Markdown line breaks ("  " at line ends) are formatting, not content.
    raw = [line.rstrip() for line in raw]
    # A quoted (replied-to) message: the header line is empty, then "> " lines
    # framed by blank lines. Drop it: it is another message's text.
    if raw and raw[0] == "":
        i = 1
        while i < len(raw) and raw[i] == "":
            i += 1
        j = i
        while j < len(raw) and raw[j].startswith(">"):
            j += 1
        if j > i:
            raw = raw[j:]
    while raw and raw[0] == "":
        raw.pop(0)
    while raw and raw[-1] == "":
        raw.pop()

    kind: str = Kind.TEXT
    media_type: str | None = None
    reactions: list[tuple[str, str]] = []
    kept: list[str] = []
    for line in raw:
        reaction_match = _REACTIONS.match(line)
        if reaction_match and not reactions:
            reactions = _parse_reactions(reaction_match["list"])
            if reactions:
                # Attachments follow the reactions on the same line in older output.
                continue
        sticker_match = _STICKER.match(line)
        if sticker_match:
            kind = Kind.STICKER
            continue
        kept.append(line)
    text = "\n".join(kept)

    def take_link(match: re.Match[str]) -> str:
        nonlocal kind, media_type
        target = match["target"]
        if not _is_attachment(match["image"], target):
            return match.group(0)
        if "exported_stickers/" in target:
            kind = Kind.STICKER
        elif kind != Kind.STICKER:
            kind = Kind.MEDIA
            media_type = media_type or media_type_of(target)
        return ""

    text = _LINK.sub(take_link, text).strip()
    # Reactions may sit on the last body line with attachments glued after them.
    if not reactions:
        last = text.rsplit("\n", 1)[-1]
        reaction_match = _REACTIONS.match(last)
        if reaction_match:
            reactions = _parse_reactions(reaction_match["list"])
            if reactions:
                text = text[: len(text) - len(last)].rstrip()
    if text == _DELETED:
        kind, text = Kind.DELETED, ""
    elif _CALL.match(text):
        kind = Kind.CALL
    return ParsedMessage(
        sender=sender,
        text=text,
        kind=kind,
        media_type=media_type,
        reactions=reactions,
    )


def parse_markdown(lines: Iterator[str], path: str) -> Iterator[ParsedMessage]:
    """Messages from the lines of a ``chat.md`` (newlines already stripped)."""
    current: tuple[int, datetime, str, str] | None = None
    body: list[str] = []
    for number, line in enumerate(lines, 1):
        match = HEADER.match(line)
        if match is None:
            if current is None:
                if line.strip():
                    raise ParseError(path, number, "expected a '[YYYY-MM-DD HH:MM] Name:' line")
                continue
            body.append(line)
            continue
        if current is not None:
            yield _finish(current, body)
        body = []
        stamp = f"{match['date']} {match['time']}"
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            raise ParseError(path, number, "the date in this header does not exist") from None
        current = (number, when, match["sender"], match["rest"])
    if current is not None:
        yield _finish(current, body)


def _finish(current: tuple[int, datetime, str, str], body: list[str]) -> ParsedMessage:
    number, when, sender, rest = current
    message = body_to_message(sender, rest, body)
    message.ts_local = when
    message.line = number
    return message


def _lines(tree: Tree, name: str) -> Iterator[str]:
    with tree.text_stream(name) as fh:
        for line in fh:
            yield line.rstrip("\r\n")


_JSON_FIELDS = ("date", "sender", "body")


def looks_like_signal_json(head: bytes) -> bool:
    """The first line is a JSON object with signal-export's ``date``/``sender``/``body``."""
    first = _first_line(head)
    if not first.startswith("{"):
        return False
    try:
        record = json.loads(first)
    except ValueError:
        # A long first message can run past the sniffed bytes: fall back to the keys.
        return all(f'"{field}":' in first for field in _JSON_FIELDS)
    return isinstance(record, dict) and all(field in record for field in _JSON_FIELDS)


def record_to_message(record: dict[str, Any], path: str, number: int) -> ParsedMessage:
    """One ``data.json`` record as a message, matching what :func:`body_to_message` gives."""
    try:
        when = datetime.fromisoformat(str(record["date"])).replace(microsecond=0, tzinfo=None)
    except (KeyError, ValueError):
        raise ParseError(path, number, "missing or unreadable 'date'") from None
    sender = record.get("sender")
    if not isinstance(sender, str) or not isinstance(record.get("body", ""), str):
        raise ParseError(path, number, "'sender' and 'body' must be strings")
    body = "\n".join(line.rstrip() for line in (record.get("body") or "").split("\n")).strip()
    kind: str = Kind.TEXT
    media_type = None
    attachments = record.get("attachments") or []
    if isinstance(attachments, list) and attachments:
        first = attachments[0]
        target = str(first.get("path", "")) if isinstance(first, dict) else ""
        kind, media_type = Kind.MEDIA, media_type_of(target)
    if record.get("sticker"):
        kind, media_type = Kind.STICKER, None
    reactions = [
        (str(pair[0]), str(pair[1]))
        for pair in record.get("reactions") or []
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]
    if record.get("deleted") or body == _DELETED:
        kind, body = Kind.DELETED, ""
    elif record.get("call") or _CALL.match(body):
        kind = Kind.CALL
    return ParsedMessage(
        sender=sender,
        text=body,
        kind=kind,
        ts_local=when,
        media_type=media_type,
        reactions=reactions,
        line=number,
    )


def parse_json_lines(lines: Iterator[str], path: str) -> Iterator[ParsedMessage]:
    """Messages from ``data.json`` (one JSON object per line)."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise ParseError(path, number, "not a JSON object") from None
        if not isinstance(record, dict):
            raise ParseError(path, number, "not a JSON object")
        yield record_to_message(record, path, number)


class SignalImporter:
    """Reads signal-export's per-chat Markdown."""

    name = "signal"
    description = (
        "Signal: the app's own export (main.jsonl), or signal-export's chat.md or data.json"
    )

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        """One unit per chat folder: its ``data.json`` when present, else its Markdown."""
        json_by_folder: dict[str, str] = {}
        markdown: list[str] = []
        for name in unclaimed:
            lower = name.lower()
            if lower.endswith(".md") and looks_like_signal_markdown(tree.head(name)):
                markdown.append(name)
            elif lower.endswith(".json") and looks_like_signal_json(tree.head(name)):
                json_by_folder[str(PurePosixPath(name).parent)] = name
        units = [
            Unit(self, [name], name)
            for name in unclaimed
            if name.lower().endswith(".jsonl") and looks_like_backup_jsonl(tree.head(name))
        ]
        for name in markdown:
            folder = str(PurePosixPath(name).parent)
            if folder in json_by_folder:
                # The JSON is read; the Markdown rides along so nothing else claims it.
                units.append(Unit(self, [json_by_folder.pop(folder), name], chat_title(tree, name)))
            else:
                units.append(Unit(self, [name], chat_title(tree, name)))
        for name in json_by_folder.values():
            units.append(Unit(self, [name], chat_title(tree, name)))
        return units

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        name = unit.entries[0]
        path = tree.display(name)
        if name.lower().endswith(".jsonl"):
            yield from BackupReader(path).read(_lines(tree, name))
            return
        title = chat_title(tree, name)
        if name.lower().endswith(".json"):
            messages = parse_json_lines(_lines(tree, name), path)
        else:
            messages = parse_markdown(_lines(tree, name), path)
        yield ParsedConversation(
            platform=PLATFORM,
            key=title,
            title=title,
            messages=messages,
            participants=[ParsedHandle(ME, is_me=True)],
            me_handle=ME,
            source=path,
            format=self.name,
        )


IMPORTER = SignalImporter()
