"""``fondly app``: open the private local web app on the store (everything lives in fondly.app)."""

from __future__ import annotations

import click

from fondly.cli._common import stderr_console


@click.command("app")
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Port (default: any free).")
@click.option("--no-browser", is_flag=True, help="Print the address without opening a browser.")
@click.pass_context
def app_command(ctx: click.Context, port: int, no_browser: bool) -> None:
    """Open fondly in your browser: add exports, read each relationship, search, settings.

    The app listens on 127.0.0.1 only and answers only the link it prints, which
    holds a secret token; nothing is sent anywhere. Stop it with Ctrl+C.

    \b
    Example:
        fondly app
        fondly demo --keep --out ./demo && fondly --db ./demo/demo.duckdb app
    """
    from fondly.app import serve

    err = stderr_console()

    def announce(url: str) -> None:
        err.print("fondly is open at (keep this link private; Ctrl+C stops it):", highlight=False)
        click.echo(url)

    serve((ctx.obj or {}).get("db"), port=port, open_browser=not no_browser, announce=announce)


COMMANDS = [app_command]
