"""The app's front door: only this machine, only with the token, only from its own pages.

A web server on 127.0.0.1 is still reachable by every page the user's browser opens,
so (as Jupyter does) each request must prove it comes from someone who saw the URL
fondly printed, and from the app's own pages:

- **Host** must be the address fondly bound (``127.0.0.1:PORT`` or ``localhost:PORT``):
  a DNS-rebinding page reaches the server under its own name and is refused.
- **Token**: the first request carries ``?token=...``; it is swapped for a cookie
  (HttpOnly, SameSite=Strict, so no other site's request carries it) and the
  browser is sent to the same URL without the token, which then stays out of
  history and screenshots. Every request needs the token or the cookie.
- **Cross-site requests** are refused: ``Sec-Fetch-Site`` must be ``same-origin`` or
  ``none`` (typed or opened by fondly) where the browser sends it, and a request
  that changes anything (POST) must carry an ``Origin`` equal to the app's own.
- **Headers** on every answer: a Content-Security-Policy that allows the app's own
  scripts, styles and forms and nothing else (no request can leave the machine),
  no framing, no caching, and a referrer only within the app (``no-referrer`` would
  make the browser send ``Origin: null`` on the app's own form posts).

Written as a plain ASGI middleware (not ``BaseHTTPMiddleware``) so that it also
guards the request body of an upload before any page code runs.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
"""Vega compiles chart expressions with ``Function`` ('unsafe-eval'), and draws SVG with
inline styles; everything else must come from the app itself."""

SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]

_SAFE_METHODS = {"GET", "HEAD"}


def new_token() -> str:
    """An unguessable token (256 bits), new for every start of the app."""
    return secrets.token_urlsafe(32)


class Guard:
    """ASGI middleware enforcing host, token and same-origin rules (see the module doc)."""

    def __init__(self, app: ASGIApp, token: str, hosts: set[str]) -> None:
        self.app = app
        self.token = token
        self.hosts = {h.lower() for h in hosts}
        self.cookie = "fondly_" + hashlib.sha256(token.encode()).hexdigest()[:10]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            await _refuse(send, 400, "This address is not fondly's.")
            return
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            await _refuse(send, 403, "fondly only answers its own pages.")
            return
        if scope["method"] not in _SAFE_METHODS and headers.get("origin") != f"http://{host}":
            await _refuse(send, 403, "fondly only accepts changes from its own pages.")
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in query if k == "token"), None)
        if given is not None and secrets.compare_digest(given, self.token):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = scope["path"] + (f"?{rest}" if rest else "")
            cookie = (f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict").encode()
            await _answer(
                send, 303, b"", [(b"location", location.encode()), (b"set-cookie", cookie)]
            )
            return
        jar = SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is simply no cookie
            jar = SimpleCookie()
        held = jar.get(self.cookie)
        if held is None or not secrets.compare_digest(held.value, self.token):
            await _refuse(
                send, 403, "Open fondly with the link `fondly app` printed (it holds a token)."
            )
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(send: Send, status: int, text: str) -> None:
    await _answer(send, status, text.encode(), [(b"content-type", b"text/plain; charset=utf-8")])


async def _answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": body})
