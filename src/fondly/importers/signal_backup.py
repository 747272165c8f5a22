"""Signal's own chat export: ``main.jsonl``, the backup frames written as JSON lines.

Recent Signal apps export chats unencrypted as a folder with ``main.jsonl``
(beside ``metadata.json`` and ``files/``). Its layout is Signal's documented
backup schema (``Backup.proto`` in the Signal apps) in proto3's JSON form: the
first line is a ``BackupInfo`` (``version``, ``backupTimeMs``), every other line
one ``Frame`` holding exactly one of ``account``, ``recipient``, ``chat``,
``chatItem`` and a few others we do not need. 64-bit numbers are JSON strings.

* ``recipient``: ``id`` (valid only inside this file) and one of ``self`` (the
  user), ``contact`` (``e164``, ``aci``, ``username``, profile and system
  names) or ``group`` (``snapshot.title.title``).
* ``chat``: ``id`` and the ``recipientId`` it is with.
* ``chatItem``: ``chatId``, ``authorId``, ``dateSent`` (UTC epoch ms: the true
  instant, so ``ts_ms`` only), ``revisions`` (earlier versions: edited) and one
  item: ``standardMessage`` (``text.body``, ``attachments``, ``quote``,
  ``reactions`` of ``emoji``/``authorId``), ``stickerMessage``,
  ``remoteDeletedMessage``, ``updateMessage`` (calls, group changes...),
  ``contactMessage``, ``viewOnceMessage``.

Frames must come in order (a recipient before the chats that name it), but the
items of all chats are interleaved in the order they arrived, so the items are
grouped per chat in memory before the chats are handed out. Signal identifies a
message by its author and sent time; ``source_id`` is built from the author's
stable handle (phone number or ACI, not the file-local id), so a newer export of
the same chats adds only new messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fondly._errors import ParseError
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

PLATFORM = "signal"
ME = "Me"
_FRAMES = ("account", "recipient", "chat", "chatItem")


def looks_like_backup_jsonl(head: bytes) -> bool:
    """A BackupInfo first, or lines that are each one frame: a single known key holding an object.

    A generic JSONL message (which may well have a ``chat`` field) has several
    keys and string values, so it is never taken for a frame.
    """
    lines = [ln for ln in head.decode("utf-8-sig", errors="replace").splitlines()[:4] if ln.strip()]
    if len(lines) > 1 and not head.endswith(b"\n"):
        lines = lines[:-1]  # the last line may be cut by the head's size
    if not lines:
        return False
    for i, line in enumerate(lines):
        try:
            record = json.loads(line)
        except ValueError:
            return False
        if not isinstance(record, dict):
            return False
        if i == 0 and "backupTimeMs" in record and "version" in record:
            return True
        if len(record) != 1:
            return False
        ((key, value),) = record.items()
        if key not in _FRAMES or not isinstance(value, dict):
            return False
    return True


def _num(value: Any) -> int | None:
    """A proto3 JSON 64-bit number (a string) or plain number, as an int."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _name(*parts: Any) -> str:
    return " ".join(str(p).strip() for p in parts if p and str(p).strip())


@dataclass
class _Chat:
    recipient: int
    messages: list[ParsedMessage] = field(default_factory=list)


