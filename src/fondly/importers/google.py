"""Google Chat and Google Hangouts, as Google Takeout exports them.

**Google Chat** writes one folder per conversation,
``Google Chat/Groups/<DM id | Space id>/`` with ``messages.json`` (the messages,
oldest first) and ``group_info.json`` (the members), plus
``Google Chat/Users/User <id>/user_info.json`` naming the exporting user. A DM
folder is a one-to-one chat unless it has more than two members; a Space is a
group. People are identified by e-mail address, which is stable where display
names are not. The catch is ``created_date``: a human string in the exporting
account's language (``Tuesday, September 10, 2019 at 8:44:40 PM UTC``,
``Dienstag, 10. September 2019 um 20:44:40 UTC``, ``2026年5月29日星期五 UTC
03:00:29``), always in UTC. :func:`parse_chat_date` reads the English, German,
French, Spanish, Portuguese, Italian, Dutch, Hungarian and CJK forms, with the
month names kept as data in ``data/google_chat_dates.json``.

**Hangouts** (retired in 2022, but old Takeouts remain) is a single
``Hangouts.json`` holding every conversation; it can run to gigabytes, so it is
walked with :class:`~fondly.importers._jsonstream.JsonStream` one event at a
time. Each conversation names its owner in ``self_conversation_state``, so the
user is known without guessing. Participants are keyed by their stable
``gaia_id``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import PurePosixPath
from typing import Any

from fondly._errors import ParseError
from fondly.importers._jsonstream import JsonStream, json_error
from fondly.importers._registry import ImportOptions, Unit
from fondly.importers._tree import Tree
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

# -- Google Chat dates --------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_TIME = re.compile(
    r"(?P<ampm_before>上午|下午|오전|오후)?\s*(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\.?(?![a-z]))?",
    re.IGNORECASE,
)
_ZONE = re.compile(r"\b(?:utc|gmt)(?:\s*(?P<sign>[+-])(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?)?", re.I)
_CJK_DATE = re.compile(
    r"(?P<y>\d{4})\s*[年년]\s*(?P<mo>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]?"
)
_ISO_DATE = re.compile(r"(?P<y>\d{4})[-/.](?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})")
_TOKENS = re.compile(r"[^\W\d_]+|\d+")


@lru_cache(maxsize=1)
def _month_names() -> dict[str, int]:
    """Every known month name or abbreviation, lower case, to its number."""
    raw = resources.files("fondly.importers").joinpath("data/google_chat_dates.json")
    data = json.loads(raw.read_text(encoding="utf-8"))
    names: dict[str, int] = {}
    for months in data["months"].values():
        for number, spellings in enumerate(months, 1):
            for spelling in spellings:
                names[spelling] = number
    return names


def parse_chat_date(value: str) -> int | None:
    """UTC epoch milliseconds of a Google Chat ``created_date``; ``None`` if unreadable.

    The string is taken apart rather than matched against one pattern per
    locale: the time (with an optional AM/PM or 上午/下午 marker) and the zone
    are found and removed, then the date is read either from CJK year/month/day
    markers, an ISO-like ``Y-M-D``, or a month *name* plus a four-digit year and
    a one- or two-digit day in whatever order the language puts them.
    """
    text = _SPACES.sub(" ", value).strip()
    time = _TIME.search(text)
    if time is None:
        return None
    hour, minute, second = int(time["h"]), int(time["m"]), int(time["s"] or 0)
    marker = (time["ampm"] or time["ampm_before"] or "").lower()
    if marker in {"p", "下午", "오후"} and hour < 12:
        hour += 12
    elif marker in {"a", "上午", "오전"} and hour == 12:
        hour = 0
    rest = text[: time.start()] + " " + text[time.end() :]
    offset = timedelta(0)
    zone = _ZONE.search(rest)
    if zone is not None:
        if zone["sign"]:
            size = timedelta(hours=int(zone["oh"]), minutes=int(zone["om"] or 0))
            offset = size if zone["sign"] == "+" else -size
        rest = rest[: zone.start()] + " " + rest[zone.end() :]
    date = _read_date(rest)
    if date is None:
        return None
    try:
        moment = datetime(*date, hour, minute, second, tzinfo=UTC) - offset
    except ValueError:
        return None
    return int(moment.timestamp()) * 1000


def _read_date(text: str) -> tuple[int, int, int] | None:
    """``(year, month, day)`` from what remains once the time and zone are removed."""
    for pattern in (_CJK_DATE, _ISO_DATE):
        found = pattern.search(text)
        if found is not None:
            return int(found["y"]), int(found["mo"]), int(found["d"])
    names = _month_names()
    year = month = day = None
    for token in _TOKENS.findall(text.lower()):
        if token.isdigit():
            if len(token) == 4 and year is None:
                year = int(token)
            elif len(token) <= 2 and day is None:
                day = int(token)
        elif month is None and token in names:
            month = names[token]
    if year is None or month is None or day is None:
        return None
    return year, month, day


# -- Google Chat ----------------------------------------------------------------


_IMAGE = {"jpg", "jpeg", "png", "gif", "webp", "heic", "bmp"}
_VIDEO = {"mp4", "mov", "webm", "avi", "mkv", "3gp"}
_AUDIO = {"m4a", "mp3", "ogg", "opus", "wav", "aac", "amr"}


def _attachment_type(name: str) -> tuple[str, str]:
    """``(kind, media_type)`` of an attached file, from its extension."""
    ext = PurePosixPath(name).suffix.lower().lstrip(".")
    if ext == "gif":
        return Kind.MEDIA, "gif"
    if ext in _IMAGE:
        return Kind.MEDIA, "image"
    if ext in _VIDEO:
        return Kind.MEDIA, "video"
    if ext in _AUDIO:
        return Kind.VOICE, "audio"
    return Kind.MEDIA, "file"


def _load_json(tree: Tree, name: str) -> Any:
    try:
        with tree.text_stream(name) as fh:
            return json.load(fh)
    except json.JSONDecodeError as exc:
        # exc.msg names the JSON rule broken, never the text around it.
        raise json_error(tree.display(name), exc) from None


def _person(value: Any) -> tuple[str, str | None, str | None] | None:
    """``(handle, display name, email)`` of a Chat user record: e-mail where there is one."""
    if not isinstance(value, dict):
        return None
    name = value.get("name") if isinstance(value.get("name"), str) else None
    email = (
        value.get("email") if isinstance(value.get("email"), str) and value.get("email") else None
    )
    handle = email or name
    return (handle, name, email) if handle else None


def _chat_message(
    path: str, index: int, record: Any, quotes: dict[tuple[str, str], str]
) -> ParsedMessage:
    where = f"messages[{index}]"
    if not isinstance(record, dict):
        raise ParseError(path, where, "message is not an object")
    creator = _person(record.get("creator"))
    created = record.get("created_date")
    if not isinstance(created, str):
        raise ParseError(path, where, "missing created_date")
    ts_ms = parse_chat_date(created)
    if ts_ms is None:
        raise ParseError(path, where, "created_date is not a date fondly can read")
    text = record.get("text") or ""
    if not isinstance(text, str):
        raise ParseError(path, where, "text is not a string")
    kind: str = Kind.TEXT
    media_type = None
    files = record.get("attached_files") or []
    if record.get("deletion_metadata") or record.get("message_state") == "DELETED":
        kind, text = Kind.DELETED, ""
    elif files:
        first = files[0] if isinstance(files[0], dict) else {}
        kind, media_type = _attachment_type(
            str(first.get("export_name") or first.get("original_name") or "")
        )
    elif text.startswith(("http://", "https://")) and " " not in text.strip():
        kind = Kind.LINK
    reactions: list[tuple[str, str]] = []
    for reaction in record.get("reactions") or []:
        if not isinstance(reaction, dict):
            continue
        emoji = (reaction.get("emoji") or {}).get("unicode")
        if isinstance(emoji, str) and emoji:
            reactions.extend((str(e), emoji) for e in reaction.get("reactor_emails") or [])
    reply_to = None
    quoted = record.get("quoted_message_metadata")
    if isinstance(quoted, dict):
        quoted_creator = _person(quoted.get("creator"))
        quoted_text = quoted.get("text")
        if quoted_creator and isinstance(quoted_text, str):
            reply_to = quotes.get((quoted_creator[0], quoted_text))
    source_id = record.get("message_id")
    source_id = str(source_id) if source_id not in (None, "") else None
    sender = creator[0] if creator else None
    if sender is not None and source_id is not None and kind != Kind.DELETED:
        quotes[(sender, text)] = source_id
    return ParsedMessage(
        sender=sender,
        text=text,
        kind=kind,
        ts_ms=ts_ms,
        source_id=source_id,
        reply_to=reply_to,
        edited=bool(record.get("updated_date")),
        sender_name=creator[1] if creator and creator[1] != sender else None,
        line=index + 1,
        reactions=reactions,
        media_type=media_type,
    )


def _parse_chat(tree: Tree, unit: Unit) -> Iterator[ParsedConversation]:
    messages_file = next(n for n in unit.entries if PurePosixPath(n).name == "messages.json")
    path = tree.display(messages_file)
    folder = PurePosixPath(messages_file).parent.name
    doc = _load_json(tree, messages_file)
    records = doc.get("messages") if isinstance(doc, dict) else None
    if not isinstance(records, list):
        raise ParseError(path, 1, "not a Google Chat messages.json (no 'messages' list)")
    info: dict[str, Any] = {}
    me: str | None = None
    for name in unit.entries:
        base = PurePosixPath(name).name
        if base == "group_info.json":
            loaded = _load_json(tree, name)
            info = loaded if isinstance(loaded, dict) else {}
        elif base == "user_info.json":
            user = _load_json(tree, name)
            found = _person(user.get("user")) if isinstance(user, dict) else None
            me = found[0] if found else None
    members: list[ParsedHandle] = []
    for member in info.get("members") or []:
        person = _person(member)
        if person is not None:
            handle, display, email = person
            members.append(ParsedHandle(handle, display, email=email, is_me=handle == me))
    quotes: dict[tuple[str, str], str] = {}
    messages = [_chat_message(path, i, r, quotes) for i, r in enumerate(records)]
    messages.sort(key=lambda m: m.ts_ms or 0)
    is_space = folder.lower().startswith("space")
    title = (
        str(info.get("name") or "")
        or ", ".join(m.display_name or m.handle for m in members if m.handle != me)
        or folder
    )
    yield ParsedConversation(
        platform="google_chat",
        key=folder,
        title=title,
        messages=messages,
        is_group=is_space or len(members) > 2,
        participants=members,
        me_handle=me,
        source=path,
        format="google",
    )


# -- Hangouts -----------------------------------------------------------------


def _segments_text(content: dict[str, Any]) -> tuple[str, bool]:
    """The text of a Hangouts message and whether it is nothing but links."""
    parts: list[str] = []
    only_links = True
    for segment in content.get("segment") or []:
        kind = segment.get("type")
        if kind == "LINE_BREAK":
            parts.append(segment.get("text") or "\n")
            continue
        text = segment.get("text") or ""
        parts.append(text)
        if kind != "LINK" and text.strip():
            only_links = False
    text = "".join(parts)
    return text, only_links and bool(text.strip())


def _hangouts_attachment(content: dict[str, Any]) -> tuple[str, str] | None:
    for attachment in content.get("attachment") or []:
        item = attachment.get("embed_item") or {} if isinstance(attachment, dict) else {}
        types = " ".join(item.get("type") or [])
        if "PLACE" in types:
            return Kind.LOCATION, "location"
        if "PHOTO" in types:
            media = str((item.get("plus_photo") or {}).get("media_type") or "")
            if media == "VIDEO":
                return Kind.MEDIA, "video"
            if media == "ANIMATED_PHOTO":
                return Kind.MEDIA, "gif"
            return Kind.MEDIA, "image"
        if "AUDIO" in types:
            return Kind.VOICE, "audio"
        return Kind.MEDIA, "file"
    return None


def _hangouts_event(path: str, where: str, event: Any) -> ParsedMessage | None:
    """One Hangouts event as a message; ``None`` for events that are not one."""
    if not isinstance(event, dict):
        raise ParseError(path, where, "event is not an object")
    event_type = event.get("event_type")
    sender = (event.get("sender_id") or {}).get("gaia_id")
    try:
        ts_ms = int(event["timestamp"]) // 1000
    except (KeyError, TypeError, ValueError):
        raise ParseError(path, where, "missing or non-numeric timestamp") from None
    source_id = str(event["event_id"]) if event.get("event_id") else None
    if event_type == "REGULAR_CHAT_MESSAGE":
        content = (event.get("chat_message") or {}).get("message_content") or {}
        text, only_links = _segments_text(content)
        kind: str = Kind.LINK if only_links else Kind.TEXT
        media_type = None
        attachment = _hangouts_attachment(content)
        if attachment is not None:
            kind, media_type = attachment
        return ParsedMessage(
            sender=str(sender) if sender else None,
            text=text,
            kind=kind,
            ts_ms=ts_ms,
            source_id=source_id,
            media_type=media_type,
        )
    # One call is logged as a start and an end; the end alone is the call.
    hangout = event.get("hangout_event") or {}
    if event_type == "HANGOUT_EVENT" and hangout.get("event_type") == "END_HANGOUT":
        return ParsedMessage(
            sender=str(sender) if sender else None,
            text="",
            kind=Kind.CALL,
            ts_ms=ts_ms,
            source_id=source_id,
        )
    return None


def _hangouts_header(path: str, where: str, conversation: Any) -> dict[str, Any]:
    """The ``conversation`` record whose ``participant_data`` names the people."""
    if not isinstance(conversation, dict):
        raise ParseError(path, where, "conversation is not an object")
    inner = conversation.get("conversation")
    return inner if isinstance(inner, dict) and "participant_data" in inner else conversation


def _hangouts_conversation(
    path: str, where: str, header: dict[str, Any], events: Iterable[ParsedMessage]
) -> ParsedConversation:
    ident = header.get("id") or {}
    key = ident.get("id") if isinstance(ident, dict) else None
    if not key:
        raise ParseError(path, where, "conversation without an id")
    self_state = header.get("self_conversation_state") or {}
    me = ((self_state.get("self_read_state") or {}).get("participant_id") or {}).get("gaia_id")
    participants = []
    for p in header.get("participant_data") or []:
        gaia = (p.get("id") or {}).get("gaia_id") if isinstance(p, dict) else None
        if gaia:
            participants.append(ParsedHandle(str(gaia), p.get("fallback_name"), is_me=gaia == me))
    others = [p.display_name or p.handle for p in participants if not p.is_me]
    title = str(header.get("name") or "") or ", ".join(others) or str(key)
    return ParsedConversation(
        platform="hangouts",
        key=str(key),
        title=title,
        messages=events,
        is_group=header.get("type") == "GROUP" or len(participants) > 2,
        participants=participants,
        me_handle=str(me) if me else None,
        source=path,
        format="google",
    )


def _parse_hangouts(tree: Tree, name: str) -> Iterator[ParsedConversation]:
    """Walk ``Hangouts.json`` conversation by conversation, event by event.

    Both layouts are read: the current ``conversations[{conversation, events}]``
    and the pre-2019 ``conversation_state[{conversation_state{conversation,
    event}}]``. A conversation is yielded when its ``events`` array is reached,
    with a generator that reads the events from the file as ingest consumes
    them; whatever the consumer leaves unread is skipped before moving on.
    """
    path = tree.display(name)
    with tree.text_stream(name) as fh:
        stream = JsonStream(fh, path)
        for top in stream.keys("top level"):
            if top not in ("conversations", "conversation_state"):
                stream.skip(top)
                continue
            for index in stream.items(top):
                where = f"{top}[{index}]"
                yield from _hangouts_item(stream, path, where)
        stream.end("end of file")


def _hangouts_item(stream: JsonStream, path: str, where: str) -> Iterator[ParsedConversation]:
    header: dict[str, Any] | None = None
    pending: list[Any] | None = None  # events met before the header (not Google's order)

    def walk(node_where: str) -> Iterator[ParsedConversation]:
        nonlocal header, pending
        for key in stream.keys(node_where):
            if key == "conversation":
                header = _hangouts_header(
                    path, f"{node_where}.conversation", stream.value(node_where)
                )
            elif key == "conversation_state" and stream.peek() == "{":
                yield from walk(f"{node_where}.conversation_state")
            elif key in ("events", "event"):
                events_where = f"{node_where}.{key}"
                if header is None:
                    pending = stream.value(events_where)
                    continue
                feed = _EventFeed(_stream_events(stream, path, events_where))
                yield _hangouts_conversation(path, where, header, feed)
                feed.settle()
            else:
                stream.skip(node_where)

    yield from walk(where)
    if pending is not None:
        if header is None:
            raise ParseError(path, where, "conversation without participant data")
        listed = pending if isinstance(pending, list) else []
        messages = (
            m
            for i, e in enumerate(listed)
            if (m := _hangouts_event(path, f"{where}.events[{i}]", e)) is not None
        )
        yield _hangouts_conversation(path, where, header, messages)


class _EventFeed:
    """A conversation's events, read from the file while the consumer iterates.

    Ingest consumes each conversation's messages before asking for the next,
    so events go straight from the file to the store. A consumer that moves on
    first (collecting the conversations in a list, say) must not find them empty:
    :meth:`settle` then reads the unread rest into memory before the stream moves.
    """

    def __init__(self, events: Iterator[ParsedMessage]) -> None:
        self._events = events
        self._rest: list[ParsedMessage] | None = None

    def __iter__(self) -> Iterator[ParsedMessage]:
        return iter(self._rest) if self._rest is not None else self._events

    def settle(self) -> None:
        """Read whatever the consumer left, so the stream can move to the next conversation."""
        self._rest = list(self._events)


def _stream_events(stream: JsonStream, path: str, where: str) -> Iterator[ParsedMessage]:
    for index in stream.items(where):
        event_where = f"{where}[{index}]"
        message = _hangouts_event(path, event_where, stream.value(event_where))
        if message is not None:
            message.line = index + 1
            yield message


# -- detection ----------------------------------------------------------------


def _is_hangouts(head: bytes) -> bool:
    return (b'"conversations"' in head or b'"conversation_state"' in head) and (
        b'"conversation_id"' in head or b'"participant_data"' in head
    )


def _is_chat_messages(head: bytes) -> bool:
    compact = head.replace(b" ", b"").replace(b"\n", b"")
    return b'"messages"' in head and (
        b'"created_date"' in head or b'"creator"' in head or compact.startswith(b'{"messages":[]')
    )


class GoogleImporter:
    name = "google"
    description = "Google Chat / Hangouts (Google Takeout JSON)"

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        units: list[Unit] = []
        user_info = [n for n in unclaimed if PurePosixPath(n).name == "user_info.json"]
        names = set(unclaimed)
        for name in unclaimed:
            base = PurePosixPath(name).name
            if not base.lower().endswith(".json"):
                continue
            # Hangouts is recognised by content wherever it is (a renamed copy in
            # a folder of downloads); Google Chat only as a Takeout's messages.json.
            head = tree.head(name)
            if _is_hangouts(head):
                units.append(Unit(self, [name], name))
            elif base == "messages.json" and _is_chat_messages(head):
                folder = PurePosixPath(name).parent
                entries = [name]
                group_info = str(folder / "group_info.json")
                if group_info in names:
                    entries.append(group_info)
                # The user's own record rides along with every conversation so
                # that each knows who "me" is; it is tiny.
                entries.extend(user_info[:1])
                units.append(Unit(self, entries, str(folder)))
        return units

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        first = unit.entries[0]
        if PurePosixPath(first).name == "messages.json":
            yield from _parse_chat(tree, unit)
        else:
            yield from _parse_hangouts(tree, first)


IMPORTER = GoogleImporter()
