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


CHAT_TUNED = "sentiment_chat_tuning.tsv"
CHAT_HELD_OUT = "sentiment_chat_heldout.tsv"
"""Chat messages with neutral ones (label 0, logistics the scorer should leave at 0); the held-out
set was committed before the valence list changed for the tuning one."""
CHAT_FLOORS = {CHAT_TUNED: 0.88, CHAT_HELD_OUT: 0.85}
"""Three-class macro-F1 each language must keep (measured: tuned 0.91-0.97, held out
0.89-0.93; always-positive 0.175)."""


def three_class_f1(name: str, lang: str) -> tuple[float, float]:
    """Macro-F1 over positive, negative and neutral, and always-positive's."""
    rows = [r for r in load(name) if r[0] == lang]
    scores = compute(pa.array([r[2] for r in rows]), ["sentiment"])["sentiment"]
    pred = np.sign(np.asarray(scores.fill_null(0.0).to_numpy(zero_copy_only=False)))
    gold = np.array([r[1] for r in rows])

    def f1(p: np.ndarray) -> float:
        out = []
        for c in (1, 0, -1):
            tp = float(((p == c) & (gold == c)).sum())
            out.append(2 * tp / max(1.0, float((p == c).sum() + (gold == c).sum())))
        return float(np.mean(out))

    return f1(pred), f1(np.ones(len(gold)))


def test_chat_sets_are_a_few_hundred_per_language_with_all_three_classes() -> None:
    names = (*TUNED, HELD_OUT, CHAT_TUNED, CHAT_HELD_OUT)
    for lang in ("de", "es", "fr", "it", "pt"):
        rows = [r for name in names for r in load(name) if r[0] == lang]
        assert len(rows) >= 200
        assert {r[1] for r in rows} == {-1, 0, 1}


@pytest.mark.parametrize("name", [CHAT_TUNED, CHAT_HELD_OUT])
@pytest.mark.parametrize("lang", ["de", "es", "fr", "it", "pt"])
def test_chat_sentiment_keeps_its_floor(name: str, lang: str) -> None:
    ours, baseline = three_class_f1(name, lang)
    assert ours >= CHAT_FLOORS[name] > baseline, (lang, ours)


def test_intensifiers_lend_strength_and_do_not_praise() -> None:
    texts = ["J'ai super mal au genou", "Das Essen war super", "Estoy muy triste"]
    got = compute(pa.array(texts), ["sentiment"])["sentiment"].to_pylist()
    assert got[0] < 0 < got[1]
    assert got[2] < compute(pa.array(["Estoy triste"]), ["sentiment"])["sentiment"][0].as_py()


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
