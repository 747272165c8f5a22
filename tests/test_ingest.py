"""Import semantics through the generic importer: idempotent, incremental, atomic, timed right."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fondly import ParseError, UnknownFormat
from fondly.importers import ImportOptions
from fondly.ingest import import_paths
from fondly.store import Store
from tests.conftest import write_generic_csv

ROWS = [
    ("Sam", "Alex", "2024-05-01T21:04:00", "hey! how was the interview?"),
    (
        "Sam",
        "Sam",
        "2024-05-01T21:10:00",
        "it went great, they offered me the job!!\nstarting in june",
    ),
    ("Sam", "Alex", "2024-05-01T21:11:00", "congrats!! so proud of you"),
    ("Sam", "Alex", "2024-05-01T21:11:00", "congrats!! so proud of you"),
]


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: equal snapshots mean an unchanged store."""
    tables = [
        r[0] for r in store.query("SELECT table_name FROM duckdb_tables() WHERE NOT temporary")
    ]
    return {t: sorted(map(repr, store.query(f"SELECT * FROM {t}"))) for t in sorted(tables)}  # type: ignore[misc]


def test_import_counts_and_duplicates_kept(store: Store, tmp_path: Path) -> None:
    path = write_generic_csv(tmp_path / "chat.csv", ROWS)
    summary = import_paths(store, [path], ImportOptions(tz="Europe/Berlin"))
    assert summary.added == 4  # two identical bubbles are two messages
    assert summary.me == "Alex"
    texts = [r[0] for r in store.query("SELECT text FROM messages ORDER BY ts_ms, seq")]
    assert texts[1].endswith("\nstarting in june")


def test_wall_clock_is_read_in_the_given_zone(store: Store, tmp_path: Path) -> None:
    path = write_generic_csv(tmp_path / "chat.csv", ROWS[:1])
    import_paths(store, [path], ImportOptions(tz="Europe/Berlin"))
    ts_ms, local, offset = store.query("SELECT ts_ms, ts_local, tz_offset_min FROM messages")[0]
    assert local == datetime(2024, 5, 1, 21, 4)
    assert offset == 120  # CEST
    assert ts_ms == 1714590240000  # 19:04 UTC


def test_instant_with_offset_keeps_its_wall_clock(store: Store, tmp_path: Path) -> None:
    path = write_generic_csv(
        tmp_path / "c.csv", [("Sam", "Sam", "2024-01-15T08:00:00-05:00", "morning")]
    )
    import_paths(store, [path], ImportOptions(tz="Asia/Tokyo"))
    ts_ms, local, offset = store.query("SELECT ts_ms, ts_local, tz_offset_min FROM messages")[0]
    assert ts_ms == 1705323600000
    assert local == datetime(2024, 1, 15, 8, 0)
    assert offset == -300


def test_reimport_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = write_generic_csv(tmp_path / "chat.csv", ROWS)
    import_paths(store, [path], ImportOptions())
    before = snapshot(store)
    again = import_paths(store, [path], ImportOptions())
    assert again.results[0].already_imported
    assert again.added == 0
    after = snapshot(store)
    assert before["messages"] == after["messages"]


def test_newer_export_adds_only_new_messages(store: Store, tmp_path: Path) -> None:
    old = write_generic_csv(tmp_path / "old.csv", ROWS[:2])
    new = write_generic_csv(tmp_path / "new.csv", ROWS)
    import_paths(store, [old], ImportOptions())
    result = import_paths(store, [new], ImportOptions())
    assert result.added == 2
    assert store.query("SELECT count(*) FROM messages")[0][0] == 4
    assert store.query("SELECT count(*) FROM conversations")[0][0] == 1


def test_bad_file_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    good = write_generic_csv(tmp_path / "good.csv", ROWS)
    import_paths(store, [good], ImportOptions())
    before = snapshot(store)
    bad = write_generic_csv(
        tmp_path / "bad.csv",
        [
            ("Jo", "Jo", "2024-06-01T10:00:00", "fine"),
            ("Jo", "Alex", "yesterday-ish", "secret words"),
        ],
    )
    other = write_generic_csv(tmp_path / "other.csv", [("Kim", "Kim", "2024-06-01T10:00:00", "hi")])
    with pytest.raises(ParseError) as info:
        import_paths(store, [other, bad], ImportOptions())
    message = str(info.value)
    assert message.startswith(f"{bad}:3: ")
    assert "secret" not in message and "\n" not in message
    assert snapshot(store) == before


def test_unknown_file_names_known_formats(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nnothing to see\n")
    with pytest.raises(UnknownFormat) as info:
        import_paths(store, [path], ImportOptions())
    assert "fondly formats" in str(info.value)
    assert "generic" in str(info.value)
    assert "\n" not in str(info.value)


names = st.sampled_from(["Alex", "Sam", "Jo Ann", "Renée", "李雷", "+49 151 234"])
texts = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    msgs=st.lists(
        st.tuples(names, st.integers(0, 10**7), texts | texts.map(lambda t: t + "\n" + t)),
        min_size=1,
        max_size=15,
    )
)
def test_generic_round_trip(
    tmp_path_factory: pytest.TempPathFactory, msgs: list[tuple[str, int, str]]
) -> None:
    folder = tmp_path_factory.mktemp("rt")
    start = datetime(2024, 1, 1)
    rows = [("Chat", s, (start + timedelta(seconds=sec)).isoformat(), t) for s, sec, t in msgs]
    path = write_generic_csv(folder / "chat.csv", rows)
    with Store(folder / "s.duckdb") as store:
        import_paths(store, [path], ImportOptions(tz="UTC"))
        got = store.query(
            "SELECT coalesce(h.handle, ''), m.ts_local, m.text FROM messages m "
            "LEFT JOIN handles h USING (handle_id) ORDER BY m.seq"
        )
    expected = [(s, start + timedelta(seconds=sec), t) for s, sec, t in msgs]
    assert got == expected


def test_spilled_staging_stores_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the in-memory budget staging goes to a temp table; the rows must not change."""
    import fondly.ingest._stage

    path = write_generic_csv(tmp_path / "chat.csv", ROWS)
    held = Store(tmp_path / "held.duckdb")
    import_paths(held, [path], ImportOptions(tz="Europe/Berlin"))
    monkeypatch.setattr(fondly.ingest._stage, "_HOLD_BYTES", 0)
    spilled = Store(tmp_path / "spilled.duckdb")
    import_paths(spilled, [path], ImportOptions(tz="Europe/Berlin"))
    assert import_paths(spilled, [path], ImportOptions(tz="Europe/Berlin")).added == 0
    query = "SELECT * EXCLUDE (import_id) FROM messages ORDER BY seq"
    assert held.query(query) == spilled.query(query)
    assert len(held.query(query)) == 4
    held.close()
    spilled.close()
