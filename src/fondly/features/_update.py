"""Bringing table message_features up to date: new messages, stale detectors, follow-ups.

The whole update is one transaction: an interrupted run leaves the table as it
was, and the next run picks up the same work. Which rows need scoring and how
they are written back live in :mod:`._pending`; scoring in :mod:`._scoring`; the
contextual follow-up pass in :mod:`._followups`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from fondly.features import _semantic_pass as sem
from fondly.features import registry
from fondly.features._followups import followup_pass, turns
from fondly.features._pending import insert_missing, recompute
from fondly.features._scoring import Progress

if TYPE_CHECKING:
    from fondly.features.semantic import Embedder
    from fondly.store import Store


FEATURES_MEMORY = os.environ.get("FONDLY_FEATURES_MEMORY", "400MB")
"""DuckDB's memory limit while features are written (a file store spills the rest beside
it). Without it a 1M-message chat peaked at ~990 MiB under DuckDB 1.5.5, with it ~830 MiB,
for ~0.5 s more (bench/long_chats.py --steps)."""


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
    with store.memory_limit(FEATURES_MEMORY), store.transaction():
        ensure_columns(store)
        n_rows = store.query("SELECT count(*) FROM message_features")[0][0]
        stale = stale_features(store, force=force, semantic=semantic) if n_rows else set()
        done = 0
        if stale:
            done += recompute(store, stale, contextual, progress, expect)
        at_insert = [n for n in registry.BY_NAME if not (semantic and n == "novelty")]
        added = insert_missing(store, at_insert, progress, expect)
        done += added
        followups = bool(added) or "followup" in stale  # a new question, or all reset
        pending = sem.pending_questions(store) if semantic and followups else None
        if followups:
            followup_pass(store)
        if embedder is not None:
            if pending is not None:
                sem.semantic_followups(store, embedder, pending, turns(store), progress)
            if added or "novelty" in stale:
                sem.semantic_novelty(store, embedder, progress)
        store.execute("DELETE FROM feature_versions")
        for name, version in registry.versions(semantic=semantic).items():
            store.execute("INSERT INTO feature_versions VALUES (?, ?)", [name, version])
    return int(done)
