"""Sentiment in the five languages VADER does not read (issue 17, point 1).

Read with fondly's valence list (data/valence.txt) scored the way VADER scores. The check set
(tests/data/sentiment_check.tsv) is AUTHOR-WRITTEN and small: no openly licensed labelled chat
sentiment data in these languages was reachable from the registries this project may use.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from fondly.features import compute

DATA = Path(__file__).parent / "data"
TUNED = ("sentiment_check.tsv", "sentiment_dev.tsv")
"""Sets the list was written or extended with: it must read them (nearly) all."""
HELD_OUT = "sentiment_heldout.tsv"
"""Written after the list and never used to change it."""


def load(name: str = TUNED[0]) -> list[tuple[str, int, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, label, text = line.split("\t", 2)
            rows.append((lang, int(label), text))
    return rows


def macro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    out = []
    for sign in (1, -1):
        tp = float(((pred == sign) & (gold == sign)).sum())
        out.append(2 * tp / max(1.0, float((pred == sign).sum() + (gold == sign).sum())))
    return float(np.mean(out))


def sign_f1(name: str, lang: str) -> tuple[float, float]:
    """Macro-F1 of the sentiment sign on one set and language, and always-positive's."""
    rows = [r for r in load(name) if r[0] == lang]
    scores = compute(pa.array([r[2] for r in rows]), ["sentiment"])["sentiment"]
    pred = np.sign(np.asarray(scores.fill_null(0.0).to_numpy(zero_copy_only=False)))
    gold = np.array([r[1] for r in rows])
    return macro_f1(pred, gold), macro_f1(np.ones(len(gold)), gold)  # the latter 1/3


@pytest.mark.parametrize("name", TUNED)
@pytest.mark.parametrize("lang", ["de", "es", "fr", "it", "pt"])
def test_sign_on_the_sets_the_list_was_tuned_on(name: str, lang: str) -> None:
    ours, baseline = sign_f1(name, lang)
    assert ours >= 0.9 > baseline


@pytest.mark.parametrize("lang", ["de", "es", "fr", "it", "pt"])
def test_sign_on_the_held_out_set_beats_always_positive(lang: str) -> None:
    ours, baseline = sign_f1(HELD_OUT, lang)
    assert ours >= 0.6 > baseline  # measured 0.69-0.82 (docs/features.md)


def test_negation_turns_a_word_around_and_unread_languages_stay_null() -> None:
    texts = ["Das ist wirklich gut heute", "Das ist nicht gut heute", "Привет, как у тебя дела?"]
    got = compute(pa.array(texts), ["sentiment"])["sentiment"].to_pylist()
    assert got[0] > 0 > got[1]
    assert got[2] is None


def test_english_is_still_vader() -> None:
    from fondly.features._sentiment import analyzer

    text = "I am so happy today, thank you!"
    got = compute(pa.array([text]), ["sentiment"])["sentiment"].to_pylist()[0]
    assert got == pytest.approx(analyzer().polarity_scores(text)["compound"])
