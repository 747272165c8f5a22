"""``fondly.Fondly``: the pipeline behind one object; the README's Python code runs as written."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import fondly
from fondly import Fondly, UsageError
from fondly.demo import whatsapp_writer
from fondly.demo.story import generate
from tests.conftest import write_generic_csv

README = Path(__file__).resolve().parent.parent / "README.md"
ROWS = [
    ("Sam", "Alex", "2024-05-01T21:04:00", "hey! how was the interview?"),
    ("Sam", "Sam", "2024-05-01T21:10:00", "it went great, they offered me the job!!"),
    ("Sam", "Alex", "2024-05-01T21:11:00", "congrats!! so proud of you, what's the team like?"),
    ("Kim", "Alex", "2024-05-02T08:00:00", "morning Kim"),
    ("Kim", "Kim", "2024-05-02T08:30:00", "morning! miss you"),
]


@pytest.fixture
def f(tmp_path: Path) -> Fondly:
    store = Fondly(tmp_path / "s.duckdb")
    store.import_(write_generic_csv(tmp_path / "chat.csv", ROWS), me="Alex", tz="UTC")
    return store


def test_import_reports_each_file_in_the_cli_json_shape(tmp_path: Path) -> None:
    f = Fondly(tmp_path / "s.duckdb")
    good = write_generic_csv(tmp_path / "chat.csv", ROWS)
    bad = tmp_path / "notes.txt"
    bad.write_text("nothing like a chat", encoding="utf-8")
    summary = f.import_([good, bad], me="Alex", tz="UTC")
    assert [x.status for x in summary.files] == ["imported", "failed"]
    assert summary.added == 5 and len(summary.failed) == 1
    assert summary.features_computed == 5
    data = summary.to_dict()
    assert set(data) == {
        "imports", "me", "me_candidates", "probably_me", "timezone", "features_computed"
    }  # fmt: skip
    assert data["imports"][0]["conversations"] == 2 and data["me"] == "Alex"
    json.dumps(data)  # plain JSON all the way down
    again = f.import_(good)
    assert again.added == 0 and again.files[0].status == "already imported"


def test_chats_people_search_and_conversation(f: Fondly) -> None:
    chats = {c.title: c for c in f.chats()}
    assert set(chats) == {"Sam", "Kim"} and chats["Sam"].messages == 3
    assert chats["Sam"].first == "2024-05-01"
    people = f.people()
    assert people[0].is_me and people[0].name == "Alex"
    assert f.me() == people[0]
    found = f.search("MISS")
    assert [m.text for m in found] == ["morning! miss you"] and not found[0].is_me
    around = f.conversation(chats["Sam"].id, around=f.search("interview")[0].message_id, context=1)
    assert [m.text for m in around][:2] == [
        "hey! how was the interview?",
        "it went great, they offered me the job!!",
    ]
    assert f.chat_of(found[0].message_id) == chats["Kim"].id
    assert f.search("   ") == []


def test_report_to_dict_is_the_report_json_and_the_frame_is_long(f: Fondly) -> None:
    report = f.report()
    data = report.to_dict()
    assert data["schema"] == "fondly.metrics/1" and "insights" in data
    names = {r["person"]["name"] for r in data["relationships"]}
    assert names == {"Sam", "Kim"}
    frame = report.metrics_frame()
    assert frame.column_names == [
        "person_id", "person", "metric_id", "practice", "side",
        "value", "n", "lo", "hi", "enough_data",
    ]  # fmt: skip
    assert frame.num_rows > 0
    assert set(frame.column("side").to_pylist()) <= {"me", "them", "pair"}
    one = f.report("Sam")
    assert [r["name"] for r in one.relationships] == ["Sam"]
    assert one.relationship(one.relationships[0]["person_id"]) is one.relationships[0]


def test_messages_export_and_forget(f: Fondly, tmp_path: Path) -> None:
    table = f.messages()
    assert table.num_rows == 5 and "text" in table.column_names
    [parquet] = f.export(tmp_path / "out" / "m.parquet", format="parquet")
    assert pq.read_table(parquet).num_rows == 5
    [jsonl] = f.export(tmp_path / "m.jsonl", format="jsonl")
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == 5
    corpus = f.export(tmp_path / "corpus", what="corpus")
    assert {p.name for p in corpus} >= {"messages.parquet", "people.parquet"}
    with pytest.raises(UsageError):
        f.export(tmp_path / "x.xml", format="xml")
    plan = f.forget(chats=["Kim"], dry_run=True)
    assert plan.to_dict() == {"imports": 0, "conversations": 1, "messages": 2, "people": 0}
    assert len(f.chats()) == 2
    [imported] = f.imports()
    assert imported.to_dict()["messages_added"] == 5
    gone = f.forget(chats=["Kim"])
    assert isinstance(gone, fondly.Forgotten)
    assert gone.conversations == 1 and gone.messages == 2
    assert set(gone.to_dict()) == {"imports", "conversations", "messages", "people"}
    assert [c.title for c in f.chats()] == ["Sam"]
    with pytest.raises(UsageError):
        f.forget(chats=["nobody"])


def test_set_me_and_merge_keep_reports_current(f: Fondly) -> None:
    assert f.set_me("Sam") == "Sam"
    assert f.me() is not None and f.me().name == "Sam"  # type: ignore[union-attr]
    assert {r["name"] for r in f.report().relationships} == {"Alex"}
    f.set_me("Alex")
    assert f.merge("Sam", "Kim") == "Sam"
    [rel] = f.report().relationships
    assert rel["name"] == "Sam" and rel["n_messages"] == 5


def test_a_missing_store_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="import a chat first"):
        Fondly(tmp_path / "none.duckdb").chats()
    with pytest.raises(UsageError, match="no such file"):
        Fondly(tmp_path / "s.duckdb").import_(tmp_path / "missing.txt")


def test_readme_use_from_python_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Use from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code, "the README's Use from Python section has no python block"
    sam = generate(7)[0]
    variant = next(v for v in map(str, whatsapp_writer.VARIANTS) if "android" in v.lower())
    written = whatsapp_writer.write_export(sam, tmp_path, variant)
    written.rename(tmp_path / "WhatsApp Chat with Sam.txt")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.group(1), "README.md", "exec"), {})
    printed = out.getvalue()
    assert "new messages; ['imported']" in printed
    assert "['Sam']" in printed and "'Sam Rivera'" in printed
    assert (tmp_path / "messages.parquet").exists()
    assert Fondly(tmp_path / "chats.duckdb").chats() == []  # the last line forgot the chat
