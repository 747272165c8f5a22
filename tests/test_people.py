"""One person across apps: who is me, merge suggestions, merge and split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fondly import UsageError
from fondly.cli import cli
from fondly.importers import ImportOptions
from fondly.ingest import import_paths, resolve_me
from fondly.people import list_people, merge, split, suggest_merges
from fondly.store import Store


def write_jsonl(path: Path, platform: str, chat: str, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for sender, ts, text in rows:
            record = {
                "chat": chat,
                "sender": sender,
                "timestamp": ts,
                "text": text,
                "platform": platform,
            }
            fh.write(json.dumps(record) + "\n")
    return path


@pytest.fixture
def two_apps(store: Store, tmp_path: Path) -> Store:
    a = write_jsonl(
        tmp_path / "wa.jsonl",
        "whatsapp",
        "Sam",
        [
            ("Alex Morgan", "2024-01-01T10:00:00", "hi Sam"),
            ("Sam Taylor", "2024-01-01T10:05:00", "hey!"),
        ],
    )
    b = write_jsonl(
        tmp_path / "tg.jsonl",
        "telegram",
        "Sam T",
        [
            ("Alex Morgan", "2024-01-02T10:00:00", "lunch?"),
            ("Sam Taylor", "2024-01-02T10:01:00", "yes"),
        ],
    )
    c = write_jsonl(
        tmp_path / "kim.jsonl",
        "whatsapp",
        "Kim",
        [
            ("Alex Morgan", "2024-01-03T10:00:00", "hello Kim"),
            ("Kim", "2024-01-03T10:01:00", "hello"),
        ],
    )
    import_paths(store, [a, b, c], ImportOptions())
    return store


def test_me_is_the_person_in_every_chat(two_apps: Store) -> None:
    # "Alex Morgan" on whatsapp and on telegram are separate handles, but the
    # whatsapp one is in both whatsapp chats; after a merge it is in all three.
    assert resolve_me(two_apps, None) is None or resolve_me(two_apps, None) == "Alex Morgan"
    assert resolve_me(two_apps, "Alex Morgan") == "Alex Morgan"
    mes = two_apps.query(
        "SELECT count(*) FROM handles h JOIN people p USING (person_id) WHERE p.is_me"
    )
    assert mes[0][0] == 2  # both platforms' handles joined to one 'me' person


def test_suggest_merge_by_similar_name_across_platforms(two_apps: Store) -> None:
    suggestions = suggest_merges(two_apps)
    pairs = {(s.a_name, s.b_name) for s in suggestions}
    assert ("Sam Taylor", "Sam Taylor") in pairs
    assert all("Kim" not in pair for pair in pairs)


def test_merge_then_split_round_trips(two_apps: Store) -> None:
    people_before = sorted((r["name"], r["messages"]) for r in list_people(two_apps))
    ids = [
        r[0]
        for r in two_apps.query("SELECT person_id FROM people WHERE name = 'Sam Taylor' ORDER BY 1")
    ]
    merge(two_apps, str(ids[0]), str(ids[1]))
    merged = [r for r in list_people(two_apps) if r["name"] == "Sam Taylor"]
    assert len(merged) == 1 and merged[0]["messages"] == 2
    assert merged[0]["platforms"] == "telegram, whatsapp"
    split(two_apps, str(ids[0]))
    people_after = sorted((r["name"], r["messages"]) for r in list_people(two_apps))
    assert people_after == people_before


def test_merge_same_person_is_refused(two_apps: Store) -> None:
    with pytest.raises(UsageError):
        merge(two_apps, "Kim", "Kim")


def test_cli_me_and_people(two_apps: Store, runner: CliRunner) -> None:
    db = two_apps.path
    two_apps.close()
    result = runner.invoke(cli, ["--db", db, "me", "Alex Morgan"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--db", db, "people", "--json"])
    rows = json.loads(result.output)
    assert rows[0]["name"] == "Alex Morgan" and rows[0]["is_me"]
    result = runner.invoke(cli, ["--db", db, "me", "Nobody Here"])
    assert result.exit_code == 2
    assert result.output.startswith("fondly: no person called")


def test_one_naming_rule_for_people_me_and_reports(two_apps: Store) -> None:
    """find_person, fondly me (matching_handles) and compute() name people the same way."""
    from fondly.metrics import compute
    from fondly.people import find_people, find_person, matching_handles

    kim = find_person(two_apps, "kim")
    two_apps.execute("UPDATE handles SET display_name = 'Kimberly L.' WHERE person_id = ?", [kim])
    assert find_person(two_apps, "kimberly l.") == kim  # a handle's display name names them
    [handle] = matching_handles(two_apps, "KIMBERLY L.")
    assert two_apps.query("SELECT person_id FROM handles WHERE handle_id = ?", [handle]) == [(kim,)]
    resolve_me(two_apps, "Alex Morgan")
    [rel] = compute(two_apps, "Kimberly L.")["relationships"]
    assert rel["person"]["person_id"] == kim
    assert find_people(two_apps, "Kim") == [kim]
    with pytest.raises(UsageError, match="no person or chat"):
        find_people(two_apps, "nobody at all")
