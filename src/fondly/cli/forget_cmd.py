"""``fondly forget``: take back an import or a whole chat."""

from __future__ import annotations

import click

from fondly.cli._common import facade, stderr_console, stdout_console


@click.command("forget")
@click.argument("what", nargs=-1)
@click.option(
    "--chat",
    "as_chat",
    is_flag=True,
    help="WHAT names chats (id or title from `fondly chats`), not imports.",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def forget_command(ctx: click.Context, what: tuple[str, ...], as_chat: bool, yes: bool) -> None:
    """Remove an import (by file or id) or a chat, with everything derived from it.

    Messages, their features and reactions go, then chats, handles and people
    left without any; reports are prepared again. One transaction: interrupted,
    nothing is removed. Without WHAT, lists the imports with their ids.

    \b
    Example:
        fondly forget
        fondly forget "WhatsApp Chat with Sam.txt"
        fondly forget --chat "Trip: Lisbon" --yes
    """
    from fondly._display import markup

    err = stderr_console()
    if not what:
        _list_imports(ctx)
        return
    fondly = facade(ctx)
    names = {"chats": what} if as_chat else {"imports": what}
    plan = fondly.forget(**names, dry_run=True)
    subject = f"{plan.conversations} chat(s)" if as_chat else f"{plan.imports} import(s)"
    if not yes:
        click.confirm(f"Forget {subject} and {plan.messages:,} message(s)?", abort=True, err=True)
    with err.status("forgetting and preparing reports"):
        done = fondly.forget(**names)
    err.print(
        f"forgot {markup(subject)}: {done.messages:,} message(s), "
        f"{done.conversations} chat(s) and {done.people} person(s) left without messages"
    )


def _list_imports(ctx: click.Context) -> None:
    from rich.table import Table

    from fondly._display import markup

    table = Table("id", "file", "format", "imported", "messages added", box=None)
    table.columns[1].overflow = "fold"
    for i in facade(ctx).imports():
        table.add_row(
            str(i.import_id),
            markup(i.file_path),
            i.format,
            i.imported_at[:16],
            f"{i.messages_added:,}",
        )
    stdout_console().print(table)


COMMANDS = [forget_command]
