"""``fondly app`` in real headless Chromium, driven by Playwright.

Imports a generated export through the page, opens the person, follows a quote into
its conversation, searches, forgets the chat, and checks on the way that hostile
names and messages stay text, the keyboard reaches everything, charts draw, and
no request leaves the app (every request the page makes is routed through a check
that aborts and records anything not addressed to the app). Screenshots at 390 px
and 1280 px wide go to ./artifacts/app/ for review.

Playwright drives the system Chromium (it never downloads a browser); the test is
skipped with the reason where no Chromium is installed.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from fondly import Fondly
from fondly.app import bind, create_app
from tests.conftest import write_generic_csv
from tests.test_app import HOSTILE, _rows

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "app"
TOKEN = "browser-test-token-0123456789abcdefghij"


def _chromium() -> str | None:
    for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium"):
        if Path(path).exists():
            return path
    for name in ("chromium-headless-shell", "chromium"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = _chromium()
if CHROMIUM is None:
    pytest.skip("no Chromium at /usr/bin/chromium-headless-shell or /usr/bin/chromium",
                allow_module_level=True)  # fmt: skip
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


KIM = "chat,sender,timestamp,text,me\n" + "".join(
    f"Kim,Kim,2024-04-{d:02d}T10:05:00,day {d} with you,\n"
    f"Kim,Alex,2024-04-{d:02d}T10:09:00,same,true\n"
    for d in range(2, 20)
)
DROP = """([name, text]) => {
  const files = new DataTransfer();
  files.items.add(new File([text], name, { type: 'text/csv' }));
  const drop = document.getElementById('drop');
  const init = { dataTransfer: files, bubbles: true, cancelable: true };
  drop.dispatchEvent(new DragEvent('drop', init));
}"""


@contextmanager
def _serving(app: Any) -> Iterator[str]:
    """An app on a free 127.0.0.1 port, in a thread; yields its base URL."""
    import uvicorn

    sock = bind(0)
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(app(port), log_level="warning", access_log=False, lifespan="off")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uvicorn_server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uvicorn_server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app over a new store; yields its base URL."""
    fondly = Fondly(tmp_path / "app.duckdb")
    with _serving(lambda port: create_app(fondly, token=TOKEN, port=port)) as url:
        yield url


def _shots(page: Any, name: str) -> None:
    """Screenshots of the page at phone and laptop width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{name} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_app_end_to_end(server: str, tmp_path: Path) -> None:
    export = write_generic_csv(tmp_path / "sam-chat.csv", _rows())
    outside: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def route(r: Any) -> None:
            if r.request.url.startswith(server + "/"):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        def dialog(d: Any) -> None:
            dialogs.append(d.message)
            d.accept()

        page.route("**/*", route)
        page.on("dialog", dialog)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        # The link fondly prints: the token becomes a cookie and leaves the address bar.
        page.goto(f"{server}/?token={TOKEN}")
        assert page.url == f"{server}/"
        assert "no chats here yet" in page.inner_text("main")

        # Keyboard: the first Tab reaches the skip link, then the navigation.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Relationships"

        # Add an export by choosing it.
        page.click("text=Add exports")
        page.set_input_files("#files", str(export))
        page.fill("#me", "Alex")
        page.fill("#tz", "UTC")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.wait_for_selector("table.summary")
        summary = page.inner_text("table.summary")
        assert "sam-chat.csv" in summary and "imported" in summary
        assert "/import/job/" in page.url  # the page's script imported in the background
        _shots(page, "import")

        # Add another by dropping it onto the form.
        page.click("text=Add exports")
        page.wait_for_selector("#drop")
        page.wait_for_load_state("load")
        page.evaluate(DROP, ["kim-chat.csv", KIM])
        page.wait_for_selector("table.summary")
        assert "kim-chat.csv" in page.inner_text("table.summary")

        # The overview links to the person; the hostile name is shown as text.
        page.click("text=See your relationships")
        names = [a.inner_text() for a in page.locator("a.person").all()]
        assert HOSTILE in names, names  # shown as text, whatever its rank
        link = page.locator("a.person").nth(names.index(HOSTILE))
        page.wait_for_selector("#chart-0 svg")
        _shots(page, "overview")
        link.click()
        page.wait_for_selector("table.scorecard")
        assert page.inner_text("h1") == HOSTILE
        page.wait_for_selector(".chart svg")
        _shots(page, "person")

        # A quote opens the conversation around it, the quoted message marked.
        page.locator("a.quote").first.click()
        page.wait_for_selector("li.msg.focus")
        assert "/chat/" in page.url and "around=" in page.url
        assert page.locator("li.msg").count() > 5
        _shots(page, "chat")

        # Search.
        page.click("nav >> text=Search")
        page.fill("#q", "miss you")
        page.keyboard.press("Enter")
        page.wait_for_selector("ol.results li")
        first = page.locator("ol.results li").first.inner_text()
        assert "<img src=x onerror=alert(1)>" in first  # shown, never run
        _shots(page, "search")

        # Forget the chat (the page asks first).
        page.click("nav >> text=Settings")
        page.wait_for_selector("button.danger")
        _shots(page, "settings")
        page.locator("button.danger").first.click()
        page.wait_for_selector("p.done")
        assert "Forgotten: 1 chat(s), 120 message(s)" in page.inner_text("p.done")
        assert dialogs and all("cannot be undone" in d for d in dialogs)
        page.click("nav >> text=Relationships")
        page.wait_for_selector("a.person")
        assert [a.inner_text() for a in page.locator("a.person").all()] == ["Kim"]
        browser.close()

    assert outside == [], f"requests left the app: {outside[:3]}"
    assert errors == [], errors[:3]
    for width in (390, 1280):
        assert (ARTIFACTS / f"person-{width}.png").stat().st_size > 10_000


def test_the_redacted_app_in_a_browser(tmp_path: Path) -> None:
    """``fondly app --redact``: the pages a visitor can reach show no name and no message,
    fit a phone, and nothing leaves the app; screenshots as ``redacted-*``."""
    fondly = Fondly(tmp_path / "app.duckdb")
    fondly.import_([write_generic_csv(tmp_path / "sam-chat.csv", _rows())], me="Alex", tz="UTC")
    outside: list[str] = []
    app = lambda port: create_app(fondly, token=TOKEN, port=port, redact=True)  # noqa: E731
    with _serving(app) as server, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def route(r: Any) -> None:
            if r.request.url.startswith(server + "/"):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(f"{server}/?token={TOKEN}")
        assert "Redacted view" in page.inner_text("header")
        assert page.locator("nav >> text=Settings").count() == 0
        page.wait_for_selector("a.person")
        assert HOSTILE not in page.inner_text("main")
        _shots(page, "redacted-overview")
        page.locator("a.person").first.click()
        page.wait_for_selector("table.scorecard")
        assert page.inner_text("h1").startswith("Person ")
        assert page.locator("a.quote").count() == 0  # quotes are described, not linked
        _shots(page, "redacted-person")
        page.click("nav >> text=Search")
        page.fill("#q", "miss you")
        page.keyboard.press("Enter")
        page.wait_for_selector("ol.results li")
        shown = page.inner_text("main")
        assert "miss you" not in shown and "onerror" not in shown and HOSTILE not in shown
        page.locator("ol.results a").first.click()
        page.wait_for_selector("li.msg")
        shown = page.inner_text("main")
        assert "Chat " in shown and "Person " in shown and "good morning" not in shown
        _shots(page, "redacted-chat")
        browser.close()
    assert outside == [], f"requests left the app: {outside[:3]}"
