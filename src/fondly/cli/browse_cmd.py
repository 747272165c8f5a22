"""Looking around the store: ``fondly chats``, ``fondly people`` and ``fondly me``."""

from __future__ import annotations

import click

from fondly.cli._common import (
    CONTEXT_SETTINGS,
    echo_json,
    facade,
    json_option,
    open_store,
    stderr_console,
    stdout_console,
)


@click.command("chats")
@json_option
@click.pass_context
def chats_command(ctx: click.Context, as_json: bool) -> None:
    """List the imported chats with their platform, size and time span.

    \b
    Example:
        fondly chats --json
    """
    rows = [c.to_dict() for c in facade(ctx).chats()]
    if as_json:
        echo_json(rows)
        return
    from rich.table import Table

    from fondly._display import markup

    table = Table("id", "platform", "chat", "group", "messages", "from", "to", box=None)
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["platform"],
            markup(r["title"]),
            "yes" if r["is_group"] else "",
            f"{r['messages']:,}",
            str(r["first"]),
            str(r["last"]),
        )
    stdout_console().print(table)


@click.group("people", invoke_without_command=True, context_settings=CONTEXT_SETTINGS)
@json_option
@click.pass_context
def people_command(ctx: click.Context, as_json: bool) -> None:
    """List the people in your chats, across every app; merge or split them.

    \b
    Example:
        fondly people
        fondly people suggest
        fondly people merge "Sam Taylor" "sam.t"
    """
    if ctx.invoked_subcommand is not None:
        return
    rows = [p.to_dict() for p in facade(ctx).people()]
    if as_json:
        echo_json(rows)
        return
    from rich.table import Table

    from fondly._display import markup

    table = Table("id", "name", "me", "apps", "messages", box=None)
    for r in rows:
        table.add_row(
            str(r["person_id"]),
            markup(r["name"]),
            "me" if r["is_me"] else "",
            str(r["platforms"]),
            f"{r['messages']:,}",
        )
    stdout_console().print(table)


@people_command.command("suggest")
@json_option
@click.pass_context
def people_suggest(ctx: click.Context, as_json: bool) -> None:
    """Suggest people on different apps who are probably one person.

    \b
    Example:
        fondly people suggest
    """
    found = facade(ctx).suggest_merges()
    if as_json:
        echo_json([s.__dict__ for s in found])
        return
    if not found:
        click.echo("no merge suggestions")
    from fondly._display import plain

    for s in found:
        click.echo(
            f"{plain(s.a_name)} ({s.a})  +  {plain(s.b_name)} ({s.b})   {plain(s.reason)}: "
            f"fondly people merge {s.a} {s.b}"
        )


@people_command.command("merge")
@click.argument("keep")
@click.argument("other")
@click.pass_context
def people_merge(ctx: click.Context, keep: str, other: str) -> None:
    """Treat OTHER as the same person as KEEP (undo with `fondly people split KEEP`).

    \b
    Example:
        fondly people merge Sam "Sam T."
    """
    with stderr_console().status("preparing reports"):
        name = facade(ctx).merge(keep, other)
    from fondly._display import plain

    click.echo(f"merged into {plain(name)}", err=True)


@people_command.command("split")
@click.argument("person")
@click.pass_context
def people_split(ctx: click.Context, person: str) -> None:
    """Undo merges: give each of PERSON's handles back its own person.

    \b
    Example:
        fondly people split Sam
    """
    with stderr_console().status("preparing reports"):
        names = facade(ctx).split(person)
    from fondly._display import plain

    click.echo("split into: " + ", ".join(plain(n) for n in names), err=True)


@click.command("me")
@click.argument("name", required=False)
@json_option
@click.pass_context
def me_command(ctx: click.Context, name: str | None, as_json: bool) -> None:
    """Show or set which person is you (NAME as it appears in your chats).

    \b
    Example:
        fondly me "Alex Morgan"
    """
    from fondly._display import plain

    mine = """
        SELECT h.platform || ':' || h.handle FROM handles h JOIN people p USING (person_id)
        WHERE p.is_me ORDER BY 1
    """
    with open_store(ctx, read_only=name is None) as store:
        before_row = store.query("SELECT name FROM people WHERE is_me")
        before = before_row[0][0] if before_row else None
        handles_before = [r[0] for r in store.query(mine)]
    if name:
        with stderr_console().status("preparing reports"):
            facade(ctx).set_me(name)
    with open_store(ctx, read_only=True) as store:
        row = store.query("SELECT name FROM people WHERE is_me")
        handles = [r[0] for r in store.query(mine)]
    me = row[0][0] if row else None
    if as_json:
        echo_json({"me": me, "handles": handles})
    elif me:
        click.echo(plain(me))
        if name:
            # Say what changed: a name is easy to mistype, and other handles may follow it.
            if before is None:
                was = "before: not set"
            else:
                was = f"before: {plain(before)}" if before != me else "unchanged"
            added = [h for h in handles if h not in handles_before]
            click.echo(
                f"you are {plain(me)} ({was}); your handles: "
                + ", ".join(plain(h) for h in handles)
                + (f" ({len(added)} new)" if added and handles_before else ""),
                err=True,
            )
    else:
        click.echo("not set: run `fondly me NAME`", err=True)


@click.command("formats")
@json_option
def formats_command(as_json: bool) -> None:
    """List the export formats fondly reads.

    \b
    Example:
        fondly formats
    """
    from fondly.importers import all_importers

    rows = [{"name": i.name, "description": i.description} for i in all_importers()]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['name']:<10} {r['description']}")


COMMANDS = [chats_command, people_command, me_command, formats_command]
