"""Golden-file helpers shared by the importer tests: a parse, written as plain data.

Every importer test compares what its parser yields with a checked-in JSON file;
these functions turn parsed conversations into that JSON-ready shape, with every
field of the canonical model so a golden file catches any change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fondly.importers import ImportOptions, Tree, detect
from fondly.model import ParsedConversation, ParsedMessage


def message_record(m: ParsedMessage) -> dict[str, Any]:
    return {
        "sender": m.sender,
        "text": m.text,
        "kind": str(m.kind),
        "media_type": m.media_type,
        "ts_ms": m.ts_ms,
        "ts_local": m.ts_local.isoformat() if m.ts_local else None,
        "source_id": m.source_id,
        "reply_to": m.reply_to,
        "edited": m.edited,
        "reactions": [list(r) for r in m.reactions],
        "line": m.line,
    }


def conversation_record(conv: ParsedConversation) -> dict[str, Any]:
    # Messages first: some importers learn participants (the user, phones) while streaming.
    messages = [message_record(m) for m in conv.messages]
    return {
        "platform": conv.platform,
        "key": conv.key,
        "title": conv.title,
        "is_group": conv.is_group,
        "me_handle": conv.me_handle,
        "participants": [[h.handle, h.phone, h.email, h.is_me] for h in conv.participants],
        "messages": messages,
    }


def parse_export(path: Path, options: ImportOptions | None = None) -> list[dict[str, Any]]:
    """Detect and parse an export as ``fondly import`` would, without a store."""
    tree = Tree(path)
    try:
        return [
            conversation_record(conv)
            for unit in detect(tree)
            for conv in unit.importer.parse(tree, unit, options or ImportOptions())
        ]
    finally:
        tree.close()
