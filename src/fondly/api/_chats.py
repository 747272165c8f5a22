"""The verbs that read the chats themselves: the list, messages, export, search, a conversation.

They only read the store (the corpus export also writes the message features the
last refresh left), never change it, so none of them ends with a refresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fondly._errors import UsageError
from fondly.api._core import _Core
from fondly.api._results import Chat, Message

if TYPE_CHECKING:
    import pyarrow as pa

    from fondly.store import Store


class _Chats(_Core):
    """``chats``, ``messages``, ``export``, ``search``, ``conversation`` and ``chat_of``."""

    def chats(self) -> list[Chat]:
        """Every imported chat, busiest first."""
        with self._store() as store:
            rows = store.query(
                """
                SELECT c.conversation_id, c.platform, c.title, c.is_group,
                       count(m.message_id) AS messages,
                       CAST(min(m.ts_local)::DATE AS TEXT), CAST(max(m.ts_local)::DATE AS TEXT)
                FROM conversations c LEFT JOIN messages m USING (conversation_id)
                GROUP BY c.conversation_id, c.platform, c.title, c.is_group
                ORDER BY messages DESC, c.conversation_id
                """
            )
        return [
            Chat(int(r[0]), str(r[1]), str(r[2] or ""), bool(r[3]), int(r[4]), r[5], r[6])
            for r in rows
        ]

    def messages(self) -> pa.Table:
        """Every message with its chat, sender and both clocks, oldest first (Arrow)."""
        from fondly.export import messages_table

        with self._store() as store:
            return messages_table(store)

    def export(self, out: str | Path, *, what: str = "messages", format: str = "csv") -> list[Path]:
        """Write the messages (csv, jsonl, parquet) or the corpus tables (parquet) to ``out``.

        ``what="messages"`` writes one file; ``what="corpus"`` a folder of Parquet files
        that the metrics also run on with Spark. Returns the paths written, readable by
        their owner only (files 0600, new folders 0700), as the CLI writes them.
        """
        from fondly._private import private_umask

        with private_umask():
            return self._export(Path(out), what, format)

    def _export(self, out: Path, what: str, format: str) -> list[Path]:
        from fondly.export import MESSAGE_FORMATS

        if what == "corpus":
            from fondly.export import export_corpus_tables

            with self._store() as store:
                return list(export_corpus_tables(store, out))
        if what != "messages":
            raise UsageError(f"export {what!r}: use 'messages' or 'corpus'")
        if format not in MESSAGE_FORMATS:
            raise UsageError(f"export format {format!r}: use csv, jsonl or parquet")
        from fondly.export import write_messages

        with self._store() as store:
            write_messages(store, out, format)
        return [out]

    def search(self, text: str, *, limit: int = 50, redact: bool = False) -> list[Message]:
        """Messages containing ``text`` (case-insensitive), newest first.

        With ``redact``, each message is described instead of quoted (see :func:`_described`).
        """
        text = text.strip()
        if not text:
            return []
        with self._store() as store:
            rows = store.query(
                _MESSAGE_SQL + " WHERE contains(lower(m.text), lower(?)) "
                "ORDER BY m.ts_ms DESC, m.seq DESC LIMIT ?",
                [text, int(limit)],
            )
            found = [_message(r) for r in rows]
            return _described(store, found) if redact else found

    def conversation(
        self,
        chat_id: int,
        *,
        around: str | None = None,
        context: int = 15,
        redact: bool = False,
    ) -> list[Message]:
        """The messages of a chat around one message (or its latest ones), oldest first.

        With ``redact``, each message is described instead of quoted (see :func:`_described`).
        """
        with self._store() as store:
            found = _conversation(store, chat_id, around, context)
            return _described(store, found) if redact else found

    def chat_of(self, message_id: str) -> int | None:
        """The chat a message belongs to (None: no such message)."""
        with self._store() as store:
            rows = store.query(
                "SELECT conversation_id FROM messages WHERE message_id = ?", [message_id]
            )
        return int(rows[0][0]) if rows else None


_MESSAGE_SQL = """
SELECT m.message_id, m.conversation_id, c.title, p.name, coalesce(p.is_me, FALSE),
       strftime(m.ts_local, '%Y-%m-%d %H:%M'), m.kind, m.text
FROM messages m
JOIN conversations c ON c.conversation_id = m.conversation_id
LEFT JOIN handles h ON h.handle_id = m.handle_id
LEFT JOIN people p ON p.person_id = h.person_id
"""


def _conversation(store: Store, chat_id: int, around: str | None, context: int) -> list[Message]:
    """The messages of one chat around ``around`` (or its latest ones), oldest first."""
    centre = None
    if around is not None:
        found = store.query(
            "SELECT ts_ms, seq FROM messages WHERE message_id = ? AND conversation_id = ?",
            [around, int(chat_id)],
        )
        centre = found[0] if found else None
    if centre is None:
        rows = store.query(
            _MESSAGE_SQL + " WHERE m.conversation_id = ? ORDER BY m.ts_ms DESC, m.seq DESC LIMIT ?",
            [int(chat_id), 2 * context + 1],
        )
        return [_message(r) for r in reversed(rows)]
    ts, seq = centre
    before = store.query(
        _MESSAGE_SQL + " WHERE m.conversation_id = ? AND (m.ts_ms < ? OR "
        "(m.ts_ms = ? AND m.seq < ?)) ORDER BY m.ts_ms DESC, m.seq DESC LIMIT ?",
        [int(chat_id), ts, ts, seq, context],
    )
    after = store.query(
        _MESSAGE_SQL + " WHERE m.conversation_id = ? AND (m.ts_ms > ? OR "
        "(m.ts_ms = ? AND m.seq >= ?)) ORDER BY m.ts_ms, m.seq LIMIT ?",
        [int(chat_id), ts, ts, seq, context + 1],
    )
    return [_message(r) for r in [*reversed(before), *after]]


def _described(store: Store, messages: list[Message]) -> list[Message]:
    """Messages as a redacted report shows them: what each is, never what it says.

    The text becomes its kind ("their good news, 12 words"), the sender "You" or
    "Person N" (the numbering of redacted reports), the chat "Chat N", the time its
    month; the message id goes too (a hash of the message, so someone holding the chat
    could confirm which one it is).
    """
    from dataclasses import replace

    from fondly.insights._redact import describe_messages
    from fondly.metrics.reader import reader_of

    if not messages:
        return []
    ids = [m.message_id for m in messages]
    said = describe_messages(
        reader_of(store), {m.message_id: {"ts_local": m.ts_local} for m in messages}
    )
    marks = ", ".join("?" for _ in ids)
    who = dict(
        store.query(
            f"SELECT message_id, person_id FROM messages_people WHERE message_id IN ({marks})",
            ids,
        )
    )
    return [
        replace(
            m,
            message_id="",
            chat=f"Chat {m.conversation_id}",
            sender="You" if m.is_me else f"Person {who.get(m.message_id)}",
            ts_local=said[m.message_id]["ts_local"],
            text=said[m.message_id]["text"],
        )
        for m in messages
    ]


def _message(row: Sequence[Any]) -> Message:
    return Message(
        message_id=str(row[0]),
        conversation_id=int(row[1]),
        chat=str(row[2] or ""),
        sender=None if row[3] is None else str(row[3]),
        is_me=bool(row[4]),
        ts_local=row[5],
        kind=str(row[6]),
        text=row[7],
    )
