"""Facebook Messenger and Instagram: Meta's "Download your information" JSON.

Each thread is a folder (``messages/inbox/<thread>/`` for Messenger,
``your_instagram_activity/messages/inbox/<thread>/`` for Instagram) holding
``message_1.json``, ``message_2.json``, ...: long threads are split across files,
``message_1`` holding the newest messages, and each file lists its messages
newest first. One folder is one :class:`~fondly.importers.Unit`, so the content
hash covers the whole thread and a re-export that grew it is re-read whole;
stable message ids keep that incremental.

Three export quirks shape this module:

* **Mojibake.** Meta writes every non-ASCII string as its UTF-8 *bytes* escaped
  as ``\\u00XX`` code points, so ``é`` arrives as ``Ã©``. Every string (names,
  bodies, reactions, titles) is repaired by reading it back as latin-1 bytes and
  decoding those as UTF-8, and kept as it is where that does not round-trip
  (an export that is already correct, or a genuinely latin-1 character).
* **Duplicates.** Recent Instagram exports list every record twice, and a
  thread downloaded twice leaves two copies side by side; identical records
  (same sender, instant, body and attachments) are kept once.
* **Pseudo-messages.** Instagram (and Messenger, in groups) writes a reaction as
  a message of its own, "Liked a message" or "Reacted 😂 to your message", in the
  user's language. Counting those as messages would inflate the reactor's share
  of the conversation, so they become reactions on the message they answer. The
  wordings live in ``data/meta_pseudo_messages.json``.

Who the user is comes from the account's own profile record when the archive
or folder holds it (:func:`owner_names`); else, in a one-to-one thread titled
with one participant's name, from the other participant; else ingest infers
it (the person present in every conversation) or takes ``--me``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from fondly._errors import ParseError
from fondly.importers._jsonstream import json_error
from fondly.importers._registry import ImportOptions, Unit
from fondly.importers._tree import Tree
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

_MESSAGE_FILE = re.compile(r"message_(\d+)\.json", re.IGNORECASE)

_MEDIA_KEYS = (
    # (record key, kind, media_type), in the order a record with several is classed.
    ("photos", Kind.MEDIA, "image"),
    ("videos", Kind.MEDIA, "video"),
    ("gifs", Kind.MEDIA, "gif"),
    ("audio_files", Kind.VOICE, "audio"),
    ("files", Kind.MEDIA, "file"),
)

_SYSTEM_TYPES = {"Subscribe", "Unsubscribe"}
"""Older Messenger exports mark people joining or leaving a group with these types."""

_PSEUDO_MAX_CHARS = 160
"""Pseudo-messages are one short line (a name, a verb and an emoji); longer text is never one."""

_LOOKBACK = 200
"""How many earlier messages a pseudo-message reaction searches for the one it names."""


def fix_mojibake(text: str) -> str:
    """Undo Meta's latin-1 escaping of UTF-8 bytes; keep ``text`` where that fails.

    ASCII needs no repair, and a string with a character above U+00FF cannot be
    mojibake, so both return at once (the common cases, cheaply).
    """
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


@lru_cache(maxsize=1)
def _pseudo_rules() -> tuple[re.Pattern[str], str, tuple[str, ...], tuple[str, ...]]:
    """One regex for every pseudo-message ending, the like's reaction, edit suffixes, keywords.

    The data file's patterns are joined into one alternation, each ``{emoji}``
    becoming its own named group, so a message costs one regex search.
    """
    raw = resources.files("fondly.importers").joinpath("data/meta_pseudo_messages.json")
    data = json.loads(raw.read_text(encoding="utf-8"))
    branches = [
        p.replace("{emoji}", rf"(?P<emoji{i}>\S{{1,16}})") for i, p in enumerate(data["patterns"])
    ]
    # Starts at the beginning or after a space (an actor's name), ends at the end.
    joined = re.compile(r"(?:^|(?<= ))(?:" + "|".join(branches) + r")\Z", re.IGNORECASE)
    suffixes = tuple(s.lower() for s in data["edited_suffixes"])
    keywords = tuple(k.lower() for k in data["keywords"])
    return joined, str(data["like_reaction"]), suffixes, keywords


def pseudo_reaction(content: str, sender: str) -> str | None:
    """The reaction a pseudo-message such as "Reacted 😂 to your message" stands for.

    Returns ``None`` for ordinary text. A named actor ("Sam reacted ...") must be
    the sender, or a part of the sender's name, so that ordinary sentences that
    happen to fit a pattern ("my sister liked a message") stay messages.
    """
    pattern, like, _, keywords = _pseudo_rules()
    body = content.strip()
    if len(body) > _PSEUDO_MAX_CHARS:
        return None
    lowered = body.lower()
    if not any(k in lowered for k in keywords):
        return None
    match = pattern.search(body)
    if match is None:
        return None
    actor = body[: match.start()].strip().lower()
    if actor and actor not in sender.lower():
        return None
    emoji = next((v for k, v in match.groupdict().items() if v is not None), None)
    if emoji is None:
        return like
    return None if any(ch.isalnum() for ch in emoji) else emoji


def strip_edited(content: str) -> tuple[str, bool]:
    """Remove the "(edited)" marker Instagram appends, and say whether it was there."""
    _, _, suffixes, _ = _pseudo_rules()
    trimmed = content.rstrip()
    lowered = trimmed.lower()
    for suffix in suffixes:
        if lowered.endswith(suffix):
            return trimmed[: -len(suffix)].rstrip(), True
    return content, False


def _platform_of(tree: Tree, name: str) -> str:
    """Instagram or Messenger, from where the thread sits (both share one schema)."""
    # A file given on its own is placed by the folder it sits in.
    folder = tree.path.parent.name + "/" if tree.is_single_file else ""
    where = (folder + str(tree.path.name) + "/" + name).lower()
    return "instagram" if "instagram" in where else "messenger"


def _looks_like_thread(head: bytes, name: str) -> bool:
    """A Meta thread file: named ``message_N.json``, or with Meta's keys near its top.

    Minimal exports (and tools that trim them) keep only ``messages`` of
    ``sender_name``/``timestamp_ms``/``content`` records, without participants.
    """
    meta_keys = b'"sender_name"' in head and b'"timestamp_ms"' in head
    if b'"participants"' not in head:
        return meta_keys and b'"messages"' in head
    if _MESSAGE_FILE.fullmatch(PurePosixPath(name).name):
        return True
    return meta_keys


_CAST = re.compile(rb'"participants"\s*:\s*\[(.*?)\]', re.DOTALL)
_THREAD_FOLDER = re.compile(r"[a-z0-9_]+_[0-9a-z]{6,}", re.IGNORECASE)


def _cast_of(head: bytes) -> str:
    """The participants list as written near the top of a thread file (raw, for grouping)."""
    match = _CAST.search(head)
    return match.group(1).decode("utf-8", "replace") if match else ""


def _thread_key(
    header: dict[str, Any], first: str, participants: list[ParsedHandle], title: str
) -> str:
    """A thread's stable key: Meta's ``thread_path``, else its thread folder, else its cast.

    Meta names each thread's folder ``name_1234567890`` and older exports say so
    in ``thread_path``; a newer export of the thread lands in the same chat. A
    file outside such a folder (a loose ``message_1.json`` in Downloads) is
    keyed by its participants and title, so unrelated loose files never merge;
    when it is a copy of a thread stored under its folder, ingest puts it into that
    chat by the messages they share (``joins_by_messages``, ``fondly.ingest._copies``).
    """
    if header.get("thread_path"):
        return str(header["thread_path"])
    folder = PurePosixPath(first).parent.name
    if folder and _THREAD_FOLDER.fullmatch(folder):
        return folder
    cast = "\x1f".join(sorted(h.handle for h in participants))
    return f"{cast}\x1e{title}"


# Where "Download your information" keeps the account's own profile, by export
# generation: Facebook's profile_information/profile_information.json (under
# personal_information/ in newer ones); Instagram's personal_information.json
# under personal_information/ (newer) or account_information/ (older). The
# folder before the first of these is the export's root.
_PROFILE_FOLDERS = ("profile_information", "personal_information", "account_information")
_PROFILE_FILES = ("profile_information.json", "personal_information.json")


def _profile_root(name: str) -> str | None:
    """The export root a profile file belongs to (``""`` for the tree's top), or ``None``."""
    path = PurePosixPath(name)
    if path.name.lower() not in _PROFILE_FILES:
        return None
    parts = [p.lower() for p in path.parts[:-1]]
    for i, part in enumerate(parts):
        if part in _PROFILE_FOLDERS:
            return "/".join(path.parts[:i])
    return None


def _profile_names(doc: object) -> list[str]:
    """The owner's names in one profile document, display name first.

    Facebook: ``profile_v2.name.full_name`` (``profile`` in older exports,
    whose oldest ones hold the name itself).
    Instagram: ``profile_user[0].string_map_data`` ``Name`` then ``Username``,
    each a ``{"value": ...}``. Anything else in the file is never read.
    """
    if not isinstance(doc, dict):
        return []
    names: list[object] = []
    for key in ("profile_v2", "profile"):
        profile = doc.get(key)
        if isinstance(profile, dict):
            name = profile.get("name")
            # The oldest exports wrote the name as a plain string.
            names.append(name.get("full_name") if isinstance(name, dict) else name)
    users = doc.get("profile_user")
    if isinstance(users, list) and users and isinstance(users[0], dict):
        fields = users[0].get("string_map_data")
        if isinstance(fields, dict):
            for key in ("Name", "Username"):
                field = fields.get(key)
                if isinstance(field, dict):
                    names.append(field.get("value"))
    return [fix_mojibake(n.strip()) for n in names if isinstance(n, str) and n.strip()]


def owner_names(tree: Tree, thread: str) -> list[str]:
    """The account owner's names from the profile file of the export holding ``thread``.

    A folder of downloads can hold several exports (a Facebook and an
    Instagram one); the profile whose export root is the longest prefix of the
    thread's path is the thread's. A profile file that cannot be read says
    nothing: it only helps to tell who "me" is, and the thread is still read.
    """
    if tree.is_single_file:
        return _owner_near(tree.path)
    best: tuple[int, str] | None = None
    for entry in tree.entries:
        root = _profile_root(entry.name)
        if root is None or not (root == "" or thread.startswith(root + "/")):
            continue
        if best is None or len(root) > best[0]:
            best = (len(root), entry.name)
    if best is None:
        return []
    try:
        with tree.text_stream(best[1]) as fh:
            return _profile_names(json.load(fh))
    except (OSError, ValueError, UnicodeDecodeError):
        return []


# Profile files relative to an export's root, newest layout first.
_PROFILE_PATHS = (
    "personal_information/profile_information/profile_information.json",
    "profile_information/profile_information.json",
    "personal_information/personal_information/personal_information.json",
    "personal_information/personal_information.json",
    "account_information/personal_information.json",
)


def _owner_near(thread: Path) -> list[str]:
    """For a thread file given on its own: the profile of the export folder it sits in.

    The thread lies a few folders below the export's root
    (``messages/inbox/<thread>/``, ``your_instagram_activity/messages/inbox/<thread>/``),
    so the folders above it are tried, nearest first.
    """
    for folder in list(thread.parents)[1:6]:
        for relative in _PROFILE_PATHS:
            candidate = folder / relative
            if candidate.is_file():
                try:
                    return _profile_names(json.loads(candidate.read_text("utf-8-sig")))
                except (OSError, ValueError):
                    return []
    return []


def _file_number(name: str) -> int:
    match = _MESSAGE_FILE.fullmatch(PurePosixPath(name).name)
    return int(match.group(1)) if match else 0


class MetaImporter:
    name = "meta"
    description = "Facebook Messenger / Instagram JSON (Download your information)"

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        """One unit per thread: the ``message_N.json`` parts in one folder with one cast.

        A thread folder of Meta's holds the parts of one thread; a folder of
        downloads can hold ``message_1.json`` and ``message_1 (1).json`` of two
        unrelated threads, which the participants at the top of each file (and a
        part number seen twice) tell apart.
        """
        threads: dict[tuple[str, str], list[str]] = {}
        for name in unclaimed:
            if not name.lower().endswith(".json"):
                continue
            head = tree.head(name)
            if _looks_like_thread(head, name):
                folder = str(PurePosixPath(name).parent)
                threads.setdefault((folder, _cast_of(head)), []).append(name)
        units: list[Unit] = []
        for (folder, _), names in sorted(threads.items()):
            parts: dict[int, list[str]] = {}
            for name in sorted(names, key=_file_number):
                parts.setdefault(_file_number(name), []).append(name)
            # Part numbers seen more than once: each copy is a thread of its own.
            if any(len(v) > 1 for v in parts.values()):
                units.extend(Unit(self, [n], n) for n in sorted(names))
            else:
                units.append(Unit(self, sorted(names, key=_file_number), folder))
        return units

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        records: list[tuple[str, int, dict[str, Any]]] = []
        header: dict[str, Any] = {}
        for name in unit.entries:
            doc = _load(tree, name)
            if not header:
                header = doc
            messages = doc.get("messages", [])
            if not isinstance(messages, list):
                raise ParseError(tree.display(name), "messages", "'messages' is not a list")
            records.extend((name, i, m) for i, m in enumerate(messages))
        first = unit.entries[0]
        platform = _platform_of(tree, first)
        participants = _participants(tree.display(first), header)
        messages = _thread_messages(tree, records, dedupe=platform == "instagram")
        if not participants:
            # A minimal export lists no participants: its writers are the cast.
            writers = sorted({m.sender for m in messages if m.sender is not None})
            participants = [ParsedHandle(w) for w in writers]
        title = fix_mojibake(str(header.get("title") or "")) or ", ".join(
            h.handle for h in participants
        )
        thread_type = str(header.get("thread_type") or "")
        # Older exports say "RegularGroup"; newer ones leave the count of people to tell.
        is_group = "group" in thread_type.lower() if thread_type else len(participants) > 2
        key = _thread_key(header, first, participants, title)
        # The account's profile record names the owner; failing that, Meta
        # titles a one-to-one thread with the *other* person's name, so the
        # participant it does not name is the owner.
        me_handle = None
        handles = {h.handle for h in participants}
        owner = [n for n in owner_names(tree, first) if n in handles]
        named = [h.handle for h in participants if h.handle == header.get("title")]
        if owner:
            me_handle = owner[0]
        elif not is_group and len(participants) == 2 and len(named) == 1:
            me_handle = next(h.handle for h in participants if h.handle != named[0])
        yield ParsedConversation(
            platform=platform,
            key=key,
            title=title,
            messages=messages,
            is_group=is_group,
            participants=participants,
            me_handle=me_handle,
            source=tree.display(first),
            format=self.name,
            # The same thread in its folder and saved on its own has two keys.
            joins_by_messages=True,
        )


def _load(tree: Tree, name: str) -> dict[str, Any]:
    """One thread file as a dict (thread files are split at a few MB, so this is bounded)."""
    path = tree.display(name)
    try:
        with tree.text_stream(name) as fh:
            doc = json.load(fh)
    except json.JSONDecodeError as exc:
        # exc.msg names the JSON rule broken, never the text around it.
        raise json_error(path, exc) from None
    if not isinstance(doc, dict):
        raise ParseError(path, 1, "not a Messenger/Instagram thread (top level is not an object)")
    return doc


def _participants(path: str, header: dict[str, Any]) -> list[ParsedHandle]:
    found = header.get("participants", [])
    if not isinstance(found, list):
        raise ParseError(path, "participants", "'participants' is not a list")
    handles: list[ParsedHandle] = []
    for i, p in enumerate(found):
        name = p.get("name") if isinstance(p, dict) else p
        if not isinstance(name, str):
            raise ParseError(path, f"participants[{i}]", "participant without a name")
        handles.append(ParsedHandle(fix_mojibake(name)))
    return handles


def _thread_messages(
    tree: Tree, records: list[tuple[str, int, dict[str, Any]]], *, dedupe: bool
) -> list[ParsedMessage]:
    """Every record of a thread as messages, oldest first, pseudo-messages folded in.

    A record identical to one in *another* file of the thread (same sender,
    instant, body and attachments) is a copy: a thread downloaded twice
    (``message_1.json`` and ``message_1 (1).json``) or an older export next to a
    newer one, so it is kept once. Within one file, only Instagram's doubled
    records (``dedupe``) are dropped; Messenger's identical bubbles are kept.
    """
    # Files and the records in them run newest first; reversing the whole
    # sequence gives export order oldest first, which the sort keeps for ties.
    ordered = list(reversed(records))
    ordered.sort(key=lambda r: _timestamp(tree, r))
    out: list[ParsedMessage] = []
    listed: list[int] = []  # how many of each message's reactions the export itself listed
    # Each record's fingerprint, with the file it was first seen in.
    seen: dict[tuple[Any, ...], str] = {}
    paths = {name: tree.display(name) for name in {name for name, _, _ in records}}
    for name, index, record in ordered:
        fingerprint = _fingerprint(record)
        first_in = seen.get(fingerprint)
        if first_in is None:
            seen[fingerprint] = name
        elif dedupe or first_in != name:
            continue
        message = _message(paths[name], index, record)
        if message.kind == Kind.TEXT and message.sender is not None:
            reaction = pseudo_reaction(message.text, message.sender)
            if reaction is not None:
                _attach_reaction(out, listed, message.sender, reaction)
                continue
        out.append(message)
        listed.append(len(message.reactions))
    return out


def _timestamp(tree: Tree, item: tuple[str, int, dict[str, Any]]) -> int:
    name, index, record = item
    if not isinstance(record, dict):
        raise ParseError(tree.display(name), f"messages[{index}]", "message is not an object")
    value = record.get("timestamp_ms")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParseError(
            tree.display(name), f"messages[{index}]", "missing or non-numeric timestamp_ms"
        )
    return int(value)


def _fingerprint(record: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two records the same message, for Instagram's doubled exports."""
    attachments = tuple(
        str(item.get("uri", "")) if isinstance(item, dict) else str(item)
        for key, _, _ in _MEDIA_KEYS
        for item in record.get(key) or []
    )
    share = record.get("share")
    link = share.get("link") if isinstance(share, dict) else None
    return (
        record.get("sender_name"),
        record.get("timestamp_ms"),
        record.get("content"),
        link,
        attachments,
        bool(record.get("is_unsent")),
    )


def _message(path: str, index: int, record: dict[str, Any]) -> ParsedMessage:
    where = f"messages[{index}]"
    sender_raw = record.get("sender_name")
    if sender_raw is not None and not isinstance(sender_raw, str):
        raise ParseError(path, where, "sender_name is not a string")
    content_raw = record.get("content") or ""
    if not isinstance(content_raw, str):
        raise ParseError(path, where, "content is not a string")
    sender = fix_mojibake(sender_raw) if sender_raw else None
    content = fix_mojibake(content_raw)
    content, edited = strip_edited(content)
    kind, media_type, text = _classify(record, content)
    if kind == Kind.SYSTEM:
        sender = None
    reactions: list[tuple[str, str]] = []
    for r in record.get("reactions") or []:
        if (
            isinstance(r, dict)
            and isinstance(r.get("actor"), str)
            and isinstance(r.get("reaction"), str)
        ):
            reactions.append((fix_mojibake(r["actor"]), fix_mojibake(r["reaction"])))
    return ParsedMessage(
        sender=sender,
        text=text,
        kind=kind,
        ts_ms=int(record["timestamp_ms"]),
        edited=edited,
        line=index + 1,
        reactions=reactions,
        media_type=media_type,
    )


def _classify(record: dict[str, Any], content: str) -> tuple[str, str | None, str]:
    """``(kind, media_type, text)``: what the record is, strongest signal first.

    An unsent message is deleted whatever it carried; a call record's content
    ("You called Sam.") is a placeholder, as are a sticker's and an unsent one's,
    so those keep no text. Media and shares keep the content the sender typed.
    """
    if record.get("is_unsent"):
        return Kind.DELETED, None, ""
    if "call_duration" in record or record.get("type") == "Call":
        return Kind.CALL, None, ""
    if record.get("sticker"):
        return Kind.STICKER, None, ""
    for key, kind, media_type in _MEDIA_KEYS:
        if record.get(key):
            return kind, media_type, content
    if record.get("share"):
        return Kind.LINK, None, content
    if record.get("type") in _SYSTEM_TYPES:
        return Kind.SYSTEM, None, content
    return Kind.TEXT, None, content


def _attach_reaction(
    out: list[ParsedMessage], listed: list[int], actor: str, reaction: str
) -> None:
    """Put a pseudo-message's reaction on the message it answers.

    The export does not name that message. Where an earlier message's own
    reaction list already holds the same reaction by the same person (newer
    exports carry both), that is the one, and nothing is added; otherwise it is
    the closest earlier message from someone else ("to your message"). With
    neither, the reaction has nothing to attach to and is dropped.
    """
    pair = (actor, reaction)
    start = max(0, len(out) - _LOOKBACK)
    for position in range(len(out) - 1, start - 1, -1):
        if pair in out[position].reactions[: listed[position]]:
            return
    for message in reversed(out[start:]):
        if message.sender is not None and message.sender != actor:
            message.reactions.append(pair)
            return


IMPORTER = MetaImporter()
