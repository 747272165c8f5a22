"""VADER sentiment (Hutto & Gilbert 2014), emoji-aware, scored only where it can move.

VADER is English-only and costs ~40 µs per message in pure Python, the dominant
cost of the features phase (../shared/research/perf.md). Two cheap facts keep it
off most messages: a message can only get a non-zero compound score if one of its
tokens is in VADER's lexicon or one of its characters is an emoji VADER knows, and
both can be checked for a whole array at once with pyarrow kernels. Chat is full
of "ok", "see you at 6" and names, which all score exactly 0.0 without VADER.
"""

from __future__ import annotations

import re
import string
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


@cache
def analyzer() -> SentimentIntensityAnalyzer:
    """One analyzer per process (it reads two lexicon files when made)."""
    return SentimentIntensityAnalyzer()


@cache
def _lexicon_words() -> pa.Array:
    return pa.array(sorted(analyzer().lexicon), pa.string())


@cache
def _emoji_class() -> str:
    """An RE2 character class of the single characters VADER expands into words."""
    chars = sorted(k for k in analyzer().emojis if len(k) == 1)
    escaped = "".join(f"\\x{{{ord(c):x}}}" for c in chars)
    return f"[{escaped}]"


HEARTS = "[❤♥💕💖💗💓💞💘💝💜💙💚🧡🤍💛]\ufe0f?"
"""Heart emoji VADER describes as "red heart" etc., words its lexicon does not score.
They are read as the emoticon "<3" (VADER: +1.9), the affection they carry in chat."""


def touchable(texts: pa.Array) -> np.ndarray:
    """True where VADER could give a non-zero score (a lexicon token or a known emoji).

    VADER looks up each whitespace token lower-cased, with surrounding punctuation
    stripped unless that leaves two characters or fewer; testing both the raw and
    the stripped token is a superset of what it can find.
    """
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype=bool)
    lower = pc.utf8_lower(texts)
    tokens = pc.split_pattern_regex(lower, r"\s+")  # see _text.prepare on utf8_split_whitespace
    flat = pc.list_flatten(tokens)
    stripped = pc.utf8_trim(flat, characters=string.punctuation)
    words = _lexicon_words()
    hit = pc.or_(pc.is_in(flat, value_set=words), pc.is_in(stripped, value_set=words))
    hits = np.asarray(hit.fill_null(False).to_numpy(zero_copy_only=False), dtype=np.int64)
    offsets = np.asarray(tokens.offsets.to_numpy(), dtype=np.int64)
    base = offsets[0]
    cumulative = np.concatenate([[0], np.cumsum(hits)])
    per_text = cumulative[offsets[1:] - base] - cumulative[offsets[:-1] - base]
    has_emoji = pc.match_substring_regex(texts, _emoji_class()).fill_null(False)
    return (per_text > 0) | np.asarray(has_emoji.to_numpy(zero_copy_only=False), dtype=bool)


@cache
def _digit_entries() -> str:
    """A pattern for the lexicon entries that contain a digit ("<3", "143", "gr8")."""
    entries = sorted(k for k in analyzer().lexicon if any(c.isdigit() for c in k))
    return "|".join(re.escape(k) for k in entries)


def _score_keys(texts: pa.Array) -> pa.Array:
    """Texts rewritten so that those VADER must score the same share one key.

    "see you at 7" and "see you at 8" get the same score: a digit run is one token
    either way and, unless it is part of an entry like "<3" or "gr8", never a lexicon
    entry. So digit runs become one placeholder character that no entry contains
    (an Arabic-Indic zero, neither punctuation nor upper case, so VADER's stripping and
    caps rules see it as they saw the digits), except in texts holding such an entry.
    Whitespace runs become one space, as VADER splits on whitespace anyway.
    """
    safe = pc.invert(pc.match_substring_regex(texts, _digit_entries()))
    collapsed = pc.replace_substring_regex(texts, r"[0-9]+", "\u0660")
    keys = pc.if_else(safe, collapsed, texts)
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(keys, r"\s+", " "))


