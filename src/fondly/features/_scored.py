"""Weighted cue scores for disclosure and support: a transparent linear model.

CL-Aff's disclosure labels are broad ("I'm now 65", "She posted a screenshot of
his porn history", "Thanks for sharing the story"), so a single phrase list either
misses most of them or fires on everything first-person. Instead cue counts
(pronouns, feeling words by kind, people and life facts by kind, narration, advice,
sympathy, VADER affect, punctuation) and a table of per-word weights are summed
with weights and compared with a threshold. The weights and thresholds are data
(``data/disclosure_weights.txt``, ``data/disclosure_words.txt``), fit on CL-Aff's
training split only by ``bench/fit_disclosure.py``; every function here is pure and
vectorised, so 1M messages cost a few hash lookups over the token array. CL-Aff's
rows are sentences, so a message of several sentences is scored sentence by sentence
(:func:`text_scores`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fondly.features import _lexicon as lx
from fondly.features._text import Prepared, count_tokens, split_terms

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
    "work",
    "school",
    "health",
    "positive",
    "negative",
    "tears",
    "intensifier",
    "interjection",
    "thanks",
    "mental",
    "general",
)
"""Sections ``en.<part>`` of ``data/disclosure_cues.txt``; each is one count."""

SELF_PAST_PARTS = ("subject", "past")
"""Sections read in pairs: a subject right before a past-tense verb ("self_past")."""

PAST_SUFFIX = "ed"
"""Besides ``en.past``, a word of four letters or more ending in -ed reads as past tense."""

SCORED_LANGS = ("en", "und")
"""Languages the weights were fit for; other languages keep the phrase-list rules."""


@dataclass(frozen=True)
class Model:
    """One column's weights: score = bias + sum(weight * cue); yes where score >= threshold.

    The shipped models are class-balanced logistic regressions, so the score is the
    log-odds with both classes weighed alike; the threshold is the one with the best
    F1 on the training split's out-of-fold scores (``bench/fit_disclosure.py``).
    A text of several sentences scores its best sentence plus ``length`` times the log
    of its number of sentences (:func:`text_scores`), unless ``by_sentence`` is false:
    then every text is scored whole.
    """

    bias: float
    threshold: float
    weights: dict[str, float]
    length: float = 0.0
    by_sentence: bool = True


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
    models = {}
    for col, w in raw.items():
        bias, threshold, length = w.pop("bias", 0.0), w.pop("threshold", 0.0), w.pop("length", 0.0)
        by_sentence = w.pop("by_sentence", 1.0) != 0.0
        weights = {k: v for k, v in w.items() if v != 0.0}
        models[col] = Model(bias, threshold, weights, length, by_sentence)
    return models


@cache
def word_table() -> tuple[tuple[str, ...], pa.Array, np.ndarray]:
    """Read ``data/disclosure_words.txt`` once: (columns, words, weights[word, column])."""
    text = resources.files("fondly.features").joinpath("data/disclosure_words.txt")
    return parse_words(text.read_text("utf-8"))


def parse_words(text: str) -> tuple[tuple[str, ...], pa.Array, np.ndarray]:
    """Parse the word-weights format: ``[columns]`` names them, ``[words]`` holds ``word w...``.

    It is a lexicon file (:func:`fondly.features._lexicon.parse`) whose entries carry numbers.
    """
    lex = lx.parse("disclosure_words", text)
    columns = tuple(" ".join(lex.terms("columns")).split())
    words: list[str] = []
    weights: list[list[float]] = []
    for line in lex.terms("words"):
        parts = line.split()
        if len(parts) != len(columns) + 1:
            raise ValueError(f"disclosure words: expected {len(columns) + 1} fields per line")
        words.append(parts[0])
        weights.append([float(v) for v in parts[1:]])
    table = np.array(weights, dtype=np.float64).reshape(len(words), len(columns))
    return columns, pa.array(words, pa.string()), table


def _floats(arr: pa.Array, fill: float = 0.0) -> np.ndarray:
    return np.asarray(arr.fill_null(fill).to_numpy(zero_copy_only=False), dtype=np.float64)


@dataclass(frozen=True)
class _Lookup:
    """One hash table for every plain word the cues and the word table look up.

    Twenty word classes and a word table would cost twenty-odd hash passes over the
    token array; one ``index_in`` over the union and a boolean column per class cost one.
    """

    words: pa.Array
    member: dict[str, np.ndarray]
    phrases: dict[str, list[str]]
    weights: np.ndarray
    columns: tuple[str, ...]


@cache
def _lookup() -> _Lookup:
    lex = lx.load("disclosure_cues")
    columns, table_words, table = word_table()
    plain: dict[str, list[str]] = {}
    phrases: dict[str, list[str]] = {}
    for part in (*CUE_PARTS, *SELF_PAST_PARTS):
        words, prefixes, patterns = split_terms(lex.terms(f"en.{part}"))
        plain[part] = words
        if prefixes or patterns:
            phrases[part] = [*(f"{p}\\pL*" for p in prefixes), *patterns]
    union = sorted({w for ws in plain.values() for w in ws} | set(table_words.to_pylist()))
    at = {w: i for i, w in enumerate(union)}
    member = {}
    for part, words in plain.items():
        member[part] = np.zeros(len(union), dtype=bool)
        member[part][[at[w] for w in words]] = True
    weights = np.zeros((len(union), len(columns)))
    weights[[at[w] for w in table_words.to_pylist()]] = table
    return _Lookup(pa.array(union, pa.string()), member, phrases, weights, columns)


def cues(
    prep: Prepared, cols: dict[str, pa.Array], flags: dict[str, pa.Array]
) -> dict[str, np.ndarray]:
    """Every cue the models may weigh, one float array per cue, for all rows.

    Counts enter as log(1 + count): the second "my" says less than the first.
    ``flags`` are the phrase-list hits (0/1) the scores also read. ``vocab_<column>``
    is the sum of that column's word weights over the text's tokens.
    """
    n = len(prep)
    look = _lookup()
    index = pc.index_in(prep.tokens, value_set=look.words).fill_null(-1)
    position = np.asarray(index.to_numpy(zero_copy_only=False), dtype=np.int64)
    found = np.flatnonzero(position >= 0)
    word, row = position[found], prep.token_row[found]
    out: dict[str, np.ndarray] = {}
    every = np.arange(n)
    for part in CUE_PARTS:
        count = np.bincount(row[look.member[part][word]], minlength=n)
        if part in look.phrases:
            count += count_tokens(prep, every, look.phrases[part])
        out[part] = np.log1p(count.astype(np.float64))
    for j, column in enumerate(look.columns):
        out[f"vocab_{column}"] = np.bincount(row, weights=look.weights[word, j], minlength=n)
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
    out["self_past"] = np.log1p(_self_past(prep, look, found, word))
    for name, arr in flags.items():
        out[name] = _floats(arr.cast(pa.float64()))
    return out


def _self_past(prep: Prepared, look: _Lookup, found: np.ndarray, word: np.ndarray) -> np.ndarray:
    """How often a first-person subject is followed by a past-tense verb ("i went", "we moved")."""
    n = len(prep)
    tokens = prep.tokens
    subject = np.zeros(len(tokens), dtype=bool)
    subject[found] = look.member["subject"][word]
    if len(tokens) < 2 or not subject[:-1].any():
        return np.zeros(n)
    # Only tokens right after a subject can complete a pair: test just those for -ed.
    after = np.flatnonzero(subject[:-1]) + 1
    past = np.zeros(len(tokens), dtype=bool)
    past[found] = look.member["past"][word]
    nxt = tokens.take(pa.array(after))
    ends = pc.and_(pc.ends_with(nxt, PAST_SUFFIX), pc.greater_equal(pc.utf8_length(nxt), 4))
    past[after] |= np.asarray(ends.to_numpy(zero_copy_only=False), dtype=bool)
    row = prep.token_row
    pair = subject[:-1] & past[1:] & (row[1:] == row[:-1])
    return np.bincount(row[1:][pair], minlength=n).astype(np.float64)


def _has(texts: pa.Array, pattern: str) -> np.ndarray:
    found = pc.match_substring_regex(texts, pattern).fill_null(False)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.float64)


def score(model: Model, features: dict[str, np.ndarray], n: int) -> np.ndarray:
    """The model's score per row (before the threshold)."""
    total = np.full(n, model.bias, dtype=np.float64)
    for name, weight in model.weights.items():
        total += weight * features[name]
    return total


