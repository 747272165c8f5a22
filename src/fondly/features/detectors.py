"""The per-message detectors: pure functions from prepared text to typed Arrow arrays.

Each detector reads :class:`fondly.features._text.Prepared` (one normalisation and
language guess shared by all) and returns arrays as long as its input. Lexicon
detectors run one RE2 search per language group, so 1M messages cost a few dozen
vectorised passes, not a million Python calls. Text in a language a detector has no
list for gets NULL: an honest "not supported" rather than an English reading of it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fondly.features import _lexicon as lx
from fondly.features import _scored, _sentiment
from fondly.features._text import Prepared, by_group, count_tokens, prepare, split_sentences

Columns = dict[str, pa.Array]

FUNCTION_WORD_CATEGORIES = (
    "ppron", "ipron", "article", "prep", "auxverb", "adverb", "conj", "negate", "quant",
)  # fmt: skip
"""Ireland & Pennebaker's (2010) nine language-style-matching categories."""


def _sections_for(lex: lx.Lexicon, group: str, part: str | None = None) -> list[str] | None:
    """Which sections of ``lex`` apply to a language group; ``None`` means unsupported.

    An 'und' text (too short to tell) is read with every language's list: "merci" or
    "thx" alone is still gratitude. A text in a language without lists is read only
    by universal lexicons (laughter spellings cross languages).
    """

    def wanted(section: str) -> bool:
        lang, _, sub = section.partition(".")
        return (part is None or sub == part) and lang in (*lx.LANGUAGES, "other")

    names = [s for s in lex.sections if wanted(s)]
    if group in lx.LANGUAGES:
        if group not in lex.languages() and not lex.universal:
            return None
        if lex.universal:
            return names
        return [s for s in names if s.split(".")[0] == group]
    if group == "und":
        return names if lex.universal else [s for s in names if s.split(".")[0] != "other"]
    return names if lex.universal else None


@cache
def _patterns(name: str, group: str) -> tuple[str | None, str | None]:
    """(hit pattern, negated-hit pattern) of one lexicon for one language group."""
    lex = lx.load(name)
    sections = _sections_for(lex, group)
    if sections is None:
        return None, None
    hit = lx.match_pattern(lex, sections)
    negated = None
    if lex.negatable:
        negators = lx.load("negators")
        langs = {s.split(".")[0] for s in sections}
        neg_terms = [t for lang in sorted(langs) for t in negators.terms(lang)]
        negated = lx.negated_pattern(lex, sections, neg_terms)
    return hit, negated


