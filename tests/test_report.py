"""The terminal report and `fondly report`: content, 100-column fit, JSON, redaction, targets."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console

from fondly.cli import cli
from fondly.insights import build_insights
from fondly.report import render_overview, render_person
from fondly.store import Store
from tests.conftest import write_generic_csv
from tests.test_insights_fixtures import (
    Chat,
    relationship,
    result,
    seeded,
    standard_metrics,
    year_of_chat,
)
from tests.test_insights_guardrails import SCENARIOS


def _render(fn: Any, data: Any, width: int = 100) -> str:
    out = StringIO()
    fn(data, Console(file=out, width=width, no_color=True, highlight=False))
    return out.getvalue()


def _assert_fits(text: str, width: int = 100) -> None:
    for line in text.splitlines():
        assert cell_len(line) <= width, f"{cell_len(line)} columns: {line!r}"


def test_person_scorecard_fits_100_columns_with_everything_in_it(store: Store) -> None:
    data, _ = seeded(store)
    quiet = SCENARIOS["all of it at once"] | {
        "person": {"person_id": 7, "name": "Jordan Blake", "platforms": ["whatsapp"]}
    }
    data["relationships"].append(quiet)
    insights = build_insights(data, store)
    text = _render(render_person, insights["relationships"][1])
    _assert_fits(text)
    for label in (
        "Being present",
        "Positivity",
        "Care",
        "Opening up",
        "Rhythm",
        "Growth",
        "Reminders",
        "Meaningful talk",
        "Shared moments",
        "Cheering on",
    ):
        assert label in text
    assert "Are they missing you?" in text
    for part in ("they break the silences", "they write more after a gap"):
        assert part in text
    # Jordan never writes in the chat the fixture points at: every message there is yours
    flat = " ".join(text.split())  # may wrap
    assert "Ask once, directly and kindly" in flat
    assert "Liu, Rim, Min & Min 2023" in flat
    assert "Your messages since their last reply:" in flat
    assert "What might help" in text


def test_person_report_prints_chat_text_literally(store: Store) -> None:
    chat = Chat(3, "Markup", other=(3, "Robin Lee"))
    start = year_of_chat().messages[0][2]
    chat.add("them", start, "see you")
    # two unanswered messages of yours, days apart: the alert quotes them
    chat.add("me", start + timedelta(days=3), "[bold red]loud[/] and [NAME] haha")
    chat.add("me", start + timedelta(days=6), "hello?")
    chat.write(store)
    rel = relationship(3, "Robin Lee", metrics=standard_metrics(), conversations=[3])
    text = _render(render_person, build_insights(result(rel), store)["relationships"][0])
    assert "[bold red]loud[/] and [NAME] haha" in text


@pytest.mark.parametrize("width", [100, 80])
def test_overview_ranks_people_and_fits(width: int) -> None:
    data = result(
        relationship(2, "Sam Taylor"),
        relationship(3, "Priya Nair", n_messages=30),
        SCENARIOS["they went quiet for weeks"]
        | {"person": {"person_id": 4, "name": "Jordan Blake", "platforms": []}},
    )
    insights = build_insights(data)
    text = _render(render_overview, insights, width)
    _assert_fits(text, width)
    assert "Your relationships, closest first" in text
    for name in ("Sam Taylor", "Priya Nair", "Jordan Blake"):
        assert name in text
    assert "Close" in text and "Change" in text and "#" in text
    assert [r["closeness"] for r in insights["overview"]] == sorted(
        (r["closeness"] for r in insights["overview"]), reverse=True
    )


def test_overview_accepts_a_bare_metrics_result() -> None:
    text = _render(render_overview, result(relationship()))
    assert "Sam Taylor" in text


# -- the command ----------------------------------------------------------------------


@pytest.fixture
def fake_compute(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Metrics are another layer's job: the command is tested on a known result."""
    calls: dict[str, Any] = {}

    def compute(
        store: Any, person: Any = None, *, gap_minutes: int = 120, progress: Any = None
    ) -> dict[str, Any]:
        calls["person"], calls["gap"] = person, gap_minutes
        data, _ = _SEEDED
        rels = [r for r in data["relationships"] if person in (None, r["person"]["person_id"])]
        return data | {"relationships": rels}

    monkeypatch.setattr("fondly.metrics.compute", compute)
    return calls


_SEEDED: tuple[dict[str, Any], Chat] = ({}, Chat(0, ""))


@pytest.fixture
def seeded_db(db_path: Path) -> Path:
    global _SEEDED
    with Store(db_path) as store:
        _SEEDED = seeded(store)
        other = Chat(5, "Book club", other=(5, "Priya Nair"))
        other.add("them", year_of_chat().messages[0][2], "hello")
        other.write(store)
        _SEEDED[0]["relationships"].append(
            relationship(5, "Priya Nair", n_messages=1, conversations=[5])
        )
    return db_path


def test_report_person_by_name(runner: CliRunner, seeded_db: Path, fake_compute: dict) -> None:
    got = runner.invoke(cli, ["--db", str(seeded_db), "report", "sam"])
    assert got.exit_code == 0, got.output
    assert fake_compute["person"] == 2
    assert "Sam Taylor" in got.output and "Being present" in got.output
    _assert_fits(got.output)


