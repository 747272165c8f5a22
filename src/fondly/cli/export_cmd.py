"""``fondly export``: take the data out again, as files other tools read.

Two exports: ``messages`` (one flat table, readable by a spreadsheet or pandas)
and ``corpus`` (the store tables the metrics read, as Parquet, so the same
metric registry can run on Spark over stores too big for one laptop). The
store is opened read-only: an export never changes it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from fondly._errors import UsageError
from fondly.cli._common import open_store, stderr_console

CORPUS_TABLES = (
    "messages",
    "handles",
    "people",
    "conversations",
    "conversation_members",
    "message_features",
)
"""What ``export corpus`` writes: the tables fondly.metrics reads, plus chat membership."""

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


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


@click.group("export")
def export_group() -> None:
    """Export messages or the whole corpus to CSV, JSON lines or Parquet.

    \b
    Example:
        fondly export messages --format csv --out messages.csv
        fondly export corpus --format parquet --out corpus/
    """


@export_group.command("messages")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "parquet"]),
    default="csv",
    show_default=True,
    help="File format.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default: standard output; required for parquet).",
)
@click.pass_context
def export_messages(ctx: click.Context, fmt: str, out: Path | None) -> None:
    """Every message with its chat, sender and both clocks, oldest first.

    `ts_utc` is the instant; `ts_local` the wall clock the sender saw. The
    output holds message text: keep it as private as the chats themselves.

    \b
    Example:
        fondly export messages --format jsonl > messages.jsonl
        fondly export messages --format parquet --out messages.parquet
    """
    if fmt == "parquet" and out is None:
        raise UsageError("--format parquet needs --out FILE (Parquet is not written to a terminal)")
    with open_store(ctx, read_only=True) as store:
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            options = {
                "csv": "FORMAT csv, HEADER",
                "jsonl": "FORMAT json",
                "parquet": "FORMAT parquet",
            }
            store.execute(f"COPY ({MESSAGES_SQL}) TO '{_sql_path(out)}' ({options[fmt]})")
            n = store.query("SELECT count(*) FROM messages")[0][0]
            stderr_console().print(f"exported {n:,} message(s) to {out}")
            return
        table = store.arrow(MESSAGES_SQL)
    if fmt == "csv":
        import pyarrow.csv as pacsv

        pacsv.write_csv(table, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        for row in table.to_pylist():
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@export_group.command("corpus")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet"]),
    default="parquet",
    show_default=True,
    help="File format (Parquet, what Spark reads).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write <table>.parquet files into (created if needed).",
)
@click.pass_context
def export_corpus(ctx: click.Context, fmt: str, out: Path) -> None:
    """The tables the metrics read, one Parquet file each, for running metrics on Spark.

    Writes messages, handles, people, conversations, conversation_members and
    message_features. `fondly.metrics` runs the same SQL on them with
    `pip install 'fondly[spark]'`.

    \b
    Example:
        fondly export corpus --format parquet --out corpus/
    """
    with open_store(ctx, read_only=True) as store:
        export_corpus_tables(store, out)
    stderr_console().print(f"exported {len(CORPUS_TABLES)} tables to {out}/")


def export_corpus_tables(store: Any, out: Path) -> list[Path]:
    """Write each corpus table to ``out/<table>.parquet``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in CORPUS_TABLES:
        path = out / f"{table}.parquet"
        store.execute(f"COPY (SELECT * FROM {table}) TO '{_sql_path(path)}' (FORMAT parquet)")
        written.append(path)
    return written


COMMANDS: list[click.Command] = [export_group]
