"""``fondly demo`` end to end: exports written, imported into its own store, reported."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from click.testing import CliRunner

from fondly.cli import cli
from fondly.cli.demo_cmd import _variant
from fondly.demo.story import GROUP, JORDAN, PRIYA, SAM, generate
from fondly.store import Store


def test_demo_imports_the_chats_and_reports(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    old = os.umask(0o022)  # a usual umask: the demo must tighten what it writes itself
    try:
        result = runner.invoke(cli, ["demo", "--seed", "7", "--out", str(out), "--keep"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    for written in [out, *out.rglob("*")]:  # reports, exports, the demo store: owner-only
        assert stat.S_IMODE(written.stat().st_mode) == (0o700 if written.is_dir() else 0o600)
    for name in (SAM, JORDAN, PRIYA):
        assert name in result.output, "the report names every person"
    assert "demo.duckdb" in result.output
    exports = sorted((out / "exports").iterdir())
    assert len(exports) == 4
    expected = {chat.title: sum(m.kind != "system" for m in chat.messages) for chat in generate(7)}
    with Store(out / "demo.duckdb", read_only=True) as store:
        rows = store.query(
            "SELECT c.title, c.is_group, count(m.message_id) FILTER (WHERE m.kind <> 'system') "
            "FROM conversations c "
            "JOIN messages m USING (conversation_id) GROUP BY c.title, c.is_group"
        )
        me = store.query("SELECT name FROM people WHERE is_me")
    assert me == [("Alex Morgan",)]
    titles = {title: (is_group, n) for title, is_group, n in rows}
    assert set(titles) == set(expected)
    assert titles[GROUP][0] and not titles[SAM][0]
    for title, n in expected.items():
        # every generated message arrives (the writer adds its own system lines)
        assert titles[title][1] == n, title
    assert not Path(os.environ["FONDLY_DB"]).exists(), "the user's own store is never touched"


def test_demo_person_pages_draw_the_charts_report_html_draws(
    runner: CliRunner, tmp_path: Path
) -> None:
    """One pipeline: the demo's per-person page is what ``report --html`` writes."""
    import re

    out = tmp_path / "demo"
    result = runner.invoke(cli, ["demo", "--seed", "7", "--out", str(out), "--keep"])
    assert result.exit_code == 0, result.output
    page = tmp_path / "sam.html"
    db = str(out / "demo.duckdb")
    result = runner.invoke(cli, ["--db", db, "report", SAM, "--html", str(page)])
    assert result.exit_code == 0, result.output

    def charts(path: Path) -> list[str]:
        return re.findall(r'data-chart="([^"]+)"', path.read_text(encoding="utf-8"))

    slug = "".join(c if c.isalnum() else "-" for c in SAM.lower())
    drawn = charts(out / f"fondly-demo-{slug}.html")
    assert len(drawn) >= 4, drawn
    assert drawn == charts(page)


def test_demo_cleans_up_without_keep(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(cli, ["demo", "--seed", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not (out / "exports").exists() and not (out / "demo.duckdb").exists()
    assert "Exports:" not in result.output


def test_variant_choice_prefers_plain_24_hour_formats() -> None:
    names = ["android_12h_mdy", "android_24h_dmy", "ios_12h", "ios_24h_dmy"]
    assert _variant(names, "android") == "android_24h_dmy"
    assert _variant(names, "ios") == "ios_24h_dmy"
    assert _variant(["only"], "ios") == "only"
