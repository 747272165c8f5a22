"""Telegram Desktop's JSON export: one chat's ``result.json`` or the whole account.

A single-chat export is one object ``{name, type, id, messages: [...]}``. The
full-account export ("Export Telegram data") wraps many such chat objects in
``chats.list`` and ``left_chats.list`` beside ``personal_information`` (the
exporting user) and ``contacts`` (names and phone numbers). The full export of a
long-lived account runs to gigabytes, so it is walked with
:class:`~fondly.importers._jsonstream.JsonStream` one message at a time and never
loaded whole.

Export quirks this module handles:

* ``text`` is a string, or a list mixing strings and entity objects
  ``{type: bold|link|mention|..., text}``; the parts are concatenated as shown
  (joining them with spaces, as some parsers do, inserts spaces inside words).
* ``date`` is the exporting computer's wall clock without an offset; newer
  exports add ``date_unixtime`` (UTC epoch seconds, as a string). With both, the
  instant and the wall clock are known and ingest derives the offset; with only
  ``date``, ingest reads it in ``--tz``.
* Service messages carry ``actor``/``action`` instead of ``from``; a
  ``phone_call`` is a call (its caller is the actor), anything else (joins, pins,
  title changes) is a system line without a sender.
* ``from`` is ``null`` for deleted accounts while ``from_id`` stays; very old
  exports have ``from`` only, and then the name is the handle.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from fondly._errors import ParseError, UsageError
from fondly.importers._jsonstream import JsonStream
from fondly.importers._registry import ImportOptions, Unit
from fondly.importers._tree import Tree
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

PLATFORM = "telegram"

ONE_TO_ONE_TYPES = frozenset({"personal_chat", "bot_chat", "saved_messages"})
GROUP_TYPES = frozenset(
    {
        "private_group",
        "private_supergroup",
        "public_supergroup",
        "private_channel",
        "public_channel",
    }
)

CALL_ACTIONS = frozenset({"phone_call", "group_call"})

MEDIA_TYPES = {
    # Telegram's media_type -> (kind, fondly media_type)
    "sticker": (Kind.STICKER, "sticker"),
    "voice_message": (Kind.VOICE, "audio"),
    "video_message": (Kind.MEDIA, "video"),
    "video_file": (Kind.MEDIA, "video"),
    "animation": (Kind.MEDIA, "gif"),
    "audio_file": (Kind.MEDIA, "audio"),
}

# Keys that only a Telegram export has in its first kilobytes: the chat types of a
# single-chat export, and the sections of a full-account one.
_CHAT_HEAD = re.compile(
    rb'"type"\s*:\s*"(?:personal_chat|bot_chat|saved_messages|private_group|private_supergroup'
    rb'|public_supergroup|private_channel|public_channel)"'
)
_MESSAGE_HEAD = re.compile(rb'"(?:date_unixtime|from_id|text_entities)"\s*:')
_ACCOUNT_HEAD = re.compile(rb'"personal_information"\s*:\s*\{|"chats"\s*:\s*\{\s*"about"')


def looks_like_telegram(head: bytes) -> bool:
    """Whether the first bytes of a JSON file are a Telegram Desktop export."""
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return False
    if _ACCOUNT_HEAD.search(head):
        return True
    return b'"messages"' in head and bool(_CHAT_HEAD.search(head) or _MESSAGE_HEAD.search(head))


@dataclass
class _Account:
    """What the full-account export says about people, read before its chats."""

    me: ParsedHandle | None = None
    phones: dict[str, str] = field(default_factory=dict)
    phones_by_name: dict[str, str] = field(default_factory=dict)
    chat_names: list[str] = field(default_factory=list)
    matched: int = 0

    def phone(self, handle: str, name: str | None) -> str | None:
        """A contact's phone number: by user id, else (older exports) by exact full name."""
        found = self.phones.get(handle)
        if found is None and name and self.phones_by_name:
            found = self.phones_by_name.get(name.casefold())
        return found


class TelegramImporter:
    name = "telegram"
    description = "Telegram Desktop JSON (one chat's result.json or the full account export)"

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        units = []
        for name in unclaimed:
            if name.lower().endswith(".json") and looks_like_telegram(tree.head(name)):
                units.append(Unit(self, [name], name))
        return units

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        name = unit.entries[0]
        with tree.text_stream(name) as fh:
            reader = _Reader(JsonStream(fh, tree.display(name)), options)
            yield from reader.document()


