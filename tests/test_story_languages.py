"""One story chat in English, German and Spanish reads alike (issue 17, point 4).

The story (tests/data/story_en_de_es.tsv, author-written) is told three times with the same
timing, once per language, each to a different person; the detectors and the key metrics
(questions, follow-ups, affection, sentiment sign, support) must agree with the English
telling within a tolerance.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from fondly.features import compute as features
from fondly.features import update_store
from fondly.importers import ImportOptions
from fondly.ingest import import_paths
from fondly.metrics import compute
from fondly.store import Store
from tests.conftest import write_generic_csv

STORY = Path(__file__).parent / "data" / "story_en_de_es.tsv"
LANGS = ("en", "de", "es")
OTHERS = {"en": "Sam", "de": "Lena", "es": "Lucía"}


def episodes() -> dict[str, list[tuple[str, dict[str, str]]]]:
    out: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for line in STORY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, who, *texts = line.split("\t")
            out.setdefault(name, []).append((who, dict(zip(LANGS, texts, strict=True))))
    return out


def lines() -> list[dict[str, str]]:
    return [texts for eps in episodes().values() for _, texts in eps]


def story(lang: str, days: int = 70) -> list[tuple[str, str, str, str]]:
    """Two episodes a day, in the same order and at the same times for every language."""
    rng = random.Random(17)
    eps = episodes()
    names = sorted(eps)
    rows = []
    for day in range(days):
        at = dt.datetime(2024, 3, 1, 18, 0) + dt.timedelta(days=day)
        for name in rng.sample(names, 2):
            for who, texts in eps[name]:
                at += dt.timedelta(minutes=rng.randint(1, 6))
                sender = "Alex" if who == "A" else OTHERS[lang]
                rows.append((f"chat-{lang}", sender, at.strftime("%Y-%m-%d %H:%M:%S"), texts[lang]))
            at += dt.timedelta(hours=2)
    return rows


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("story")
    store = Store(folder / "fondly.duckdb")
    try:
        for lang in LANGS:
            path = write_generic_csv(folder / f"{lang}.csv", story(lang))
            import_paths(store, [path], ImportOptions(tz="Europe/Berlin", me="Alex"))
        update_store(store)
        return compute(store)
    finally:
        store.close()


def metrics_of(result: dict, lang: str) -> dict:
    rel = next(r for r in result["relationships"] if r["person"]["name"] == OTHERS[lang])
    return rel["metrics"]


def value(metric: dict, who: str) -> float:
    cell = metric[who]
    assert cell is not None and cell["value"] is not None, metric["id"]
    return float(cell["value"])


COLUMNS = ("is_question", "affection", "support", "good_news", "enthusiasm", "gratitude")


@pytest.mark.parametrize("lang", ["de", "es"])
def test_detectors_agree_line_by_line(lang: str) -> None:
    texts = lines()
    en = features(pa.array([t["en"] for t in texts]))
    other = features(pa.array([t[lang] for t in texts]))
    assert set(other["lang"].to_pylist()) <= {lang, "und"}
    for column in COLUMNS:
        a = np.asarray(en[column].fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
        b = np.asarray(other[column].fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
        assert (a == b).mean() >= 0.85, (
            column,
            [t[lang] for t, x, y in zip(texts, a, b, strict=True) if x != y],
        )
    s_en = np.sign(np.round(en["sentiment"].fill_null(0.0).to_numpy(zero_copy_only=False), 1))
    s_ot = np.sign(np.round(other["sentiment"].fill_null(0.0).to_numpy(zero_copy_only=False), 1))
    opposite = (s_en * s_ot) < 0
    assert not opposite.any(), [t[lang] for t, o in zip(texts, opposite, strict=True) if o]


@pytest.mark.parametrize("lang", ["de", "es"])
@pytest.mark.parametrize(
    ("metric_id", "who", "tolerance"),
    [
        ("question_share", "me", 0.10),
        ("question_share", "them", 0.10),
        ("followup_questions", "me", 0.15),
        ("affection", "me", 0.10),
        ("affection", "them", 0.10),
        ("positive_share", "me", 0.15),
        ("positive_share", "them", 0.15),
        ("supportive_replies", "me", 0.15),
    ],
)
def test_key_metrics_agree_with_english(
    result: dict, lang: str, metric_id: str, who: str, tolerance: float
) -> None:
    en = value(metrics_of(result, "en")[metric_id], who)
    other = value(metrics_of(result, lang)[metric_id], who)
    assert abs(en - other) <= tolerance, (metric_id, who, en, other)


def test_every_telling_is_read(result: dict) -> None:
    for lang in LANGS:
        rel = next(r for r in result["relationships"] if r["person"]["name"] == OTHERS[lang])
        assert rel["language"]["not_read"] is None
