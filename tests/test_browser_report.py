"""The HTML reports in a real browser: charts drawn, no console errors, no network, text safe.

Runs headless Chromium with every network path shut (host resolver maps all names to
nowhere, background networking off) and a net log, so a report that tried to fetch
anything would show up as an http(s) URL in the log even though the fetch failed.
Skipped with a clear message where no Chromium is installed (``.ci/run`` installs
``chromium-headless-shell``). A screenshot of each page is kept in ./artifacts/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fondly.insights import build_insights
from fondly.report.html import write_overview, write_person
from fondly.store import Store
from tests.test_insights_fixtures import Chat, relationship, seeded, year_of_chat

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def _chromium() -> str | None:
    for name in ("chromium-headless-shell", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    for path in ("/usr/lib/chromium/headless_shell", "/usr/lib/chromium/chromium"):
        if Path(path).exists():
            return path
    return None


CHROMIUM = _chromium()
if CHROMIUM is None:
    pytest.skip(
        "no Chromium found (install chromium-headless-shell, as .ci/run does)",
        allow_module_level=True,
    )


@dataclass
class Visit:
    dom: str
    net_log: str
    console: list[str]


def _flags(tmp: Path) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={tmp / 'profile'}",
        "--virtual-time-budget=5000",
    ]


def visit(page: Path, tmp: Path) -> Visit:
    """Open a page once: its DOM after scripts ran, the net log and the page's console lines."""
    net = tmp / f"{page.stem}-net.json"
    done = subprocess.run(
        [
            str(CHROMIUM),
            *_flags(tmp),
            f"--log-net-log={net}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return Visit(done.stdout, net.read_text("utf-8", errors="replace"), console)


def screenshot(page: Path, tmp: Path, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / name
    subprocess.run(
        [
            str(CHROMIUM),
            *_flags(tmp),
            "--window-size=1100,3800",
            f"--screenshot={out}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A person report and an overview built from a generated chat with hostile messages."""
    tmp = tmp_path_factory.mktemp("browser")
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp / "cache"))
    store = Store(tmp / "b.duckdb")
    try:
        data, _ = seeded(store)
        evil = Chat(9, "<b>evil</b>", other=(9, "<img src=x onerror=alert(1)>"))
        evil.add("them", year_of_chat().messages[0][2], "<script>alert(1)</script>")
        evil.write(store)
        data["relationships"].append(
            relationship(9, "<img src=x onerror=alert(1)>", n_messages=1, conversations=[9])
        )
        insights = build_insights(data, store, charts=True)
        yield {
            "person": write_person(
                insights["relationships"][0], tmp / "person.html", insights=insights
            ),
            "overview": write_overview(insights, tmp / "overview.html"),
            "tmp": tmp,
        }
    finally:
        store.close()
        mp.undo()


def _http_urls(net_log: str) -> list[str]:
    return sorted(set(re.findall(r"https?://[^\"\s]+", net_log)))


def _assert_safe_text(dom: str) -> None:
    """The hostile strings are in the page as text, never as elements."""
    assert not re.search(r"<img[^>]*onerror", dom, re.IGNORECASE)
    assert "<script>alert(1)</script>" not in dom
    assert "<b>evil</b>" not in dom


def test_person_report_renders_offline_without_errors(pages: dict[str, Path]) -> None:
    seen = visit(pages["person"], pages["tmp"])
    charts = len(re.findall(r'data-chart="chart-\d+"', seen.dom))
    assert charts >= 4
    assert seen.dom.count('role="graphics-document"') >= charts, "a Vega chart was not drawn"
    assert seen.console == [], seen.console
    assert _http_urls(seen.net_log) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in seen.dom
    assert "&lt;img src=x onerror=alert(1)&gt;" in seen.dom
    _assert_safe_text(seen.dom)
    assert screenshot(pages["person"], pages["tmp"], "report-person.png").exists()


def test_overview_renders_offline_without_errors(pages: dict[str, Path]) -> None:
    seen = visit(pages["overview"], pages["tmp"])
    charts = len(re.findall(r'data-chart="chart-\d+"', seen.dom))
    assert charts >= 2
    assert seen.dom.count('role="graphics-document"') >= charts, "a Vega chart was not drawn"
    assert seen.console == [], seen.console
    assert _http_urls(seen.net_log) == []
    assert "&lt;img src=x onerror=alert(1)&gt;" in seen.dom  # a person's name, as text
    _assert_safe_text(seen.dom)
    assert screenshot(pages["overview"], pages["tmp"], "report-overview.png").exists()


def test_the_net_log_would_catch_a_request(pages: dict[str, Path]) -> None:
    """Guard the guard: a page that does fetch something shows up in the net log."""
    leaky = pages["tmp"] / "leaky.html"
    leaky.write_text('<html><body><img src="https://example.com/x.png"></body></html>')
    assert _http_urls(visit(leaky, pages["tmp"]).net_log)