class _Reader:
    """Walks one export document and turns its chats into conversations."""

    def __init__(self, stream: JsonStream, options: ImportOptions) -> None:
        self.stream = stream
        self.path = stream.path
        self.wanted = {c.casefold() for c in options.chats}
        self.account = _Account()

    def document(self) -> Iterator[ParsedConversation]:
        stream = self.stream
        keys = stream.keys("(document)")
        meta: dict[str, Any] = {}
        multi_chat = False
        for key in keys:
            if key in ("chats", "left_chats") and stream.peek() == "{":
                multi_chat = True
                yield from self._chat_section(key)
            elif key == "personal_information":
                self._personal_information(stream.value(key))
            elif key == "contacts" and stream.peek() == "{":
                self._contacts(key)
            elif key == "messages" and stream.peek() == "[":
                # A single-chat export: the document itself is the chat.
                yield from self._chat_messages(keys, meta, "messages", filtered=False)
            elif key == "messages":
                raise ParseError(self.path, "messages", "messages is not a JSON array")
            elif key in ("name", "type", "id"):
                meta[key] = stream.value(key)
            else:
                stream.skip(key)
        stream.end("(document)")
        if multi_chat and self.wanted and not self.account.matched:
            known = ", ".join(sorted(self.account.chat_names)[:12])
            asked = ", ".join(sorted(self.wanted))
            raise UsageError(f"{self.path}: no chat named {asked} in this export (it has: {known})")

    # -- account sections -----------------------------------------------------

    def _personal_information(self, info: Any) -> None:
        if not isinstance(info, dict) or info.get("user_id") in (None, ""):
            return  # older exports omit the user id, so messages cannot be matched to it
        handle = f"user{info['user_id']}"
        self.account.me = ParsedHandle(
            handle,
            display_name=_full_name(info) or None,
            phone=_phone(info.get("phone_number")),
            is_me=True,
        )

    def _contacts(self, section: str) -> None:
        stream = self.stream
        for key in stream.keys(section):
            if key != "list" or stream.peek() != "[":
                stream.skip(section)
                continue
            for i in stream.items(f"{section}.list"):
                contact = stream.value(f"{section}.list[{i}]")
                if not isinstance(contact, dict):
                    continue
                phone = _phone(contact.get("phone_number"))
                if not phone:
                    continue
                if contact.get("user_id") not in (None, "", 0):
                    self.account.phones[f"user{contact['user_id']}"] = phone
                elif name := _full_name(contact):
                    # Exports before user ids were added name contacts only.
                    self.account.phones_by_name[name.casefold()] = phone

    def _chat_section(self, section: str) -> Iterator[ParsedConversation]:
        stream = self.stream
        for key in stream.keys(section):
            if key != "list" or stream.peek() != "[":
                stream.skip(section)
                continue
            for i in stream.items(f"{section}.list"):
                where = f"{section}.list[{i}]"
                meta: dict[str, Any] = {}
                keys = stream.keys(where)
                for chat_key in keys:
                    if chat_key == "messages" and stream.peek() == "[":
                        yield from self._chat_messages(
                            keys, meta, f"{where}.messages", filtered=True
                        )
                    elif chat_key in ("name", "type", "id"):
                        meta[chat_key] = stream.value(where)
                    else:
                        stream.skip(where)

    # -- one chat -------------------------------------------------------------

    def _chat_messages(
        self, keys: Iterator[str], meta: dict[str, Any], where: str, *, filtered: bool
    ) -> Iterator[ParsedConversation]:
        """Yield the chat whose ``messages`` array the reader is on.

        Telegram writes ``name``, ``type`` and ``id`` before ``messages``; a file
        re-serialised with sorted keys puts ``name`` and ``type`` after it. The
        messages generator therefore reads the rest of the chat object when the
        array ends and completes the conversation then: ingest reads a
        conversation's title, key and members only after its messages.
        """
        stream = self.stream
        name = meta.get("name")
        if filtered and name is not None:
            self.account.chat_names.append(str(name))
            if self.wanted and str(name).casefold() not in self.wanted:
                stream.skip(where)
                return
        elif filtered and self.wanted:
            raise ParseError(
                self.path, where, "chat names follow their messages; --chat cannot choose"
            )
        if filtered:
            self.account.matched += 1
        if stream.empty_array():
            # A chat listed without messages (a channel left unexported) is no
            # relationship; the keys after the array belong to the caller's loop.
            return
        conv = ParsedConversation(
            platform=PLATFORM,
            key="",
            title="",
            messages=iter(()),
            source=self.path,
            format="telegram",
        )
        known: set[str] = set()
        me = self.account.me
        if me is not None:
            conv.participants.append(me)
            conv.me_handle = me.handle
            known.add(me.handle)
        messages = self._messages(conv, keys, meta, where, known)
        conv.messages = messages
        self._complete(conv, meta, where, final=False)
        yield conv
        for _ in messages:  # a consumer that stopped early still leaves the reader in place
            pass

    def _complete(
        self,
        conv: ParsedConversation,
        meta: dict[str, Any],
        where: str,
        *,
        final: bool,
        senders: set[str] | None = None,
    ) -> None:
        chat_id = meta.get("id")
        chat_type = meta.get("type")
        if chat_id not in (None, ""):
            conv.key = str(chat_id)
        elif final:
            conv.key = _key_without_id(meta, self.path, senders or set(), chat_type in GROUP_TYPES)
        conv.is_group = (
            True if chat_type in GROUP_TYPES else False if chat_type in ONE_TO_ONE_TYPES else None
        )
        name = meta.get("name")
        if name:
            conv.title = str(name)
        elif chat_type == "saved_messages":
            conv.title = "Saved Messages"
        elif chat_id in (None, "") and final:
            # A minimal export: the writers are all there is to name it by.
            conv.title = ", ".join(sorted(senders or ())) or "Telegram chat"
        else:
            conv.title = f"Telegram chat {conv.key}"

    def _messages(
        self,
        conv: ParsedConversation,
        keys: Iterator[str],
        meta: dict[str, Any],
        where: str,
        known: set[str],
    ) -> Iterator[ParsedMessage]:
        """Messages of one chat; senders with a phone in the contacts join the members."""
        stream = self.stream
        account = self.account
        reactors: dict[str, str | None] = {}
        for i in stream.items(where):
            record = stream.value(f"{where}[{i}]")
            if not isinstance(record, dict):
                raise ParseError(self.path, f"{where}[{i}]", "message is not a JSON object")
            message = _message(record, self.path, where, i)
            sender = message.sender
            if sender is not None and sender not in known:
                known.add(sender)
                phone = account.phone(sender, message.sender_name)
                if phone is not None:
                    conv.participants.append(ParsedHandle(sender, message.sender_name, phone))
            if message.reactions:
                for who in _reactors(record):
                    reactors.setdefault(*who)
            yield message
        # Members who only reacted; added last so that a sender's own name wins.
        for handle, name in reactors.items():
            if handle not in known:
                conv.participants.append(ParsedHandle(handle, name, account.phone(handle, name)))
        # The rest of the chat object (sorted-key files keep name and type here).
        for key in keys:
            if key in ("name", "type", "id"):
                meta[key] = stream.value(where)
            else:
                stream.skip(where)
        self._complete(conv, meta, where, final=True, senders=known)


