"""``fondly app``: a private web app on this machine, over :class:`fondly.Fondly`.

:func:`create_app` builds the Starlette application (pages in ``_pages``, the front
door in ``_guard``); :func:`serve` binds 127.0.0.1, prints and opens the URL with its
token and runs uvicorn until interrupted. Nothing here talks to the network beyond
that one local socket (docs/app.md).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fondly._errors import FondlyError
from fondly.api import Fondly

LOCALHOST = "127.0.0.1"


def create_app(fondly: Fondly, *, token: str, port: int, redact: bool = False) -> Any:
    """The ASGI app for a store, answering only ``127.0.0.1:port``/``localhost:port``.

    With ``redact``, every page shows what a redacted report shows (docs/app.md), and
    the pages that change the store or list its names (import, settings) are closed.
    """
    from starlette.applications import Starlette

    from fondly.app._guard import Guard
    from fondly.app._pages import Pages

    pages = Pages(fondly, redact=redact)
    # A FondlyError (a wrong key, a busy store) is one line on a page, never a traceback.
    inner = Starlette(routes=pages.routes(), exception_handlers={FondlyError: pages.failed})
    hosts = {f"{LOCALHOST}:{port}", f"localhost:{port}"}
    return Guard(inner, token, hosts)


def bind(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: any free port); never another interface."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOCALHOST, port))
    sock.listen(64)
    return sock


def serve(
    path: str | Path | None,
    *,
    port: int = 0,
    open_browser: bool = True,
    announce: Callable[[str], None] = print,
    token: str | None = None,
    key: str | None = None,
    redact: bool = False,
) -> None:
    """Run the app on 127.0.0.1 until interrupted; ``announce`` gets the URL with its token.

    ``key`` opens an encrypted store; it stays in this process (never in the URL).
    """
    import uvicorn

    from fondly.app._guard import new_token

    sock = bind(port)
    bound = int(sock.getsockname()[1])
    token = token or new_token()
    app = create_app(Fondly(path, key=key), token=token, port=bound, redact=redact)
    url = f"http://{LOCALHOST}:{bound}/?token={token}"
    announce(url)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", server_header=False
    )
    uvicorn.Server(config).run(sockets=[sock])


__all__ = ["create_app", "serve"]
