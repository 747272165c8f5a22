"""Long relationships: inside jokes on a long chat, and phrase pruning that stays linear."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fondly.metrics import compute
from fondly.metrics.idioms import MAX_ITEMS, _prune
from fondly.store import Store
from tests.synthetic import Chat, fill_simple_features, write_chats

T0 = datetime(2023, 1, 2, 8, 0)


def _prune_by_pairs(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rule as first written: every candidate compared with every kept phrase."""
    items = sorted(
        items,
        key=lambda i: (-len(i["phrase"].split()), -(i["uses_me"] + i["uses_them"]), i["phrase"]),
    )
    kept: list[dict[str, Any]] = []
    for item in items:
        total = item["uses_me"] + item["uses_them"]
        if any(
            f" {item['phrase']} " in f" {k['phrase']} "
            and k["uses_me"] + k["uses_them"] >= 0.8 * total
            for k in kept
        ):
            continue
        kept.append(item)
    kept.sort(key=lambda i: (-(i["uses_me"] + i["uses_them"]), i["phrase"]))
    return kept[:MAX_ITEMS]


_phrases = st.lists(st.sampled_from(["a", "bo", "cat", "dee", "🐸"]), min_size=1, max_size=3).map(
    " ".join
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        _phrases,
        st.tuples(st.integers(3, 40), st.integers(3, 40)),
        max_size=40,
    )
)
def test_prune_keeps_what_pairwise_comparison_keeps(uses: dict[str, tuple[int, int]]) -> None:
    def items() -> list[dict[str, Any]]:
        return [{"phrase": p, "uses_me": m, "uses_them": t} for p, (m, t) in uses.items()]

    assert _prune(items()) == _prune_by_pairs(items())


def _long_chat(n_days: int, seed: int) -> tuple[list[tuple[datetime, str, str]], set[str]]:
    """A year of varied daily chat with Robin, carrying four private phrases of the pair."""
    rng = random.Random(seed)
    everyday = [
        "good morning",
        "how was work",
        "see you tonight",
        "love you",
        "on my way",
        "what time is dinner",
        "so tired today",
        "haha",
    ]
    jokes = ["blorp", "captain noodle", "the grumpy kettle", "spoon emergency"]
    rows = []
    for day in range(n_days):
        t = T0 + timedelta(days=day)
        for k in range(rng.randint(20, 40)):
            who = "Alex" if (k + rng.randint(0, 1)) % 2 else "Robin"
            r = rng.random()
            if r < 0.03:
                text = rng.choice(jokes)
            elif r < 0.75:
                text = rng.choice(everyday)
            else:
                # the long tail: made-up words said once, frequent in no one's mouth
                words = ("".join(rng.choices("bcdfgklmnprstvz", k=7)) for _ in range(4))
                text = " ".join(words)
            rows.append((t + timedelta(minutes=3 * k), who, text))
    return rows, set(jokes)


def test_inside_jokes_on_a_long_chat() -> None:
    """~11k messages with Robin: the pair's phrases are found, longest form only, and
    what Alex also says to Kim is not a shared phrase."""
    rows, jokes = _long_chat(365, seed=3)
    kim_rows = []
    for day in range(0, 365, 2):  # Alex's everyday speech, elsewhere
        t = T0 + timedelta(days=day, hours=12)
        kim_rows += [
            (t, "Alex", "good morning"),
            (t + timedelta(minutes=1), "Alex", "how was work"),
            (t + timedelta(minutes=2), "Alex", "love you"),
            (t + timedelta(minutes=3), "Alex", "on my way"),
            (t + timedelta(minutes=4), "Alex", "so tired today"),
            (t + timedelta(minutes=5), "Alex", "what time is dinner"),
            (t + timedelta(minutes=6), "Alex", "see you tonight"),
        ]
    with Store(":memory:") as store:
        write_chats(
            store,
            [Chat("robin", ["Alex", "Robin"], rows), Chat("kim", ["Alex", "Kim"], kim_rows)],
            me="Alex",
        )
        fill_simple_features(store)
        result = compute(store)
    robin = next(r for r in result["relationships"] if r["person"]["name"] == "Robin")
    jokes_metric = robin["metrics"]["inside_jokes"]
    items = jokes_metric["items"]
    phrases = {i["phrase"] for i in items}
    assert jokes <= phrases  # each in its longest form: "captain noodle", not "noodle"
    assert not phrases & {"noodle", "captain", "grumpy kettle", "kettle", "spoon"}
    everyday_words = {"morning", "work", "tonight", "love", "tired", "dinner", "way", "time"}
    assert not {w for p in phrases for w in p.split()} & everyday_words
    assert phrases == jokes
    assert all(i["uses_me"] >= 3 and i["uses_them"] >= 3 and i["days"] >= 3 for i in items)
    assert jokes_metric["pair"]["value"] == len(items) == 4


