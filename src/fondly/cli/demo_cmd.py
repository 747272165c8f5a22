"""``fondly demo``: the whole pipeline on a seeded, invented year of chats.

The demo goes through exactly the path a user's data takes (WhatsApp export
files on disk, detection, import, features, metrics, report), so it doubles as
an end-to-end check. It never touches the user's own store: everything lives in
its own folder.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from fondly.cli._common import new_key, stderr_console, stdout_console

DEMO_ZONE = "Europe/London"
IOS_CHAT = 2
"""Which generated chat is written as an iOS export (Priya's); the others are Android."""


@click.command("demo")
@click.option("--seed", default=7, show_default=True, help="Seed of the invented year of chats.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the report (default: a new temporary folder).",
)
@click.option(
    "--keep",
    is_flag=True,
    help="Also keep the generated exports and the demo store next to the report.",
)
@click.option(
    "--encrypt",
    is_flag=True,
    help="Make the demo store encrypted (key from FONDLY_KEY, or asked for), to try an "
    "encrypted store with --keep.",
)
def demo_command(seed: int, out: Path | None, keep: bool, encrypt: bool) -> None:
    """Run fondly on a realistic, invented year of WhatsApp chats and show the report.

    Alex Morgan talks to Sam (a partner: a rough patch mid-year that recovers),
    Jordan (an old friend who drifts, goes silent, then says "I miss you") and
    Priya (a newer friend who gets closer), plus a group chat. The chats are
    written as WhatsApp exports, imported into a separate demo store (never
    yours), analysed and reported. No real person's data is involved.

    \b
    Example:
        fondly demo
        fondly demo --seed 3 --out ./demo --keep
        fondly --db ./demo/demo.duckdb report "Sam Rivera"   # after --keep
        FONDLY_KEY=... fondly demo --keep --encrypt --out ./demo
    """
    from fondly.api import Fondly
    from fondly.demo.story import generate

    err = stderr_console()
    folder = out or Path(tempfile.mkdtemp(prefix="fondly-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    exports = folder / "exports"
    db_path = folder / "demo.duckdb"
    if db_path.exists():  # a previous run in the same folder: start clean
        db_path.unlink()
    Path(f"{db_path}.wal").unlink(missing_ok=True)
    key = new_key() if encrypt else None
    started = time.perf_counter()
    chats = generate(seed)
    paths = write_exports(chats, exports)
    fondly = Fondly(db_path, key=key)  # a new store opened with a key is made encrypted
    summary = fondly.import_(paths, tz=DEMO_ZONE, me=chats[0].me, semantic=False)
    if summary.failed:  # the demo's own exports: a failure is a bug, said in one line
        from fondly._errors import InputError

        raise InputError(str(summary.failed[0].error))
    err.print(
        f"demo: {len(chats)} chats written as WhatsApp exports, "
        f"[bold]{summary.added:,}[/] messages imported"
    )
    report_path = _report(fondly, folder)
    err.print(f"demo: done in {time.perf_counter() - started:.1f} s")
    click.echo(f"HTML report: {report_path}")
    if keep:
        click.echo(f"Exports: {exports}")
        click.echo(f"Demo store: {db_path} (use it with: fondly --db {db_path} ...)")
    else:
        shutil.rmtree(exports, ignore_errors=True)
        db_path.unlink(missing_ok=True)
        Path(f"{db_path}.wal").unlink(missing_ok=True)


def write_exports(chats: Sequence[Any], folder: Path) -> list[Path]:
    """Write each chat as a WhatsApp export: one iOS, the others Android.

    Uses the writer the format-matrix tests use, so the demo exercises the same
    header variants a user's phone writes.
    """
    from fondly.demo import whatsapp_writer

    folder.mkdir(parents=True, exist_ok=True)
    names = [str(v) for v in whatsapp_writer.VARIANTS]
    ios = _variant(names, "ios")
    android = _variant(names, "android")
    return [
        whatsapp_writer.write_export(chat, folder, ios if i == IOS_CHAT else android)
        for i, chat in enumerate(chats)
    ]


def _variant(names: list[str], platform: str) -> str:
    """The plainest variant of a platform: 24-hour, day first, where the writer offers one."""
    mine = [n for n in names if platform in n.lower()] or names
    for hint in ("24", "dmy", ""):
        for name in mine:
            if hint in name.lower() and "12" not in name:
                return name
    return mine[0]


def _report(fondly: Any, folder: Path) -> Path:
    """Print the overview and the clearest story's scorecard; write the HTML reports.

    The scorecard shown is the relationship with the most suggestions, the one a
    newcomer learns most from; every person also gets an HTML page next to the
    overview, with the same charts as ``fondly report --html``.
    """
    from fondly.report import html, terminal

    console = stdout_console()
    insights = fondly.report(charts=True).insights
    terminal.render_overview(insights, console)
    relationships = insights.get("relationships") or []
    if relationships:
        story = max(relationships, key=lambda rel: len(rel.get("suggestions") or []))
        console.print()
        terminal.render_person(story, console)
    for rel in relationships:
        slug = "".join(c if c.isalnum() else "-" for c in str(rel["name"]).lower())
        html.write_person(rel, folder / f"fondly-demo-{slug}.html", insights=insights)
    return Path(html.write_overview(insights, folder / "fondly-demo-report.html"))


COMMANDS = [demo_command]
