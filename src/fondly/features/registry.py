"""Which features exist, the columns each fills, and each detector's version.

A version is the promise that a stored column was made by this exact detector:
bump it when a lexicon or rule changes, and `fondly features` recomputes that
feature's columns (and those of features that depend on it) and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyarrow as pa

from fondly.features import detectors as d
from fondly.features._text import Prepared, prepare

Detector = Callable[[Prepared, dict[str, pa.Array]], dict[str, pa.Array]]


@dataclass(frozen=True)
class Feature:
    """One detector and the message_features columns it fills.

    Attributes:
        name: the key in table feature_versions.
        version: bump when the detector or its lexicon changes.
        columns: column name -> DuckDB type.
        detect: the pure function computing the columns.
        depends: features whose columns ``detect`` reads (recomputed with it).
        contextual: filled by a pass over each conversation, not per text.
    """

    name: str
    version: str
    columns: dict[str, str]
    detect: Detector
    depends: tuple[str, ...] = ("language",)
    contextual: bool = False


def _flag(name: str, version: str) -> Feature:
    return Feature(name, version, {name: "BOOLEAN"}, d.flags(name))


FEATURES: list[Feature] = [
    Feature("language", "3", {"lang": "TEXT", "n_words": "INTEGER"}, d.language, ()),
    Feature("sentiment", "4", {"sentiment": "DOUBLE"}, d.sentiment),
    Feature("question", "4", {"is_question": "BOOLEAN", "question_kind": "TEXT"}, d.questions),
    Feature(
        "followup", "2", {"is_followup": "BOOLEAN"}, d.followup, ("question",), contextual=True
    ),
    _flag("affection", "3"),
    _flag("missing", "2"),
    _flag("reminder", "2"),
    _flag("gratitude", "3"),
    _flag("apology", "2"),
    _flag("laughter", "1"),
    _flag("encouragement", "2"),
    _flag("distress", "2"),
    Feature("good_news", "4", {"good_news": "BOOLEAN"}, d.good_news),
    Feature("enthusiasm", "4", {"enthusiasm": "BOOLEAN"}, d.enthusiasm, ("language", "good_news")),
    _flag("passive_ack", "1"),
    Feature("plan", "2", {"plan": "BOOLEAN"}, d.plan),
    _flag("future_talk", "3"),
    _flag("reminiscence", "2"),
    _flag("novelty", "1"),
    _flag("hostility", "3"),
    Feature(
        "pronouns",
        "1",
        {"we_words": "INTEGER", "i_words": "INTEGER", "you_words": "INTEGER"},
        d.pronouns,
    ),
    Feature(
        "function_words",
        "1",
        {f"fw_{c}": "INTEGER" for c in d.FUNCTION_WORD_CATEGORIES},
        d.function_words,
    ),
    Feature(
        "support",
        "9",
        {"support": "BOOLEAN"},
        d.support,
        ("language", "sentiment", "pronouns"),
    ),
    Feature(
        "disclosure",
        "7",
        {"disclosure_emotional": "BOOLEAN", "disclosure_info": "BOOLEAN"},
        d.disclosure,
        ("language", "sentiment", "pronouns", "good_news", "enthusiasm", "support"),
    ),
    Feature(
        "negativity",
        "2",
        {"negativity": "BOOLEAN"},
        d.negativity,
        ("language", "sentiment", "pronouns", "hostility"),
    ),
]
"""In dependency order: a feature comes after everything it depends on."""

BY_NAME = {f.name: f for f in FEATURES}


SEMANTIC_VERSION = "semantic-1"
"""The version of the semantic reading (``--semantic``; rule in features/_semantic_pass.py,
numbers in data/semantic.txt): bump it when either changes."""

SEMANTIC_FEATURES = ("followup", "novelty")
"""Features whose columns ``--semantic`` computes with the sentence-embedding model."""


def versions(*, semantic: bool = False) -> dict[str, str]:
    """Feature name -> current version, under the lexical or the semantic reading.

    The semantic features record ``<lexical version>+semantic-N``, so switching
    readings (or changing either rule) recomputes only their columns.
    """
    return {
        f.name: f"{f.version}+{SEMANTIC_VERSION}"
        if semantic and f.name in SEMANTIC_FEATURES
        else f.version
        for f in FEATURES
    }


def columns() -> dict[str, str]:
    """Every message_features column (besides message_id) -> DuckDB type, in order."""
    return {c: t for f in FEATURES for c, t in f.columns.items()}


def with_dependents(names: Iterable[str]) -> set[str]:
    """``names`` plus every feature that (transitively) reads their columns."""
    out = set(names)
    changed = True
    while changed:
        changed = False
        for f in FEATURES:
            if f.name not in out and out.intersection(f.depends):
                out.add(f.name)
                changed = True
    return out


def with_dependencies(names: Iterable[str]) -> set[str]:
    """``names`` plus everything they need computed first."""
    out = set(names)
    stack = list(out)
    while stack:
        for dep in BY_NAME[stack.pop()].depends:
            if dep not in out:
                out.add(dep)
                stack.append(dep)
    return out


def compute(texts: pa.Array, names: Iterable[str] | None = None) -> dict[str, pa.Array]:
    """Run detectors over an array of texts; the pure core of the features layer.

    Args:
        texts: a pyarrow string array (NULLs are read as empty text).
        names: features to compute (their dependencies are computed too);
            default all.

    Returns:
        Column name -> array of ``len(texts)``, for the requested features only.
    """
    wanted = set(BY_NAME) if names is None else set(names)
    needed = with_dependencies(wanted)
    texts = texts.cast(pa.string())
    prep = prepare(texts)
    cols: dict[str, pa.Array] = {}
    for f in FEATURES:
        if f.name not in needed:
            continue
        if f.name == "sentiment":
            cols.update(d.sentiment(prep, cols, originals=texts))
        else:
            cols.update(f.detect(prep, cols))
    return {c: cols[c] for f in FEATURES if f.name in wanted for c in f.columns}
