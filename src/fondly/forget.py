"""Undoing imports: remove an import or a chat with everything derived from it.

Every message carries the ``import_id`` that added it and every reaction the
import that added it, so an import can be taken back exactly: its messages,
their features and reactions, then whatever is left empty (a chat with no
messages, a handle no chat has any more, a person with no handle). Units kept
for reports (:mod:`fondly.metrics.kept`) carry a fingerprint of the messages,
so they stop being used the moment anything here changes; the CLI rebuilds them.

A chat is forgotten whole, whichever imports added its messages; an import
record whose every message is then gone goes too, so the file can be imported
again. Everything happens in one transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fondly._errors import UsageError

if TYPE_CHECKING:
    from fondly.store import Store


@dataclass
class Forgotten:
    """What a forget removed, for the confirmation and the summary."""

    imports: int = 0
    conversations: int = 0
    messages: int = 0
    people: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Counts of what went (or would go): imports, conversations, messages, people."""
        return asdict(self)


def find_imports(store: Store, what: str) -> list[int]:
    """Import ids named by an id (``3``), a file path as imported, or a file name."""
    if what.isdigit():
        rows = store.query("SELECT import_id FROM imports WHERE import_id = ?", [int(what)])
    else:
        resolved = str(Path(what).expanduser().resolve()) if what else what
        rows = store.query(
            """
            SELECT import_id FROM imports
            WHERE file_path = ? OR file_path = ? OR ends_with(file_path, '/' || ?)
               OR ends_with(file_path, '!' || ?) OR contains(file_path, '/' || ? || ':')
            ORDER BY import_id
            """,
            [what, resolved, what, what, what],
        )
    return [int(r[0]) for r in rows]


def find_conversations(store: Store, what: str) -> list[int]:
    """Chat ids named by an id or a title (case-insensitive)."""
    if what.isdigit():
        rows = store.query(
            "SELECT conversation_id FROM conversations WHERE conversation_id = ?", [int(what)]
        )
    else:
        rows = store.query(
            "SELECT conversation_id FROM conversations WHERE lower(title) = lower(?)", [what]
        )
    return [int(r[0]) for r in rows]


def preview(
    store: Store, *, imports: list[int] | None = None, conversations: list[int] | None = None
) -> Forgotten:
    """What :func:`forget` would remove, without removing anything."""
    imports, conversations = list(imports or []), list(conversations or [])
    where, params = _messages_where(imports, conversations)
    n_messages = store.query(f"SELECT count(*) FROM messages WHERE {where}", params)[0][0]
    return Forgotten(
        imports=len(imports), conversations=len(conversations), messages=int(n_messages)
    )


def forget_imports(store: Store, import_ids: list[int]) -> Forgotten:
    """Remove the messages, reactions and records of these imports (one transaction)."""
    return forget(store, imports=import_ids)


def forget(
    store: Store,
    *,
    imports: list[int] | None = None,
    conversations: list[int] | None = None,
) -> Forgotten:
    """Remove imports and/or whole chats with everything derived from them."""
    imports = list(imports or [])
    conversations = list(conversations or [])
    if not imports and not conversations:
        raise UsageError("nothing to forget")
    done = Forgotten(imports=len(imports), conversations=0)
    where, params = _messages_where(imports, conversations)
    with store.transaction():
        touched = [
            int(r[0])
            for r in store.query(
                f"SELECT DISTINCT conversation_id FROM messages WHERE {where}", params
            )
        ]
        store.execute(
            f"CREATE OR REPLACE TEMP TABLE forget_ids AS "
            f"SELECT message_id FROM messages WHERE {where}",
            params,
        )
        done.messages = int(store.query("SELECT count(*) FROM forget_ids")[0][0])
        store.execute("DELETE FROM message_features WHERE message_id IN (SELECT * FROM forget_ids)")
        store.execute("DELETE FROM reactions WHERE message_id IN (SELECT * FROM forget_ids)")
        if imports:
            marks = ", ".join("?" for _ in imports)
            store.execute(f"DELETE FROM reactions WHERE import_id IN ({marks})", imports)
        store.execute("DELETE FROM messages WHERE message_id IN (SELECT * FROM forget_ids)")
        store.execute("DROP TABLE forget_ids")
        if imports:
            marks = ", ".join("?" for _ in imports)
            store.execute(f"DELETE FROM imports WHERE import_id IN ({marks})", imports)
        # An import whose messages are all gone (its chat was forgotten) goes too,
        # so that its file can be imported again; imports that added nothing stay.
        store.execute(
            """
            DELETE FROM imports i WHERE n_messages_added > 0
              AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.import_id = i.import_id)
            """
        )
        empty = [
            c
            for c in {*touched, *conversations}
            if not store.query("SELECT 1 FROM messages WHERE conversation_id = ? LIMIT 1", [c])
        ]
        for conversation_id in empty:
            store.execute(
                "DELETE FROM conversation_members WHERE conversation_id = ?", [conversation_id]
            )
            store.execute("DELETE FROM conversations WHERE conversation_id = ?", [conversation_id])
        done.conversations = len(empty)
        # Handles no chat and no message refers to any more, then people with no handle.
        store.execute(
            """
            DELETE FROM handles h
            WHERE NOT EXISTS (SELECT 1 FROM conversation_members cm
                              WHERE cm.handle_id = h.handle_id)
              AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.handle_id = h.handle_id)
              AND NOT EXISTS (SELECT 1 FROM reactions r WHERE r.handle_id = h.handle_id)
            """
        )
        before = store.query("SELECT count(*) FROM people")[0][0]
        store.execute(
            "DELETE FROM people p WHERE NOT EXISTS "
            "(SELECT 1 FROM handles h WHERE h.person_id = p.person_id)"
        )
        done.people = int(before - store.query("SELECT count(*) FROM people")[0][0])
    return done


def _messages_where(imports: list[int], conversations: list[int]) -> tuple[str, list[int]]:
    clauses = []
    params: list[int] = []
    if imports:
        clauses.append(f"import_id IN ({', '.join('?' for _ in imports)})")
        params.extend(imports)
    if conversations:
        clauses.append(f"conversation_id IN ({', '.join('?' for _ in conversations)})")
        params.extend(conversations)
    return " OR ".join(clauses) or "FALSE", params