def compound(texts: pa.Array, wanted: np.ndarray) -> pa.DoubleArray:
    """VADER compound score where ``wanted``; NULL elsewhere; 0.0 where VADER cannot move.

    Args:
        texts: the original (not case-folded) texts: VADER reads capitals as emphasis.
        wanted: rows whose language VADER supports.
    """
    n = len(texts)
    out = np.zeros(n, dtype=np.float64)
    if n == 0:
        return pa.array(out, pa.float64())
    texts = pc.replace_substring_regex(texts, HEARTS, " <3 ")
    score_rows = np.flatnonzero(wanted & touchable(texts))
    if len(score_rows):
        subset = texts.take(pa.array(score_rows))
        keys = _score_keys(subset)
        distinct = pc.unique(keys)
        polarity = analyzer().polarity_scores
        scores = np.array(
            [polarity(t)["compound"] if t else 0.0 for t in distinct.to_pylist()], dtype=np.float64
        )
        out[score_rows] = scores[np.asarray(pc.index_in(keys, value_set=distinct).to_numpy())]
    _lift_longing(texts, out)
    return pa.array(out, pa.float64(), mask=~wanted)


@cache
def _longing_patterns() -> tuple[str, str | None]:
    """(hit, negated hit) for the English longing the ``missing`` detector reads, addressed to
    the reader (data/missing.txt), case-insensitive for the original text.

    An entry that ends on the verb ("i miss") names nobody: its object may be someone else
    ("I miss Tom"), and missing a third person is the sadness VADER rightly reads.
    """
    from fondly.features import _lexicon as lx

    lex = lx.load("missing")
    terms = [
        alt
        for entry in lex.terms("en")
        for alt in _top_level(entry)
        if not re.search(r"(?:^|\s)miss$", alt)
    ]
    hit = "(?i)" + lx.bounded(terms)
    negated = lx.negated_pattern(lex, ["en"], lx.load("negators").terms("en"))
    return hit, None if negated is None else "(?i)" + negated


def _top_level(entry: str) -> list[str]:
    """The alternatives of one lexicon line, split at the "|" outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(entry):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(entry[start:i])
            start = i + 1
    return [*parts, entry[start:]]


def _lift_longing(texts: pa.Array, out: np.ndarray) -> None:
    """Where a negative score comes only from longing for the reader, take the longing out.

    VADER weighs "miss" (-0.6) and "no" (-1.2), so "miss you! been a while" scores -0.22;
    to the person written to, that is warmth, the outcome fondly tracks (psychology.md
    section 10), not negativity. Each negative text holding a (non-negated) longing phrase
    is scored again without it and keeps the higher of the two scores: "miss you, this
    sucks" stays negative, and no score ever falls. Updates ``out`` in place.
    """
    rows = np.flatnonzero(out < 0)
    if not len(rows):
        return
    hit, negated = _longing_patterns()
    subset = texts.take(pa.array(rows))
    found = pc.match_substring_regex(subset, hit).fill_null(False)
    if negated is not None:
        found = pc.and_(
            found, pc.invert(pc.match_substring_regex(subset, negated).fill_null(False))
        )
    keep = np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)
    if not keep.any():
        return
    rows = rows[keep]
    rest = pc.replace_substring_regex(subset.filter(pa.array(keep)), hit, " ").to_pylist()
    polarity = analyzer().polarity_scores
    again = np.array([polarity(t)["compound"] if t else 0.0 for t in rest], dtype=np.float64)
    out[rows] = np.maximum(out[rows], again)


LEXICON_LANGS = ("de", "es", "fr", "it", "pt")
"""Languages VADER does not read, scored with fondly's valence list (``data/valence.txt``)."""

ANY = "any"
"""The list read in every language (laughter) and, with the five lists merged, for text too
short to name its language."""

NEGATION_SCALAR = -0.74
"""VADER's factor for a word right after a negator ("nicht gut" reads as mildly negative)."""

NEGATION_REACH = 2
"""How many tokens back a negator reaches. VADER's three would reach across a comma here ("no
pasa nada, tranqui, todo bien"): tokens hold no punctuation, so the reach stays two."""

BOOST = 0.15
"""How much an intensifier ("super", "trop", "muito") strengthens the listed word after it:
VADER adds 0.293 to a word's absolute valence; as a share of a typical 2.0 entry, 0.15."""

