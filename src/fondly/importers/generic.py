"""The generic layout: CSV or JSONL for any app fondly has no importer for.

Documented in ``docs/formats/generic.md``. One row per message with the
columns (or JSON keys) ``chat``, ``sender``, ``timestamp`` and ``text``, and
optionally ``kind``, ``id``, ``reply_to``, ``is_group``, ``platform`` and ``me``
(true on the user's messages). ``timestamp`` is ISO 8601: with an offset
(``2024-05-01T21:04:00+02:00`` or ``Z``) it is an exact instant; without one it
is a wall-clock time read in ``--tz``. Numbers are taken as epoch seconds or,
above 10^11, milliseconds.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from fondly._errors import ParseError
from fondly.importers._registry import ImportOptions, Unit
from fondly.importers._tree import Tree
from fondly.model import Kind, ParsedConversation, ParsedHandle, ParsedMessage

REQUIRED = ("chat", "sender", "timestamp", "text")
_TRUE = {"1", "true", "yes", "y", "t"}


def _looks_like_csv(head: bytes) -> bool:
    first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    if not first:
        return False
    columns = {c.strip().lower() for c in next(csv.reader(first))}
    return set(REQUIRED) <= columns


def _looks_like_jsonl(head: bytes) -> bool:
    first = head.decode("utf-8-sig", errors="replace").lstrip().splitlines()[:1]
    if not first or not first[0].startswith("{"):
        return False
    try:
        record = json.loads(first[0])
    except ValueError:
        return False
    return isinstance(record, dict) and set(REQUIRED) <= set(record)


def parse_timestamp(value: Any, where: tuple[str, int]) -> tuple[int | None, datetime | None]:
    """``(ts_ms, ts_local)`` from an ISO 8601 string or epoch number."""
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        number = float(value)
        return (int(number if number > 1e11 else number * 1000), None)
    try:
        parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ParseError(where[0], where[1], "timestamp is not ISO 8601 or epoch seconds") from None
    if parsed.tzinfo is None:
        return None, parsed
    offset = parsed.utcoffset()
    assert offset is not None
    return int(parsed.timestamp() * 1000), parsed.replace(tzinfo=None)


class GenericImporter:
    name = "generic"
    description = "fondly's documented CSV / JSONL layout (chat, sender, timestamp, text)"

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        units = []
        for name in unclaimed:
            lower = name.lower()
            if not lower.endswith((".csv", ".jsonl", ".ndjson", ".json")):
                continue
            head = tree.head(name)
            if (lower.endswith(".csv") and _looks_like_csv(head)) or (
                not lower.endswith(".csv") and _looks_like_jsonl(head)
            ):
                units.append(Unit(self, [name], name))
        return units

    def _records(self, tree: Tree, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        path = tree.display(name)
        with tree.text_stream(name) as fh:
            if name.lower().endswith(".csv"):
                reader = csv.DictReader(fh)
                header = {c.strip().lower() for c in reader.fieldnames or []}
                missing = [c for c in REQUIRED if c not in header]
                if missing:
                    raise ParseError(path, 1, f"missing column(s): {', '.join(missing)}")
                for row in reader:
                    yield reader.line_num, {k.strip().lower(): v for k, v in row.items() if k}
            else:
                for number, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except ValueError:
                        raise ParseError(path, number, "not a JSON object") from None
                    if not isinstance(record, dict):
                        raise ParseError(path, number, "not a JSON object")
                    missing = [c for c in REQUIRED if c not in record]
                    if missing:
                        raise ParseError(path, number, f"missing field(s): {', '.join(missing)}")
                    yield number, record

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        name = unit.entries[0]
        path = tree.display(name)
        chats: dict[str, list[ParsedMessage]] = {}
        meta: dict[str, dict[str, Any]] = {}
        me: set[str] = set()
        kinds = {k.value for k in Kind}
        for number, record in self._records(tree, name):
            chat = str(record["chat"])
            sender = str(record["sender"]).strip() or None
            ts_ms, ts_local = parse_timestamp(record["timestamp"], (path, number))
            kind = str(record.get("kind") or Kind.TEXT).lower()
            if kind not in kinds:
                raise ParseError(
                    path, number, f"unknown kind {kind!r} (known: {', '.join(sorted(kinds))})"
                )
            if str(record.get("me", "")).lower() in _TRUE and sender:
                me.add(sender)
            chats.setdefault(chat, []).append(
                ParsedMessage(
                    sender=sender if kind != Kind.SYSTEM else None,
                    text=str(record["text"] or ""),
                    kind=kind,
                    ts_ms=ts_ms,
                    ts_local=ts_local,
                    source_id=str(record["id"]) if record.get("id") not in (None, "") else None,
                    reply_to=str(record["reply_to"])
                    if record.get("reply_to") not in (None, "")
                    else None,
                    line=number,
                )
            )
            info = meta.setdefault(chat, {})
            if record.get("is_group") not in (None, ""):
                info["is_group"] = str(record["is_group"]).lower() in _TRUE
            if record.get("platform"):
                info["platform"] = str(record["platform"])
        for chat, messages in chats.items():
            info = meta[chat]
            yield ParsedConversation(
                platform=info.get("platform", "generic"),
                key=chat,
                title=chat,
                messages=messages,
                is_group=info.get("is_group"),
                participants=[ParsedHandle(h, is_me=True) for h in me],
                source=path,
                format=self.name,
            )


IMPORTER = GenericImporter()
