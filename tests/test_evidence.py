"""Evidence that shows the claim: every quoted moment is a real instance of what it shows.

Checked for every suggestion on the demo (real detectors) and on the scenario chats
(keyword features): a "when it was missing" pair is their message with the inviting
feature and your reply without the answering one; a "done well" pair has it; "your
messages like this" are yours and have it; messages in a row are yours, one after the
other. No message is quoted twice on a page, and no internal id is printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from fondly.insights import build_insights, make_redactor
from fondly.insights._moments import MOMENTS, moments_for, quoter
from fondly.metrics import compute
from fondly.metrics.reader import ChatReader
from fondly.report import render_person
from fondly.store import Store
from tests.scenarios.chats import all_scenarios, write_scenarios
from tests.synthetic import fill_simple_features


def _demo(folder: Path) -> Store:
    from fondly.cli.demo_cmd import DEMO_ZONE, write_exports
    from fondly.demo.story import generate
    from fondly.features import update_store
    from fondly.importers import ImportOptions
    from fondly.ingest import import_paths

    chats = generate(7)
    paths = write_exports(chats, folder / "exports")
    store = Store(folder / "demo.duckdb")
    import_paths(store, paths, ImportOptions(tz=DEMO_ZONE, me=chats[0].me))
    update_store(store)
    return store


def _scenarios() -> Store:
    store = Store(":memory:")
    write_scenarios(store, all_scenarios())
    fill_simple_features(store)
    return store


@pytest.fixture(scope="module", params=["demo", "scenarios"])
def checked(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Iterator[dict[str, Any]]:
    store = _demo(tmp_path_factory.mktemp("demo")) if request.param == "demo" else _scenarios()
    try:
        insights = build_insights(compute(store, use_kept=False), store)
        rows = store.arrow(
            "SELECT f.*, m.text, m.ts_ms, CASE WHEN p.is_me THEN 'me' ELSE 'them' END AS who "
            "FROM messages m JOIN handles h ON h.handle_id = m.handle_id "
            "JOIN people p ON p.person_id = h.person_id "
            "LEFT JOIN message_features f ON f.message_id = m.message_id"
        ).to_pylist()
        metrics = {r["person"]["name"]: r for r in compute(store)["relationships"]}
        me_id = store.query("SELECT person_id FROM people WHERE is_me")[0][0]
        redact = make_redactor(store, enabled=False)
        reader = ChatReader(store)
        every = {  # every signal's evidence on every relationship, fired or not
            (name, signal): moments_for(signal, reader, rel, me_id, quoter(reader, redact, "x"))
            for name, rel in metrics.items()
            for signal in MOMENTS
        }
        yield {
            "insights": insights,
            "every": every,
            "messages": {str(r["message_id"]): r for r in rows},
        }
    finally:
        store.close()


def _has(row: dict[str, Any], flags: tuple[str, ...]) -> bool:
    return any(bool(row.get(f)) for f in flags)


def test_every_signal_has_declared_evidence() -> None:
    from fondly.insights import signals

    assert {s.signal for s in signals()} <= set(MOMENTS)


def _check(signal: str, found: dict[str, Any], messages: dict[str, Any]) -> int:
    """Assert every quoted moment of ``signal`` is what it claims; return how many."""
    moment = MOMENTS[signal]
    checked = 0
    for group in found.get("moments") or []:
        checked += 1
        rows = [messages[ev["message_id"]] for ev in group]
        assert [ev["who"] for ev in group] == [r["who"] for r in rows]
        if moment.kind == "pair":
            theirs, yours = rows
            assert theirs["who"] == "them" and _has(theirs, moment.invite), signal
            assert yours["who"] == "me" and not _has(yours, moment.answer), signal
            assert 0 <= yours["ts_ms"] - theirs["ts_ms"] <= 86_400_000 * 2
        elif moment.kind == "mine":
            assert all(_has(r, moment.answer) for r in rows), signal
        elif moment.kind == "double":
            first, again = rows
            assert first["who"] == again["who"] == "me"
            assert again["ts_ms"] - first["ts_ms"] >= 600_000
    for group in found.get("done_well") or []:
        checked += 1
        rows = [messages[ev["message_id"]] for ev in group]
        assert _has(rows[-1], moment.answer), signal
        if moment.kind == "pair":
            assert rows[0]["who"] == "them" and _has(rows[0], moment.invite)
            assert rows[1]["who"] == "me"
    return checked


def test_every_quote_of_every_signal_is_a_real_instance(checked: dict[str, Any]) -> None:
    total = 0
    for (_, signal), found in checked["every"].items():
        total += _check(signal, found, checked["messages"])
    assert total > 20  # the check looked at many moments


def test_every_suggestion_quotes_real_instances(checked: dict[str, Any]) -> None:
    messages = checked["messages"]
    for rel in checked["insights"]["relationships"]:
        for sug in rel["suggestions"]:
            if sug["signal"] not in MOMENTS:  # an alert: your unanswered or the last messages
                assert all(ev["message_id"] in messages for ev in sug["evidence"])
                continue
            _check(sug["signal"], sug, messages)


def test_no_message_is_quoted_twice(checked: dict[str, Any]) -> None:
    for rel in checked["insights"]["relationships"]:
        ids = [
            ev["message_id"]
            for sug in rel["suggestions"]
            for key in ("moments", "done_well")
            for group in sug.get(key) or []
            for ev in group
        ]
        assert len(ids) == len(set(ids)), rel["name"]


def test_no_internal_ids_are_printed(checked: dict[str, Any]) -> None:
    for rel in checked["insights"]["relationships"]:
        out = StringIO()
        render_person(rel, Console(file=out, width=100, no_color=True))
        text = out.getvalue()
        for sug in rel["suggestions"]:
            assert f"Signal: {sug['signal']}" not in text
            for ev in sug["evidence"]:
                assert ev["message_id"] not in text