# -- progress -------------------------------------------------------------------------------------


def test_progress_is_silent_when_stderr_is_not_a_terminal() -> None:
    from io import StringIO

    from rich.console import Console

    from fondly.progress import bar

    out = StringIO()
    with bar(Console(file=out), "report", total=3) as advance:
        advance(3)
    assert out.getvalue() == ""


def test_progress_draws_a_bar_with_its_total_on_a_terminal() -> None:
    from io import StringIO

    from rich.console import Console

    from fondly.progress import bar

    out = StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    with bar(console, "preparing reports", total=12, unit="units") as advance:
        advance(5)
    assert "preparing reports" in out.getvalue()
    assert "/12" in out.getvalue()


def test_a_bar_learns_its_total_once_the_step_knows_it() -> None:
    from io import StringIO

    from rich.console import Console

    from fondly.progress import bar

    out = StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    with bar(console, "features", unit="messages") as advance:
        advance.expect(1500)
        advance.expect(500)
        advance(700)
    assert "/2000" in out.getvalue()
    with bar(Console(file=StringIO()), "features") as quiet:
        quiet.expect(10)  # no terminal: accepted and ignored
        quiet(10)


def test_features_announce_the_messages_to_score_and_count_every_one() -> None:
    from fondly.features import update_store

    rows, _ = _long_chat(40, seed=3)
    with Store(":memory:") as store:
        write_chats(store, [Chat("robin", ["Alex", "Robin"], rows)], me="Alex")
        n_messages = store.query("SELECT count(*) FROM messages")[0][0]
        expected: list[int] = []
        done: list[int] = []
        assert update_store(store, progress=done.append, expect=expected.append) == n_messages
        # Chat repeats itself: fewer distinct texts than messages, yet the bar counts messages.
        n_texts = store.query("SELECT count(DISTINCT text) FROM messages")[0][0]
        assert n_texts < n_messages
        assert expected == [n_messages]
        assert sum(done) == n_messages
        expected.clear()
        done.clear()
        update_store(store, progress=done.append, expect=expected.append)
        assert expected == [] and sum(done) == 0  # nothing pending: nothing announced


@given(st.lists(st.sampled_from(["ok", "haha", "love you", None, "🐸"]), max_size=60), st.data())
@settings(max_examples=100, deadline=None)
def test_progress_in_texts_becomes_progress_in_messages(
    texts: list[str | None], data: st.DataObject
) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    from fondly.features._scoring import per_message

    column = pa.array(texts, pa.string())
    distinct = pc.unique(column.drop_null())
    positions = pc.index_in(column, value_set=distinct)
    done: list[int] = []
    advance = per_message(done.append, positions, len(distinct))
    assert advance is not None
    left = len(distinct)
    while left:  # chunks of texts in order, as the workers finish them
        step = data.draw(st.integers(1, left))
        advance(step)
        left -= step
    assert sum(done) == len(texts) - positions.null_count
    assert all(n >= 0 for n in done)


def test_compute_and_keep_units_report_every_step() -> None:
    from fondly.metrics import keep_units, kept
    from fondly.metrics._compute import steps

    rows, _ = _long_chat(30, seed=5)
    with Store(":memory:") as store:
        write_chats(store, [Chat("robin", ["Alex", "Robin"], rows)], me="Alex")
        fill_simple_features(store)
        seen: list[int] = []
        keep_units(store, progress=seen.append)
        assert sum(seen) == len(kept.KEPT)
        seen.clear()
        compute(store, progress=seen.append)
        assert sum(seen) == steps()


