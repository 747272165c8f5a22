"""The semantic reading of two contextual columns: ``is_followup`` and ``novelty``.

With ``--semantic`` (the ``fondly[semantic]`` extra), sentence embeddings widen the
lexical follow-up rule and replace the novelty cue list with topic novelty; every
other column is untouched. The model reads English, so only English (and too-short-to-
tell ``und``) texts are embedded; other languages keep the lexical follow-up rule and
get NULL novelty ("not supported", as for any list fondly lacks).

Both steps fill only rows whose column is NULL (new messages, or a reset after a
version switch), so an import re-embeds only what it must: the new texts and the
window of earlier texts each new one is compared with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from fondly.features.semantic import Embedder, embed_distinct

if TYPE_CHECKING:
    from fondly.store import Store

Progress = Callable[[int], None]

READ_LANGS = ("en", "und")
"""Languages the bundled model was trained on ('und': too short to tell, mostly English)."""

_DAY_MS = 86_400_000


@dataclass(frozen=True)
class Thresholds:
    """The numbers in ``data/semantic.txt`` (how they were chosen is written there).

    Attributes:
        followup: a question is a follow-up when its cosine to a message of the
            other person's turn just before reaches this.
        novelty: a message opens a new topic when its best cosine to the window is
            below this.
        window_days: how far back the window reaches.
        window_messages: the most earlier messages the window holds (bounds the cost).
        min_words: fewer words than this carry no topic ("ok cool", "haha yes").
    """

    followup: float
    novelty: float
    window_days: int
    window_messages: int
    min_words: int


@cache
def thresholds() -> Thresholds:
    """Read ``data/semantic.txt``: ``name = value`` lines in one section, after the header.

    The ``[thresholds]`` section keeps the file readable as a lexicon too, as every
    ``data/*.txt`` is (licence check, tooling).
    """
    text = resources.files("fondly.features").joinpath("data/semantic.txt").read_text("utf-8")
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("["):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return Thresholds(
        followup=float(values["followup_min_similarity"]),
        novelty=float(values["novelty_max_similarity"]),
        window_days=int(values["novelty_window_days"]),
        window_messages=int(values["novelty_window_messages"]),
        min_words=int(values["novelty_min_words"]),
    )


# -- the pure core ------------------------------------------------------------------------


def window_starts(conv: np.ndarray, ts_ms: np.ndarray, window_ms: int, window_n: int) -> np.ndarray:
    """For each row (sorted by conversation, then time), the first row of its window.

    The window of row ``i`` is the rows ``[start, i)``: same conversation, at most
    ``window_n`` of them, none older than ``window_ms`` before row ``i``.
    """
    n = len(conv)
    starts = np.zeros(n, dtype=np.int64)
    bounds = np.flatnonzero(np.diff(conv)) + 1
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, n], strict=True):
        seg = ts_ms[lo:hi]
        starts[lo:hi] = lo + np.searchsorted(seg, seg - window_ms, side="left")
    return np.maximum(starts, np.arange(n) - window_n)


def best_earlier(vectors: np.ndarray, starts: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Each row's best cosine to the rows of its window; -1 where the window is empty.

    Args:
        vectors: unit vectors, one per row in sorted order.
        starts: :func:`window_starts`.
        rows: the rows to score.
    """
    best = np.full(len(rows), -1.0, dtype=np.float32)
    for k, i in enumerate(rows):
        lo = starts[i]
        if lo < i:
            best[k] = float(np.max(vectors[lo:i] @ vectors[i]))
    return best


def pair_similarity(
    first: list[str], second: list[str], embedder: Embedder, progress: Progress | None = None
) -> np.ndarray:
    """Cosine of each ``(first[k], second[k])``, every distinct text embedded once."""
    if not first:
        return np.zeros(0, dtype=np.float32)
    vectors, index = embed_distinct(first + second, embedder, progress)
    a, b = vectors[index[: len(first)]], vectors[index[len(first) :]]
    return np.asarray(np.einsum("ij,ij->i", a, b), dtype=np.float32)


# -- the store ----------------------------------------------------------------------------


def pending_questions(store: Store) -> pa.Table:
    """Questions the follow-up pass is about to fill: taken before the lexical rule runs."""
    return store.arrow(
        "SELECT message_id FROM message_features WHERE is_question AND is_followup IS NULL"
    )


_PAIRS_SQL = f"""
WITH q AS (
    SELECT t.message_id, t.conversation_id, t.turn, m.text
    FROM _fondly_turns t
    JOIN _fondly_pending p ON p.message_id = t.message_id
    JOIN message_features f ON f.message_id = t.message_id
    JOIN messages m ON m.rowid = t.row_id
    WHERE f.is_followup = FALSE AND f.lang IN {READ_LANGS} AND m.text IS NOT NULL
)
SELECT q.message_id, q.text AS question, m.text AS previous
FROM q
JOIN _fondly_turns t
  ON t.conversation_id = q.conversation_id AND t.turn = q.turn - 1 AND t.is_text
JOIN messages m ON m.rowid = t.row_id
JOIN message_features f ON f.message_id = t.message_id
WHERE m.text IS NOT NULL AND f.lang IN {READ_LANGS}
"""


def semantic_followups(
    store: Store,
    embedder: Embedder,
    pending: pa.Table,
    turns: pa.Table,
    progress: Progress | None = None,
) -> int:
    """Mark as follow-ups the pending questions the lexical rule missed but the model sees.

    A question in the turn right after the other person's turn is a follow-up when its
    cosine to one of that turn's messages reaches the threshold (the best message, not
    the turn joined up: a turn often mixes "omg" and "ok" with the news itself).

    Returns:
        How many questions were marked.
    """
    if pending.num_rows == 0:
        return 0
    store.register("_fondly_pending", pending)
    store.register("_fondly_turns", turns)
    try:
        pairs = store.arrow(_PAIRS_SQL)
    finally:
        store.unregister("_fondly_pending")
        store.unregister("_fondly_turns")
    if pairs.num_rows == 0:
        return 0
    sims = pair_similarity(
        pairs["question"].to_pylist(), pairs["previous"].to_pylist(), embedder, progress
    )
    hit = sims >= thresholds().followup
    ids = pairs["message_id"].filter(pa.array(hit)).unique()
    if len(ids) == 0:
        return 0
    store.register("_fondly_semantic_followups", pa.table({"message_id": ids}))
    try:
        store.execute(
            "UPDATE message_features SET is_followup = TRUE "
            "WHERE message_id IN (SELECT message_id FROM _fondly_semantic_followups)"
        )
    finally:
        store.unregister("_fondly_semantic_followups")
    return len(ids)


def semantic_novelty(store: Store, embedder: Embedder, progress: Progress | None = None) -> int:
    """Fill ``novelty`` where it is NULL for text messages: does this open a new topic?

    A message of at least ``min_words`` words is novel when its best cosine to the
    conversation's earlier such messages in the window stays below the threshold, or
    when the window is empty (the first real message, or the first after months of
    silence). Shorter English texts get FALSE; other languages NULL.

    Returns:
        How many messages were judged (TRUE or FALSE).
    """
    t = thresholds()
    rows = store.arrow(
        f"""
        SELECT m.message_id, m.conversation_id, m.ts_ms, f.novelty IS NULL AS pending,
               f.lang IN {READ_LANGS} AS readable,
               f.lang IN {READ_LANGS} AND f.n_words >= {int(t.min_words)} AS eligible,
               CASE WHEN f.lang IN {READ_LANGS} AND f.n_words >= {int(t.min_words)}
                    THEN m.text END AS text
        FROM messages m JOIN message_features f ON f.message_id = m.message_id
        WHERE m.kind IN ('text', 'link')
        ORDER BY m.conversation_id, m.ts_ms, m.seq, m.message_id
        """
    )
    pending = np.asarray(rows["pending"].to_numpy(zero_copy_only=False), dtype=bool)
    if not pending.any():
        return 0
    readable = np.asarray(rows["readable"].fill_null(False).to_numpy(zero_copy_only=False))
    eligible = np.asarray(rows["eligible"].fill_null(False).to_numpy(zero_copy_only=False))
    verdict: list[bool | None] = [None] * rows.num_rows
    for i in np.flatnonzero(pending & readable & ~eligible):
        verdict[i] = False

    where = np.flatnonzero(eligible)  # the eligible rows, in conversation-time order
    conv = np.asarray(rows["conversation_id"].to_numpy(), dtype=np.int64)[where]
    ts = np.asarray(rows["ts_ms"].to_numpy(zero_copy_only=False), dtype=np.int64)[where]
    starts = window_starts(conv, ts, t.window_days * _DAY_MS, t.window_messages)
    scored = np.flatnonzero(pending[where])
    if len(scored):
        # Embed only what is compared: the pending rows and their windows.
        mark = np.zeros(len(where) + 1, dtype=np.int64)
        np.add.at(mark, starts[scored], 1)
        np.add.at(mark, scored + 1, -1)
        needed = np.flatnonzero(np.cumsum(mark[:-1]) > 0)
        texts = rows["text"].take(pa.array(where[needed]))
        vectors, index = embed_distinct(texts, embedder, progress)
        full = np.zeros((len(where), vectors.shape[1]), dtype=np.float32)
        full[needed] = vectors[index]
        best = best_earlier(full, starts, scored)
        for k, novel in zip(scored, best < t.novelty, strict=True):
            verdict[where[k]] = bool(novel)

    judged = pa.table(
        {
            "message_id": rows["message_id"].filter(pa.array(pending)),
            "novelty": pa.array(
                [v for v, p in zip(verdict, pending, strict=True) if p], pa.bool_()
            ),
        }
    )
    store.register("_fondly_semantic_novelty", judged)
    try:
        store.execute(
            "UPDATE message_features SET novelty = s.novelty FROM _fondly_semantic_novelty s "
            "WHERE message_features.message_id = s.message_id"
        )
    finally:
        store.unregister("_fondly_semantic_novelty")
    return int(judged.num_rows - judged["novelty"].null_count)
