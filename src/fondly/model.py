"""Canonical, platform-neutral records that importers yield and the store writes.

Importers are pure parsers: they turn an export into :class:`ParsedConversation`
objects whose ``messages`` iterate lazily, so a 1M-message file streams through
without being held in memory. They never touch the store.

Time is the one subtle field. An export either knows the true instant (Telegram's
``date_unixtime``, Meta's ``timestamp_ms``) or only the sender's wall clock
(WhatsApp, LINE, Signal Markdown). Importers fill whichever they know:
``ts_ms`` (UTC epoch milliseconds) and/or ``ts_local`` (naive wall-clock
datetime). The ingest step derives the missing one from the user's ``--tz``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    """What a message is, whatever the platform calls it."""

    TEXT = "text"
    MEDIA = "media"
    STICKER = "sticker"
    VOICE = "voice"
    CALL = "call"
    DELETED = "deleted"
    SYSTEM = "system"
    LOCATION = "location"
    CONTACT = "contact"
    POLL = "poll"
    LINK = "link"


@dataclass(slots=True)
class ParsedMessage:
    """One message as an importer read it.

    Attributes:
        sender: the sender's handle on the platform (a display name where the
            platform has nothing better); ``None`` for system lines.
        text: the body with newlines kept; placeholders are removed for media.
        kind: a :class:`Kind` value.
        ts_ms: UTC epoch milliseconds, when the export gives the true instant.
        ts_local: naive wall-clock time as shown to the exporting user.
        source_id: the platform's own id for the message, where it has one.
        reply_to: the platform id of the message this one replies to.
        edited: the platform marks it as edited.
        sender_name: a display name for the handle, when it differs from it.
        line: the 1-based line (or record index) it started at, for error messages.
        reactions: ``(handle, reaction)`` pairs attached to this message.
        media_type: finer media detail ("image", "video", "audio", "file", "gif"...).
    """

    sender: str | None
    text: str
    kind: str = Kind.TEXT
    ts_ms: int | None = None
    ts_local: datetime | None = None
    source_id: str | None = None
    reply_to: str | None = None
    edited: bool = False
    sender_name: str | None = None
    line: int | None = None
    reactions: list[tuple[str, str]] = field(default_factory=list)
    media_type: str | None = None


@dataclass(slots=True)
class ParsedHandle:
    """A participant's identity on one platform, with whatever contact data it carries."""

    handle: str
    display_name: str | None = None
    phone: str | None = None
    email: str | None = None
    is_me: bool = False


@dataclass(slots=True)
class ParsedConversation:
    """One chat from an export.

    Attributes:
        platform: short platform name ("whatsapp", "telegram", ...).
        key: a stable identifier of the chat on that platform, so that a newer
            export of the same chat lands in the same conversation.
        title: what the user sees as the chat's name.
        is_group: the platform says whether it is a group; ``None`` lets ingest
            decide from the number of distinct senders (more than two).
        messages: an iterable, usually a generator, consumed once.
        participants: handles known up front (exports that list them).
        me_handle: the platform says which handle is the exporting user.
        source: the file (or ``zip!member``) it came from, for error messages.
        format: the importer's format name, recorded with the import.
        notes: what the import summary should tell the user about how the file
            was read (a date order and why); never message text. May grow while
            ``messages`` is consumed.
        unread_lines: 1-based lines that looked like message headers but could
            not be read as one, so their text stayed in the message before them
            (``None`` where the line is not known). Filled while consuming.
        joins_by_messages: the key alone cannot find every copy of this chat (a
            Meta thread saved outside its thread folder carries no id of its
            own), so ingest puts it into the stored chat of the same platform and
            title that already holds its messages, when there is one
            (``fondly.ingest._copies``).
    """

    platform: str
    key: str
    title: str
    messages: Iterable[ParsedMessage]
    is_group: bool | None = None
    participants: list[ParsedHandle] = field(default_factory=list)
    me_handle: str | None = None
    source: str = ""
    format: str = ""
    notes: list[str] = field(default_factory=list)
    unread_lines: list[int | None] = field(default_factory=list)
    joins_by_messages: bool = False

    def __iter__(self) -> Iterator[ParsedMessage]:
        return iter(self.messages)
