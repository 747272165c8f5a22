"""``fondly report``: the scorecard for one relationship, or an overview of all of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from fondly._errors import UsageError
from fondly.cli._common import echo_json, json_option, stderr_console, stdout_console


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
    help="Replace names, phone numbers, e-mail addresses, links and places everywhere.",
)
@click.option(
    "--gap-minutes",
    default=120,
    show_default=True,
    type=click.IntRange(min=5),
    help="The silence that separates two conversations.",
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
    from fondly.insights import build_insights, make_redactor, redact_metrics
    from fondly.metrics import compute
    from fondly.metrics._compute import steps
    from fondly.progress import bar

    with _open(ctx) as store, bar(stderr_console(), "report", total=steps() + 1) as advance:
        me = store.query("SELECT person_id FROM people WHERE is_me")
        if not me:
            raise UsageError("fondly does not know which person is you: run `fondly me NAME`")
        people = _resolve(store, target) if target else None
        if people is not None and len(people) == 1:
            result = compute(store, people[0], gap_minutes=gap_minutes, progress=advance)
        else:
            result = compute(store, gap_minutes=gap_minutes, progress=advance)
            if people is not None:
                keep = set(people)
                result["relationships"] = [
                    r for r in result["relationships"] if r["person"]["person_id"] in keep
                ]
        if target and not result["relationships"]:
            raise UsageError(f"no one-to-one messages with {target!r} yet")
        insights = build_insights(result, store, redact=redact, charts=html_path is not None)
        redactor = make_redactor(store, enabled=redact)
        advance(1)
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
        echo_json(redact_metrics(result, redactor) | {"insights": insights})
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


def _open(ctx: click.Context) -> Any:
    """The store, read-only; a missing store is a one-line hint, not an empty report."""
    from fondly.store import Store, default_db_path

    path = Path((ctx.obj or {}).get("db") or default_db_path())
    if not path.exists():
        raise UsageError(
            f"no fondly store at {path} yet: import a chat first (fondly import EXPORT --me NAME)"
        )
    return Store(path, read_only=True)


def _resolve(store: Any, target: str) -> list[int]:
    """The people a target names: one person, or the others in a chat."""
    from fondly.people import find_person

    try:
        return [find_person(store, target)]
    except UsageError as person_error:
        rows = store.query(
            """
            SELECT DISTINCT h.person_id FROM conversations c
            JOIN conversation_members cm USING (conversation_id)
            JOIN handles h ON h.handle_id = cm.handle_id
            JOIN people p ON p.person_id = h.person_id AND NOT p.is_me
            WHERE lower(c.title) = lower(?) OR CAST(c.conversation_id AS TEXT) = ?
            ORDER BY h.person_id
            """,
            [target, target],
        )
        if not rows:
            raise UsageError(
                f"no person or chat matches {target!r}; see `fondly people` and `fondly chats`"
            ) from None
        if "matches" in str(person_error) and "people" in str(person_error) and len(rows) > 1:
            raise person_error from None
        return [int(r[0]) for r in rows]


COMMANDS = [report_command]
