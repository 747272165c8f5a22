"""``fondly app`` through Starlette's TestClient: the front door, the pages, escaping, no network.

The store is generated in code (fondly's generic CSV layout) with a hostile name and
hostile messages, so every page is also a check that user text stays text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from fondly import Fondly
from fondly.app import create_app
from fondly.app._guard import CSP
from tests.conftest import SocketWatch, write_generic_csv

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "t0ken-for-tests-only-0123456789abcdef"
HOSTILE = "<script>alert('name')</script>"
HOSTILE_TEXT = "<img src=x onerror=alert(1)> love you & miss you"


def _rows(days: int = 40) -> list[tuple[str, str, str, str]]:
    rows = []
    for day in range(days):
        d = f"2024-{3 + day // 28:02d}-{1 + day % 28:02d}"
        rows += [
            ("Sam", "Alex", f"{d}T09:00:00", f"good morning! how did day {day} start?"),
            ("Sam", HOSTILE, f"{d}T09:04:00", HOSTILE_TEXT if day % 5 == 0 else "pretty good :)"),
            ("Sam", "Alex", f"{d}T09:06:00", "thank you, that made me laugh haha"),
        ]
    return rows


@pytest.fixture
def fondly(tmp_path: Path) -> Fondly:
    f = Fondly(tmp_path / "app.duckdb")
    f.import_([write_generic_csv(tmp_path / "chat.csv", _rows())], me="Alex", tz="UTC")
    return f


def _client(fondly: Fondly, *, login: bool = True) -> TestClient:
    client = TestClient(create_app(fondly, token=TOKEN, port=PORT), base_url=BASE)
    if login:
        answer = client.get(f"/?token={TOKEN}", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/"
        assert "HttpOnly" in answer.headers["set-cookie"]
        assert "SameSite=Strict" in answer.headers["set-cookie"]
    return client


@pytest.fixture
def client(fondly: Fondly) -> Iterator[TestClient]:
    with _client(fondly) as c:
        yield c


def test_the_token_is_required(fondly: Fondly) -> None:
    anonymous = _client(fondly, login=False)
    assert anonymous.get("/").status_code == 403
    assert anonymous.get("/static/app.js").status_code == 403
    assert anonymous.get("/?token=wrong").status_code == 403
    logged_in = _client(fondly)
    page = logged_in.get("/")
    assert page.status_code == 200
    assert TOKEN not in page.text  # the token never lands in a page


def test_another_host_is_refused(client: TestClient) -> None:
    assert client.get("/", headers={"host": "evil.example:8765"}).status_code == 400
    assert client.get("/", headers={"host": f"127.0.0.1:{PORT + 1}"}).status_code == 400
    assert client.get("/", headers={"host": f"localhost:{PORT}"}).status_code == 200


def test_cross_site_requests_are_refused(client: TestClient, fondly: Fondly) -> None:
    chat = fondly.chats()[0].id
    evil = {"origin": "http://evil.example", "sec-fetch-site": "cross-site"}
    assert client.post("/settings/forget", data={"chat": chat}, headers=evil).status_code == 403
    assert client.post("/settings/forget", data={"chat": chat}).status_code == 403  # no Origin
    same_site = {"origin": f"http://localhost:{PORT + 1}"}
    assert (
        client.post("/settings/forget", data={"chat": chat}, headers=same_site).status_code == 403
    )
    assert client.get("/", headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert client.get("/", headers={"sec-fetch-site": "same-site"}).status_code == 403
    assert [c.id for c in fondly.chats()] == [chat]  # nothing was forgotten


def test_every_answer_carries_the_csp(client: TestClient, fondly: Fondly) -> None:
    assert "default-src 'none'" in CSP and "connect-src 'self'" in CSP
    assert "http" not in CSP  # no outside origin is allowed for anything
    person = fondly.people()[1].person_id
    for path in ("/", f"/person/{person}", "/search?q=love", "/settings", "/import", "/nope"):
        answer = client.get(path)
        assert answer.headers["content-security-policy"] == CSP, path
        assert answer.headers["x-frame-options"] == "DENY"
    refused = _client(fondly, login=False).get("/")
    assert refused.headers["content-security-policy"] == CSP


def test_pages_escape_hostile_names_and_messages(client: TestClient, fondly: Fondly) -> None:
    them = next(p for p in fondly.people() if not p.is_me)
    assert them.name == HOSTILE
    chat = fondly.chats()[0].id
    pages = ["/", f"/person/{them.person_id}", "/search?q=miss", "/settings", f"/chat/{chat}"]
    for path in pages:
        html = client.get(path, follow_redirects=True).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
    person = client.get(f"/person/{them.person_id}").text
    assert "&lt;script&gt;alert(" in person
    found = client.get("/search?q=miss").text
    assert "&lt;img src=x onerror=alert(1)&gt; love you &amp; miss you" in found


def test_a_quote_opens_the_conversation_around_it(client: TestClient, fondly: Fondly) -> None:
    them = next(p for p in fondly.people() if not p.is_me)
    page = client.get(f"/person/{them.person_id}").text
    links = re.findall(r'href="/message/([0-9a-f]+)"', page)
    assert links, "the person page links no quote"
    answer = client.get(f"/message/{links[0]}", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/chat/")
    chat = client.get(answer.headers["location"]).text
    assert f'id="m-{links[0]}" class="msg' in chat
    assert "focus" in chat.split(f'id="m-{links[0]}"', 1)[1][:60]


def test_search_finds_messages_and_links_them(client: TestClient) -> None:
    page = client.get("/search?q=LAUGH").text
    assert page.count('href="/message/') == 40
    assert "made me laugh" in page
    assert "0 message(s)" in client.get("/search?q=zebra-nowhere").text


def test_import_through_the_page(tmp_path: Path) -> None:
    empty = Fondly(tmp_path / "new.duckdb")
    with _client(empty) as client:
        assert "no chats here yet" in client.get("/").text
        export = write_generic_csv(tmp_path / "kim.csv", [
            ("Kim", "Alex", "2024-01-01T10:00:00", "hi Kim"),
            ("Kim", "Kim", "2024-01-01T10:01:00", "hello!"),
        ])  # fmt: skip
        origin = {"origin": BASE}
        with export.open("rb") as fh:
            answer = client.post(
                "/import",
                files=[("files", ("kim.csv", fh, "text/csv")), ("files", ("notes.md", b"hi", "x"))],
                data={"me": "Alex", "tz": "UTC"},
                headers=origin,
            )
        assert answer.status_code == 200, answer.text
        assert "kim.csv" in answer.text and "imported" in answer.text
        assert "notes.md" in answer.text and "not a chat export fondly knows" in answer.text
        assert "fondly-upload" not in answer.text  # the temporary folder is not shown
        assert "You are <strong>Alex</strong>" in answer.text
        assert [c.title for c in empty.chats()] == ["Kim"]
        # the same file again adds nothing
        with export.open("rb") as fh:
            again = client.post(
                "/import", files=[("files", ("kim.csv", fh, "text/csv"))], headers=origin
            )
        assert "already imported" in again.text
        assert client.post("/import", headers=origin, data={}).status_code == 400


def test_settings_set_me_merge_and_forget(client: TestClient, fondly: Fondly) -> None:
    origin = {"origin": BASE}
    me = fondly.me()
    assert me is not None
    answer = client.post("/settings/me", data={"name": "nobody at all"}, headers=origin)
    assert answer.status_code == 400 and "no person called" in answer.text
    answer = client.post("/settings/me", data={"name": me.name}, headers=origin)
    assert answer.status_code == 200 and "You are now Alex" in answer.text
    answer = client.post("/settings/merge", data={"keep": "1", "other": "1"}, headers=origin)
    assert answer.status_code == 400
    chat = fondly.chats()[0].id
    answer = client.post("/settings/forget", data={"chat": str(chat)}, headers=origin)
    assert answer.status_code == 200 and "Forgotten: 1 chat(s), 120 message(s)" in answer.text
    assert fondly.chats() == []
    assert "no chats here yet" in client.get("/").text


def test_the_app_opens_no_network_socket(fondly: Fondly, no_network: SocketWatch) -> None:
    them = next(p for p in fondly.people() if not p.is_me)
    with _client(fondly) as client:
        for path in ("/", f"/person/{them.person_id}", "/search?q=love", "/settings"):
            assert client.get(path).status_code == 200
        assert client.get("/static/vega.js").status_code == 200


def test_bind_listens_on_the_loopback_only() -> None:
    from fondly.app import bind

    sock = bind(0)
    try:
        host, port = sock.getsockname()
        assert host == "127.0.0.1" and port > 0
    finally:
        sock.close()


def test_a_background_import_reports_progress_then_its_summary(tmp_path: Path) -> None:
    empty = Fondly(tmp_path / "new.duckdb")
    export = write_generic_csv(tmp_path / "sam.csv", _rows(10))
    with _client(empty) as client:
        headers = {"origin": BASE, "x-fondly-async": "1"}
        with export.open("rb") as fh:
            answer = client.post(
                "/import", files=[("files", ("sam.csv", fh, "text/csv"))], headers=headers
            )
        job = answer.json()["job"]
        for _ in range(600):
            state = client.get(f"/import/job/{job}").json()
            if state["done"]:
                break
            time.sleep(0.05)
        assert state == {"read": 30, "done": True}
        page = client.get(f"/import/job/{job}/result").text
        assert "sam.csv" in page and "30 new message(s)" in page
        assert client.get("/import/job/nope").status_code == 404


def test_serve_binds_the_loopback_and_announces_a_token_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    import fondly.app

    ran: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets: ran.append(sockets))
    urls: list[str] = []
    fondly.app.serve(tmp_path / "s.duckdb", open_browser=False, announce=urls.append)
    [url] = urls
    found = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]{40,})", url)
    assert found, url
    [[sock]] = ran
    assert sock.getsockname() == ("127.0.0.1", int(found.group(1)))
    sock.close()


def test_the_app_command_only_calls_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    import fondly.app
    from fondly.cli import cli

    calls: list[tuple[Any, dict[str, Any]]] = []

    def fake_serve(path: Any, **options: Any) -> None:
        calls.append((path, options))
        options["announce"]("http://127.0.0.1:1/?token=x")

    monkeypatch.setattr(fondly.app, "serve", fake_serve)
    db = str(tmp_path / "s.duckdb")
    result = CliRunner().invoke(cli, ["--db", db, "app", "--no-browser", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:1/?token=x" in result.output
    [(path, options)] = calls
    assert path == db and options["port"] == 8123 and options["open_browser"] is False


def test_a_real_server_opens_no_socket_but_its_loopback_one(fondly: Fondly) -> None:
    """Serve over real HTTP with the socket watch on: every address touched is 127.0.0.1."""
    import threading
    import urllib.request

    import uvicorn

    from fondly.app import bind
    from tests.conftest import _WATCH

    sock = bind(0)
    port = int(sock.getsockname()[1])
    app = create_app(fondly, token=TOKEN, port=port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    _WATCH.events.clear()
    _WATCH.active = True
    try:
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        for _ in range(400):
            if server.started:
                break
            time.sleep(0.05)
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor()
        )
        page = opener.open(f"http://127.0.0.1:{port}/?token={TOKEN}", timeout=30).read()
        assert b"Your relationships" in page
        server.should_exit = True
        thread.join(10)
    finally:
        _WATCH.active = False
        sock.close()
    touched = [args for event, args in _WATCH.events if event != "socket.__new__"]
    _WATCH.events.clear()
    assert touched, "the watch saw no socket at all"
    for args in touched:
        assert any("127.0.0.1" in a for a in args), args


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_text_colours_meet_wcag_aa_contrast() -> None:
    """Every text colour the stylesheet defines reads at 4.5:1 or better on its backgrounds."""
    css = (Path(fondly_app_static()) / "app.css").read_text(encoding="utf-8")
    palette = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-f]{6})", css))
    backgrounds = [palette["bg"], "#ffffff", "#e6effa", "#e8edf3", "#ddf1e7", "#f8e3dc"]
    for name in ("ink", "muted", "accent", "good", "bad"):
        for background in backgrounds:
            a, b = sorted((_luminance(palette[name]), _luminance(background)), reverse=True)
            ratio = (a + 0.05) / (b + 0.05)
            assert ratio >= 4.5, f"--{name} on {background}: {ratio:.2f}:1"


def fondly_app_static() -> Path:
    from fondly.app._pages import STATIC

    return STATIC


def test_the_person_page_shows_the_story_and_what_changed(tmp_path: Path) -> None:
    """A year whose last three months are warmer than the six before shows a change."""
    rows = []
    for month in range(1, 13):
        for day in range(1, 21):
            d = f"2024-{month:02d}-{day:02d}"
            warm = month >= 10
            rows += [
                ("Sam", "Alex", f"{d}T09:00:00", "morning! how are you?"),
                ("Sam", "Sam", f"{d}T09:05:00", "love you, miss you" if warm else "fine"),
                ("Sam", "Alex", f"{d}T09:07:00", "thank you so much" if warm else "ok"),
            ]
    f = Fondly(tmp_path / "year.duckdb")
    f.import_(write_generic_csv(tmp_path / "year.csv", rows), me="Alex", tz="UTC")
    sam = next(p for p in f.people() if not p.is_me)
    with _client(f) as client:
        page = client.get(f"/person/{sam.person_id}").text
    # The same page body as `report --html`: the story first, then the rows with their trends.
    assert 'class="headline"' in page and "about as much as before" in page
    assert 'class="trend-better"' in page
