"""Filling table message_features: new messages, stale detectors, the follow-up pass.

Chat repeats itself ("ok", "haha", "❤️"), so texts are deduplicated before any
detector runs and each distinct text is scored once; large batches are split over
the machine's cores. The whole update is one transaction: an interrupted run leaves
the table as it was, and the next run picks up the same work.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fondly.features import _lexicon as lx
from fondly.features import _semantic_pass as sem
from fondly.features import registry

if TYPE_CHECKING:
    from fondly.features.semantic import Embedder
    from fondly.store import Store

Progress = Callable[[int], None]

TEXT_KINDS = ("text", "link")
"""Message kinds whose text is the sender's words; every other kind gets NULL features."""

PARALLEL_MIN = 40_000
"""Fewer distinct texts than this are scored in-process: starting workers costs more."""

CHUNK_MIN = 10_000
"""Fewest distinct texts per worker task: below this, per-task setup dominates."""


# -- scoring distinct texts ---------------------------------------------------------------


def _work(args: tuple[pa.Array, tuple[str, ...]]) -> dict[str, pa.Array]:
    texts, names = args
    return registry.compute(texts, names)


def _workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def compute_many(
    texts: pa.Array, names: Iterable[str], progress: Progress | None = None
) -> dict[str, pa.Array]:
    """:func:`registry.compute` over distinct texts, on every core for big inputs.

    Args:
        texts: distinct texts (the caller deduplicates).
        names: features to compute.
        progress: called with the number of texts finished, chunk by chunk.
    """
    names = tuple(names)
    n = len(texts)
    workers = _workers()
    if n < PARALLEL_MIN or workers < 2:
        out = registry.compute(texts, names)
        if progress:
            progress(n)
        return out
    # Two chunks per core keep both busy to the end; more would repeat per-chunk setup.
    size = max(CHUNK_MIN, -(-n // (2 * workers)))
    # Each chunk is copied into its own buffers: a pickled slice drags the whole parent
    # buffer along, and a compact copy is what the worker should own.
    chunks = [(pa.concat_arrays([texts.slice(i, size)]), names) for i in range(0, n, size)]
    registry.compute(texts.slice(0, 64), names)  # load lexicons and VADER once, before fork
    # fork shares the loaded lexicons and VADER with the workers at no cost; the
    # workers never touch DuckDB. Elsewhere (macOS, Windows) spawn is the safe default.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    ctx = multiprocessing.get_context(method)
    parts: list[dict[str, pa.Array]] = []
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a process with threads (DuckDB's) may deadlock a
        # child that uses them; the workers only run pyarrow and VADER.
        warnings.simplefilter("ignore", DeprecationWarning)
        pool = ctx.Pool(min(workers, len(chunks)))
    with pool:
        for part in pool.imap(_work, chunks):
            parts.append(part)
            if progress:
                progress(len(next(iter(part.values()))) if part else 0)
    return {c: pa.concat_arrays([p[c] for p in parts]) for c in parts[0]}


def features_for(
    kinds: pa.Array, texts: pa.Array, names: Iterable[str], progress: Progress | None = None
) -> dict[str, pa.Array]:
    """Feature columns for messages: distinct texts scored once, non-text kinds NULL."""
    is_text = pc.is_in(kinds, value_set=pa.array(TEXT_KINDS)).fill_null(False)
    texts = texts.cast(pa.string()).fill_null("")
    text_only = pc.if_else(is_text, texts, pa.scalar(None, pa.string()))
    distinct = pc.unique(texts.filter(is_text))
    positions = pc.index_in(text_only, value_set=distinct)  # NULL for non-text rows
    scored = compute_many(distinct, names, _per_message(progress, positions, len(distinct)))
    if progress:
        progress(positions.null_count)  # non-text messages: nothing to score
    return {c: arr.take(positions) for c, arr in scored.items()}


def _per_message(
    progress: Progress | None, positions: pa.Array, n_distinct: int
) -> Progress | None:
    """Turns progress in distinct texts (scored in order) into progress in messages.

    A bar counts messages, the unit a user knows; each distinct text stands for every
    message that carries it, so a chunk of texts advances by the messages it covers.
    """
    if progress is None:
        return None
    index = positions.fill_null(n_distinct).to_numpy(zero_copy_only=False)
    covered = np.cumsum(np.bincount(index, minlength=n_distinct + 1)[:n_distinct])
    done = 0

    def advance(n_texts: int) -> None:
        nonlocal done
        before = int(covered[done - 1]) if done else 0
        done = min(done + n_texts, n_distinct)
        progress(int(covered[done - 1]) - before if done else 0)

    return advance


# -- the store ----------------------------------------------------------------------------


def ensure_columns(store: Store) -> None:
    """Add any registry column that message_features lacks (older stores, new detectors)."""
    have = set(store.columns("message_features"))
    for col, sqltype in registry.columns().items():
        if col not in have:
            store.execute(f"ALTER TABLE message_features ADD COLUMN {col} {sqltype}")


def reads_semantically(store: Store) -> bool:
    """Whether the store's follow-ups and novelty were last read with the embedding model."""
    if not store.columns("feature_versions"):
        return False  # features never computed here
    rows = store.query(
        "SELECT version FROM feature_versions WHERE feature IN ("
        + ", ".join(f"'{name}'" for name in registry.SEMANTIC_FEATURES)
        + ")"
    )
    return any(registry.SEMANTIC_VERSION in str(version) for (version,) in rows)


def stale_features(store: Store, *, force: bool = False, semantic: bool = False) -> set[str]:
    """Features whose stored version differs from the registry's (all with ``force``)."""
    if force:
        return set(registry.BY_NAME)
    stored = dict(store.query("SELECT feature, version FROM feature_versions"))
    current = registry.versions(semantic=semantic)
    changed = {n for n, v in current.items() if stored.get(n) != v}
    return registry.with_dependents(changed)


def update_store(
    store: Store,
    *,
    progress: Progress | None = None,
    force: bool = False,
    embedder: Embedder | None = None,
    expect: Progress | None = None,
) -> int:
    """Compute features for messages that lack them and recompute stale detectors.

    Args:
        store: a :class:`fondly.store.Store`.
        progress: called with counts of messages done (distinct texts, under ``--semantic``).
        expect: called with how many more messages the update will score, as soon as it
            knows (a progress bar's total grows by it).
        force: recompute every feature of every message.
        embedder: read follow-ups and novelty with sentence embeddings (``--semantic``;
            :func:`fondly.features.semantic.load_embedder`). Without it they are read
            lexically, and a store read semantically before switches back.

    Returns:
        The number of messages whose features were computed or recomputed.
    """
    semantic = embedder is not None
    # Under the semantic reading novelty needs the conversation too: it is filled by a
    # pass after the per-text detectors, like is_followup.
    contextual = {f.name for f in registry.FEATURES if f.contextual}
    if semantic:
        contextual.add("novelty")
    with store.transaction():
        ensure_columns(store)
        n_rows = store.query("SELECT count(*) FROM message_features")[0][0]
        stale = stale_features(store, force=force, semantic=semantic) if n_rows else set()
        done = 0
        if stale:
            done += _recompute(store, stale, contextual, progress, expect)
        at_insert = [n for n in registry.BY_NAME if not (semantic and n == "novelty")]
        added = _insert_missing(store, at_insert, progress, expect)
        done += added
        followups = bool(added) or "followup" in stale  # a new question, or all reset
        pending = sem.pending_questions(store) if semantic and followups else None
        if followups:
            _followup_pass(store)
        if embedder is not None:
            if pending is not None:
                sem.semantic_followups(store, embedder, pending, _turns(store), progress)
            if added or "novelty" in stale:
                sem.semantic_novelty(store, embedder, progress)
        store.execute("DELETE FROM feature_versions")
        for name, version in registry.versions(semantic=semantic).items():
            store.execute("INSERT INTO feature_versions VALUES (?, ?)", [name, version])
    return int(done)


def _insert_missing(
    store: Store, names: list[str], progress: Progress | None, expect: Progress | None = None
) -> int:
    rows = store.arrow(
        "SELECT m.message_id, m.kind, m.text FROM messages m "
        "WHERE NOT EXISTS (SELECT 1 FROM message_features f WHERE f.message_id = m.message_id)"
    )
    if rows.num_rows == 0:
        return 0
    if expect:
        expect(rows.num_rows)
    cols = features_for(
        rows["kind"].combine_chunks(), rows["text"].combine_chunks(), names, progress
    )
    table = pa.table({"message_id": rows["message_id"], **cols})
    columns = ", ".join(cols)
    store.register("_fondly_new_features", table)
    try:
        store.execute(
            f"INSERT INTO message_features (message_id, {columns}) "
            f"SELECT message_id, {columns} FROM _fondly_new_features"
        )
    finally:
        store.unregister("_fondly_new_features")
    return rows.num_rows


def _recompute(
    store: Store,
    stale: set[str],
    contextual: set[str],
    progress: Progress | None,
    expect: Progress | None = None,
) -> int:
    """Recompute stale per-text features; reset stale contextual ones to NULL for their pass."""
    rows = store.arrow(
        "SELECT f.message_id, m.kind, m.text FROM message_features f "
        "JOIN messages m ON m.message_id = f.message_id"
    )
    per_text = [n for n in stale if n not in contextual]
    if per_text and rows.num_rows:
        if expect:
            expect(rows.num_rows)
        cols = features_for(
            rows["kind"].combine_chunks(), rows["text"].combine_chunks(), per_text, progress
        )
        table = pa.table({"message_id": rows["message_id"], **cols})
        sets = ", ".join(f"{c} = s.{c}" for c in cols)
        store.register("_fondly_stale_features", table)
        try:
            store.execute(
                f"UPDATE message_features SET {sets} FROM _fondly_stale_features s "
                "WHERE message_features.message_id = s.message_id"
            )
        finally:
            store.unregister("_fondly_stale_features")
    for name in sorted(stale & contextual):
        resets = ", ".join(f"{c} = NULL" for c in registry.BY_NAME[name].columns)
        store.execute(f"UPDATE message_features SET {resets}")
    return int(rows.num_rows)


# -- follow-up questions (contextual) -----------------------------------------------------

# Turns are numbered with one sort and a numpy cumulative sum (_turns); the rest is one
# DuckDB query (multi-threaded, no Python per message): take each unscored question's
# turn and the other person's turn just before it, and compare their content words.
# This is DuckDB-only SQL, not metric SQL, so it may use lists and regexes.
_FOLLOWUP_SQL = """
WITH questions AS (
    SELECT t.message_id, t.conversation_id, t.turn, m.text
    FROM _fondly_turns t
    JOIN message_features f ON f.message_id = t.message_id
    JOIN messages m ON m.rowid = t.row_id
    WHERE f.is_question AND f.is_followup IS NULL
),
previous AS (
    SELECT t.conversation_id, t.turn, m.text
    FROM _fondly_turns t JOIN messages m ON m.rowid = t.row_id
    WHERE t.is_text AND m.text IS NOT NULL
      AND (t.conversation_id, t.turn + 1) IN (SELECT conversation_id, turn FROM questions)
),
has_previous AS (
    SELECT DISTINCT conversation_id, turn + 1 AS turn FROM previous
),
stems AS (  -- distinct texts only: chat repeats its questions and answers
    SELECT text, left(rtrim(w, 's'), 6) AS stem
    FROM (SELECT text, unnest(regexp_extract_all(lower(text), $word)) AS w
          FROM (SELECT text FROM questions UNION SELECT text FROM previous))
    WHERE length(w) >= 3 AND w NOT IN (SELECT word FROM _fondly_function_words)
),
q_words AS (
    SELECT DISTINCT q.message_id, q.conversation_id, q.turn, s.stem
    FROM questions q JOIN stems s ON s.text = q.text
),
p_words AS (
    SELECT DISTINCT p.conversation_id, p.turn + 1 AS turn, s.stem
    FROM previous p JOIN stems s ON s.text = p.text
),
overlap AS (
    SELECT DISTINCT q.message_id
    FROM q_words q JOIN p_words p
      ON p.conversation_id = q.conversation_id AND p.turn = q.turn AND p.stem = q.stem
),
cued AS (
    SELECT q.message_id FROM questions q
    JOIN (SELECT DISTINCT text FROM questions WHERE regexp_matches(lower(text), $cue)) c
      ON c.text = q.text
),
verdict AS (
    SELECT q.message_id,
           h.turn IS NOT NULL AND (c.message_id IS NOT NULL OR o.message_id IS NOT NULL)
               AS is_followup
    FROM questions q
    LEFT JOIN has_previous h ON h.conversation_id = q.conversation_id AND h.turn = q.turn
    LEFT JOIN overlap o ON o.message_id = q.message_id
    LEFT JOIN cued c ON c.message_id = q.message_id
)
UPDATE message_features SET is_followup = v.is_followup
FROM verdict v WHERE message_features.message_id = v.message_id
"""


@cache
def function_words() -> tuple[str, ...]:
    """Closed-class words of every supported language: they never make a topic."""
    words: set[str] = set()
    for name in ("stopwords", "function_words", "pronouns"):
        lex = lx.load(name)
        for section, terms in lex.sections.items():
            if section == "symbols":
                continue
            for term in terms:
                words.update(
                    w for w in term.split("|") if re.fullmatch(r"[^\W\d_]+(?:'[^\W\d_]+)?", w)
                )
    return tuple(sorted(words))


@cache
def cue_pattern() -> str:
    """RE2 pattern of the elaboration cues ("what happened", "how did it go", "why")."""
    lex = lx.load("followup_cues")
    return lx.bounded([t for terms in lex.sections.values() for t in terms])


def _followup_pass(store: Store) -> None:
    """Fill is_followup where it is NULL for text messages (new rows, or after a reset).

    A question is a follow-up (psychology.md A3, Huang et al. 2017) when it is in a turn
    right after another person's turn and shares a content word with that turn (crude
    lemma: plural "s" dropped, first six letters) or uses an elaboration cue. Every other
    text message gets FALSE; non-text messages keep NULL.
    """
    words = pa.table({"word": pa.array(function_words(), pa.string())})
    store.register("_fondly_function_words", words)
    store.register("_fondly_turns", _turns(store, pending_only=True))
    try:
        sql = _FOLLOWUP_SQL.replace("$word", "'" + _TOKEN_SQL + "'").replace(
            "$cue", "'" + cue_pattern().replace("'", "''") + "'"
        )
        store.execute(sql)
        store.execute(
            "UPDATE message_features SET is_followup = FALSE "
            "WHERE is_followup IS NULL AND is_question IS NOT NULL"
        )
    finally:
        store.unregister("_fondly_function_words")
        store.unregister("_fondly_turns")


def _turns(store: Store, *, pending_only: bool = False) -> pa.Table:
    """Each non-system message's turn: a run of consecutive messages by one sender.

    Turn numbers are global and increase along each conversation, and a new
    conversation always starts a new turn, so "the turn before" is turn - 1 within the
    same conversation_id. ``pending_only``: only the conversations with a question
    whose follow-up flag is not filled yet (after an import, the chats it added to),
    from the turn before the oldest such question on (_PENDING_FROM_SQL); numbers
    within each conversation keep their differences.
    """
    if pending_only:
        rows = store.arrow(
            f"WITH {_PENDING_FROM_SQL} SELECT m.rowid AS row_id, m.message_id, "
            "m.conversation_id, m.handle_id, m.kind IN ('text', 'link') AS is_text "
            "FROM messages m JOIN cut c ON c.conversation_id = m.conversation_id "
            f"WHERE m.kind <> 'system' AND (c.b_key IS NULL OR {_KEY} > c.b_key) "
            "ORDER BY m.conversation_id, m.ts_ms, m.seq, m.message_id"
        )
    else:
        rows = store.arrow(
            "SELECT rowid AS row_id, message_id, conversation_id, handle_id, "
            "kind IN ('text', 'link') AS is_text FROM messages "
            "WHERE kind <> 'system' ORDER BY conversation_id, ts_ms, seq, message_id"
        )
    conv = np.asarray(rows["conversation_id"].to_numpy(), dtype=np.int64)
    handle = np.asarray(rows["handle_id"].fill_null(-1).to_numpy(), dtype=np.int64)
    new_turn = np.ones(len(conv), dtype=bool)
    new_turn[1:] = (conv[1:] != conv[:-1]) | (handle[1:] != handle[:-1])
    turn = np.cumsum(new_turn)
    return pa.table(
        {
            "row_id": rows["row_id"],
            "message_id": rows["message_id"],
            "conversation_id": rows["conversation_id"],
            "is_text": rows["is_text"],
            "turn": turn,
        }
    )


_KEY = "struct_pack(ts := m.ts_ms, seq := m.seq, id := m.message_id)"
"""A message's place in its conversation, comparable as one value."""

_PENDING_FROM_SQL = f"""
first_q AS (  -- per chat, its oldest question with no follow-up flag yet
    SELECT m.conversation_id,
           min(struct_pack(k := {_KEY}, h := m.handle_id)) AS q
    FROM messages m JOIN message_features f ON f.message_id = m.message_id
    WHERE f.is_question AND f.is_followup IS NULL AND m.kind <> 'system'
    GROUP BY m.conversation_id
), before_q AS (  -- the newest message before it by someone else: in the turn before
    SELECT p.conversation_id, max(struct_pack(k := {_KEY}, h := m.handle_id)) AS a
    FROM first_q p JOIN messages m ON m.conversation_id = p.conversation_id
    WHERE m.kind <> 'system' AND {_KEY} < p.q.k AND m.handle_id IS DISTINCT FROM p.q.h
    GROUP BY p.conversation_id
), before_turn AS (  -- the newest message before that turn: the turn before starts after it
    SELECT a.conversation_id, max({_KEY}) AS b_key
    FROM before_q a JOIN messages m ON m.conversation_id = a.conversation_id
    WHERE m.kind <> 'system' AND {_KEY} < a.a.k AND m.handle_id IS DISTINCT FROM a.a.h
    GROUP BY a.conversation_id
), cut AS (
    SELECT p.conversation_id, b.b_key
    FROM first_q p LEFT JOIN before_turn b ON b.conversation_id = p.conversation_id
)
"""
"""The chats with questions to read, each from the start of the turn before its oldest
such question's turn (b_key: the message just before that; NULL: the whole chat). The
follow-up SQL reads questions and the turn before each, so nothing earlier is needed,
and a chat's read starting on a turn's first message numbers its turns as a whole read
would, up to a constant."""

_TOKEN_SQL = r"[\pL\pN]+(?:''[\pL\pN]+)*"
