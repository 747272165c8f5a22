"""``fondly forget``: take back an import or a whole chat."""

from __future__ import annotations

import click

from fondly.cli._common import open_store, prepare_reports, stderr_console, stdout_console


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
    from fondly._errors import UsageError
    from fondly.forget import find_conversations, find_imports, forget, preview

    err = stderr_console()
    if not what:
        _list_imports(ctx)
        return
    with open_store(ctx) as store:
        imports: list[int] = []
        chats: list[int] = []
        for name in what:
            found = find_conversations(store, name) if as_chat else find_imports(store, name)
            if not found:
                kind = "chat" if as_chat else "import"
                where = "`fondly chats`" if as_chat else "the file path as imported or its id"
                raise UsageError(f"no {kind} matches {name!r}; use {where}")
            (chats if as_chat else imports).extend(found)
        plan = preview(store, imports=imports, conversations=chats)
        subject = f"{len(chats)} chat(s)" if as_chat else f"{len(imports)} import(s)"
        if not yes:
            click.confirm(
                f"Forget {subject} and {plan.messages:,} message(s)?", abort=True, err=True
            )
        done = forget(store, imports=imports, conversations=chats)
        if done.messages or done.conversations:
            prepare_reports(store, err)
    err.print(
        f"forgot {markup(subject)}: {done.messages:,} message(s), "
        f"{done.conversations} chat(s) and {done.people} person(s) left without messages"
    )


def _list_imports(ctx: click.Context) -> None:
    from rich.table import Table

    from fondly._display import markup

    with open_store(ctx, read_only=True) as store:
        rows = store.query(
            "SELECT import_id, file_path, format, imported_at, n_messages_added "
            "FROM imports ORDER BY import_id"
        )
    table = Table("id", "file", "format", "imported", "messages added", box=None)
    table.columns[1].overflow = "fold"
    for import_id, path, fmt, when, added in rows:
        table.add_row(str(import_id), markup(path), fmt, str(when)[:16], f"{added:,}")
    stdout_console().print(table)


COMMANDS = [forget_command]
