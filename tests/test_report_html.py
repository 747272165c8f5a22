"""The HTML report as a file: self-contained, one inlined bundle, every user text escaped."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fondly.insights import build_insights
from fondly.report.html import json_for_script, write_overview, write_person
from fondly.store import Store
from tests.test_insights_fixtures import XSS_IMG, XSS_SCRIPT, relationship, result, seeded


@pytest.fixture(scope="module", autouse=True)
def _bundle_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the cached Vega bundle out of the developer's home folder."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


def _person_html(store: Store, tmp_path: Path, *, redact: bool = False) -> str:
    data, _ = seeded(store)
    insights = build_insights(data, store, redact=redact, charts=True)
    path = write_person(insights["relationships"][0], tmp_path / "r.html", insights=insights)
    return path.read_text("utf-8")


def test_person_report_is_one_self_contained_file(store: Store, tmp_path: Path) -> None:
    html = _person_html(store, tmp_path)
    assert len(re.findall(r"window\.vegaEmbed\s*=", html)) == 1  # the bundle, inlined once
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    for heading in (
        "Scorecard",
        "Are they missing you?",
        "What might help",
        "Your shared phrases and rituals",
        "Who starts conversations",
        "How fast each of you replies",
        "When you talk",
    ):
        assert heading in html
    assert len(re.findall(r'type="application/json" data-chart=', html)) >= 4
    assert "coffee friday" in html


def test_message_text_is_escaped(store: Store, tmp_path: Path) -> None:
    html = _person_html(store, tmp_path)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert XSS_SCRIPT not in html and XSS_IMG not in html
    page = re.sub(r"<script nonce=[^>]*>.*?</script>", "", html, flags=re.S)  # our own JS
    assert "<img" not in page and "alert(1)</script>" not in page


def test_redacted_html_has_no_names_or_contacts(store: Store, tmp_path: Path) -> None:
    html = _person_html(store, tmp_path, redact=True)
    for secret in ("Sam Taylor", "Taylor", "Alex Morgan", "sam.t@example.com", "7700 900123"):
        assert secret not in html
    assert "Person 2" in html


def test_chart_json_cannot_close_its_script() -> None:
    data: Any = {"name": "</script><script>alert(1)</script>", "q": "a & b > c", "ls": "\u2028"}
    text = str(json_for_script(data))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_overview_escapes_names_in_table_and_chart_data(tmp_path: Path) -> None:
    evil = "<b>Eve</b><script>alert(1)</script>"
    insights = build_insights(result(relationship(2, evil), relationship(3, "Priya Nair")))
    html = write_overview(insights, tmp_path / "o.html").read_text("utf-8")
    assert evil not in html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html  # the table
    assert "\\u003cb\\u003eEve" in html  # the chart data
    assert "Priya Nair" in html and "Closeness" in html


def test_cli_writes_html(runner: CliRunner, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fondly.cli import cli

    with Store(db_path) as store:
        data, _ = seeded(store)
    monkeypatch.setattr("fondly.metrics.compute", lambda store, person=None, **kw: data)
    out = db_path.parent / "sam.html"
    got = runner.invoke(cli, ["--db", str(db_path), "report", "Sam", "--html", str(out)])
    assert got.exit_code == 0, got.output
    assert out.exists() and "Scorecard" in out.read_text("utf-8")
    over = db_path.parent / "all.html"
    got = runner.invoke(cli, ["--db", str(db_path), "report", "--html", str(over), "--json"])
    assert got.exit_code == 0, got.output
    assert "Your relationships" in over.read_text("utf-8")
    assert json.loads(got.stdout)["insights"]["overview"]


def test_writing_a_report_opens_no_socket(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_network: Any
) -> None:
    """Even building the Vega bundle from scratch (no cache) stays on this machine."""
    from fondly.report import html as report_html

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    report_html.vega_bundle.cache_clear()
    assert "Scorecard" in _person_html(store, tmp_path)
    assert (tmp_path / "empty-cache" / "fondly").is_dir()


def test_person_page_renders_the_story_from_the_contract(store: Store, tmp_path: Path) -> None:
    data, _ = seeded(store)
    insights = build_insights(data, store, charts=True)
    rel = insights["relationships"][0]
    page = write_person(rel, tmp_path / "r.html", insights=insights).read_text("utf-8")
    html = re.sub(r"<script.*?</script>", "", page, flags=re.S)  # the page, not the bundle
    assert "Signal:" not in html  # no internal ids on the page
    for sug in rel["suggestions"]:
        assert f">{sug['signal']}<" not in html
    assert "You before" in html and "You now" in html
    for row in rel["scorecard"]:
        if row.get("measures"):
            assert row["measures"] in html
    assert rel["change"]["label"] in html
