"""Per-message features: language, sentiment, questions, care, disclosure, style.

The features layer turns each message's text into typed columns of table
``message_features`` (contract in DEVELOPERS.md) that the metrics layer reads.
Detectors are pure functions over Arrow arrays; phrase lists live in ``data/*.txt``.

Public API:
    update_store(store, *, progress=None, force=False, embedder=None, expect=None) -> int
    reads_semantically(store) -> bool
    annotate(texts) -> list[dict]
    compute(texts, names=None) -> dict[str, pyarrow.Array]
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from fondly.features._update import reads_semantically, update_store
from fondly.features.registry import FEATURES, compute, versions

__all__ = ["FEATURES", "annotate", "compute", "reads_semantically", "update_store", "versions"]


def annotate(texts: Iterable[str | None]) -> list[dict[str, object]]:
    """Features of each text as a dict, in input order (for `fondly annotate`).

    Contextual features (``is_followup``) need the conversation, so they are None here.
    """
    values = list(texts)
    cols = compute(pa.array(values, pa.string()))
    names = list(cols)
    pylists = [cols[c].to_pylist() for c in names]
    return (
        [dict(zip(names, row, strict=True)) for row in zip(*pylists, strict=True)] if values else []
    )