NORMALISER = 15.0
"""VADER's alpha: compound = sum / sqrt(sum^2 + alpha), so both readings share one scale."""


@cache
def _valence(lang: str) -> tuple[pa.Array, np.ndarray]:
    """The valence list of one language: (words, scores), words sorted and unique."""
    from fondly.features import _lexicon as lx

    lex = lx.load("valence")
    sections = LEXICON_LANGS if lang == ANY else (lang,)
    seen: dict[str, list[float]] = {}
    for section in (*sections, ANY):
        for entry in lex.terms(section):
            for item in entry.split("|"):
                word, _, value = item.strip().rpartition(" ")
                seen.setdefault(word, []).append(float(value))
    # A word listed by two languages with two scores ("bravo": praise in Italian, angry in
    # Portuguese) reads as their mean where the language is unknown.
    table = {w: float(np.mean(v)) for w, v in seen.items()}
    if lang == ANY:
        # ...and a word that is a plain function word of a language that gives it no valence
        # ("mal": "badly" in Spanish, "just" in German's "schau mal") says nothing there.
        stop = lx.load("stopwords")
        for code in LEXICON_LANGS:
            own = {w for entry in lex.terms(code) for w in _entry_words(entry)}
            for entry in stop.terms(code):
                for word in entry.split("|"):
                    if word in table and word not in own:
                        del table[word]
    words = sorted(table)
    return pa.array(words, pa.string()), np.array([table[w] for w in words], dtype=np.float64)


def _entry_words(entry: str) -> list[str]:
    """The words of one valence line ("gut 1.9|super 2.9" -> ["gut", "super"])."""
    return [item.strip().rpartition(" ")[0] for item in entry.split("|")]


@cache
def _symbols() -> tuple[str, tuple[tuple[str, float], ...]]:
    """Emoji valences from the list's ``[symbols]`` section and one pattern finding any of them."""
    from fondly.features import _lexicon as lx

    pairs = []
    for entry in lx.load("valence").terms("symbols"):
        for item in entry.split("|"):
            char, _, value = item.strip().rpartition(" ")
            pairs.append((char, float(value)))
    return "[" + "".join(re.escape(c) for c, _ in pairs) + "]", tuple(pairs)


@cache
def _boosters(lang: str) -> pa.Array:
    """The intensifiers of ``lang`` (the list's ``[boost]`` section holds them for all five)."""
    from fondly.features import _lexicon as lx

    words = [w for entry in lx.load("valence").terms("boost") for w in entry.split("|")]
    return pa.array(sorted(set(words)), pa.string())


@cache
def _negators(lang: str) -> pa.Array:
    from fondly.features import _lexicon as lx

    langs = LEXICON_LANGS if lang == ANY else (lang,)
    lex = lx.load("negators")
    words = [w for code in langs for entry in lex.terms(code) for w in entry.split("|")]
    return pa.array(sorted({w for w in words if w.isalpha()}), pa.string())