def _key_without_id(meta: dict[str, Any], path: str, senders: set[str], group: bool) -> str:
    """A stable key for a chat exported without its id (minimal single-chat exports).

    The chat's name (else the file's name, without a browser's `` (1)``) and
    type, and for a one-to-one chat its writers too (two people may share a
    first name). A group's members change between exports, so only its name and
    type count.
    """
    name = str(meta.get("name") or "").strip()
    if not name:
        stem = PurePosixPath(path.rpartition("!")[2].replace("\\", "/")).stem
        name = re.sub(r"\s*\(\d+\)$", "", stem)
    who = "" if group else "\x1f".join(sorted(senders))
    return f"noid\x1e{meta.get('type') or ''}\x1e{name.casefold()}\x1e{who}"


def _full_name(record: dict[str, Any]) -> str:
    parts = (record.get("first_name"), record.get("last_name"))
    return " ".join(str(p).strip() for p in parts if p and str(p).strip())


def _phone(value: Any) -> str | None:
    """Telegram writes numbers with spaces (``+49 151 2345678``); keep digits and ``+``."""
    if not value:
        return None
    digits = "".join(c for c in str(value) if c.isdigit() or c == "+")
    return digits or None


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in value
            if isinstance(part, str | dict)
        )
    return ""


def _message(record: dict[str, Any], path: str, where: str, index: int) -> ParsedMessage:
    """One message record as a :class:`ParsedMessage` (the hot path: keep it lean)."""
    get = record.get
    unix = get("date_unixtime")
    date = get("date")
    try:
        ts_ms = int(unix) * 1000 if unix not in (None, "") else None
        ts_local = datetime.fromisoformat(date) if date else None
    except (TypeError, ValueError):
        raise ParseError(path, f"{where}[{index}]", "date is not a Telegram timestamp") from None
    if ts_ms is None and ts_local is None:
        raise ParseError(path, f"{where}[{index}]", "message has no date")
    if ts_local is not None and ts_local.tzinfo is not None:
        ts_local = ts_local.replace(tzinfo=None)
    msg_id = get("id")
    source_id = str(msg_id) if msg_id is not None else None
    reply = get("reply_to_message_id")
    text = _text(get("text", ""))
    edited = bool(get("edited") or get("edited_unixtime"))

    if get("type") == "service":
        action = get("action")
        if action in CALL_ACTIONS:
            actor_id = get("actor_id")
            actor = get("actor")
            sender = str(actor_id or actor) if (actor_id or actor) else None
            return ParsedMessage(
                sender=sender,
                text=text,
                kind=Kind.CALL,
                ts_ms=ts_ms,
                ts_local=ts_local,
                source_id=source_id,
                sender_name=str(actor) if actor and sender != actor else None,
                line=index,
            )
        return ParsedMessage(
            sender=None,
            text=text,
            kind=Kind.SYSTEM,
            ts_ms=ts_ms,
            ts_local=ts_local,
            source_id=source_id,
            line=index,
        )

    from_id = get("from_id")
    from_name = get("from")
    sender = str(from_id) if from_id else (str(from_name) if from_name else None)
    kind: str = Kind.TEXT
    media_type = None
    telegram_media = get("media_type")
    if telegram_media is not None:
        kind, media_type = MEDIA_TYPES.get(telegram_media, (Kind.MEDIA, "file"))
    elif "photo" in record:
        kind, media_type = Kind.MEDIA, "image"
    elif "file" in record:
        kind, media_type = Kind.MEDIA, "file"
    elif "location_information" in record:
        kind = Kind.LOCATION
    elif "contact_information" in record:
        kind = Kind.CONTACT
    elif "poll" in record:
        kind = Kind.POLL
    reactions = get("reactions")
    return ParsedMessage(
        sender=sender,
        text=text,
        kind=kind,
        ts_ms=ts_ms,
        ts_local=ts_local,
        source_id=source_id,
        reply_to=str(reply) if reply is not None else None,
        edited=edited,
        sender_name=str(from_name) if from_name and from_name != sender else None,
        line=index,
        reactions=_reactions(reactions) if reactions else [],
        media_type=media_type,
    )


def _reactions(value: Any) -> list[tuple[str, str]]:
    """``(handle, emoji)`` pairs from the reactors Telegram lists under ``recent``.

    Only reactions whose reactors are named can be attributed; a bare count
    (large groups, older clients) says nothing about who reacted and is dropped.
    """
    pairs: list[tuple[str, str]] = []
    if not isinstance(value, list):
        return pairs
    for reaction in value:
        if not isinstance(reaction, dict):
            continue
        emoji = reaction.get("emoji") or reaction.get("document_id") or reaction.get("type")
        for who in reaction.get("recent") or ():
            if isinstance(who, dict) and who.get("from_id") and emoji:
                pairs.append((str(who["from_id"]), str(emoji)))
    return pairs


def _reactors(record: dict[str, Any]) -> Iterator[tuple[str, str | None]]:
    """``(handle, name)`` of everyone listed as reacting to a message."""
    for reaction in record.get("reactions") or ():
        for who in reaction.get("recent") or () if isinstance(reaction, dict) else ():
            if isinstance(who, dict) and who.get("from_id"):
                yield str(who["from_id"]), (str(who["from"]) if who.get("from") else None)


IMPORTER = TelegramImporter()
