"""Normalised text, token counts and the language guess that every detector shares.

A chat store holds millions of short messages, so nothing here loops in Python per
message: each step is one pyarrow.compute kernel (RE2 regexes, string kernels) over
a whole array, and the language decision is numpy arithmetic over per-language
vote counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

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
        tokens, token_row: every token of every text, flat, and the row it belongs to;
            word-list counts are hash lookups on these, not regex passes.
        n_words: word tokens per text.
        lang: ISO 639-1 code or 'und' per text.
        en_votes, other_votes: English votes and the best other language's votes;
            sentiment uses them to decide whether an 'und' text is English enough.
        original: the texts as given (VADER reads capitals and punctuation).
    """

    lower: pa.StringArray
    spaced: pa.StringArray
    tokens: pa.StringArray
    token_row: np.ndarray
    n_words: pa.Int32Array
    lang: pa.StringArray
    en_votes: np.ndarray
    other_votes: np.ndarray
    original: pa.StringArray | None = None
    _groups: dict[str, np.ndarray] = field(default_factory=dict)
    _tokens: dict[tuple[int, int, int], tuple[pa.Array, np.ndarray]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lower)

    def tokens_of(self, rows: np.ndarray) -> tuple[pa.Array, np.ndarray]:
        """The flat tokens of ``rows`` and, for each, its position in ``rows`` (cached)."""
        key = (len(rows), int(rows[0]) if len(rows) else -1, int(rows[-1]) if len(rows) else -1)
        if key not in self._tokens:
            position = np.full(len(self), -1, dtype=np.int64)
            position[rows] = np.arange(len(rows))
            token_pos = position[self.token_row]
            mine = np.flatnonzero(token_pos >= 0)
            self._tokens[key] = (self.tokens.take(pa.array(mine)), token_pos[mine])
        return self._tokens[key]

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


