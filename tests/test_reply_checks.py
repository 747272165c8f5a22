"""Support, disclosure, good news and enthusiasm on the reply check sets (issue 17, point 2).

tests/data/replies_dev.tsv (tuned on) and replies_heldout.tsv (written and committed before
any list changed, never tuned on) are AUTHOR-WRITTEN chat, about 160 messages per language
each. A list change that breaks a language fails here: each label in each language must keep
its F1 floor (docs/features.md, "Replies in six languages") and beat always-yes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from fondly.features import compute

DATA = Path(__file__).parent / "data"
LANGS = ("en", "de", "es", "fr", "it", "pt")
COLUMNS = {"S": "support", "D": "disclosure_emotional", "G": "good_news", "E": "enthusiasm"}
SETS = ("replies_dev.tsv", "replies_heldout.tsv")

FLOORS = {"support": 0.8, "disclosure_emotional": 0.7, "good_news": 0.85, "enthusiasm": 0.85}
"""Held-out F1 each label must keep in each language (measured: support 0.885-0.951,
disclosure 0.754-0.828, good news 0.923-0.982, enthusiasm 0.909-0.943 outside English)."""

ENGLISH_SCORED = {"support": 0.45, "disclosure_emotional": 0.4}
"""English support and disclosure are the CL-Aff-fit scores (bench/validate.py checks them on
CL-Aff): on chat they read broadly (held out 0.525 and 0.476), so they have floors of their own."""


@cache
def check_set(name: str) -> tuple[tuple[str, str, str], ...]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    rows = [tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]
    assert all(len(r) == 3 for r in rows), name
    return tuple((r[0], r[1], r[2]) for r in rows)


@cache
def predictions(name: str) -> dict[str, np.ndarray]:
    cols = compute(pa.array([r[2] for r in check_set(name)]))
    return {
        c: np.asarray(cols[c].fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
        for c in COLUMNS.values()
    }


def f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float((pred & gold).sum())
    return 2 * tp / max(1.0, float(pred.sum() + gold.sum()))


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("label", list(COLUMNS))
def test_reply_detectors_keep_their_floor(name: str, lang: str, label: str) -> None:
    rows = check_set(name)
    column = COLUMNS[label]
    mine = np.array([i for i, r in enumerate(rows) if r[0] == lang])
    gold = np.array([label in rows[i][1] for i in mine])
    got = f1(predictions(name)[column][mine], gold)
    floor = ENGLISH_SCORED.get(column, FLOORS[column]) if lang == "en" else FLOORS[column]
    always_yes = 2 * gold.mean() / (1 + gold.mean())
    assert got >= floor and got > always_yes, (name, lang, column, round(got, 3))


@pytest.mark.parametrize("lang", LANGS)
def test_check_sets_hold_a_few_hundred_labelled_messages_per_language(lang: str) -> None:
    rows = [r for name in SETS for r in check_set(name) if r[0] == lang]
    assert len(rows) >= 300
    for label in COLUMNS:
        assert sum(label in r[1] for r in rows) >= 50, label
    assert {c for r in rows for c in r[1]} <= {*COLUMNS, "-"}
    assert sum(r[1] == "-" for r in rows) >= 100  # hard negatives, not only positives


def test_check_sets_say_what_they_are() -> None:
    for name in SETS:
        head = (DATA / name).read_text(encoding="utf-8")[:1500]
        assert "AUTHOR-WRITTEN" in head and "Licence:" in head, name
    assert "NEVER used for tuning" in (DATA / "replies_heldout.tsv").read_text("utf-8")[:1500]


NOT_NEWS = [
    "yay 🙌",
    "remember when we won the pub quiz",
    "did you get the job?",
    "my sister got engaged last night",
    "weißt du noch, als wir das Quiz gewonnen haben",
    "¿te dieron el trabajo?",
    "ma sœur s'est fiancée hier",
    "ti ricordi quando abbiamo vinto il torneo",
    "minha irmã ficou noiva ontem",
]


@pytest.mark.parametrize("text", NOT_NEWS)
def test_cheers_memories_questions_and_others_news_are_not_the_writers_news(text: str) -> None:
    assert compute(pa.array([text]), ["good_news"])["good_news"].to_pylist() == [False]


@pytest.mark.parametrize(
    "text",
    ["I got the job!!", "Ich hab die Stelle!", "¡Aprobé el examen!", "J'ai eu mon permis !",
     "Ho vinto la borsa di studio", "Passei na entrevista!", "my paper got accepted 🎉"],
)  # fmt: skip
def test_own_news_is_read_in_every_language(text: str) -> None:
    assert compute(pa.array([text]), ["good_news"])["good_news"].to_pylist() == [True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oh great, another monday 🙄", False),
        ("toll, es regnet schon wieder", False),
        ("I got the job, amazing!!", False),
        ("yay 🙌", False),
        ("woohoo 🎉", True),
        ("so happy for you 🎉", True),
        ("me alegro tanto por ti", True),
        ("te lo sei meritato", True),
    ],
)
def test_enthusiasm_is_for_the_other_and_not_sarcastic(text: str, expected: bool) -> None:
    assert compute(pa.array([text]), ["enthusiasm"])["enthusiasm"].to_pylist() == [expected]