def lexicon_compound(
    tokens: pa.Array, token_text: np.ndarray, texts: pa.Array, lang: str
) -> np.ndarray:
    """A VADER-like compound score from fondly's valence list, for texts in ``lang``.

    Args:
        tokens: the case-folded tokens of the texts, flat, in text order.
        token_text: for each token, the index of its text.
        texts: the texts themselves (emoji are found in them).
        lang: one of :data:`LEXICON_LANGS`, or :data:`ANY` for all five lists at once.

    Each listed word adds its valence, times :data:`NEGATION_SCALAR` when one of the two
    tokens before it (in the same text) is a negator; emoji add theirs; the sum is
    normalised as VADER does. Everything is a hash lookup or a bincount over the arrays.
    """
    n = len(texts)
    total = np.zeros(n, dtype=np.float64)
    words, scores = _valence(lang)
    if len(tokens):
        at = pc.index_in(tokens, value_set=words).fill_null(-1)
        position = np.asarray(at.to_numpy(zero_copy_only=False), dtype=np.int64)
        value = np.where(position >= 0, scores[np.maximum(position, 0)], 0.0)
        negator = pc.is_in(tokens, value_set=_negators(lang)).fill_null(False)
        is_neg = np.asarray(negator.to_numpy(zero_copy_only=False), dtype=bool)
        negated = np.zeros(len(value), dtype=bool)
        for back in range(1, NEGATION_REACH + 1):
            negated[back:] |= is_neg[:-back] & (token_text[back:] == token_text[:-back])
        value = np.where(negated, value * NEGATION_SCALAR, value)
        value = _quiet_longing(tokens, token_text, texts, lang, value)
        # "super mal", "trop déçue": an intensifier before a listed word lends it strength,
        # not its own praise (VADER's boosters carry no valence of their own either).
        booster = pc.is_in(tokens, value_set=_boosters(lang)).fill_null(False)
        boosts = np.asarray(booster.to_numpy(zero_copy_only=False), dtype=bool)[:-1]
        before = boosts & (value[1:] != 0.0) & (token_text[1:] == token_text[:-1])
        value[:-1][before] = 0.0
        value[1:][before] *= 1.0 + BOOST
        total += np.bincount(token_text, weights=value, minlength=n)
    pattern, pairs = _symbols()
    found = pc.match_substring_regex(texts, pattern).fill_null(False)
    rows = np.flatnonzero(np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool))
    if len(rows):
        subset = texts.take(pa.array(rows))
        for char, valence in pairs:
            count = pc.count_substring(subset, char).fill_null(0)
            total[rows] += valence * np.asarray(count.to_numpy(zero_copy_only=False))
    return total / np.sqrt(total * total + NORMALISER)


@cache
def _longing_words(lang: str) -> tuple[pa.Array, str, str | None]:
    """The negative words of the ``missing`` list's phrases in ``lang`` (or all five for
    :data:`ANY`), and (hit, negated hit) patterns finding those phrases in original text.

    "te extraño", "tu me manques", "mi manchi", "sinto sua falta": the valence lists give
    "extraño", "manques", "manchi", "falta" a negative score, right for "strange", "lacks"
    or a sad "I miss it", but said to the reader these phrases are the warmth of missing
    them (psychology.md section 10), as :func:`_lift_longing` has it for English.
    """
    from fondly.features import _lexicon as lx

    lex = lx.load("missing")
    sections = list(LEXICON_LANGS if lang == ANY else (lang,))
    terms = [t for section in sections for t in lex.terms(section)]
    spelled = {w for t in terms for w in re.findall(r"[^\W\d_]+", t.replace("(?:", " "))}
    words, scores = _valence(lang)
    negative = sorted(w for w, v in zip(words.to_pylist(), scores, strict=True) if v < 0)
    hit = "(?i)" + lx.bounded(terms)
    negators = [t for section in sections for t in lx.load("negators").terms(section)]
    negated = lx.negated_pattern(lex, sections, negators)
    listed = pa.array(sorted(spelled & set(negative)), pa.string())
    return listed, hit, None if negated is None else "(?i)" + negated


def _quiet_longing(
    tokens: pa.Array, token_text: np.ndarray, texts: pa.Array, lang: str, value: np.ndarray
) -> np.ndarray:
    """Token valences with the negative words of a (non-negated) longing phrase set to 0,
    in the texts where the ``missing`` detector's phrase for ``lang`` is found."""
    listed, hit, negated = _longing_words(lang)
    if not len(listed) or not len(tokens):
        return value
    candidate = pc.is_in(tokens, value_set=listed).fill_null(False)
    at = np.flatnonzero(np.asarray(candidate.to_numpy(zero_copy_only=False), dtype=bool))
    if not len(at):
        return value
    rows = np.unique(token_text[at])
    subset = texts.take(pa.array(rows))
    found = pc.match_substring_regex(subset, hit).fill_null(False)
    if negated is not None:
        found = pc.and_(
            found, pc.invert(pc.match_substring_regex(subset, negated).fill_null(False))
        )
    longing = np.zeros(len(texts), dtype=bool)
    longing[rows] = np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)
    quiet = at[longing[token_text[at]] & (value[at] < 0)]
    value = value.copy()
    value[quiet] = 0.0
    return value
