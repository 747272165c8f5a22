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
            click.echo(error_line(exc), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            # Every write is a transaction: the one in progress is rolled back, and (for an
            # import of several files) the files finished before stay imported.
            click.echo("fondly: interrupted; the change in progress was rolled back", err=True)
            ctx.exit(130)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            # A bug, not the user's doing: still one line, and never the exception's text
            # (it may quote a message). --debug shows everything.
            if (ctx.obj or {}).get("debug"):
                raise
            click.echo(
                f"fondly: unexpected error ({type(exc).__name__}); "
                "run again with --debug to see where",
                err=True,
            )
            ctx.exit(1)


def error_line(exc: BaseException) -> str:
    """The one line a user sees for an error: one ``fondly:`` prefix, nothing unprintable.

    Errors name files and people, which come from exports: control characters,
    escape sequences and bidi overrides are removed so that the line says what it says.
    """
    from fondly._display import plain

    message = plain(str(exc)).strip()
    while message.startswith("fondly: "):
        message = message[len("fondly: ") :]
    return f"fondly: {message}"


def store_path(ctx: click.Context) -> str:
    from fondly.store import default_db_path

    return str((ctx.obj or {}).get("db") or default_db_path())


def at_terminal() -> bool:
    """Whether a person can answer a prompt (stdin is a terminal, not a pipe or a test)."""
    return sys.stdin.isatty()


def store_key(ctx: click.Context) -> str | None:
    """The key of the store, asked for at most once per command.

    ``FONDLY_KEY`` first; else, for an encrypted store with a person at the terminal, a
    hidden prompt. The answer is kept on the root context, so a command that opens the
    store several times (``report``, ``me``) asks once. The key stays in this process:
    it is never printed, logged, or passed to another program.
    """
    from fondly.store import is_encrypted

    obj = ctx.find_root().ensure_object(dict)
    if "key" in obj:
        return obj["key"]
    key = os.environ.get("FONDLY_KEY") or None
    path = store_path(ctx)
    if key is None and at_terminal() and os.path.exists(path) and is_encrypted(path):
        key = click.prompt("Key of the encrypted store", hide_input=True, err=True) or None
    obj["key"] = key
    return key


def open_store(ctx: click.Context, *, read_only: bool = False) -> Any:
    """Open the store named by ``--db``/``FONDLY_DB`` or the default one.

    An encrypted store takes its key from :func:`store_key`; without one it is a
    one-line error.
    """
    from fondly.store import Store

    return Store(store_path(ctx), read_only=read_only, key=store_key(ctx))


def facade(ctx: click.Context, *, gap_minutes: int | None = None) -> Any:
    """The :class:`fondly.Fondly` of the store named by ``--db``/``FONDLY_DB`` or the default.

    Every command goes through it, so the pipeline runs in one order. An encrypted
    store takes its key from :func:`store_key`.
    """
    from fondly.api import Fondly

    return Fondly(store_path(ctx), gap_minutes=gap_minutes, key=store_key(ctx))


def new_key() -> str:
    """A key for a store about to be encrypted: FONDLY_KEY, else typed twice at a terminal."""
    from fondly._errors import UsageError

    key = os.environ.get("FONDLY_KEY") or ""
    if key:
        return key
    if not at_terminal():
        raise UsageError("--encrypt needs a key: set FONDLY_KEY (or run it at a terminal)")
    return str(
        click.prompt(
            "Key for the encrypted store", hide_input=True, confirmation_prompt=True, err=True
        )
    )


def encryption_key(ctx: click.Context, console: Any) -> str:
    """The key for ``--encrypt``: FONDLY_KEY or a prompt; a plain store is encrypted first."""
    from fondly._errors import UsageError
    from fondly.store import encrypt_store, is_encrypted

    path = store_path(ctx)
    if os.path.exists(path) and is_encrypted(path):
        # Already encrypted: its key, asked once like any other command's.
        key = store_key(ctx)
        if not key:
            raise UsageError("--encrypt needs a key: set FONDLY_KEY (or run it at a terminal)")
    else:
        key = new_key()
    if os.path.exists(path) and not is_encrypted(path):
        encrypt_store(path, key)
        console.print(f"encrypted the store: {path}", highlight=False)
    ctx.find_root().ensure_object(dict)["key"] = str(key)
    return str(key)


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
