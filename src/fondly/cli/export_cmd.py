"""``fondly export``: take the data out again, as files other tools read.

Two exports: ``messages`` (one flat table, readable by a spreadsheet or pandas)
and ``corpus`` (the store tables the metrics read, as Parquet, so the same
metric registry can run on Spark over stores too big for one laptop). The
store is opened read-only: an export never changes it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fondly._errors import UsageError
from fondly.cli._common import facade, stderr_console, store_key


def _say_plain(ctx: click.Context) -> None:
    """An export of an encrypted store is plain files: say so, on stderr, once."""
    if store_key(ctx):
        stderr_console().print(
            "note: the store is encrypted, the exported files are not: keep them as private",
            highlight=False,
        )


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
    fondly = facade(ctx)
    _say_plain(ctx)
    if out is not None:
        fondly.export(out, format=fmt)
        n = fondly.messages().num_rows
        stderr_console().print(f"exported {n:,} message(s) to {out}")
        return
    from fondly.export import stream_messages

    stream_messages(fondly.messages(), fmt, sys.stdout.buffer)
    sys.stdout.buffer.flush()


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
    `pip install 'fondly[spark]'`. The Parquet files are plain even when the store
    is encrypted (Spark reads them as they are).

    \b
    Example:
        fondly export corpus --format parquet --out corpus/
    """
    written = facade(ctx).export(out, what="corpus")
    _say_plain(ctx)
    stderr_console().print(f"exported {len(written)} tables to {out}/")


COMMANDS: list[click.Command] = [export_group]