def split_terms(terms: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split list entries into plain words, elision prefixes ("j'\\pL*") and regexes."""
    words, prefixes, patterns = [], [], []
    for term in terms:
        for alt in term.split("|") if "(" not in term else [term]:
            if re.fullmatch(r"[^\W\d_][\w']*", alt):
                words.append(alt)
            elif re.fullmatch(r"[^\W\d_]+'\\pL\*", alt):
                prefixes.append(alt[: -len("\\pL*")])
            else:
                patterns.append(alt)
    return words, prefixes, patterns


@cache
def _split_cached(terms: tuple[str, ...]) -> tuple[pa.Array, tuple[str, ...], tuple[str, ...]]:
    words, prefixes, patterns = split_terms(list(terms))
    return pa.array(sorted(set(words)), pa.string()), tuple(prefixes), tuple(patterns)


def count_tokens(prep: Prepared, rows: np.ndarray, terms: list[str]) -> np.ndarray:
    """How many tokens of each text in ``rows`` are among ``terms``.

    Plain words are looked up in a hash set over the flat token array; only entries
    that are real patterns (multi-word "a gente", elisions) cost a regex pass.
    """
    out = np.zeros(len(rows), dtype=np.int64)
    if not terms or not len(rows):
        return out
    words, prefixes, patterns = _split_cached(tuple(terms))
    flat, local = prep.tokens_of(rows)
    hit = np.zeros(len(flat), dtype=bool)
    if len(words):
        hit |= _bools(pc.is_in(flat, value_set=words))
    for prefix in prefixes:
        hit |= _bools(pc.starts_with(flat, prefix))
    out += np.bincount(local[hit], minlength=len(rows))
    if patterns:
        counts = pc.count_substring_regex(
            prep.spaced.take(pa.array(rows)), lx.token_pattern(list(patterns))
        )
        out += np.asarray(counts.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    return out


def _bools(arr: pa.Array) -> np.ndarray:
    return np.asarray(arr.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _count_raw(text: pa.Array, terms: list[str]) -> np.ndarray:
    """Occurrences of any of ``terms`` anywhere in each text (no word boundaries)."""
    if not terms:
        return np.zeros(len(text), dtype=np.int64)
    counts = pc.count_substring_regex(text, lx.alternation(terms))
    return np.asarray(counts.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)


def prepare(texts: pa.Array, like: tuple[Prepared, np.ndarray] | None = None) -> Prepared:
    """Normalise, tokenise and guess the language of every text.

    With ``like = (prep, rows)``, text ``i`` is not guessed but takes the language and
    votes of row ``rows[i]`` of ``prep``: the sentences of one message are read in the
    message's language (a short sentence alone would often be 'und').
    """
    texts = texts.cast(pa.string())
    lower = normalise(texts).fill_null("")
    sp = spaced(lower)
    # Not utf8_split_whitespace: in pyarrow 26 it mis-splits runs of spaces, differently
    # from one process to the next (seen as flaky token counts); the regex split is exact.
    split = pc.split_pattern_regex(sp, " +")
    flat = pc.list_flatten(split)
    keep = _bools(pc.greater(pc.utf8_length(flat), 0))
    tokens = flat.filter(pa.array(keep))
    token_row = np.asarray(pc.list_parent_indices(split).to_numpy(), dtype=np.int64)[keep]
    n_words = pa.array(np.bincount(token_row, minlength=len(lower)), pa.int32())
    prep = Prepared(
        lower, sp, tokens, token_row, n_words, pa.array([], pa.string()), _NONE, _NONE, texts
    )
    if like is not None:
        source, rows = like
        take = pa.array(rows, pa.int64())
        prep.lang = source.lang.take(take)
        prep.en_votes, prep.other_votes = source.en_votes[rows], source.other_votes[rows]
        return prep
    stop = lx.load("stopwords")
    hints = lx.load("langhints")
    every = np.arange(len(lower))
    votes = np.vstack(
        [
            count_tokens(prep, every, stop.terms(code)) + _count_raw(sp, hints.terms(code))
            for code in lx.LANGUAGES
        ]
    )
    words = np.asarray(n_words.to_numpy(zero_copy_only=False))
    prep.lang = _decide(lower, words, votes, _unread_votes(prep))
    prep.en_votes = votes[0]
    prep.other_votes = votes[1:].max(axis=0)
    return prep


@cache
def _unread_table() -> tuple[tuple[str, ...], pa.Array, np.ndarray]:
    """The stop words of languages fondly does not read (``data/otherlangs.txt``).

    Returns (language codes, words, each word's language index). A word that is also a
    supported language's stop word is left out: it must not outvote the six.
    """
    lex = lx.load("otherlangs")
    stop = lx.load("stopwords")
    supported = {w for code in lx.LANGUAGES for w in split_terms(stop.terms(code))[0]}
    codes = tuple(s for s in lex.sections if s not in lx.LANGUAGES)
    owner: dict[str, int] = {}
    for i, code in enumerate(codes):
        for word in split_terms(lex.terms(code))[0]:
            if word not in supported:
                owner.setdefault(word, i)  # a word of two such languages votes for the first
    words = sorted(owner)
    return codes, pa.array(words, pa.string()), np.array([owner[w] for w in words], np.int64)


def _unread_votes(prep: Prepared) -> tuple[tuple[str, ...], np.ndarray]:
    """Votes per text for each unread Latin-script language: one hash pass over all tokens."""
    codes, words, owner = _unread_table()
    n = len(prep)
    if not n or not len(words):
        return codes, np.zeros((len(codes), n), dtype=np.int64)
    at = pc.index_in(prep.tokens, value_set=words).fill_null(-1)
    position = np.asarray(at.to_numpy(zero_copy_only=False), dtype=np.int64)
    found = np.flatnonzero(position >= 0)
    cell = owner[position[found]] * n + prep.token_row[found]
    return codes, np.bincount(cell, minlength=len(codes) * n).reshape(len(codes), n)


_NONE = np.zeros(0, dtype=np.int64)


def _decide(
    lower: pa.Array,
    n_words: np.ndarray,
    votes: np.ndarray,
    unread: tuple[tuple[str, ...], np.ndarray] | None = None,
) -> pa.StringArray:
    """Pick a language per text from its votes, or 'und' when the evidence is thin.

    ``unread`` holds votes for languages fondly does not read (Dutch, Polish...): a
    text they win, by the same rule as the six, gets their code, so every detector says
    NULL ("not read") instead of reading it as English.
    """
    n = len(lower)
    codes = list(lx.LANGUAGES)
    order = np.sort(votes, axis=0)
    best = order[-1] if n else np.zeros(0, dtype=np.int64)
    second = order[-2] if n else np.zeros(0, dtype=np.int64)
    winner = np.argmax(votes, axis=0) if n else np.zeros(0, dtype=np.int64)
    confident = (n_words >= MIN_WORDS) & (best >= MIN_VOTES) & (best > second)
    index = np.where(confident, winner, len(codes))  # len(codes) -> 'und'
    dictionary = [*codes, "und"]
    if unread is not None and n and len(unread[0]):
        other_codes, other_votes = unread
        other_best = other_votes.max(axis=0)
        taken = (n_words >= MIN_WORDS) & (other_best >= MIN_VOTES) & (other_best > best)
        if taken.any():
            index = np.where(taken, len(dictionary) + np.argmax(other_votes, axis=0), index)
            dictionary.extend(other_codes)
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


SENTENCE_END = r"[.!?…。！？]+[\"'”’)\]]*"
"""End punctuation and any closing quotes or brackets after it."""

ABBREVIATION = r"(?i)(\b(?:mr|mrs|ms|dr|prof|st|vs|e\.g|i\.e))\.[ \t]+"
"""Titles and "e.g." whose full stop ends no sentence ("Mr. Smith" stays one piece)."""


def split_sentences(texts: pa.Array) -> tuple[pa.StringArray, np.ndarray]:
    """Each text's sentences, flat, and for each the row it came from, in row order.

    A sentence ends at end punctuation (closing quotes kept with it) followed by a
    space, or at a line break. One RE2 pass finds the texts with such a boundary
    inside (in chat, a minority); only those are cut, the rest are one piece each.
    Pieces are trimmed and empty ones dropped, so an empty or NULL text has none.
    """
    texts = texts.cast(pa.string()).fill_null("")
    several = _bools(pc.match_substring_regex(texts, rf"\S\s*(?:{SENTENCE_END}[ \t]|[\n\r])\s*\S"))
    one = np.flatnonzero(~several)
    cut = np.flatnonzero(several)
    pieces = [pc.utf8_trim_whitespace(texts.take(pa.array(one)))]
    parents = [one]
    if len(cut):
        s = pc.replace_substring_regex(texts.take(pa.array(cut)), ABBREVIATION, r"\1 ")
        s = pc.replace_substring_regex(s, f"({SENTENCE_END})[ \\t]+", "\\1\n")
        parts = pc.split_pattern_regex(s, r"\s*[\n\r]\s*")
        pieces.append(pc.utf8_trim_whitespace(pc.list_flatten(parts)))
        parents.append(cut[np.asarray(pc.list_parent_indices(parts).to_numpy(), dtype=np.int64)])
    flat = pa.concat_arrays(pieces)
    parent = np.concatenate(parents)
    order = np.argsort(parent, kind="stable")
    keep = _bools(pc.greater(pc.utf8_length(flat), 0))[order]
    order = order[keep]
    return flat.take(pa.array(order)), parent[order]
