"""Shared pieces of the CLI: error handling, the store, consoles and JSON output."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from fondly._errors import FondlyError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

F = TypeVar("F", bound=Callable[..., Any])


class FondlyGroup(click.Group):
    """A group that turns FondlyError into one line on stderr, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FondlyError as exc:
            if (ctx.obj or {}).get("debug"):
                raise
            click.echo(f"fondly: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("fondly: interrupted; the store is unchanged", err=True)
            ctx.exit(130)


def open_store(ctx: click.Context, *, read_only: bool = False) -> Any:
    """Open the store named by ``--db``/``FONDLY_DB`` or the default one."""
    from fondly.store import Store, default_db_path

    path = (ctx.obj or {}).get("db") or default_db_path()
    return Store(path, read_only=read_only)


def prepare_reports(store: Any, console: Any) -> None:
    """After a command changed the store: save the units reports start from.

    Reports then skip rebuilding turns, sessions and replies (fondly.metrics.kept);
    a store left without them is still reported, only more slowly.
    """
    from fondly.metrics import keep_units, kept
    from fondly.progress import bar

    with bar(console, "preparing reports", total=len(kept.KEPT), unit="units") as advance:
        keep_units(store, progress=advance)


def stderr_console() -> Any:
    """A Rich console on stderr: progress and notes never pollute stdout data."""
    from rich.console import Console

    return Console(stderr=True, no_color="NO_COLOR" in os.environ)


def stdout_console(width: int | None = None) -> Any:
    from rich.console import Console

    return Console(no_color="NO_COLOR" in os.environ, width=width)


def echo_json(data: Any) -> None:
    """Write data as indented JSON on stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print the data as JSON.")(f)