@dataclass(frozen=True)
class Sentences:
    """The sentences of the texts that hold several, cut by ``_text.split_sentences``.

    Attributes:
        prep: the distinct sentences, prepared in their texts' languages.
        cues: their cues (as :func:`cues` gives them).
        index: for each sentence, its row in ``prep``.
        parent: for each sentence, the text it belongs to (ascending).
    """

    prep: Prepared
    cues: dict[str, np.ndarray]
    index: np.ndarray
    parent: np.ndarray


def text_scores(
    model: Model, whole: dict[str, np.ndarray], sentences: Sentences | None, n: int
) -> np.ndarray:
    """Each text's score: a text of several sentences scores as its best sentence plus
    ``model.length * log(sentences)``; any other text, and every text of a model read
    whole (``by_sentence`` false), is scored whole.

    CL-Aff labels sentences, and a comment discloses if any of its sentences does; the
    weights were fit on sentences, so a message is read the same way, sentence by
    sentence. Its best sentence alone misses what more sentences add (more chances to
    disclose): the length term, fit on CL-Aff training comments, adds that back.
    """
    out = score(model, whole, n)
    if sentences is None or not model.by_sentence:
        return out
    each = score(model, sentences.cues, len(sentences.prep))[sentences.index]
    return best_sentence(out, each, sentences.parent, model.length)


def best_sentence(
    whole: np.ndarray, each: np.ndarray, parent: np.ndarray, length: float
) -> np.ndarray:
    """``whole`` where a text was not cut; elsewhere its best sentence's score (``each``,
    one per sentence, ``parent`` its text) plus ``length * log(number of sentences)``."""
    out = whole.copy()
    texts, at, count = np.unique(parent, return_inverse=True, return_counts=True)
    best = np.full(len(texts), -np.inf)
    np.maximum.at(best, at, each)
    out[texts] = best + length * np.log(count)
    return out


def scored_rows(prep: Prepared) -> np.ndarray:
    """Rows whose language the weights were fit for.

    A text too short to name its language ('und') is scored only when its few words do
    not lean to another language: "Cuídate mucho, mejórate pronto." keeps the rules and
    their lists in every language, which read it; English weights would not.
    """
    lang = np.asarray(prep.lang.to_numpy(zero_copy_only=False), dtype=object)
    rows = np.isin(lang, SCORED_LANGS)
    if len(prep.other_votes) == len(lang):
        foreign = (prep.other_votes >= 2) & (prep.other_votes > prep.en_votes)
        rows &= ~((lang == "und") & foreign)
    return rows
