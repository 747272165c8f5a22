"""Weighted cue scores for disclosure and support: a transparent linear model.

CL-Aff's disclosure labels are broad ("I'm now 65", "She posted a screenshot of
his porn history", "Thanks for sharing the story"), so a single phrase list either
misses most of them or fires on everything first-person. Instead a handful of cue
counts (pronouns, feeling words, people and life facts, narration, advice, sympathy,
VADER affect, punctuation) are summed with weights and compared with a threshold.
The weights and thresholds are data (``data/disclosure_weights.txt``), fit on
CL-Aff's training split only by ``bench/fit_disclosure.py``; every function here is
pure and vectorised, so 1M messages cost a few hash lookups over the token array.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fondly.features import _lexicon as lx
from fondly.features._text import Prepared, count_tokens

CUE_PARTS = (
    "feeling",
    "myfeeling",
    "people",
    "life",
    "narrative",
    "advice",
    "sympathy",
    "youphrase",
    "my",
)
"""Sections ``en.<part>`` of ``data/disclosure_cues.txt``; each is one count."""

SCORED_LANGS = ("en", "und")
"""Languages the weights were fit for; other languages keep the phrase-list rules."""


@dataclass(frozen=True)
class Model:
    """One column's weights: score = bias + sum(weight * cue); yes where score >= threshold."""

    bias: float
    threshold: float
    weights: dict[str, float]


@cache
def models() -> dict[str, Model]:
    """Read ``data/disclosure_weights.txt`` once: ``[column]`` sections of ``name value`` lines."""
    text = resources.files("fondly.features").joinpath("data/disclosure_weights.txt")
    return parse_models(text.read_text("utf-8"))


def parse_models(text: str) -> dict[str, Model]:
    """Parse the weights format (see ``data/disclosure_weights.txt``)."""
    raw: dict[str, dict[str, float]] = {}
    current: dict[str, float] | None = None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = raw.setdefault(line[1:-1].strip(), {})
            continue
        name, _, value = line.partition(" ")
        if current is None or not value.strip():
            raise ValueError(f"disclosure weights: bad line {line!r}")
        current[name] = float(value)
    return {
        col: Model(
            w.pop("bias", 0.0), w.pop("threshold", 0.0), {k: v for k, v in w.items() if v != 0.0}
        )
        for col, w in raw.items()
    }


def _floats(arr: pa.Array, fill: float = 0.0) -> np.ndarray:
    return np.asarray(arr.fill_null(fill).to_numpy(zero_copy_only=False), dtype=np.float64)


def cues(
    prep: Prepared, cols: dict[str, pa.Array], flags: dict[str, pa.Array]
) -> dict[str, np.ndarray]:
    """Every cue the models may weigh, one float array per cue, for all rows.

    Counts enter as log(1 + count): the second "my" says less than the first.
    ``flags`` are the phrase-list hits (0/1) the scores also read.
    """
    n = len(prep)
    lex = lx.load("disclosure_cues")
    out: dict[str, np.ndarray] = {}
    rows = np.arange(n)
    for part in CUE_PARTS:
        out[part] = np.log1p(count_tokens(prep, rows, lex.terms(f"en.{part}")).astype(np.float64))
    for p in ("i", "we", "you"):
        out[p] = np.log1p(_floats(cols[f"{p}_words"]))
    out["words"] = np.log1p(_floats(prep.n_words))
    sent = _floats(cols["sentiment"])
    out["pos"] = np.maximum(sent, 0.0)
    out["neg"] = np.maximum(-sent, 0.0)
    lower = prep.lower
    out["qmark"] = _has(lower, r"[?¿？]")
    out["exclaim"] = _has(lower, "!")
    # The labels read "the writer's own feelings / facts": cues count most beside "I".
    self_ = np.minimum(out["i"] + out["we"], 1.0)
    out["self_feeling"] = self_ * out["feeling"]
    out["self_affect"] = self_ * np.abs(sent)
    out["self_people"] = self_ * out["people"]
    out["self_life"] = self_ * out["life"]
    for name, arr in flags.items():
        out[name] = _floats(arr.cast(pa.float64()))
    return out


def _has(texts: pa.Array, pattern: str) -> np.ndarray:
    found = pc.match_substring_regex(texts, pattern).fill_null(False)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.float64)


def score(model: Model, features: dict[str, np.ndarray], n: int) -> np.ndarray:
    """The model's score per row (before the threshold)."""
    total = np.full(n, model.bias, dtype=np.float64)
    for name, weight in model.weights.items():
        total += weight * features[name]
    return total


def scored_rows(prep: Prepared) -> np.ndarray:
    """Rows whose language the weights were fit for."""
    lang = np.asarray(prep.lang.to_numpy(zero_copy_only=False), dtype=object)
    return np.isin(lang, SCORED_LANGS)
