"""Languages fondly does not read are said, not scored (issue 17, point 3)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from fondly.features import compute as features
from fondly.features import update_store
from fondly.importers import ImportOptions
from fondly.ingest import import_paths
from fondly.metrics import compute
from fondly.metrics.coverage import LANGUAGE_FREE, READ_THRESHOLD, block
from fondly.store import Store
from tests.conftest import write_generic_csv

ENGLISH = [
    "how was your day? did the interview go well?",
    "it went really well, I think they liked me",
    "that's amazing, I'm so proud of you!",
    "thank you, I miss you so much",
    "I miss you too, can't wait to see you this weekend",
    "what are you up to tonight?",
]
RUSSIAN = [
    "Привет, как у тебя дела сегодня?",
    "Всё хорошо, я очень скучаю по тебе",
    "Я тоже скучаю, давай встретимся в субботу",
    "Спасибо тебе большое за вчерашний вечер",
    "Как прошло твоё собеседование на работе?",
    "Отлично, мне кажется они меня возьмут",
]


def story(
    chat: str, other: str, lines: list[str], days: int = 40
) -> list[tuple[str, str, str, str]]:
    """A chat of ``days`` daily sessions, alternating speakers, one silence every 8 days."""
    rows = []
    start = dt.datetime(2024, 1, 1, 9, 0)
    for day in range(days):
        when = start + dt.timedelta(days=day + 3 * (day // 8))
        for i, text in enumerate(lines):
            sender = "Alex" if i % 2 == 0 else other
            ts = (when + dt.timedelta(minutes=4 * i)).strftime("%Y-%m-%d %H:%M:%S")
            rows.append((chat, sender, ts, text))
    return rows


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder: Path = tmp_path_factory.mktemp("coverage")
    store = Store(folder / "fondly.duckdb")
    try:
        for name, other, lines in (("sam", "Sam", ENGLISH), ("masha", "Masha", RUSSIAN)):
            path = write_generic_csv(folder / f"{name}.csv", story(name, other, lines))
            import_paths(store, [path], ImportOptions(tz="Europe/Berlin", me="Alex"))
        update_store(store)
        return compute(store)
    finally:
        store.close()


def rel(result: dict, name: str) -> dict:
    return next(r for r in result["relationships"] if r["person"]["name"] == name)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ik heb het niet gezien maar het was leuk", "nl"),
        ("Nie wiem co robić, tęsknię za tobą", "pl"),
        ("Bugün çok güzel bir gün, seni özledim", "tr"),
        ("aku kangen kamu banget sayang", "id"),
        ("jag saknar dig så mycket idag", "sv"),
        ("Привет, как у тебя дела?", "ru"),
        ("I am so happy today and I miss you", "en"),
        ("Ich bin heute so traurig und müde", "de"),
        ("estou com saudade de você", "pt"),
    ],
)
def test_common_unread_languages_are_named_not_undetermined(text: str, code: str) -> None:
    cols = features(pa.array([text]), ["language", "sentiment", "missing"])
    assert cols["lang"].to_pylist() == [code]
    if code not in ("en", "de", "pt"):
        # not read: NULL, never an English reading of it
        assert cols["sentiment"].to_pylist() == [None]
        assert cols["missing"].to_pylist() == [None]


def test_mixed_chat_is_read_message_by_message() -> None:
    cols = features(pa.array([RUSSIAN[1], ENGLISH[3]]), ["missing"])
    assert cols["missing"].to_pylist() == [None, True]


def test_coverage_block_counts_named_languages_only() -> None:
    b = block({"ru": 60, "en": 20, "und": 50})
    assert b["supported_share"] == pytest.approx(0.25)
    assert b["not_read"] == "Russian"
    assert b["still_holds"] == sorted(LANGUAGE_FREE)
    mixed = block({"en": 60, "ru": 40, "und": 5})
    assert mixed["supported_share"] == pytest.approx(0.6) and mixed["not_read"] is None
    assert block({"und": 9})["supported_share"] is None  # nothing named: nothing to say
    assert 0 < READ_THRESHOLD < 1


def test_english_relationship_is_read(result: dict) -> None:
    language = rel(result, "Sam")["language"]
    assert language["not_read"] is None
    assert language["supported_share"] == pytest.approx(1.0)
    assert "not_read" not in rel(result, "Sam")["metrics"]["affection"]


def test_russian_relationship_says_not_read_instead_of_scoring(result: dict) -> None:
    r = rel(result, "Masha")
    assert r["language"]["not_read"] == "Russian"
    assert r["language"]["supported_share"] < READ_THRESHOLD
    for metric_id, metric in r["metrics"].items():
        if metric_id in LANGUAGE_FREE:
            assert "not_read" not in metric
        else:
            assert metric["not_read"] == "Russian", metric_id
            assert metric["me"] is None and metric["them"] is None and metric["pair"] is None
    # timing still holds
    assert r["metrics"]["initiation_share"]["me"]["value"] is not None
    assert r["metrics"]["reply_latency"]["me"] is not None
    index = r["missing_index"]
    assert index["not_read"] == "Russian"
    assert index["components"]["explicit_missing"]["not_read"] == "Russian"
    assert index["components"]["explicit_missing"]["value"] is None
    assert "not_read" not in index["components"]["partner_breaks"]


def test_report_says_not_read_and_what_still_holds(result: dict) -> None:
    from io import StringIO

    from rich.console import Console

    from fondly.insights import build_insights
    from fondly.report.terminal import render_person

    insights = build_insights(result)
    masha = next(r for r in insights["relationships"] if r["name"] == "Masha")
    assert "Russian" in masha["language"]["note"] and "still hold" in masha["language"]["note"]
    care = next(row for row in masha["scorecard"] if row["practice"] == "care")
    assert care["headline"]["me_text"] == "not read" and care["short"] == "not read (Russian)"
    assert care["certainty"]["level"] == "low"
    said = {c["id"]: c["text"] for c in masha["missing"]["components"]}
    assert said["explicit_missing"] == "not read" and said["partner_breaks"] != "not read"
    assert masha["missing"]["certainty"]["level"] != "high"
    out = StringIO()
    render_person(masha, Console(file=out, width=100))
    assert "not read (Russian)" in out.getvalue() and "does not read" in out.getvalue()
    sam = next(r for r in insights["relationships"] if r["name"] == "Sam")
    assert sam["language"]["note"] is None


def test_html_report_says_not_read(result: dict, tmp_path: Path) -> None:
    from fondly.insights import build_insights
    from fondly.report.html import write_person

    insights = build_insights(result)
    masha = next(r for r in insights["relationships"] if r["name"] == "Masha")
    page = write_person(masha, tmp_path / "masha.html", insights=insights)
    page = page.read_text(encoding="utf-8")
    assert "not read (Russian)" in page and "which fondly does not read" in page
    assert "not read together" not in page
