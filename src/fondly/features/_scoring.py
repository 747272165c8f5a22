"""Scoring distinct texts: each once, on every core for big batches.

Chat repeats itself ("ok", "haha", "❤️"), so texts are deduplicated before any
detector runs and each distinct text is scored once; large batches are split over
the machine's cores. A progress callback counts messages (the unit a user knows),
not the distinct texts scored.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fondly.features import registry

Progress = Callable[[int], None]

TEXT_KINDS = ("text", "link")
"""Message kinds whose text is the sender's words; every other kind gets NULL features."""

PARALLEL_MIN = 40_000
"""Fewer distinct texts than this are scored in-process: starting workers costs more."""

CHUNK_MIN = 10_000
"""Fewest distinct texts per worker task: below this, per-task setup dominates."""


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
    scored = compute_many(distinct, names, per_message(progress, positions, len(distinct)))
    if progress:
        progress(positions.null_count)  # non-text messages: nothing to score
    return {c: arr.take(positions) for c, arr in scored.items()}


def per_message(progress: Progress | None, positions: pa.Array, n_distinct: int) -> Progress | None:
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
