"""``fondly import``: read exports into the store, then compute message features."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console

    from fondly.api import ImportReport

from fondly.cli._common import echo_json, encryption_key, facade, stderr_console
from fondly.cli.features_cmd import SEMANTIC_HELP, reading
from fondly.progress import steps


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False, path_type=Path))
@click.option("--me", help="Your name as it appears in the export (fondly infers it when it can).")
@click.option(
    "--tz", help="Time zone of exports that carry only wall-clock times (default: this machine's)."
)
@click.option(
    "--date-order",
    "date_orders",
    multiple=True,
    metavar="[FILE=]ORDER",
    help="Date order (dmy, mdy, ymd) of WhatsApp headers when a file cannot tell; "
    "FILE=ORDER sets it for one file only (repeatable).",
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
@click.option(
    "--replace",
    is_flag=True,
    help="Read files imported before again (e.g. with another --tz or --date-order), "
    "replacing what they added.",
)
@click.option("--semantic/--lexical", default=None, help=SEMANTIC_HELP)
@click.option(
    "--encrypt",
    is_flag=True,
    help="Keep the store encrypted (key from FONDLY_KEY, or asked for); an existing plain "
    "store is encrypted in place. Every later command then needs the key (FONDLY_KEY, or "
    "asked for once).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was imported as JSON.")
@click.pass_context
def import_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    me: str | None,
    tz: str | None,
    date_orders: tuple[str, ...],
    chats: tuple[str, ...],
    only: str | None,
    no_features: bool,
    replace: bool,
    semantic: bool | None,
    encrypt: bool,
    as_json: bool,
) -> None:
    """Import chat exports (files, folders or zips) into the store.

    The format is recognised from the content. Importing the same file again adds
    nothing (--replace reads it again); a newer export of the same chat adds only
    the new messages. Each file is imported on its own: a file that cannot be read
    leaves the store as it was and is reported, the others are imported, and the
    exit status is 2 when any file failed.

    \b
    Example:
        fondly import "WhatsApp Chat with Sam.txt" --me Alex --tz Europe/Berlin
        fondly import ~/Downloads/exports/ --date-order "WhatsApp Chat with Kim.txt=mdy"
        fondly import chat.txt --semantic   # needs: pip install 'fondly[semantic]'
        FONDLY_KEY=... fondly import chat.txt --encrypt
    """
    from fondly._errors import InputError, UsageError

    for path in paths:  # one line, not Click's usage block (a broken link, a typo)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder (or a link that leads nowhere)")
    if tz is not None:
        _check_zone(tz, UsageError)
    if semantic is not None and no_features:
        raise UsageError(
            "--semantic and --lexical choose how features are read: drop --no-features"
        )
    date_order, per_file = _date_orders(date_orders, UsageError)
    err = stderr_console()
    # Before anything opens the store: --encrypt may first have to encrypt it.
    if encrypt:
        encryption_key(ctx, err)
    fondly = facade(ctx)
    embedder = None if no_features else reading(fondly, semantic, err)
    with steps(err) as step:
        summary = fondly.import_(
            paths,
            me=me,
            tz=tz,
            date_order=date_order,
            date_orders=per_file,
            chats=chats,
            only=only,
            replace=replace,
            features=not no_features,
            semantic=embedder is not None,
            embedder=embedder,
            reading=step("importing", "bytes"),
            features_progress=step("features", "messages"),
            preparing=step("preparing reports", "units"),
            debug=bool((ctx.obj or {}).get("debug")),
        )
    if len(summary.files) == 1 and summary.files[0].error and not as_json:
        # One file that failed: its one-line error is the whole answer.
        raise InputError(summary.files[0].error)
    if as_json:
        echo_json(summary.to_dict())
    else:
        print_summary(err, summary)
    if summary.failed:
        ctx.exit(2)


def print_summary(err: Console, summary: ImportReport) -> None:
    """One line for one file, else a table of files; then notes, failures and who is "me"."""
    from rich.table import Table

    from fondly._display import markup

    results = summary.files
    if len(results) == 1 and not results[0].skipped:
        r = results[0]
        if r.already_imported:
            err.print(f"[yellow]already imported[/]: {markup(r.source)} (nothing added)")
        else:
            err.print(
                f"{markup(r.source)}: {r.format}, {r.chats} chat(s), "
                f"{r.seen:,} messages read, [bold]{r.added:,} new[/]"
            )
    elif results:
        root = _common_folder([r.source for r in results])
        if root:
            err.print(f"in {markup(root)}:")
        table = Table(show_edge=False, pad_edge=False)
        for column in ("file", "format", "chats", "new", "known", "status"):
            table.add_column(
                column, justify="right" if column in ("chats", "new", "known") else "left"
            )
        for r in results:
            name = markup(r.source[len(root) :] if root else r.source)
            if r.error is not None:
                status = f"[red]failed[/]: {markup(_reason(r.error, r.source))}"
                table.add_row(name, r.format, "", "", "", status)
            elif r.skipped is not None:
                table.add_row(
                    name, "", "", "", "", f"skipped: {markup(_reason(r.skipped, r.source))}"
                )
            elif r.already_imported:
                table.add_row(name, r.format, "", "", "", "already imported")
            else:
                table.add_row(
                    name, r.format, str(r.chats), f"{r.added:,}",
                    f"{r.seen - r.added:,}", "imported",
                )  # fmt: skip
        err.print(table)
    for r in results:
        for note in r.notes:
            if not note.endswith("(from the dates)"):
                err.print(f"{markup(r.source)}: {markup(note)}")
        if r.unread:
            shown = ", ".join(markup(u) for u in r.unread[:5])
            more = f" and {len(r.unread) - 5} more" if len(r.unread) > 5 else ""
            err.print(
                f"[yellow]{len(r.unread)} line(s) looked like messages but could not be read[/] "
                f"(their text was kept in the message before): {shown}{more}"
            )
        if r.not_utf8_count:
            shown = ", ".join(markup(u) for u in r.not_utf8[:5])
            more = f" and {r.not_utf8_count - 5} more" if r.not_utf8_count > 5 else ""
            err.print(
                f"[yellow]{r.not_utf8_count} line(s) had bytes that are not UTF-8 text[/] "
                f"(imported, with � for the bad bytes): {shown}{more}"
            )
    failed = summary.failed
    if failed and len(results) > 1:
        err.print(
            f"[red]{len(failed)} of {len(results)} file(s) failed[/]; the others were imported"
        )
    if summary.tz_assumed and summary.added:
        err.print(f"times without a zone were read as {summary.timezone} (change with --tz)")
    if summary.me:
        err.print(f"you are [bold]{markup(summary.me)}[/]")
        for hint in summary.probably_me:
            person_id, name, why = hint["person_id"], hint["name"], hint["why"]
            err.print(
                f"{markup(name)} is probably you too ({markup(why)}): if so, run "
                f'`fondly people merge "{markup(summary.me)}" {person_id}`'
            )
    elif summary.added:
        err.print(me_unknown_hint(summary.me_candidates))


def _common_folder(sources: list[str]) -> str:
    """The folder every source lies in (ending with a separator), or ``""``."""
    import os

    if len(sources) < 2:
        return ""
    # Character-wise on purpose: "archive.zip!member" is not a path to split.
    prefix = os.path.commonprefix(sources)  # noqa: RUF071
    cut = max(prefix.rfind("/"), prefix.rfind(os.sep), prefix.rfind("!"))
    return prefix[: cut + 1] if cut > 0 else ""


def me_unknown_hint(names: list[str]) -> str:
    """What to do when fondly cannot tell which person is the user (Rich markup)."""
    from fondly._display import markup

    if not names:
        return "fondly could not tell which person is you: run `fondly me NAME`"
    listed = ", ".join(markup(n) for n in names[:8])
    more = f" and {len(names) - 8} more" if len(names) > 8 else ""
    example = markup(names[0] if " " not in names[0] else f'"{names[0]}"')
    return (
        f"fondly could not tell which person is you; the names found are {listed}{more}. "
        f"Run `fondly me NAME`, for example `fondly me {example}`"
    )


def _reason(message: str, source: str) -> str:
    """An error's reason without the file name the table already shows."""
    if message.startswith(f"{source}: "):
        return message[len(source) + 2 :]
    if message.startswith(f"{source}:"):
        where, _, reason = message[len(source) + 1 :].partition(": ")
        if not reason:
            return where
        # A number is a line; JSON exports are located by record ("messages[3]").
        return f"{'line ' if where.isdigit() else 'at '}{where}: {reason}"
    return message


def _date_orders(
    values: tuple[str, ...], error: type[Exception]
) -> tuple[str | None, dict[str, str]]:
    """``--date-order`` values: one ORDER for every file, or FILE=ORDER for one."""
    everyone: str | None = None
    per_file: dict[str, str] = {}
    for value in values:
        name, sep, order = value.rpartition("=")
        order = order.strip().lower()
        if order not in ("dmy", "mdy", "ymd"):
            raise error(f"--date-order {value!r}: the order is dmy, mdy or ymd")
        if sep:
            per_file[name] = order
            per_file.setdefault(str(Path(name).expanduser().resolve()), order)
        else:
            everyone = order
    return everyone, per_file


def _check_zone(zone: str, error: type[Exception]) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise error(f"unknown time zone {zone!r}; use an IANA name such as Europe/Berlin") from None


COMMANDS = [import_command]
