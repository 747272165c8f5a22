"""fondly's command line: a Click group whose commands live one module each.

Heavy modules (duckdb, pyarrow, altair) are imported inside commands so that
``fondly --help`` stays fast. Errors a user can cause print one line and exit
with the error's code; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import os
import sys

import click

from fondly import _private
from fondly.cli._common import CONTEXT_SETTINGS, FondlyGroup


@click.group(cls=FondlyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="fondly")
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    envvar="FONDLY_DB",
    help="The store file (default: fondly.duckdb in your user data folder; env FONDLY_DB).",
)
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, db: str | None, debug: bool) -> None:
    """fondly: understand a relationship from the messages in it.

    Everything runs on this machine; nothing is ever sent anywhere.

    \b
    Example:
        fondly import "WhatsApp Chat with Sam.zip" --me Alex
        fondly report Sam
    """
    # Everything fondly writes (store, reports, exports) is the user's alone: 0600/0700.
    os.umask(_private.UMASK)
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["debug"] = debug


def _register() -> None:
    from fondly.cli import commands

    for command in commands.ALL:
        cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    cli.main(args=sys.argv[1:], prog_name="fondly")


__all__ = ["cli", "main"]
