"""The question detector beats the bare "?" rule on well-punctuated text (issue 17, point 6).

The check set (tests/data/questions_en.tsv) is author-written, not a sourced corpus: no openly
licensed dialogue-act corpus was reachable from the registries this project may use (see
docs/features.md). It holds the statements that used to read as questions (wh-words, "I
wonder", reported questions, links) beside ordinary questions and statements.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from fondly.features import compute

CHECK = Path(__file__).parent / "data" / "questions_en.tsv"


def load() -> tuple[list[str], np.ndarray]:
    rows = [
        line.rstrip("\n").split("\t", 1)
        for line in CHECK.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return [r[1] for r in rows], np.array([r[0] == "1" for r in rows])


def f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float((pred & gold).sum())
    return 2 * tp / max(1.0, float(pred.sum() + gold.sum()))


def test_check_set_is_a_few_hundred_balanced_examples() -> None:
    texts, gold = load()
    assert len(texts) >= 150 and 0.35 < gold.mean() < 0.65


def test_detector_beats_the_bare_question_mark_rule() -> None:
    texts, gold = load()
    ours = np.asarray(compute(pa.array(texts), ["question"])["is_question"].fill_null(False))
    bare = np.array(["?" in t for t in texts])
    assert f1(ours, gold) > f1(bare, gold)
    assert f1(ours, gold) >= 0.95


def test_punctuated_statements_with_question_words_are_not_questions() -> None:
    texts = [
        "What I mean is, it was fine in the end.",
        "I wonder if it will rain tomorrow.",
        '"Are you okay?" she asked, and I just cried.',
        "The link is https://example.com/menu?day=friday for the menu.",
    ]
    assert compute(pa.array(texts), ["question"])["is_question"].to_pylist() == [False] * 4


def test_unpunctuated_chat_questions_still_read() -> None:
    texts = ["are you coming", "did you eat 😊", "how was it...", "wbu"]
    assert compute(pa.array(texts), ["question"])["is_question"].to_pylist() == [True] * 4


SIX = Path(__file__).parent / "data"
SETS = ("questions_tuning_6lang.tsv", "questions_heldout_6lang.tsv")
"""Author-written in all six languages: the tuning set changed the lists, the held-out one never."""
FLOORS = {"questions_tuning_6lang.tsv": 0.88, "questions_heldout_6lang.tsv": 0.93}
"""F1 each language must keep (measured: tuned 0.92-1.00, held out 0.96-1.00)."""


def load_six(name: str, lang: str) -> tuple[list[str], np.ndarray]:
    rows = [
        line.split("\t", 2)
        for line in (SIX / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    mine = [r for r in rows if r[0] == lang]
    return [r[2] for r in mine], np.array([r[1] == "1" for r in mine])


def test_english_stand_in_for_a_dialogue_act_corpus_holds_three_hundred() -> None:
    texts, gold = load()
    for name in SETS:
        more, labels = load_six(name, "en")
        texts, gold = texts + more, np.concatenate([gold, labels])
    assert len(texts) >= 300
    ours = np.asarray(compute(pa.array(texts), ["question"])["is_question"].fill_null(False))
    bare = np.array(["?" in t for t in texts])
    assert f1(ours, gold) > f1(bare, gold)


@pytest.mark.parametrize("lang", ["de", "es", "fr", "it", "pt"])
def test_every_language_has_a_hundred_and_fifty_checks(lang: str) -> None:
    sizes = [len(load_six(name, lang)[0]) for name in SETS]
    assert sum(sizes) >= 148 and all(n >= 70 for n in sizes)


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("lang", ["en", "de", "es", "fr", "it", "pt"])
def test_questions_beat_the_bare_mark_in_every_language(name: str, lang: str) -> None:
    texts, gold = load_six(name, lang)
    ours = np.asarray(compute(pa.array(texts), ["question"])["is_question"].fill_null(False))
    bare = np.array([("?" in t) or ("¿" in t) for t in texts])
    assert f1(ours, gold) >= FLOORS[name] and f1(ours, gold) > f1(bare, gold), (
        lang,
        f1(ours, gold),
    )


def test_rhetorical_questions_and_quoted_ones_ask_nothing() -> None:
    texts = [
        "Who needs sleep when you have coffee?",
        "¿Por qué siempre nos pasa a nosotros?",
        '"¿Por qué yo?", repetía.',
        "« Pourquoi moi ? » répétait-elle.",
        "dónde estás",
        "t'es où",
    ]
    got = compute(pa.array(texts), ["question"])["is_question"].to_pylist()
    assert got == [False, False, False, False, True, True]