def test_report_by_chat_title(runner: CliRunner, seeded_db: Path, fake_compute: dict) -> None:
    got = runner.invoke(cli, ["--db", str(seeded_db), "report", "book club"])
    assert got.exit_code == 0, got.output
    assert fake_compute["person"] == 5
    assert "Priya Nair" in got.output


def test_report_overview(runner: CliRunner, seeded_db: Path, fake_compute: dict) -> None:
    got = runner.invoke(cli, ["--db", str(seeded_db), "report"])
    assert got.exit_code == 0, got.output
    assert "Sam Taylor" in got.output and "Priya Nair" in got.output
    _assert_fits(got.output)


def test_report_json_is_metrics_plus_insights(
    runner: CliRunner, seeded_db: Path, fake_compute: dict
) -> None:
    got = runner.invoke(cli, ["--db", str(seeded_db), "report", "Sam", "--json"])
    assert got.exit_code == 0, got.output
    data = json.loads(got.output)
    assert data["schema"] == "fondly.metrics/1"
    assert data["insights"]["schema"] == "fondly.insights/1"
    rel = data["insights"]["relationships"][0]
    assert len(rel["scorecard"]) == 10
    assert "sam.t@example.com" in got.output  # evidence text, unredacted by default


def test_report_redact_reaches_json(runner: CliRunner, seeded_db: Path, fake_compute: dict) -> None:
    got = runner.invoke(cli, ["--db", str(seeded_db), "report", "Sam", "--json", "--redact"])
    assert got.exit_code == 0, got.output
    for secret in ("Sam", "Taylor", "Alex", "sam.t@example.com", "900123"):
        assert secret not in got.output
    assert "-word " in got.output or " words" in got.output, "evidence says what kind it was"


def test_report_redact_reaches_terminal(
    runner: CliRunner, seeded_db: Path, fake_compute: dict
) -> None:
    got = runner.invoke(cli, ["--db", str(seeded_db), "report", "--redact"])
    assert got.exit_code == 0, got.output
    assert "Taylor" not in got.output and "Person 2" in got.output


def test_unknown_target_is_one_line(runner: CliRunner, seeded_db: Path, fake_compute: dict) -> None:
    got = runner.invoke(cli, ["--db", str(seeded_db), "report", "Nobody"])
    assert got.exit_code == 2
    assert got.output.strip().count("\n") == 0
    assert "no person or chat matches 'Nobody'" in got.output


def test_no_store_is_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    got = runner.invoke(cli, ["--db", str(tmp_path / "none.duckdb"), "report"])
    assert got.exit_code == 2
    assert "no fondly store" in got.output and "fondly import" in got.output
    assert got.output.strip().count("\n") == 0
    assert not (tmp_path / "none.duckdb").exists()


def test_no_me_is_one_clear_line(runner: CliRunner, db_path: Path) -> None:
    Store(db_path).close()
    got = runner.invoke(cli, ["--db", str(db_path), "report"])
    assert got.exit_code == 2
    assert "fondly me NAME" in got.output
    assert got.output.strip().count("\n") == 0


def test_report_end_to_end_on_real_metrics(runner: CliRunner, tmp_path: Path) -> None:
    """Import, features, metrics and report together, on a small generated chat."""
    rows = []
    for day in range(1, 29):
        for hour, sender, text in (
            (9, "Alex", "good morning! how did the exam go?"),
            (9, "Sam", "it went well, thanks so much for asking 😊"),
            (20, "Sam", "haha remember when we got lost in the rain"),
            (21, "Alex", "so proud of you, congrats!!"),
        ):
            rows.append(("Sam", sender, f"2025-03-{day:02d}T{hour:02d}:00:00", text))
    csv_path = write_generic_csv(tmp_path / "chat.csv", rows)
    db = str(tmp_path / "e2e.duckdb")
    got = runner.invoke(cli, ["--db", db, "import", str(csv_path), "--me", "Alex", "--tz", "UTC"])
    assert got.exit_code == 0, got.output
    got = runner.invoke(cli, ["--db", db, "report", "Sam"])
    assert got.exit_code == 0, got.output
    assert "Sam" in got.output and "Being present" in got.output
    _assert_fits(got.output)
    got = runner.invoke(cli, ["--db", db, "report", "--json"])
    assert json.loads(got.output)["insights"]["overview"][0]["name"] == "Sam"


def test_missing_index_is_rounded_once_for_every_face() -> None:
    """0.3349 reads 0.33 in the heading, the sentence and the overview (never 0.34)."""
    missing = {
        "value": 0.3349,
        "interval": [0.2, 0.45],
        "enough_data": True,
        "n_episodes": 12,
        "components": {},
        "series": [],
        "evidence": [],
    }
    insights = build_insights(result(relationship(missing=missing)))
    rel = insights["relationships"][0]
    assert rel["missing"]["value_text"] == "0.33"
    assert "(0.33;" in rel["missing"]["reading"]
    assert insights["overview"][0]["missing_text"] == "0.33"
    text = _render(render_person, rel)
    assert "index 0.33" in text and "0.34" not in text
    assert " 0.33 " in _render(render_overview, insights)
