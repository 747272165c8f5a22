"""``fondly report``: the scorecard for one relationship, or an overview of all of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from fondly._defaults import DEFAULT_GAP_MINUTES
from fondly._errors import UsageError
from fondly.cli._common import echo_json, facade, json_option, stderr_console, stdout_console


@click.command("report")
@click.argument("target", required=False)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML report (works offline, no network).",
)
@json_option
@click.option(
    "--redact",
    is_flag=True,
    help="Safe to share: hide names, phone numbers, e-mail addresses, links and places, "
    "describe messages instead of quoting them, and show dates as months.",
)
@click.option(
    "--gap-minutes",
    default=DEFAULT_GAP_MINUTES,
    show_default=True,
    type=click.IntRange(min=5),
    help="The shortest silence that separates two conversations; a pair that answers "
    "slowly gets a longer one, up to 8 h (docs/metrics.md).",
)
@click.pass_context
def report_command(
    ctx: click.Context,
    target: str | None,
    html_path: Path | None,
    as_json: bool,
    redact: bool,
    gap_minutes: int,
) -> None:
    """How a relationship is going: scorecard, missing index and suggestions.

    TARGET is a person (name, handle or id from `fondly people`) or a chat (title or
    id from `fondly chats`). Without TARGET, all your relationships are ranked by
    closeness and change. Every suggestion names the signal behind it, the messages
    that show it and the study it comes from.

    \b
    Example:
        fondly report Sam
        fondly report Sam --html sam.html --redact
        fondly report --json > everything.json
    """
    from fondly.people import find_people
    from fondly.progress import bar, steps

    with _open(ctx) as store:
        if not store.query("SELECT person_id FROM people WHERE is_me"):
            raise UsageError(_me_unknown(store))
        people = find_people(store, target) if target else None
        without_me = None if target else _chats_without_me(store, redact=redact)
    with steps(stderr_console()) as step:
        report = facade(ctx, gap_minutes=gap_minutes).report(
            people, redact=redact, charts=html_path is not None, progress=step("report", "steps")
        )
    if target and not report.relationships:
        with _open(ctx) as store:
            raise UsageError(_no_messages_hint(store, target, people))
    insights = report.insights
    single = bool(target) and len(insights["relationships"]) == 1
    if html_path is not None:
        from fondly.report.html import write_overview, write_person

        with bar(stderr_console(), "writing the HTML report", total=1) as advance:
            if single:
                write_person(insights["relationships"][0], html_path, insights=insights)
            else:
                write_overview(insights, html_path)
            advance(1)
        stderr_console().print(f"HTML report: {html_path}", highlight=False)
    if as_json:
        echo_json(report.to_dict())
        _say_without_me(without_me)
        return
    from fondly.report.terminal import render_overview, render_person

    console = stdout_console()
    # The report is laid out for 100 columns: narrower terminals get what fits, and
    # files or pipes (where Rich would assume 80) get the full layout.
    console.width = min(console.width, 100) if console.is_terminal else 100
    if single:
        render_person(insights["relationships"][0], console)
    else:
        render_overview(insights, console)
    _say_without_me(without_me)


def _say_without_me(line: str | None) -> None:
    """The chats-without-"me" line, on stderr, after the report it qualifies."""
    if line:
        from fondly._display import markup

        stderr_console().print(markup(line), highlight=False)


def _open(ctx: click.Context) -> Any:
    """The store, read-only; a missing store is a one-line hint, not an empty report."""
    from fondly.cli._common import open_store
    from fondly.store import default_db_path

    path = Path((ctx.obj or {}).get("db") or default_db_path())
    if not path.exists():
        raise UsageError(
            f"no fondly store at {path} yet: import a chat first (fondly import EXPORT --me NAME)"
        )
    return open_store(ctx, read_only=True)


def _me_unknown(store: Any) -> str:
    """Why a report needs "me", with the names found and the command to run."""
    from fondly.people import people_names

    names = people_names(store, 8)
    if not names:
        return "no person is marked as you yet: run `fondly me NAME`"
    example = names[0] if " " not in names[0] else f'"{names[0]}"'
    return (
        f"no person is marked as you yet (names found: {', '.join(names)}): "
        f"run `fondly me NAME`, for example `fondly me {example}`"
    )


def _chats_without_me(store: Any, *, redact: bool = False) -> str | None:
    """One line when some chats have no member marked as you, with the command to fix it.

    Such chats are left out of the overview: the user wrote there under a name
    not joined to "me" (an Instagram handle, an old number). The writer found in
    every one of them, when there is one and there are at least two such chats,
    is most likely that name and is offered for ``fondly people merge``.
    """
    rows = store.query(
        """
        WITH lonely AS (
            SELECT c.conversation_id FROM conversations c
            WHERE NOT EXISTS (
                SELECT 1 FROM conversation_members cm
                JOIN handles h ON h.handle_id = cm.handle_id
                JOIN people p ON p.person_id = h.person_id
                WHERE cm.conversation_id = c.conversation_id AND p.is_me
            )
        )
        SELECT (SELECT count(*) FROM lonely) AS chats, p.name, count(DISTINCT l.conversation_id)
        FROM lonely l
        JOIN conversation_members cm ON cm.conversation_id = l.conversation_id
        JOIN handles h ON h.handle_id = cm.handle_id
        JOIN people p ON p.person_id = h.person_id
        GROUP BY p.person_id, p.name
        ORDER BY 3 DESC, p.name
        LIMIT 2
        """
    )
    if not rows:
        return None
    chats = int(rows[0][0])
    me = str(store.query("SELECT name FROM people WHERE is_me")[0][0])
    name = "NAME"
    in_all = [r for r in rows if int(r[2]) == chats]
    if chats >= 2 and len(in_all) == 1 and not redact:
        name = f'"{in_all[0][1]}"'
    who = "ME" if redact else f'"{me}"'
    return (
        f"{chats} chat(s) have no one marked as you and are left out; if you wrote there "
        f"under another name, join it to you: fondly people merge {who} {name}"
    )


def _no_messages_hint(store: Any, target: str, people: list[int] | None) -> str:
    """Why a person has no one-to-one messages under the current "me", and what to do.

    The usual cause is that in their chats the user writes under another name (an
    Instagram handle, an old number) that is not joined to "me": the other writer
    in those two-person chats is offered for ``fondly people merge``.
    """
    rows = store.query(
        """
        WITH theirs AS (
            SELECT DISTINCT cm.conversation_id FROM conversation_members cm
            JOIN handles h USING (handle_id) WHERE list_contains(?, h.person_id)
        )
        SELECT DISTINCT p.name FROM theirs t
        JOIN conversation_members cm ON cm.conversation_id = t.conversation_id
        JOIN handles h ON h.handle_id = cm.handle_id
        JOIN people p ON p.person_id = h.person_id
        WHERE NOT p.is_me AND NOT list_contains(?, p.person_id)
        ORDER BY p.name LIMIT 3
        """,
        [people or [], people or []],
    )
    me = store.query("SELECT name FROM people WHERE is_me")
    if rows and me:
        other = rows[0][0]
        return (
            f"no one-to-one messages with {target!r} where you are {me[0][0]!r}; if you wrote "
            f"there as {other!r}, join that name to you: fondly people merge "
            f'"{me[0][0]}" "{other}"'
        )
    return f"no one-to-one messages with {target!r} yet"


COMMANDS = [report_command]
