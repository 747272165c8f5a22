"""Follow-up questions on a few hundred exchanges per language (issue 17, point 2).

Two AUTHOR-WRITTEN sets beside tests/data/followups_6lang.tsv: followups_heldout_6lang.tsv was
committed before the follow-up lists changed and never used to change them; followups_tuning_6lang
was run once blind and then used to change them. Both hold hard negatives: a question that opens
a new topic, a generic "how are you?" after small talk, a rhetorical question.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from fondly.features import update_store
from fondly.store import Store

LANGS = ("en", "de", "es", "fr", "it", "pt")
DATA = Path(__file__).parent / "data"
SETS = ("followups_6lang.tsv", "followups_tuning_6lang.tsv", "followups_heldout_6lang.tsv")
FLOORS = {"followups_tuning_6lang.tsv": 0.88, "followups_heldout_6lang.tsv": 0.85}
"""F1 each language must keep (measured: tuning 0.92-0.96, held out 0.91-0.96; always-yes
0.69); precision must stay at 0.85 or more on both."""


def prf(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = float((pred & gold).sum())
    p, r = tp / max(1.0, float(pred.sum())), tp / max(1.0, float(gold.sum()))
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def add_exchanges(store: Store, exchanges: list[list[str]]) -> list[str]:
    """Their message, then the user's question, one conversation per exchange; the question ids."""
    records = []
    base = dt.datetime(2024, 5, 1, 12, 0)
    for i, (_, _, _, theirs, question) in enumerate(exchanges):
        for j, (handle, text) in enumerate(((2, theirs), (1, question))):
            at = base + dt.timedelta(hours=i, minutes=j)
            records.append(
                {
                    "message_id": f"x{i}-{j}", "conversation_id": i + 1, "handle_id": handle,
                    "ts_ms": int(at.timestamp() * 1000), "ts_local": at, "tz_offset_min": 0,
                    "seq": j, "kind": "text", "media_type": None, "text": text,
                    "edited": False, "reply_to": None, "source_id": None, "import_id": 1,
                }
            )  # fmt: skip
    store.register("check_rows", pa.Table.from_pylist(records))
    store.execute("INSERT INTO messages SELECT * FROM check_rows")
    store.unregister("check_rows")
    return [f"x{i}-1" for i in range(len(exchanges))]


def rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def results(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, dict[str, tuple[np.ndarray, ...]]]:
    """Both sets in one store (one feature pass), each exchange its own conversation."""
    tuning, heldout = rows(SETS[1]), rows(SETS[2])
    store = Store(tmp_path_factory.mktemp("followups") / "fondly.duckdb")
    try:
        asked = add_exchanges(store, tuning + heldout)
        update_store(store)
        got = dict(store.query("SELECT message_id, is_followup FROM message_features"))
    finally:
        store.close()
    out: dict[str, dict[str, tuple[np.ndarray, ...]]] = {}
    for name, offset, mine in ((SETS[1], 0, tuning), (SETS[2], len(tuning), heldout)):
        out[name] = {}
        for lang in LANGS:
            idx = [i for i, r in enumerate(mine) if r[2] == lang]
            pred = np.array([bool(got[asked[offset + i]]) for i in idx])
            gold = np.array([mine[i][1] == "1" for i in idx])
            out[name][lang] = (pred, gold)
    return out


def test_a_hundred_and_fifty_exchanges_per_language_with_hard_negatives() -> None:
    for lang in LANGS:
        mine = [r for name in SETS for r in rows(name) if r[2] == lang]
        assert len(mine) >= 150
        assert 0.35 < np.mean([r[1] == "1" for r in mine]) < 0.65


@pytest.mark.parametrize("name", SETS[1:])
@pytest.mark.parametrize("lang", LANGS)
def test_followups_keep_their_floor(
    results: dict[str, dict[str, tuple[np.ndarray, ...]]], name: str, lang: str
) -> None:
    pred, gold = results[name][lang]
    p, _, f1 = prf(pred, gold)
    always_yes = 2 * gold.mean() / (1 + gold.mean())
    assert f1 >= FLOORS[name] > always_yes and p >= 0.85, (lang, p, f1)
