"""``fondly import``: read exports into the store, then compute message features."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console

    from fondly.features.semantic import Embedder
    from fondly.store import Store

from fondly.cli._common import echo_json, open_store, prepare_reports, stderr_console
from fondly.cli.features_cmd import SEMANTIC_HELP, reading
from fondly.progress import bar


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--me", help="Your name as it appears in the export (fondly infers it when it can).")
@click.option(
    "--tz", help="Time zone of exports that carry only wall-clock times (default: this machine's)."
)
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy", "ymd"]),
    help="Date order of WhatsApp headers, when the file cannot tell.",
)
@click.option(
    "--chat", "chats", multiple=True, help="For multi-chat exports: only these chats (repeatable)."
)
@click.option(
    "--format", "only", help="Skip detection and read with this importer (see `fondly formats`)."
)
@click.option(
    "--no-features",
    is_flag=True,
    help="Skip the message-features phase (run `fondly features` later).",
)
@click.option("--semantic/--lexical", default=None, help=SEMANTIC_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print what was imported as JSON.")
@click.pass_context
def import_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    me: str | None,
    tz: str | None,
    date_order: str | None,
    chats: tuple[str, ...],
    only: str | None,
    no_features: bool,
    semantic: bool | None,
    as_json: bool,
) -> None:
    """Import chat exports (files, folders or zips) into the store.

    The format is recognised from the content. Importing the same file again adds
    nothing; a newer export of the same chat adds only the new messages. Any error
    leaves the store exactly as it was.

    \b
    Example:
        fondly import "WhatsApp Chat with Sam.txt" --me Alex --tz Europe/Berlin
        fondly import ~/Downloads/exports/
        fondly import chat.txt --semantic   # needs: pip install 'fondly[semantic]'
    """
    from fondly._errors import UsageError
    from fondly.importers import ImportOptions
    from fondly.ingest import import_paths, local_zone_name

    zone = tz or local_zone_name()
    _check_zone(zone, UsageError)
    if semantic is not None and no_features:
        raise UsageError(
            "--semantic and --lexical choose how features are read: drop --no-features"
        )
    options = ImportOptions(tz=zone, date_order=date_order, chats=list(chats), me=me)
    err = stderr_console()
    embedder = None if no_features else reading(ctx, semantic, err)
    with open_store(ctx) as store:
        with bar(err, "importing", unit="messages") as advance:
            summary = import_paths(
                store,
                paths,
                options,
                progress=advance,
                only=only,
                tz_assumed=tz is None,
            )
        n_features = 0
        if not no_features and summary.added:
            n_features = _run_features(store, err, embedder)
            prepare_reports(store, err)
    if as_json:
        echo_json(
            {
                "imports": [r.__dict__ for r in summary.results],
                "me": summary.me,
                "timezone": summary.timezone,
                "features_computed": n_features,
            }
        )
        return
    for r in summary.results:
        if r.already_imported:
            err.print(f"[yellow]already imported[/]: {r.source} (nothing added)")
        else:
            err.print(
                f"{r.source}: {r.format}, {r.conversations} chat(s), "
                f"{r.seen:,} messages read, [bold]{r.added:,} new[/]"
            )
    if summary.tz_assumed and summary.added:
        err.print(f"times without a zone were read as {summary.timezone} (change with --tz)")
    if summary.me:
        err.print(f"you are [bold]{summary.me}[/]")
    else:
        err.print("fondly could not tell which person is you: run `fondly me NAME`")


def _run_features(store: Store, err: Console, embedder: Embedder | None = None) -> int:
    """The second phase of an import: per-message features, with their own progress bar."""
    try:
        from fondly.features import update_store  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # the features layer is optional while it is being built
        return 0
    with bar(err, "features") as advance:
        return int(update_store(store, progress=advance, embedder=embedder))


def _check_zone(zone: str, error: type[Exception]) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise error(f"unknown time zone {zone!r}; use an IANA name such as Europe/Berlin") from None


COMMANDS = [import_command]
