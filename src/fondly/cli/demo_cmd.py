"""``fondly demo``: the whole pipeline on a seeded, invented year of chats.

The demo goes through exactly the path a user's data takes (WhatsApp export
files on disk, detection, import, features, metrics, report), so it doubles as
an end-to-end check. It never touches the user's own store: everything lives in
its own folder. Layers that are optional or still being built (features, metrics,
the report faces) are used when importable and replaced by a plain count table
when not, so the demo always runs.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from fondly.cli._common import stderr_console, stdout_console

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
def demo_command(seed: int, out: Path | None, keep: bool) -> None:
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
    """
    from fondly.demo.story import generate
    from fondly.importers import ImportOptions
    from fondly.ingest import import_paths
    from fondly.store import Store

    err = stderr_console()
    folder = out or Path(tempfile.mkdtemp(prefix="fondly-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    exports = folder / "exports"
    db_path = folder / "demo.duckdb"
    if db_path.exists():  # a previous run in the same folder: start clean
        db_path.unlink()
    started = time.perf_counter()
    chats = generate(seed)
    paths = write_exports(chats, exports)
    options = ImportOptions(tz=DEMO_ZONE, me=chats[0].me)
    with Store(db_path) as store:
        summary = import_paths(store, paths, options)
        err.print(
            f"demo: {len(chats)} chats written as WhatsApp exports, "
            f"[bold]{summary.added:,}[/] messages imported"
        )
        _features(store)
        report_path = _report(store, folder)
    err.print(f"demo: done in {time.perf_counter() - started:.1f} s")
    if report_path is not None:
        click.echo(f"HTML report: {report_path}")
    if keep:
        click.echo(f"Exports: {exports}")
        click.echo(f"Demo store: {db_path} (use it with: fondly --db {db_path} ...)")
    else:
        shutil.rmtree(exports, ignore_errors=True)
        db_path.unlink(missing_ok=True)
        Path(f"{db_path}.wal").unlink(missing_ok=True)
        if report_path is None and out is None:
            shutil.rmtree(folder, ignore_errors=True)


def write_exports(chats: Sequence[Any], folder: Path) -> list[Path]:
    """Write each chat as a WhatsApp export: one iOS, the others Android.

    Uses the shared writer in :mod:`fondly.demo.whatsapp_writer` (the one the
    format-matrix tests use); falls back to a plain Android 24-hour writer while
    that module is not there.
    """
    folder.mkdir(parents=True, exist_ok=True)
    whatsapp_writer = _optional("fondly.demo.whatsapp_writer")
    if whatsapp_writer is None:
        return [_write_android(chat, folder) for chat in chats]
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


_ANDROID_PLACEHOLDER = {"deleted": "This message was deleted"}


def _write_android(chat: Any, folder: Path) -> Path:
    """A minimal Android export (``DD/MM/YYYY, HH:MM - Name: text``), 24-hour clock."""
    path = folder / f"WhatsApp Chat with {chat.title}.txt"
    lines = []
    for m in chat.messages:
        stamp = m.ts_local.strftime("%d/%m/%Y, %H:%M")
        if m.kind == "text":
            text = m.text + (" <This message was edited>" if m.edited else "")
        else:
            text = _ANDROID_PLACEHOLDER.get(m.kind, "<Media omitted>")
        if m.sender is None:
            lines.append(f"{stamp} - {m.text}")
        else:
            lines.append(f"{stamp} - {m.sender}: {text}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _features(store: Any) -> int:
    """Per-message features, when the features layer is installed."""
    features = _optional("fondly.features")
    if features is None or not hasattr(features, "update_store"):
        return 0
    return int(features.update_store(store))


def _report(store: Any, folder: Path) -> Path | None:
    """Print the terminal report and write the HTML one; a count table if those are missing."""
    console = stdout_console()
    metrics = _optional("fondly.metrics")
    terminal = _optional("fondly.report.terminal")
    if metrics is None or terminal is None:
        _count_table(store, console)
        return None
    result = metrics.compute(store)
    terminal.render_overview(result, console)
    html = _optional("fondly.report.html")
    if html is None:
        return None
    return Path(html.write_overview(result, folder / "fondly-demo-report.html"))


def _optional(module: str) -> Any:
    """A module of a layer that may not be built yet, else None.

    Only the absence of that very module (or a package above it) counts; an
    import error inside an existing module is a bug and propagates.
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise


def _count_table(store: Any, console: Any) -> None:
    """The fallback report: messages per person and who sent them."""
    from rich.table import Table

    rows = store.query(
        """
        SELECT p.name,
               count(*) AS n,
               count(*) FILTER (WHERE mp.person_id = p.person_id) AS theirs,
               min(mp.ts_local)::DATE AS first,
               max(mp.ts_local)::DATE AS last
        FROM messages_people mp
        JOIN conversation_members cm ON cm.conversation_id = mp.conversation_id
        JOIN handles h ON h.handle_id = cm.handle_id
        JOIN people p ON p.person_id = h.person_id AND NOT p.is_me
        JOIN conversations c ON c.conversation_id = mp.conversation_id AND NOT c.is_group
        GROUP BY p.name
        ORDER BY n DESC
        """
    )
    table = Table(title="Messages per person (1:1 chats)")
    for column in ("person", "messages", "theirs", "yours", "first", "last"):
        table.add_column(column, justify="left" if column == "person" else "right")
    for name, n, theirs, first, last in rows:
        table.add_row(name, f"{n:,}", f"{theirs:,}", f"{n - theirs:,}", str(first), str(last))
    console.print(table)


COMMANDS = [demo_command]
