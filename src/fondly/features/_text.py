"""Normalised text, token counts and the language guess that every detector shares.

A chat store holds millions of short messages, so nothing here loops in Python per
message: each step is one pyarrow.compute kernel (RE2 regexes, string kernels) over
a whole array, and the language decision is numpy arithmetic over per-language
vote counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fondly.features import _lexicon as lx

# Tokens are letter/digit runs with inner apostrophes ("don't", "j'aime").
TOKEN = r"[\pL\pN]+(?:'[\pL\pN]+)*"

# Scripts fondly has no word lists for; a text written mostly in one of them gets
# that script's main language code, so detectors say NULL rather than misread it.
_SCRIPTS = [
    ("ru", r"\p{Cyrillic}"),
    ("el", r"\p{Greek}"),
    ("ar", r"\p{Arabic}"),
    ("he", r"\p{Hebrew}"),
    ("ko", r"\p{Hangul}"),
    ("ja", r"[\p{Hiragana}\p{Katakana}]"),
    ("zh", r"\p{Han}"),
    ("th", r"\p{Thai}"),
    ("hi", r"\p{Devanagari}"),
]

MIN_WORDS = 3
"""Fewer word tokens than this and the language is 'und': two words rarely tell."""

MIN_VOTES = 2
"""A language needs at least this many stop-word or spelling votes to be named."""


@dataclass
class Prepared:
    """Everything the detectors read, computed once per array of texts.

    Attributes:
        lower: case-folded text with typographic apostrophes made plain.
        spaced: tokens separated by two spaces and padded by one (see
            :func:`fondly.features._lexicon.token_pattern`).
        n_words: word tokens per text.
        lang: ISO 639-1 code or 'und' per text.
        en_votes, other_votes: English votes and the best other language's votes;
            sentiment uses them to decide whether an 'und' text is English enough.
    """

    lower: pa.StringArray
    spaced: pa.StringArray
    n_words: pa.Int32Array
    lang: pa.StringArray
    en_votes: np.ndarray
    other_votes: np.ndarray
    _groups: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lower)

    def groups(self) -> dict[str, np.ndarray]:
        """Row indices per language group: the six languages, 'und' and 'other'."""
        if not self._groups:
            codes = np.asarray(self.lang.to_numpy(zero_copy_only=False), dtype=object)
            for key in (*lx.LANGUAGES, "und"):
                idx = np.flatnonzero(codes == key)
                if len(idx):
                    self._groups[key] = idx
            known = np.isin(codes, [*lx.LANGUAGES, "und"])
            other = np.flatnonzero(~known)
            if len(other):
                self._groups["other"] = other
        return self._groups


def normalise(texts: pa.Array) -> pa.StringArray:
    """Case-fold and unify apostrophes so one pattern covers "I’m" and "i'm"."""
    s = pc.utf8_lower(texts.cast(pa.string()))
    s = pc.replace_substring_regex(s, "[’‘`´]", "'")
    return s


def spaced(lower: pa.Array) -> pa.StringArray:
    """Tokens separated by two spaces, padded by one; stray quotes dropped."""
    s = pc.replace_substring_regex(lower, r"(?:^|[^\pL\pN])'+|'+(?:[^\pL\pN]|$)", " ")
    s = pc.replace_substring_regex(s, r"[^\pL\pN']+", "  ")
    return pc.binary_join_element_wise(" ", s, " ", "")


def count_tokens(spaced_text: pa.Array, terms: list[str]) -> np.ndarray:
    """How many tokens of each text are among ``terms`` (numpy int64)."""
    if not terms:
        return np.zeros(len(spaced_text), dtype=np.int64)
    counts = pc.count_substring_regex(spaced_text, lx.token_pattern(terms))
    return np.asarray(counts.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)


def _count_raw(text: pa.Array, terms: list[str]) -> np.ndarray:
    """Occurrences of any of ``terms`` anywhere in each text (no word boundaries)."""
    if not terms:
        return np.zeros(len(text), dtype=np.int64)
    counts = pc.count_substring_regex(text, lx.alternation(terms))
    return np.asarray(counts.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)


def prepare(texts: pa.Array) -> Prepared:
    """Normalise, tokenise and guess the language of every text."""
    lower = normalise(texts).fill_null("")
    sp = spaced(lower)
    n_words = pc.count_substring_regex(lower, TOKEN).cast(pa.int32())
    stop = lx.load("stopwords")
    hints = lx.load("langhints")
    votes = np.vstack(
        [
            count_tokens(sp, stop.terms(code)) + _count_raw(sp, hints.terms(code))
            for code in lx.LANGUAGES
        ]
    )
    lang = _decide(lower, np.asarray(n_words.to_numpy(zero_copy_only=False)), votes)
    en = votes[0]
    other = votes[1:].max(axis=0) if votes.shape[0] > 1 else np.zeros_like(en)
    return Prepared(lower, sp, n_words, lang, en, other)


def _decide(lower: pa.Array, n_words: np.ndarray, votes: np.ndarray) -> pa.StringArray:
    """Pick a language per text from its votes, or 'und' when the evidence is thin."""
    n = len(lower)
    codes = list(lx.LANGUAGES)
    order = np.sort(votes, axis=0)
    best = order[-1] if n else np.zeros(0, dtype=np.int64)
    second = order[-2] if n else np.zeros(0, dtype=np.int64)
    winner = np.argmax(votes, axis=0) if n else np.zeros(0, dtype=np.int64)
    confident = (n_words >= MIN_WORDS) & (best >= MIN_VOTES) & (best > second)
    index = np.where(confident, winner, len(codes))  # len(codes) -> 'und'
    dictionary = [*codes, "und"]
    # Text written in a script without lists: name its language so detectors say NULL.
    # One pass finds the few such texts; only they are checked script by script.
    any_script = "[" + "".join(p.strip("[]") for _, p in _SCRIPTS) + "]"
    foreign = np.flatnonzero(
        np.asarray(pc.match_substring_regex(lower, any_script).to_numpy(zero_copy_only=False))
        & (best < MIN_VOTES)
    )
    if len(foreign):
        subset = lower.take(pa.array(foreign))
        for code, pattern in _SCRIPTS:
            has = np.asarray(
                pc.match_substring_regex(subset, pattern).to_numpy(zero_copy_only=False), dtype=bool
            )
            if has.any():
                dictionary.append(code)
                index[foreign[has]] = len(dictionary) - 1
    arr = pa.DictionaryArray.from_arrays(pa.array(index, pa.int32()), pa.array(dictionary))
    return arr.cast(pa.string())


GroupFn = Callable[[str, np.ndarray], pa.Array | None]


def by_group(prep: Prepared, fn: GroupFn, dtype: pa.DataType) -> pa.Array:
    """Run ``fn(group, indices)`` per language group and put the results back in input order.

    ``fn`` returns an array for the group's rows (or ``None`` for all-NULL).
    """
    n = len(prep)
    if n == 0:
        return pa.array([], dtype)
    parts: list[pa.Array] = []
    order: list[np.ndarray] = []
    for key, idx in prep.groups().items():
        result = fn(key, idx)
        parts.append(pa.nulls(len(idx), dtype) if result is None else result.cast(dtype))
        order.append(idx)
    merged = pa.concat_arrays(parts)
    positions = np.concatenate(order)
    inverse = np.empty(n, dtype=np.int64)
    inverse[positions] = np.arange(n)
    return merged.take(pa.array(inverse))
