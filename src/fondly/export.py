"""Taking the data out again: the flat messages table and the corpus tables.

Both are read-only on the store. ``messages`` is one flat table a spreadsheet,
pandas or polars reads; ``corpus`` is the store tables the metrics read, one
Parquet file each, so the same metric registry runs on Spark
(:class:`fondly.metrics.engines.SparkEngine`) over stores too big for one laptop.
The CLI (``fondly export``) and the facade (:meth:`fondly.Fondly.export`) both call
these functions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from fondly.metrics.engines import BASE_TABLES

if TYPE_CHECKING:
    import pyarrow as pa

    from fondly.store import Store

CORPUS_TABLES = (*BASE_TABLES, "conversation_members")
"""What ``export corpus`` writes: the tables fondly.metrics reads, plus chat membership."""

MESSAGE_FORMATS = ("csv", "jsonl", "parquet")

MESSAGES_SQL = """
SELECT m.message_id, c.platform, m.conversation_id, c.title AS conversation, c.is_group,
       h.person_id AS sender_id, p.name AS sender, h.handle AS sender_handle,
       coalesce(p.is_me, FALSE) AS is_me,
       make_timestamp(m.ts_ms * 1000) AS ts_utc, m.ts_local, m.tz_offset_min,
       m.kind, m.media_type, m.text, m.edited, m.reply_to
FROM messages m
JOIN conversations c ON c.conversation_id = m.conversation_id
LEFT JOIN handles h ON h.handle_id = m.handle_id
LEFT JOIN people p ON p.person_id = h.person_id
ORDER BY m.ts_ms, m.conversation_id, m.seq
"""
"""Every message with its chat, sender and both clocks, oldest first."""

_COPY_OPTIONS = {"csv": "FORMAT csv, HEADER", "jsonl": "FORMAT json", "parquet": "FORMAT parquet"}


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def messages_table(store: Store) -> pa.Table:
    """The flat messages table as Arrow."""
    return store.arrow(MESSAGES_SQL)


def write_messages(store: Store, out: Path, fmt: str) -> int:
    """Write the flat messages table to the file ``out``; return how many messages."""
    out.parent.mkdir(parents=True, exist_ok=True)
    store.execute(f"COPY ({MESSAGES_SQL}) TO '{_sql_path(out)}' ({_COPY_OPTIONS[fmt]})")
    return int(store.query("SELECT count(*) FROM messages")[0][0])


def stream_messages(table: pa.Table, fmt: str, stream: IO[bytes]) -> None:
    """Write an Arrow messages table as CSV or JSON lines to a binary stream."""
    if fmt == "csv":
        import pyarrow.csv as pacsv

        pacsv.write_csv(table, stream)
        return
    for row in table.to_pylist():
        stream.write((json.dumps(row, ensure_ascii=False, default=json_default) + "\n").encode())


def json_default(value: Any) -> str:
    """Dates and times as ISO 8601 in JSON; anything else as its text."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def export_corpus_tables(store: Store, out: Path) -> list[Path]:
    """Write each corpus table to ``out/<table>.parquet``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in CORPUS_TABLES:
        path = out / f"{table}.parquet"
        store.execute(f"COPY (SELECT * FROM {table}) TO '{_sql_path(path)}' (FORMAT parquet)")
        written.append(path)
    return written


__all__ = [
    "CORPUS_TABLES",
    "MESSAGES_SQL",
    "MESSAGE_FORMATS",
    "export_corpus_tables",
    "messages_table",
    "stream_messages",
    "write_messages",
]