class BackupReader:
    """Reads the frames of one ``main.jsonl``; see the module docstring."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.me_name: str | None = None
        self.handles: dict[int, ParsedHandle] = {}
        self.groups: dict[int, tuple[str, str]] = {}  # recipient id -> (key, title)
        self.chats: dict[int, _Chat] = {}

    def read(self, lines: Iterable[str]) -> Iterator[ParsedConversation]:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                frame = json.loads(line)
            except ValueError:
                raise ParseError(self.path, number, "not a JSON line") from None
            if not isinstance(frame, dict):
                raise ParseError(self.path, number, "a line is not a JSON object")
            if "account" in frame:
                account = frame["account"] or {}
                self.me_name = _name(account.get("givenName"), account.get("familyName")) or None
            elif "recipient" in frame:
                self._recipient(frame["recipient"] or {}, number)
            elif "chat" in frame:
                chat = frame["chat"] or {}
                chat_id, recipient = _num(chat.get("id")), _num(chat.get("recipientId"))
                if chat_id is None or recipient is None:
                    raise ParseError(self.path, number, "chat without id or recipientId")
                self.chats[chat_id] = _Chat(recipient)
            elif "chatItem" in frame:
                self._item(frame["chatItem"] or {}, number)
        yield from self._conversations()

    def _recipient(self, rec: dict[str, Any], number: int) -> None:
        rid = _num(rec.get("id"))
        if rid is None:
            raise ParseError(self.path, number, "recipient without id")
        if "self" in rec:
            self.handles[rid] = ParsedHandle(ME, display_name=self.me_name, is_me=True)
        elif "contact" in rec:
            c = rec["contact"] or {}
            e164 = _num(c.get("e164"))
            phone = f"+{e164}" if e164 else None
            handle = phone or (f"aci:{c['aci']}" if c.get("aci") else None)
            handle = handle or (f"username:{c['username']}" if c.get("username") else None)
            nickname = c.get("nickname") or {}
            shown = (
                _name(nickname.get("given"), nickname.get("family"))
                or _name(c.get("systemGivenName"), c.get("systemFamilyName"))
                or _name(c.get("profileGivenName"), c.get("profileFamilyName"))
                or c.get("username")
                or phone
            )
            self.handles[rid] = ParsedHandle(handle or f"recipient:{rid}", shown or None, phone)
        elif "group" in rec:
            g = rec["group"] or {}
            title = ((g.get("snapshot") or {}).get("title") or {}).get("title") or "Signal group"
            key = f"group:{g.get('masterKey') or title}"
            self.groups[rid] = (key, str(title))

    def _item(self, item: dict[str, Any], number: int) -> None:
        chat = self.chats.get(_num(item.get("chatId")) or -1)
        if chat is None:
            raise ParseError(self.path, number, "chat item for a chat not listed before it")
        sent = _num(item.get("dateSent"))
        if sent is None:
            raise ParseError(self.path, number, "chat item without dateSent")
        author = self.handles.get(_num(item.get("authorId")) or -1)
        who = author.handle if author is not None else None
        message = ParsedMessage(
            who, "", ts_ms=sent, line=number, edited=bool(item.get("revisions"))
        )
        if who is not None:
            message.source_id = f"{who}:{sent}"
        if not self._fill(message, item):
            return
        chat.messages.append(message)

    def _fill(self, message: ParsedMessage, item: dict[str, Any]) -> bool:
        """Set kind, text, media, reply and reactions from the item; False to skip it."""
        if "standardMessage" in item:
            std = item["standardMessage"] or {}
            message.text = str((std.get("text") or {}).get("body") or "")
            attachments = std.get("attachments") or []
            if attachments and not message.text:
                first = attachments[0] or {}
                kind = str((first.get("pointer") or {}).get("contentType") or "")
                if first.get("flag") == "VOICE_MESSAGE" or kind.startswith("audio/"):
                    message.kind, message.media_type = Kind.VOICE, "audio"
                else:
                    message.kind = Kind.MEDIA
                    message.media_type = kind.partition("/")[0] or "file"
            quote = std.get("quote") or {}
            target, quoted = _num(quote.get("targetSentTimestamp")), quote.get("authorId")
            quoted_handle = self.handles.get(_num(quoted) or -1)
            if target is not None and quoted_handle is not None:
                message.reply_to = f"{quoted_handle.handle}:{target}"
            message.reactions = self._reactions(std)
        elif "stickerMessage" in item:
            message.kind = Kind.STICKER
            message.reactions = self._reactions(item["stickerMessage"] or {})
        elif "remoteDeletedMessage" in item:
            message.kind = Kind.DELETED
        elif "contactMessage" in item:
            message.kind = Kind.CONTACT
        elif "viewOnceMessage" in item:
            message.kind, message.media_type = Kind.MEDIA, "view-once"
        elif "updateMessage" in item:
            update = item["updateMessage"] or {}
            call = "individualCall" in update or "groupCall" in update
            message.kind = Kind.CALL if call else Kind.SYSTEM
            if not call:
                message.sender = None
                message.source_id = None
        else:
            return False  # payments, gift badges, story replies: not conversation
        return True

    def _reactions(self, holder: dict[str, Any]) -> list[tuple[str, str]]:
        found = []
        for r in holder.get("reactions") or []:
            handle = self.handles.get(_num((r or {}).get("authorId")) or -1)
            if handle is not None and r.get("emoji"):
                found.append((handle.handle, str(r["emoji"])))
        return found

    def _conversations(self) -> Iterator[ParsedConversation]:
        me = next((h for h in self.handles.values() if h.is_me), None)
        for chat in self.chats.values():
            if not chat.messages:
                continue
            if chat.recipient in self.groups:
                key, title = self.groups[chat.recipient]
                is_group = True
            else:
                other = self.handles.get(chat.recipient)
                if other is None:
                    continue  # a distribution list or call link: no conversation
                key = f"backup:{other.handle}"
                title = other.display_name or other.handle
                is_group = False
            senders = {m.sender for m in chat.messages} | {
                who for m in chat.messages for who, _ in m.reactions
            }
            members = [h for h in self.handles.values() if h.handle in senders]
            if me is not None and me not in members:
                members.append(me)
            if not is_group:
                other = self.handles.get(chat.recipient)
                if other is not None and other not in members:
                    members.append(other)
            yield ParsedConversation(
                platform=PLATFORM,
                key=key,
                title=title,
                messages=chat.messages,
                is_group=is_group,
                participants=members,
                me_handle=me.handle if me is not None else None,
                source=self.path,
                format="signal-backup",
            )
