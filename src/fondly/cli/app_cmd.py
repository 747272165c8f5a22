"""``fondly app``: open the private local web app on the store (everything lives in fondly.app)."""

from __future__ import annotations

import os

import click

from fondly.cli._common import open_store, stderr_console, store_key, store_path


@click.command("app")
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Port (default: any free).")
@click.option("--no-browser", is_flag=True, help="Print the address without opening a browser.")
@click.option(
    "--redact",
    is_flag=True,
    help="Show every page redacted, as `report --redact` does (to show the screen to someone); "
    "adding exports and settings are then closed.",
)
@click.pass_context
def app_command(ctx: click.Context, port: int, no_browser: bool, redact: bool) -> None:
    """Open fondly in your browser: add exports, read each relationship, search, settings.

    The app listens on 127.0.0.1 only and answers only the link it prints, which
    holds a secret token; nothing is sent anywhere. Stop it with Ctrl+C. An
    encrypted store takes its key from FONDLY_KEY, or asks for it once here.

    \b
    Example:
        fondly app
        fondly app --redact
        fondly demo --keep --out ./demo && fondly --db ./demo/demo.duckdb app
    """
    from fondly.app import serve

    err = stderr_console()
    key = store_key(ctx)
    if os.path.exists(store_path(ctx)):
        # A wrong or missing key is one line now, not a broken page later.
        open_store(ctx, read_only=True).close()

    def announce(url: str) -> None:
        err.print("fondly is open at (keep this link private; Ctrl+C stops it):", highlight=False)
        click.echo(url)

    serve(
        (ctx.obj or {}).get("db"),
        port=port,
        open_browser=not no_browser,
        announce=announce,
        key=key,
        redact=redact,
    )


COMMANDS = [app_command]
