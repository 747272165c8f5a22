"""One Messenger thread in a thread folder and as a loose newer copy is one chat.

Meta's thread folder (``inbox/samrobin_1234567/``) names a thread; a ``message_1.json``
saved on its own (in Downloads) names none, so it is keyed by its participants and
title. A loose copy of a newer export of a thread joins the chat it shares messages
with: the messages already stored are not doubled and the new ones are added. Two
threads that share only their participants and title (two groups named "Family")
share no message, so they stay apart.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fondly.importers import ImportOptions
from fondly.ingest import import_paths
from fondly.store import Store
from tests.fixtures.meta.exports import MESSENGER_INBOX, msg, write_thread

PEOPLE = ["Sam Rivera", "Robin Park"]


def records(n: int, *, start: int = 0, prefix: str = "note") -> list[dict[str, Any]]:
    """``n`` messages a minute apart, alternating between the two people."""
    return [msg(PEOPLE[i % 2], start + i, f"{prefix} {start + i}") for i in range(n)]


def loose_copy(thread: Path, to: Path) -> Path:
    """The newest part of a thread saved on its own, as a user copies it to Downloads."""
    to.mkdir(parents=True, exist_ok=True)
    target = to / "message_1.json"
    shutil.copy(thread / "message_1.json", target)
    return target


def chats(store: Store) -> list[tuple[str, int]]:
    return store.query(
        "SELECT c.title, count(m.message_id) FROM conversations c "
        "LEFT JOIN messages m USING (conversation_id) GROUP BY c.title, c.conversation_id "
        "ORDER BY c.title, 2"
    )


def doubled(store: Store) -> int:
    return store.query(
        "SELECT count(*) FROM (SELECT handle_id, ts_ms, text FROM messages "
        "GROUP BY ALL HAVING count(*) > 1)"
    )[0][0]


@pytest.fixture
def export_and_newer(tmp_path: Path) -> tuple[Path, Path]:
    """An export holding the thread (20 messages) and a loose copy of a newer one (25)."""
    export = tmp_path / "facebook-sam"
    write_thread(
        export, MESSENGER_INBOX, "robinpark_1234567", PEOPLE, records(20), thread_path=False
    )
    newer = tmp_path / "newer"
    thread = write_thread(
        newer, MESSENGER_INBOX, "robinpark_1234567", PEOPLE, records(25), thread_path=False
    )
    loose = loose_copy(thread, export / "saved")
    shutil.rmtree(newer)
    return export, loose


def test_a_folder_holding_the_thread_and_a_newer_loose_copy_is_one_chat(
    store: Store, export_and_newer: tuple[Path, Path]
) -> None:
    export, _ = export_and_newer
    summary = import_paths(store, [export], ImportOptions(), keep_going=True)
    assert not summary.failed
    assert chats(store) == [("Sam Rivera", 25)]
    assert summary.added == 25 and doubled(store) == 0
    notes = [n for r in summary.results for n in r.notes]
    assert notes == [
        "a copy of a chat already stored (under another folder): "
        "only its new messages were added to that chat"
    ]


@pytest.mark.parametrize("loose_first", [False, True])
def test_either_order_of_imports_makes_one_chat(
    store: Store, tmp_path: Path, loose_first: bool
) -> None:
    export = tmp_path / "facebook-sam"
    write_thread(
        export, MESSENGER_INBOX, "robinpark_1234567", PEOPLE, records(20), thread_path=False
    )
    newer_thread = write_thread(
        tmp_path / "newer", MESSENGER_INBOX, "robinpark_1234567", PEOPLE, records(25)
    )
    loose = loose_copy(newer_thread, tmp_path / "Downloads")
    order = [loose, export] if loose_first else [export, loose]
    added = [import_paths(store, [path], ImportOptions()).added for path in order]
    assert added == ([25, 0] if loose_first else [20, 5])
    assert chats(store) == [("Sam Rivera", 25)] and doubled(store) == 0


def test_an_older_loose_copy_adds_nothing(store: Store, tmp_path: Path) -> None:
    """The older of two downloads saved on its own, after the newer export: nothing new."""
    write_thread(
        tmp_path / "new", MESSENGER_INBOX, "robinpark_1234567", PEOPLE, records(25),
        thread_path=False,
    )  # fmt: skip
    older = write_thread(
        tmp_path / "old", MESSENGER_INBOX, "robinpark_1234567", PEOPLE, records(20)
    )
    import_paths(store, [tmp_path / "new"], ImportOptions())
    loose = loose_copy(older, tmp_path / "Downloads")
    assert import_paths(store, [loose], ImportOptions()).added == 0
    assert chats(store) == [("Sam Rivera", 25)]


def test_the_newest_part_of_a_split_thread_joins_it(store: Store, tmp_path: Path) -> None:
    """A long thread is split newest first; its newer ``message_1.json`` alone still joins."""
    write_thread(
        tmp_path / "export", MESSENGER_INBOX, "robinpark_1234567", PEOPLE, records(30),
        per_file=10, thread_path=False,
    )  # fmt: skip
    newer = write_thread(
        tmp_path / "newer", MESSENGER_INBOX, "robinpark_1234567", PEOPLE, records(36),
        per_file=10, thread_path=False,
    )  # fmt: skip
    assert import_paths(store, [tmp_path / "export"], ImportOptions()).added == 30
    # The newer message_1 holds messages 26-35: four already stored, six new.
    loose = loose_copy(newer, tmp_path / "Downloads")
    assert import_paths(store, [loose], ImportOptions()).added == 6
    assert chats(store) == [("Sam Rivera", 36)] and doubled(store) == 0


def test_two_threads_of_one_name_and_people_stay_apart(store: Store, tmp_path: Path) -> None:
    """Two groups called "Family" with the same people, and a newer copy of one of them."""
    family = ["Ana", "Ben", "Cleo"]
    export = tmp_path / "facebook-ana"

    def family_records(n: int, prefix: str, start: int) -> list[dict[str, Any]]:
        return [msg(family[i % 3], start + 2 * i, f"{prefix} {i}") for i in range(n)]

    # The two threads interleave in time: only their messages tell them apart.
    first = family_records(10, "first", 0)
    second = family_records(8, "second", 1)
    write_thread(
        export, MESSENGER_INBOX, "family_1111111", family, first, title="Family",
        thread_path=False,
    )  # fmt: skip
    write_thread(
        export, MESSENGER_INBOX, "family_2222222", family, second, title="Family",
        thread_path=False,
    )  # fmt: skip
    newer = write_thread(
        tmp_path / "newer", MESSENGER_INBOX, "family_2222222", family,
        [*second, *family_records(3, "second later", 100)], title="Family", thread_path=False,
    )  # fmt: skip
    loose_copy(newer, export / "saved")
    summary = import_paths(store, [export], ImportOptions(), keep_going=True)
    assert not summary.failed
    assert chats(store) == [("Family", 10), ("Family", 11)]
    second_chat = store.query(
        "SELECT DISTINCT c.conv_key FROM messages m JOIN conversations c USING (conversation_id) "
        "WHERE m.text LIKE 'second%'"
    )
    assert second_chat == [("family_2222222",)]
    # A loose file of a third "Family" thread, sharing no message, is a chat of its own.
    third = write_thread(
        tmp_path / "third", MESSENGER_INBOX, "x", family, family_records(4, "third", 50),
        title="Family",
    )  # fmt: skip
    import_paths(store, [loose_copy(third, tmp_path / "Downloads")], ImportOptions())
    assert chats(store) == [("Family", 4), ("Family", 10), ("Family", 11)]


def test_the_rule_holds_for_a_loose_copy_with_reactions(store: Store, tmp_path: Path) -> None:
    """Reactions of the newer copy land on the stored messages, once."""
    base = records(5)
    liked = [*base[:4], {**base[4], "reactions": [{"reaction": "❤", "actor": "Robin Park"}]}]
    write_thread(
        tmp_path / "export", MESSENGER_INBOX, "robinpark_1234567", PEOPLE, base,
        thread_path=False,
    )  # fmt: skip
    newer = write_thread(tmp_path / "newer", MESSENGER_INBOX, "robinpark_1234567", PEOPLE, liked)
    import_paths(store, [tmp_path / "export"], ImportOptions())
    import_paths(store, [loose_copy(newer, tmp_path / "Downloads")], ImportOptions())
    assert chats(store) == [("Sam Rivera", 5)]
    assert store.query("SELECT count(*) FROM reactions")[0][0] == 1


@settings(max_examples=12, deadline=None)
@given(
    older=st.integers(1, 12),
    grown=st.integers(0, 12),
    per_file=st.integers(1, 8),
    loose_first=st.booleans(),
)
def test_a_newer_first_part_joins_exactly_when_it_shares_messages(
    older: int, grown: int, per_file: int, loose_first: bool
) -> None:
    """An older export in its folder, and the newer export's ``message_1.json`` saved loose.

    The loose part holds the newest ``per_file`` messages of the grown thread; it joins
    the stored chat exactly when some of those are among the older export's, and
    nothing is ever stored twice.
    """
    total = older + grown
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_thread(
            root / "old", MESSENGER_INBOX, "robinpark_1234567", PEOPLE, records(older),
            thread_path=False,
        )  # fmt: skip
        newer = write_thread(
            root / "new", MESSENGER_INBOX, "robinpark_1234567", PEOPLE, records(total),
            per_file=per_file, thread_path=False,
        )  # fmt: skip
        loose = loose_copy(newer, root / "Downloads")
        newest = set(range(max(0, total - per_file), total))
        shared = newest & set(range(older))
        store = Store(":memory:")
        try:
            order = [loose, root / "old"] if loose_first else [root / "old", loose]
            for path in order:
                import_paths(store, [path], ImportOptions())
            counts = sorted(n for _, n in chats(store))
            if shared:
                assert counts == [len(newest | set(range(older)))]
            else:
                assert counts == sorted([older, len(newest)])
            assert doubled(store) == 0
        finally:
            store.close()


def test_a_loose_copy_finds_its_thread_when_its_key_names_another(
    store: Store, tmp_path: Path
) -> None:
    """Loose files of two "Family" threads share one key; the messages decide.

    A newer copy of the second thread is saved loose and imported first (its key is
    the people and the title), then the export holding both threads' folders: the
    second joins the loose chat, the first stays apart. A newer loose copy of the
    *first* thread then has the same key as the second's chat, yet goes to the first.
    """
    family = ["Ana", "Ben", "Cleo"]

    def family_records(n: int, prefix: str, start: int) -> list[dict[str, Any]]:
        return [msg(family[i % 3], start + 2 * i, f"{prefix} {i}") for i in range(n)]

    first, second = family_records(10, "first", 0), family_records(8, "second", 1)
    later = family_records(3, "later", 100)

    def thread(root: Path, folder: str, rows: list[dict[str, Any]]) -> Path:
        return write_thread(
            root, MESSENGER_INBOX, folder, family, rows, title="Family", thread_path=False
        )

    newer_second = thread(tmp_path / "n2", "family_2222222", [*second, *later[:1]])
    import_paths(store, [loose_copy(newer_second, tmp_path / "dl2")], ImportOptions())
    export = tmp_path / "facebook-ana"
    thread(export, "family_1111111", first)
    thread(export, "family_2222222", second)
    import_paths(store, [export], ImportOptions(), keep_going=True)
    assert chats(store) == [("Family", 9), ("Family", 10)]
    newer_first = thread(tmp_path / "n1", "family_1111111", [*first, *later[1:]])
    added = import_paths(store, [loose_copy(newer_first, tmp_path / "dl1")], ImportOptions())
    assert added.added == 2
    assert chats(store) == [("Family", 9), ("Family", 12)] and doubled(store) == 0
    texts_with_first = store.query(
        "SELECT count(DISTINCT conversation_id) FROM messages "
        "WHERE text LIKE 'first%' OR text IN ('later 1', 'later 2')"
    )
    assert texts_with_first == [(1,)]