# -- incremental: a newer export of a long chat ----------------------------------------------------


def _export(path: Path, n: int, *, seed: int = 11, early: bool = False) -> Path:
    """A WhatsApp (Android, 24 h) export of the first ``n`` messages of one seeded chat.

    ``early``: also one message dated before all the others (not a newer export).
    """
    rng = random.Random(seed)
    texts = [
        "ok",
        "haha",
        "love you",
        "on my way",
        "how was work?",
        "captain noodle",
        "😂",
        "night",
    ]
    t = datetime(2024, 1, 1, 8, 0)
    lines = ["01/01/2024, 08:00 - Messages and calls are end-to-end encrypted.\n"]
    if early:
        lines.append("31/12/2023, 09:00 - Robin: happy new year eve\n")
    who = "Alex"
    for _ in range(n):
        t += timedelta(minutes=rng.choice([1, 2, 5, 11, 30, 150, 600]))
        who = who if rng.random() < 0.4 else ("Robin" if who == "Alex" else "Alex")
        lines.append(f"{t:%d/%m/%Y, %H:%M} - {who}: {rng.choice(texts)}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _kept_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    from fondly.metrics import kept

    with Store(db, read_only=True) as store:
        return {
            name: sorted(
                (
                    tuple(round(v, 9) if isinstance(v, float) else v for v in row)
                    for row in store.query(f"SELECT * FROM {kept.table(name)}")
                ),
                key=repr,
            )
            for name in kept.KEPT
        }


def _rebuilt(db: Path, tmp: Path) -> Path:
    """A copy of the store with its kept units built from scratch."""
    import shutil

    from fondly.metrics import keep_units, kept

    copy = tmp / "rebuilt.duckdb"
    shutil.copy(db, copy)
    with Store(copy) as store:
        kept.drop(store)
        keep_units(store)
    return copy


def _import(runner: Any, db: Path, export: Path) -> None:
    from fondly.cli import cli

    got = runner.invoke(
        cli, ["--db", str(db), "import", str(export), "--me", "Alex", "--tz", "UTC"]
    )
    assert got.exit_code == 0, got.output


def test_a_newer_export_updates_the_kept_units_as_a_rebuild_would(
    runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fondly.metrics import kept

    db = tmp_path / "f.duckdb"
    _import(runner, db, _export(tmp_path / "old" / "WhatsApp Chat with Robin.txt", 3000))
    rebuilds: list[int] = []
    full = kept._save
    monkeypatch.setattr(kept, "_save", lambda *a, **k: rebuilds.append(1) or full(*a, **k))
    _import(runner, db, _export(tmp_path / "new" / "WhatsApp Chat with Robin.txt", 3400))
    assert rebuilds == []  # the units were updated, not rebuilt
    with Store(db, read_only=True) as store:
        assert store.query("SELECT count(*) FROM messages WHERE kind = 'text'")[0][0] == 3400
        assert store.query("SELECT count(*) FROM kept_dm")[0][0] == 3400
        updated = compute(store)
        assert kept.current(store, *_current_args(store))
    fresh = _rebuilt(db, tmp_path)
    assert _kept_rows(db) == _kept_rows(fresh)
    with Store(fresh, read_only=True) as store:
        assert compute(store) == updated
        assert compute(store, use_kept=False) == updated


def test_an_export_with_older_messages_rebuilds_the_kept_units(
    runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fondly.metrics import kept

    db = tmp_path / "f.duckdb"
    _import(runner, db, _export(tmp_path / "old" / "WhatsApp Chat with Robin.txt", 800))
    rebuilds: list[int] = []
    full = kept._save
    monkeypatch.setattr(kept, "_save", lambda *a, **k: rebuilds.append(1) or full(*a, **k))
    newer = _export(tmp_path / "new" / "WhatsApp Chat with Robin.txt", 900, early=True)
    _import(runner, db, newer)
    assert rebuilds == [1]
    assert _kept_rows(db) == _kept_rows(_rebuilt(db, tmp_path))


def _calls_export(path: Path, n: int, seed: int, *, one_sided: float) -> Path:
    """A chat of open calls and exchanges: chases, replies hours later, 2-day pauses."""
    rng = random.Random(seed)
    t = datetime(2024, 1, 1, 8, 0)
    lines = []
    who = "Alex"
    i = 0
    while i < n:
        # A stretch: a few messages by one writer, or both taking turns.
        t += timedelta(minutes=rng.choice([130, 200, 400, 700, 1500, 2900, 3000]))
        both = rng.random() >= one_sided
        who = who if rng.random() < 0.5 else ("Robin" if who == "Alex" else "Alex")
        for _ in range(rng.randint(1, 6)):
            if i == n:
                break
            t += timedelta(minutes=rng.choice([1, 3, 9]))
            writer = who if not both else rng.choice(["Alex", "Robin"])
            lines.append(
                f"{t:%d/%m/%Y, %H:%M} - {writer}: {rng.choice(['ok', 'you up?', 'yes'])}\n"
            )
            i += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(("seed", "one_sided"), [(1, 0.3), (2, 0.6), (3, 0.85)])
def test_conversations_after_a_newer_export_match_a_rebuild(
    runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, one_sided: float
) -> None:
    """Sessions are redone from the last kept conversation only: as a rebuild would."""
    from fondly.metrics import kept

    db = tmp_path / "f.duckdb"
    name = "WhatsApp Chat with Robin.txt"
    _import(runner, db, _calls_export(tmp_path / "old" / name, 1500, seed, one_sided=one_sided))
    redone_from: list[int] = []
    update = kept._update_sessions

    def spy(store: Store, sql: str) -> None:
        redone_from.extend(r[0] for r in store.query("SELECT conv_no FROM _fondly_conv_from"))
        update(store, sql)

    monkeypatch.setattr(kept, "_update_sessions", spy)
    for n in (1530, 1800):  # a newer export, then another
        _import(runner, db, _calls_export(tmp_path / str(n) / name, n, seed, one_sided=one_sided))
    with Store(db, read_only=True) as store:
        n_conv = store.query(f"SELECT count(*) FROM {kept.table('sessions')}")[0][0]
    assert len(redone_from) == 2
    assert all(1 < r <= n_conv for r in redone_from)  # not the whole relationship
    assert _kept_rows(db) == _kept_rows(_rebuilt(db, tmp_path))


def test_follow_ups_read_from_the_turn_before_the_oldest_new_question() -> None:
    """A new question answers a turn the earlier update already read: it is still seen."""
    from fondly.features import update_store

    t0 = datetime(2024, 3, 1, 9, 0)
    old = [
        (t0, "Robin", "the garden party was lovely"),
        (t0 + timedelta(minutes=1), "Robin", "and my sister came too"),
        (t0 + timedelta(minutes=2), "Alex", "nice"),
        (t0 + timedelta(minutes=3), "Robin", "the garden looked amazing"),
        (t0 + timedelta(minutes=4), "Robin", "we should go again"),
    ]
    new = [
        (t0 + timedelta(minutes=5), "Alex", "wait"),
        (t0 + timedelta(minutes=6), "Alex", "whose garden was it?"),
        (t0 + timedelta(minutes=7), "Robin", "what?"),
    ]
    with Store(":memory:") as store:
        write_chats(store, [Chat("robin", ["Alex", "Robin"], old)], me="Alex")
        update_store(store)
        write_chats(store, [Chat("robin", ["Alex", "Robin"], old + new)], me="Alex")
        update_store(store)
        query = (
            "SELECT m.text, f.is_followup FROM messages m JOIN message_features f "
            "USING (message_id) WHERE f.is_question ORDER BY m.ts_ms"
        )
        flags = store.query(query)
        assert flags == [("whose garden was it?", True), ("what?", False)]
        update_store(store, force=True)
        assert store.query(query) == flags


def _current_args(store: Store) -> tuple[dict[str, str], str]:
    from fondly.metrics._compute import _params, _unit_sqls, features_sql
    from fondly.metrics.engines import DuckDBEngine

    engine = DuckDBEngine(store)
    me = store.query("SELECT person_id FROM people WHERE is_me")[0][0]
    return _unit_sqls(_params(engine, me, None, 120)), features_sql(engine)


def test_follow_ups_after_a_newer_export_match_a_full_recompute(
    runner: Any, tmp_path: Path
) -> None:
    """The follow-up pass reads only chats with unfilled questions: flags as if it read all."""
    import shutil

    from fondly.features import update_store

    db = tmp_path / "f.duckdb"
    _import(runner, db, _export(tmp_path / "a" / "WhatsApp Chat with Robin.txt", 600))
    _import(runner, db, _export(tmp_path / "b" / "WhatsApp Chat with Kim.txt", 600, seed=4))
    _import(runner, db, _export(tmp_path / "c" / "WhatsApp Chat with Robin.txt", 700))
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    with Store(copy) as store:
        update_store(store, force=True)
    query = "SELECT message_id, is_followup FROM message_features ORDER BY message_id"
    with Store(db, read_only=True) as a, Store(copy, read_only=True) as b:
        flags = a.query(query)
        assert flags == b.query(query)
        assert any(f for _, f in flags)  # some questions are follow-ups


def _paced_export(path: Path, days: int, slow_from: int) -> Path:
    """Daily threads answered within minutes, then (from day ``slow_from``) within hours."""
    t0 = datetime(2024, 1, 1, 9, 0)
    lines = ["01/01/2024, 08:00 - Messages and calls are end-to-end encrypted.\n"]
    for day in range(days):
        step = timedelta(hours=3) if day >= slow_from else timedelta(minutes=4)
        t = t0 + timedelta(days=day)
        for i in range(4):
            who = "Alex" if i % 2 == 0 else "Robin"
            lines.append(f"{t + i * step:%d/%m/%Y, %H:%M} - {who}: how was work?\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_a_newer_export_that_slows_the_pair_rebuilds_its_units(
    runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New messages that move the pair's conversation gap renumber every stretch: rebuild."""
    from fondly.metrics import kept

    db = tmp_path / "f.duckdb"
    name = "WhatsApp Chat with Robin.txt"
    _import(runner, db, _paced_export(tmp_path / "old" / name, 60, slow_from=60))
    rebuilds: list[int] = []
    full = kept._save
    monkeypatch.setattr(kept, "_save", lambda *a, **k: rebuilds.append(1) or full(*a, **k))
    _import(runner, db, _paced_export(tmp_path / "new" / name, 200, slow_from=60))
    assert rebuilds == [1]  # the gap moved from 2 h to 8 h: an update would be wrong
    with Store(db, read_only=True) as store:
        gaps = store.query(f"SELECT DISTINCT pair_gap_ms FROM {kept.table('dm')}")
    assert gaps == [(28_800_000,)]
    assert _kept_rows(db) == _kept_rows(_rebuilt(db, tmp_path))


# -- the data key of an update: the kept sums plus the new rows' --------------------------------


def _two_chats(runner: Any, tmp_path: Path) -> Path:
    """A store of two chats (Robin's, then Kim's), each imported with its units kept."""
    db = tmp_path / "f.duckdb"
    _import(runner, db, _export(tmp_path / "a" / "WhatsApp Chat with Robin.txt", 700))
    kim = _export(tmp_path / "b" / "WhatsApp Chat with Kim.txt", 500, seed=4)
    kim.write_text(kim.read_text(encoding="utf-8").replace("Robin", "Kim"), encoding="utf-8")
    _import(runner, db, kim)
    return db


def _forget_kim(store: Store) -> None:
    from fondly.forget import forget_imports

    forget_imports(store, [store.query("SELECT max(import_id) FROM imports")[0][0]])


@pytest.mark.parametrize(
    "change",
    [
        _forget_kim,
        lambda store: store.execute(
            "DELETE FROM messages WHERE message_id IN "
            "(SELECT message_id FROM messages ORDER BY ts_ms LIMIT 5)"
        ),
        lambda store: __import__("fondly.people", fromlist=["merge"]).merge(store, "Robin", "Kim"),
        lambda store: store.execute(
            "UPDATE feature_versions SET version = 'older' WHERE feature = 'affection'"
        ),
    ],
    ids=["an import forgotten", "older messages deleted", "a merge", "a detector's version"],
)
def test_an_update_after_older_rows_changed_rebuilds(
    runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Any
) -> None:
    """The update trusts rows of earlier imports only while their counts and the small tables
    say nothing but additions happened: anything else and the units are rebuilt."""
    from fondly.metrics import keep_units, kept

    db = _two_chats(runner, tmp_path)
    rebuilds: list[int] = []
    full = kept._save
    monkeypatch.setattr(kept, "_save", lambda *a, **k: rebuilds.append(1) or full(*a, **k))
    with Store(db) as store:
        change(store)  # as a lower layer does it: the kept units are not refreshed
        keep_units(store)
        assert kept.current(store, *_current_args(store))
    assert rebuilds == [1]
    assert _kept_rows(db) == _kept_rows(_rebuilt(db, tmp_path))


def test_an_update_carries_the_kept_sums_and_adds_the_new_rows(
    runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key an update writes is the one hashing every row would give, without the hashing."""
    from fondly.metrics import kept

    db = _two_chats(runner, tmp_path)
    hashed: list[int | None] = []
    sums = kept._sums
    monkeypatch.setattr(kept, "_sums", lambda *a: hashed.append(a[2]) or sums(*a))
    _import(runner, db, _export(tmp_path / "c" / "WhatsApp Chat with Robin.txt", 760))
    assert hashed and None not in hashed  # only the new rows were hashed
    with Store(db, read_only=True) as store:
        written = store.query(f"SELECT data_key FROM {kept.STATE_TABLE}")[0][0]
        assert written == kept.data_key(store, _current_args(store)[1])
    assert _kept_rows(db) == _kept_rows(_rebuilt(db, tmp_path))


def test_an_older_row_edited_outside_fondly_never_reaches_a_report(
    runner: Any, tmp_path: Path
) -> None:
    """An update trusts older rows; reports check every row, and --force rebuilds."""
    from fondly.cli import cli
    from fondly.metrics import kept

    db = _two_chats(runner, tmp_path)
    with Store(db) as store:
        store.execute(
            "UPDATE message_features SET affection = NOT affection WHERE message_id IN "
            "(SELECT message_id FROM messages ORDER BY ts_ms LIMIT 200)"
        )
    _import(runner, db, _export(tmp_path / "c" / "WhatsApp Chat with Robin.txt", 760))
    with Store(db, read_only=True) as store:
        assert not kept.current(store, *_current_args(store))
        assert compute(store) == compute(store, use_kept=False)
    got = runner.invoke(cli, ["--db", str(db), "features", "--force"])
    assert got.exit_code == 0, got.output
    with Store(db, read_only=True) as store:
        assert kept.current(store, *_current_args(store))
    assert _kept_rows(db) == _kept_rows(_rebuilt(db, tmp_path))


_LINES = ["how was the garden?", "the garden was lovely", "why?", "ok", "did you see the dog?"]


@given(
    st.lists(
        st.tuples(st.sampled_from([0, 0, 0, 1, 7]), st.booleans(), st.sampled_from(_LINES)),
        min_size=2,
        max_size=40,
    ),
    st.data(),
)
@settings(max_examples=15, deadline=None)
def test_follow_ups_read_from_a_cut_match_a_whole_read_when_minutes_repeat(
    rows: list[tuple[int, bool, str]], data: st.DataObject
) -> None:
    """Exports often give many messages one minute: the cut is found among equal times too."""
    from fondly.features import update_store

    t = datetime(2024, 3, 1, 9, 0)
    chat = []
    for step, alex, text in rows:
        t += timedelta(minutes=step)
        chat.append((t, "Alex" if alex else "Robin", text))
    # In the store's order (the writer numbers a minute's messages by sender and text), so
    # the older part keeps its place, as it does in a newer export.
    chat.sort()
    split = data.draw(st.integers(1, len(chat) - 1))
    query = (
        "SELECT m.ts_ms, m.seq, m.text, f.is_followup FROM messages m "
        "JOIN message_features f USING (message_id) ORDER BY m.ts_ms, m.seq, m.message_id"
    )
    with Store(":memory:") as store:
        write_chats(store, [Chat("robin", ["Alex", "Robin"], chat[:split])], me="Alex")
        update_store(store)
        write_chats(store, [Chat("robin", ["Alex", "Robin"], chat)], me="Alex")
        update_store(store)
        stepwise = store.query(query)
        update_store(store, force=True)  # every question read again over the whole chat
        assert store.query(query) == stepwise


def _stretch_across_months(path: Path, last_day: int) -> Path:
    """Robin writes all night from 31 Jan into 1 Feb, Alex answers once, then daily exchanges
    until March ``last_day``: the first Feb turn sits in a stretch that began in January."""
    t = datetime(2023, 1, 31, 22, 0)
    lines = ["31/01/2023, 21:00 - Messages and calls are end-to-end encrypted.\n"]
    while t <= datetime(2023, 2, 1, 12, 10):
        lines.append(f"{t:%d/%m/%Y, %H:%M} - Robin: still up\n")
        t += timedelta(minutes=5)  # one turn: never 10 minutes apart
    lines.append("01/02/2023, 12:20 - Alex: morning\n")
    day = datetime(2023, 2, 2, 10, 0)
    while day <= datetime(2023, 3, last_day, 10, 0):
        lines.append(f"{day:%d/%m/%Y, %H:%M} - Alex: how was work?\n")
        lines.append(f"{day + timedelta(minutes=5):%d/%m/%Y, %H:%M} - Robin: ok\n")
        day += timedelta(days=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_double_texting_cells_read_whole_stretches_after_an_update(
    runner: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cells redone from February read the stretch that began in January whole:
    read from February alone it would look one-sided and Alex's next day a double text."""
    from fondly.metrics import kept

    db = tmp_path / "f.duckdb"
    name = "WhatsApp Chat with Robin.txt"
    _import(runner, db, _stretch_across_months(tmp_path / "old" / name, 3))
    redone: list[str] = []
    update = kept._update_cells
    monkeypatch.setattr(
        kept, "_update_cells", lambda store, n, sql: redone.append(n) or update(store, n, sql)
    )
    _import(runner, db, _stretch_across_months(tmp_path / "new" / name, 6))
    assert "turn_cells" in redone
    with Store(db, read_only=True) as store:
        months = store.query(f"SELECT min(month) FROM {kept.table('turn_cells')}")
    assert months == [("2023-01",)]
    assert _kept_rows(db) == _kept_rows(_rebuilt(db, tmp_path))


def test_a_report_over_a_file_store_keeps_duckdb_to_its_memory_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The overview of many relationships grew DuckDB past a gigabyte: compute() caps it
    while it runs (spilling when it must) and gives the connection its setting back."""
    from fondly.metrics import _compute

    monkeypatch.setattr(_compute, "REPORT_MEMORY", "123MB")
    rows, _ = _long_chat(20, seed=7)
    with Store(tmp_path / "f.duckdb") as store:
        write_chats(store, [Chat("robin", ["Alex", "Robin"], rows)], me="Alex")
        fill_simple_features(store)
        before = store.query("SELECT current_setting('memory_limit')")[0][0]
        seen: list[str] = []
        result = compute(
            store,
            progress=lambda _: seen.append(
                store.query("SELECT current_setting('memory_limit')")[0][0]
            ),
        )
        assert set(seen) == {"117.3 MiB"}  # 123 MB as DuckDB shows it
        assert store.query("SELECT current_setting('memory_limit')")[0][0] == before
        monkeypatch.setattr(_compute, "REPORT_MEMORY", "")
        assert compute(store) == result