def _match(texts: pa.Array, pattern: str) -> np.ndarray:
    found = pc.match_substring_regex(texts, pattern)
    return np.asarray(found.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def lexicon_flag(prep: Prepared, name: str) -> pa.Array:
    """True where the text holds a (non-negated) entry of lexicon ``name``.

    Kept for the last batch (a weak reference, as for ``_scores``): support and
    disclosure read their lists both as a rule and as a cue of the English score.
    """
    cached = _FLAGS.get("last")
    if cached is not None and cached[0]() is prep and name in cached[1]:
        return cached[1][name]
    flag = _lexicon_flag(prep, name)
    if cached is None or cached[0]() is not prep:
        cached = (weakref.ref(prep), {})
        _FLAGS["last"] = cached
    cached[1][name] = flag
    return flag


_FLAGS: dict[str, tuple[weakref.ref[Prepared], dict[str, pa.Array]]] = {}


def _lexicon_flag(prep: Prepared, name: str) -> pa.Array:

    def run(group: str, idx: np.ndarray) -> pa.Array | None:
        hit, negated = _patterns(name, group)
        if hit is None:
            return None
        texts = prep.lower.take(pa.array(idx))
        found = _match(texts, hit)
        if negated is not None and found.any():
            rows = np.flatnonzero(found)  # negation is checked only where there is a hit
            found[rows] = ~_match(texts.take(pa.array(rows)), negated)
        return pa.array(found, pa.bool_())

    return by_group(prep, run, pa.bool_())


WEAK_GUESS = 2
"""Votes at or below which a named language is a weak guess: short chat in one language
often reads as another ("me alegro tanto por ti" has two Italian-looking words)."""


def weak_guess(prep: Prepared) -> np.ndarray:
    """Texts named one of the five languages besides English on the fewest votes that may
    name one. (Weak English guesses stay English: the English reading of support and
    disclosure is scored, not listed, and re-reading three in four chat texts would cost.)"""
    lang = np.asarray(prep.lang.to_numpy(zero_copy_only=False), dtype=object)
    return np.isin(lang, lx.LANGUAGES[1:]) & (prep.other_votes <= WEAK_GUESS)


def leans_foreign(prep: Prepared) -> np.ndarray:
    """Too short to name a language ('und'), but its words vote for one of the other five
    more than for English: "gute besserung ❤️", "vc merece". The English weights (fit on
    CL-Aff) would read those as English words they never saw; the lists read them."""
    lang = np.asarray(prep.lang.to_numpy(zero_copy_only=False), dtype=object)
    if len(prep.other_votes) != len(lang):
        return np.zeros(len(lang), dtype=bool)
    return (lang == "und") & (prep.other_votes > prep.en_votes)


def reply_flag(prep: Prepared, name: str) -> pa.Array:
    """:func:`lexicon_flag`, where a weak language guess is also read with every list.

    The reply lexicons (good news, enthusiasm, support, emotional disclosure) hold
    phrases specific enough that another language's list seldom fires by accident,
    while a short reply guessed wrong would otherwise be read with the wrong list.
    """
    flag = lexicon_flag(prep, name)
    found = _bools(flag)
    rows = np.flatnonzero(weak_guess(prep) & ~found)
    if not len(rows):
        return flag
    hit, negated = _patterns(name, "und")
    if hit is None:
        return flag
    texts = prep.lower.take(pa.array(rows))
    more = _match(texts, hit)
    if negated is not None and more.any():
        more &= ~_match(texts, negated)
    found[rows[more]] = True
    known = np.asarray(flag.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    return pa.array(found, pa.bool_(), mask=~known)


def token_count(prep: Prepared, name: str, part: str) -> pa.Array:
    """How many tokens of each text are in section ``<lang>.<part>`` of lexicon ``name``."""
    lex = lx.load(name)

    def run(group: str, idx: np.ndarray) -> pa.Array | None:
        sections = _sections_for(lex, group, part)
        if not sections:
            return None
        terms = [t for s in sections for t in lex.terms(s)]
        return pa.array(count_tokens(prep, idx, terms), pa.int32())

    return by_group(prep, run, pa.int32())


# -- detectors --------------------------------------------------------------------------


def language(prep: Prepared, _: Columns) -> Columns:
    """Language guess and word count (computed in :func:`prepare`)."""
    return {"lang": prep.lang, "n_words": prep.n_words}


def sentiment(prep: Prepared, _: Columns, *, originals: pa.Array | None = None) -> Columns:
    """VADER compound for English text and for short text that is not clearly another language;
    for the five other read languages, fondly's valence list scored the way VADER scores
    (:func:`fondly.features._sentiment.lexicon_compound`); NULL for languages not read.

    'und' covers "ok", "❤️", "haha": VADER's emoji and slang entries read those well,
    so they are scored unless their few words vote for another language.
    """
    lang = np.asarray(prep.lang.to_numpy(zero_copy_only=False), dtype=object)
    foreign = (prep.other_votes >= 2) & (prep.other_votes > prep.en_votes)
    und = lang == "und"
    wanted = (lang == "en") | (und & ~foreign)
    if originals is None:
        originals = prep.original if prep.original is not None else prep.lower
    texts = originals.fill_null("")
    english = _sentiment.compound(texts, wanted)
    listed = np.isin(lang, _sentiment.LEXICON_LANGS)
    values = np.asarray(english.fill_null(0.0).to_numpy(zero_copy_only=False)).copy()
    # German, Spanish, French, Italian and Portuguese: fondly's valence list (data/valence.txt)
    for code in _sentiment.LEXICON_LANGS:
        rows = np.flatnonzero(lang == code)
        if len(rows):
            flat, local = prep.tokens_of(rows)
            values[rows] = _sentiment.lexicon_compound(
                flat, local, texts.take(pa.array(rows)), code
            )
    # Too short to name a language ("Besser als erwartet, danke."): where VADER found nothing
    # (or the few words lean to another language), the five lists read it together.
    rest = np.flatnonzero(und & (foreign | (values == 0.0)))
    if len(rest):
        flat, local = prep.tokens_of(rest)
        values[rest] = _sentiment.lexicon_compound(
            flat, local, texts.take(pa.array(rest)), _sentiment.ANY
        )
    return {"sentiment": pa.array(values, pa.float64(), mask=~(wanted | listed | und))}


def questions(prep: Prepared, _: Columns) -> Columns:
    """Whether a text asks a question, and which kind (psychology.md A1).

    '?' (also '¿', '？') marks a question in every language. Without one, chat still asks
    by inversion ("are you coming") or by cue ("wbu"), which needs the language's list.
    Kinds: 'tag' ("..., right?"), 'wh' (an information question), 'yesno' (anything
    else with a question mark: "tomorrow?", "you coming?") and 'other' (cue only).
    """
    lex = lx.load("questions")
    qmark = _match(prep.lower, r"[?¿？]")
    if qmark.any():  # a "?" inside a link ("...?id=3") asks nothing
        linked = np.flatnonzero(qmark & _match(prep.lower, "https?://|www[.]"))
        if len(linked):
            bare = pc.replace_substring_regex(prep.lower.take(pa.array(linked)), URL, "")
            qmark[linked] = _match(bare, r"[?¿？]")
        # A quoted question with the story going on after it ("are you ok?" she asked) reports
        # someone's question; it does not ask one.
        quoted = np.flatnonzero(qmark & _match(prep.lower, REPORTED))
        if len(quoted):
            rest = pc.replace_substring_regex(prep.lower.take(pa.array(quoted)), REPORTED, " ")
            # the "¿" that opened the reported question closes with it: only another "?" asks
            qmark[quoted] = _match(rest, r"[?？]")
    # A text that ends in "." or "!" and holds no "?" was punctuated by its writer as a
    # statement: "what I mean is, ..." and "I wonder if it rains." ask nothing, so the
    # rules for unpunctuated chat (inversion, wh-word, cue) do not apply to it.
    stated = _match(prep.lower, STATED) & ~qmark
    n = len(prep)
    is_q = qmark.copy()
    kind = np.full(n, None, dtype=object)
    for group, idx in prep.groups().items():
        texts = prep.lower.take(pa.array(idx))

        def part_pattern(part: str, group: str = group) -> str | None:
            sections = _sections_for(lex, group, part)
            terms = [t for s in sections or [] for t in lex.terms(s)]
            return lx.alternation(terms) if terms else None

        start = r"(?:^|[.!?,;:\n])[\s\"'¿¡(]*"
        wh, aux, tag, cue = (part_pattern(p) for p in ("wh", "aux", "tag", "cue"))
        exclaim = part_pattern("exclaim")
        has_wh = _match(texts, start + wh + r"(?:$|[^\pL\pN])") if wh else np.zeros(len(idx), bool)
        has_aux = (
            _match(texts, start + aux + r"(?:$|[^\pL\pN])") if aux else np.zeros(len(idx), bool)
        )
        has_tag = (
            _match(texts, r"[,\s]" + tag + r"[\s.]*[?？]+[\s\pS]*$")
            if tag
            else np.zeros(len(idx), bool)
        )
        has_cue = _match(texts, lx.bounded([cue])) if cue else np.zeros(len(idx), bool)
        if exclaim:
            not_exclaim = ~_match(texts, start + exclaim)
            has_wh &= not_exclaim
        q = qmark[idx] | (has_aux & ~_match(texts, "!")) | has_cue
        q |= has_wh & _match(texts, start + (part_pattern("whaux") or r"[^\s\S]"))
        q &= ~stated[idx]
        rhetorical = part_pattern("rhetorical")
        if rhetorical:  # "who needs sleep anyway?" asks nobody anything
            q &= ~_match(texts, start + rhetorical + r"(?:$|[^\pL\pN])")
        is_q[idx] = q
        k = np.where(
            has_tag, "tag", np.where(has_wh, "wh", np.where(qmark[idx] | has_aux, "yesno", "other"))
        )
        labels = k.astype(object)
        labels[~q] = None
        kind[idx] = labels
    return {
        "is_question": pa.array(is_q, pa.bool_()),
        "question_kind": pa.array(kind.tolist(), pa.string()),
    }


URL = r"(?:https?://|www[.])\S*"
"""A link, whose "?" starts a query string."""

REPORTED = r"[?¿？]+\s?[\"”»']\s*,?\s+\pL"
"""A question mark closing a quotation that the sentence goes on after (French puts a space
before the closing guillemet: « Pourquoi moi ? » répétait-elle)."""

STATED = r"(?:[^.!…?\s][.]|!)[\s\pS\p{Pf}\p{Pe}\"')]*$"
"""Text ending in one full stop or in "!" (closing quotes, brackets and emoji after it allowed):
the mark its writer chose instead of "?". An ellipsis trails off ("how was it..."): not counted."""


def followup(prep: Prepared, _: Columns) -> Columns:
    """Placeholder: follow-ups need the conversation, filled by the store's contextual pass."""
    return {"is_followup": pa.nulls(len(prep), pa.bool_())}


def flags(*names: str) -> Callable[[Prepared, Columns], Columns]:
    """A detector that returns one boolean column per lexicon name."""

    def detect(prep: Prepared, _: Columns) -> Columns:
        return {name: lexicon_flag(prep, name) for name in names}

    detect.__doc__ = f"Lexicon flags: {', '.join(names)}."
    return detect


def _in_groups(prep: Prepared, rows: np.ndarray) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(language group, positions in ``rows``, row indices) for the rows of each group."""
    out = []
    for group, idx in prep.groups().items():
        where = np.flatnonzero(np.isin(rows, idx))
        if len(where):
            out.append((group, where, rows[where]))
    return out


def _group_langs(group: str) -> tuple[str, ...]:
    """The languages whose lists read a group: its own, or all six for 'und' and 'other'."""
    return (group,) if group in lx.LANGUAGES else lx.LANGUAGES


@cache
def _context_pattern(part: str, group: str, *, at_start: bool = False) -> str | None:
    """The ``<lang>.<part>`` sections of news_context.txt for a group, as one pattern.

    ``at_start``: the entry must open the message (after symbols and an "omg" or "wow").
    """
    lex = lx.load("news_context")
    terms = [t for lang in _group_langs(group) for t in lex.terms(f"{lang}.{part}")]
    if not terms:
        return None
    if at_start:
        opener = r"^[^\pL\pN]*(?:(?:omg|wow|oh|so|ok|news|btw|lol)[^\pL\pN]+)?"
        return opener + lx.alternation(terms) + r"(?:$|[^\pL\pN])"
    return lx.bounded(terms)


def _context_hits(
    prep: Prepared, rows: np.ndarray, part: str, *, at_start: bool = False
) -> np.ndarray:
    """Whether each of ``rows`` holds a news_context entry of ``part`` in its language."""
    out = np.zeros(len(rows), dtype=bool)
    for group, where, idx in _in_groups(prep, rows):
        pattern = _context_pattern(part, group, at_start=at_start)
        if pattern:
            out[where] = _match(prep.lower.take(pa.array(idx)), pattern)
    return out


def _symbols(part: str) -> str:
    return lx.alternation(lx.load("news_context").terms(f"symbols.{part}"))


def _pronouns_in(prep: Prepared, rows: np.ndarray, *parts: str) -> np.ndarray:
    """How many pronouns of ``parts`` ('i', 'we', 'you') each of ``rows`` holds."""
    lex = lx.load("pronouns")
    out = np.zeros(len(rows), dtype=np.int64)
    for group, where, idx in _in_groups(prep, rows):
        terms = [t for lang in _group_langs(group) for p in parts for t in lex.terms(f"{lang}.{p}")]
        out[where] = count_tokens(prep, idx, terms)
    return out


def _lexicon_in(prep: Prepared, rows: np.ndarray, name: str) -> np.ndarray:
    """:func:`lexicon_flag` of ``name`` on ``rows`` only (False where it has no list)."""
    out = np.zeros(len(rows), dtype=bool)
    for group, where, idx in _in_groups(prep, rows):
        hit, negated = _patterns(name, group)
        if hit is None:
            continue
        texts = prep.lower.take(pa.array(idx))
        found = _match(texts, hit)
        if negated is not None and found.any():
            found &= ~_match(texts, negated)
        out[where] = found
    return out


ASKS = r"[?¿？][^\pL\pN]*$"
"""A message that ends on a question mark asks ("did you get the job?"); it announces nothing."""


def good_news(prep: Prepared, _: Columns) -> Columns:
    """The writer's own good news (psychology.md C2 trigger turns; Gable et al. 2004).

    The list (data/good_news.txt) finds an achievement said by its writer ("I got the job",
    "aprobé", "hab den Führerschein"). A celebration emoji counts beside "I/we/my" when
    "you" is absent ("my paper got accepted 🎉"); a bare cheer ("yay 🙌") is no news. Then
    three readings are not the writer's news: reminiscing ("remember when we won the
    quiz"), a message ending in a question ("did I tell you I passed?" asks), and news
    that opens with someone else ("my sister got engaged", "sarah's pregnant").
    """
    listed = reply_flag(prep, "good_news")
    known = np.asarray(listed.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    found = _bools(listed)
    rest = np.flatnonzero(known & ~found)
    if len(rest):
        party = _match(prep.lower.take(pa.array(rest)), _symbols("celebrate"))
        maybe = rest[party]
        if len(maybe):
            own = _pronouns_in(prep, maybe, "i", "we") > 0
            to_you = _pronouns_in(prep, maybe, "you") > 0
            found[maybe[own & ~to_you]] = True
    rows = np.flatnonzero(found)
    if len(rows):
        texts = prep.lower.take(pa.array(rows))
        not_news = _match(texts, ASKS) | _lexicon_in(prep, rows, "reminiscence")
        not_news |= _context_hits(prep, rows, "others", at_start=True)
        found[rows[not_news]] = False
    return {"good_news": pa.array(found, pa.bool_(), mask=~known)}


def enthusiasm(prep: Prepared, cols: Columns) -> Columns:
    """Active-constructive enthusiasm for the other's news (psychology.md C2; Gable et al. 2004).

    The list (data/enthusiasm.txt) holds praise and joy for the other ("congrats", "so
    happy for you", "you deserve it"). A celebration emoji counts beside "you" or a cheer
    ("woohoo 🎉"), never alone. Not enthusiasm: praise with an eye-roll or "again"
    ("great, it's raining again 🙄": sarcasm), and the writer's own news that does not
    turn to "you" ("I got the job, amazing!!" announces; ``good_news`` reads it).
    """
    listed = reply_flag(prep, "enthusiasm")
    known = np.asarray(listed.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    found = _bools(listed)
    rest = np.flatnonzero(known & ~found)
    if len(rest):
        party = _match(prep.lower.take(pa.array(rest)), _symbols("celebrate"))
        maybe = rest[party]
        if len(maybe):
            cheer = _match(
                prep.lower.take(pa.array(maybe)), lx.bounded(lx.load("news_context").terms("cheer"))
            )
            found[maybe[cheer | (_pronouns_in(prep, maybe, "you") > 0)]] = True
    rows = np.flatnonzero(found)
    if len(rows):
        texts = prep.lower.take(pa.array(rows))
        sarcastic = _match(texts, _symbols("eyeroll")) | _context_hits(prep, rows, "again")
        own_news = _bools(cols["good_news"])[rows] & (_pronouns_in(prep, rows, "you") == 0)
        found[rows[sarcastic | own_news]] = False
    return {"enthusiasm": pa.array(found, pa.bool_(), mask=~known)}


def plan(prep: Prepared, _: Columns) -> Columns:
    """A proposal cue plus a time expression (psychology.md M1): "let's get coffee tomorrow"."""
    proposal = lexicon_flag(prep, "proposal")
    when = lexicon_flag(prep, "time_expr")
    return {"plan": pc.and_(proposal, when)}


FEELING_WITH_SELF = 0.2
"""|VADER| at which a first-person sentence discloses a feeling (tuned on CL-Aff train)."""


def _ints(arr: pa.Array) -> np.ndarray:
    return np.asarray(arr.fill_null(0).to_numpy(zero_copy_only=False))


def _bools(arr: pa.Array) -> np.ndarray:
    return np.asarray(arr.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def scored_cues(prep: Prepared, cols: Columns) -> dict[str, np.ndarray]:
    """The cues of :mod:`fondly.features._scored` for every text of ``prep``.

    ``cols`` must hold sentiment and the pronoun counts of the same texts.
    """
    flags = {f"list_{name}": lexicon_flag(prep, name) for name in SCORE_LISTS}
    return _scored.cues(prep, cols, flags)


def sentence_cues(prep: Prepared, rows: np.ndarray) -> _scored.Sentences | None:
    """The cues of each distinct sentence of the texts in ``rows`` that hold several.

    A sentence is read in its message's language (:func:`prepare` with ``like``);
    sentences are deduplicated per language first, since chat repeats "ok." and "haha!"
    inside longer messages as much as alone. ``None`` when no text has two sentences.
    """
    texts = prep.original if prep.original is not None else prep.lower
    pieces, parent = split_sentences(texts.take(pa.array(rows, pa.int64())))
    several = np.bincount(parent, minlength=len(rows))[parent] > 1
    if not several.any():
        return None
    pieces, parent = pieces.filter(pa.array(several)), rows[parent[several]]
    lang = pc.dictionary_encode(prep.lang.take(pa.array(parent)))
    codes = np.asarray(lang.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    distinct: list[pa.Array] = []
    source: list[np.ndarray] = []
    index = np.zeros(len(pieces), dtype=np.int64)
    offset = 0
    for code in range(len(lang.dictionary)):
        mine = np.flatnonzero(codes == code)
        encoded = pc.dictionary_encode(pieces.take(pa.array(mine)))
        at = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
        _, first = np.unique(at, return_index=True)  # each distinct sentence's first place
        index[mine] = at + offset
        offset += len(encoded.dictionary)
        distinct.append(encoded.dictionary)
        source.append(parent[mine[first]])
    sprep = prepare(pa.concat_arrays(distinct), like=(prep, np.concatenate(source)))
    cols: Columns = {}
    cols.update(sentiment(sprep, cols))
    cols.update(pronouns(sprep, cols))
    return _scored.Sentences(sprep, scored_cues(sprep, cols), index, parent)


def _scores(prep: Prepared, cols: Columns) -> dict[str, np.ndarray]:
    """Each scored column's score per text (:func:`fondly.features._scored.text_scores`).

    disclosure and support read the same scores; a weak reference to the last batch
    keeps the second detector from recounting them without pinning the batch in memory.
    """
    cached = _SCORES.get("last")
    if cached is not None and cached[0]() is prep:
        return cached[1]
    rows = np.flatnonzero(_scored.scored_rows(prep))
    whole = scored_cues(prep, cols)
    sentences = sentence_cues(prep, rows) if len(rows) else None
    out = {
        column: _scored.text_scores(model, whole, sentences, len(prep))
        for column, model in _scored.models().items()
    }
    _SCORES["last"] = (weakref.ref(prep), out)
    return out


_SCORES: dict[str, tuple[weakref.ref[Prepared], dict[str, np.ndarray]]] = {}


def _scored_flag(prep: Prepared, cols: Columns, column: str) -> np.ndarray:
    """True where the column's score reaches its threshold (fit on CL-Aff train)."""
    return _scores(prep, cols)[column] >= _scored.models()[column].threshold


def disclosure(prep: Prepared, cols: Columns) -> Columns:
    """Emotional and informational self-disclosure (psychology.md D1-D3; CL-Aff labels).

    English (and too-short-to-tell) text is scored: weighted counts of feeling words
    (by kind: positive, negative, tears), first-person pronouns, people, work, school,
    health and other life facts, narration ("I went"), affect and punctuation, plus
    per-word weights, all fit on CL-Aff's training split (``_scored``). A single
    phrase list cannot draw CL-Aff's broad line; a few weighed cues can. The fit is
    class-balanced; the threshold is the one with the best F1 on the training split,
    out of fold, so routine facts of one's day ("long. a dentist appointment and then
    prep for the deadline") count, as CL-Aff's definitions say they should. The
    weights were fit on sentences, so a message of several sentences is read sentence
    by sentence: it discloses if its best sentence, plus a term for the number of
    sentences, reaches the threshold (:func:`fondly.features._scored.text_scores`).
    Other languages (and short texts whose words lean to one of them) keep the rules: a
    feeling phrase, or a first-person text with clear affect (|sentiment| >= 0.2) that
    is not addressed to "you"; a first-person fact or any first-person reference.
    Where there are no lists, NULL.
    """
    emotional = reply_flag(prep, "disclosure_emotional")
    info = lexicon_flag(prep, "disclosure_info")
    first_person = (_ints(cols["i_words"]) + _ints(cols["we_words"])) > 0
    score = np.abs(np.asarray(cols["sentiment"].fill_null(0.0).to_numpy(zero_copy_only=False)))
    # Outside English, sentiment is a word list that reads praise ("großartig", "stolz auf
    # dich") as strongly as feeling: affect discloses only beside "I" and not toward "you".
    to_you = _ints(cols["you_words"]) > 0
    affect = first_person & ~to_you & (score >= FEELING_WITH_SELF)
    # Nor does affect beside "I" disclose when the message is sympathy ("das tut mir so
    # leid"), praise of the other's news or the writer's own news: those have their columns.
    for other in ("support", "enthusiasm", "good_news"):
        if other in cols:
            affect &= ~_bools(cols[other])
    known = np.asarray(emotional.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    emo = _bools(emotional) | affect
    # "So happy for you", "je suis trop contente pour toi": a feeling said for the other is
    # enthusiasm or support; the writer discloses nothing of their own. Praise with "again" or
    # an eye-roll is sarcasm ("j'adore, encore des bouchons"), and a
    # message that opens with someone else tells their story ("mi primo se casó").
    rows = np.flatnonzero(emo)
    if len(rows):
        texts = prep.lower.take(pa.array(rows))
        sarcastic = (_match(texts, _symbols("eyeroll")) | _context_hits(prep, rows, "again")) & (
            np.asarray(cols["sentiment"].fill_null(0.0).to_numpy(zero_copy_only=False))[rows] > 0
        )
        theirs = _context_hits(prep, rows, "others", at_start=True) & ~_bools(emotional)[rows]
        mine_not = _context_hits(prep, rows, "foryou") | sarcastic | theirs
        emo[rows[mine_not]] = False
    inf = _bools(info) | first_person
    scored = _scored.scored_rows(prep) & ~leans_foreign(prep)
    if scored.any():
        emo = np.where(scored, _scored_flag(prep, cols, "disclosure_emotional"), emo)
        inf = np.where(scored, _scored_flag(prep, cols, "disclosure_info"), inf)
    return {
        "disclosure_emotional": pa.array(emo, pa.bool_(), mask=~known),
        "disclosure_info": pa.array(inf, pa.bool_(), mask=~known),
    }


def support(prep: Prepared, cols: Columns) -> Columns:
    """Sympathy, validation and advice toward the other (psychology.md C1; CL-Aff support).

    English (and too-short-to-tell) text is scored like disclosure: you-words, advice
    and sympathy cues, the support phrase list, affect, questions, per-word weights
    and, against it, first-person narration; weights fit on CL-Aff's training split,
    class-balanced, threshold at the best out-of-fold F1 there. Unlike disclosure a
    message is scored whole (see ``bench/fit_disclosure.py``, WHOLE_TEXT). Other
    languages keep the phrase list; NULL where there is none.
    """
    phrases = reply_flag(prep, "support")
    known = np.asarray(phrases.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    found = _bools(phrases)
    scored = _scored.scored_rows(prep) & ~leans_foreign(prep)
    if scored.any():
        found = np.where(scored, _scored_flag(prep, cols, "support"), found)
    return {"support": pa.array(found, pa.bool_(), mask=~known)}


SCORE_LISTS = ("disclosure_emotional", "disclosure_info", "support")
"""Phrase lists whose hits (``list_<name>``) the weighted scores read besides the cues."""


def pronouns(prep: Prepared, _: Columns) -> Columns:
    """We-, I- and you-word counts (psychology.md R5, D4)."""
    return {f"{p}_words": token_count(prep, "pronouns", p) for p in ("we", "i", "you")}


def function_words(prep: Prepared, _: Columns) -> Columns:
    """Counts for the nine language-style-matching categories (psychology.md R4)."""
    return {f"fw_{c}": token_count(prep, "function_words", c) for c in FUNCTION_WORD_CATEGORIES}


NEGATIVE_TURN = -0.5
"""VADER compound at or below which a turn is strongly negative (psychology.md C5)."""


def negativity(prep: Prepared, cols: Columns) -> Columns:
    """A strongly negative turn aimed at the other (VADER <= -0.5 with a you-word), or hostile.

    NULL where sentiment is unsupported and no hostility cue was found.
    """
    score = cols["sentiment"]
    you = _ints(cols["you_words"]) > 0
    hostile = np.asarray(cols["hostility"].fill_null(False).to_numpy(zero_copy_only=False))
    known = np.asarray(score.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    values = np.asarray(score.fill_null(0.0).to_numpy(zero_copy_only=False))
    neg = ((values <= NEGATIVE_TURN) & you & known) | hostile
    return {"negativity": pa.array(neg, pa.bool_(), mask=~(known | hostile))}
