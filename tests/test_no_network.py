"""Privacy: importing and reporting never open a network socket.

A CPython audit hook (installed in conftest) records every socket created,
bound, connected or resolved while the ``no_network`` fixture is active.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from fondly.cli import cli
from tests.conftest import SocketWatch, write_generic_csv

ROWS = [
    ("Sam", "Alex", "2024-05-01T21:04:00", "hey! how was the interview?"),
    ("Sam", "Sam", "2024-05-01T21:10:00", "it went great, they offered me the job!!"),
    ("Sam", "Alex", "2024-05-01T21:11:00", "congrats!! so proud of you, what's the team like?"),
]


def test_the_watch_sees_a_socket() -> None:
    from tests.conftest import _WATCH

    _WATCH.active = True
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    finally:
        _WATCH.active = False
    assert _WATCH.events
    _WATCH.events.clear()


def test_import_and_report_open_no_socket(
    tmp_path: Path, runner: CliRunner, no_network: SocketWatch
) -> None:
    db = str(tmp_path / "s.duckdb")
    chat = write_generic_csv(tmp_path / "chat.csv", ROWS)
    result = runner.invoke(cli, ["--db", db, "import", str(chat), "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    for args in (
        ["chats"],
        ["people"],
        ["report", "--json"],
        ["report", "Sam"],
        ["report", "Sam", "--html", str(tmp_path / "r.html")],
    ):
        result = runner.invoke(cli, ["--db", db, *args])
        assert result.exit_code == 0, (args, result.output)


def _every_command_run(tmp_path: Path) -> list[list[str]]:
    """One run of every command and subcommand, with the options that reach new code."""
    out = tmp_path / "out"
    return [
        ["formats"],
        ["import", str(tmp_path / "chat.csv"), "--tz", "UTC"],
        ["import", str(tmp_path / "other.csv"), "--tz", "UTC"],
        ["me"],
        ["me", "Alex"],
        ["chats", "--json"],
        ["people"],
        ["people", "suggest", "--json"],
        ["people", "merge", "Sam", "Sam T"],
        ["people", "split", "Sam"],
        ["features", "--force"],
        ["report"],
        ["report", "Sam", "--json", "--redact"],
        ["report", "Sam", "--html", str(out / "sam.html")],
        ["report", "--html", str(out / "all.html"), "--redact"],
        ["export", "messages", "--format", "csv", "--out", str(out / "m.csv")],
        ["export", "messages", "--format", "jsonl"],
        ["export", "messages", "--format", "parquet", "--out", str(out / "m.parquet")],
        ["export", "corpus", "--out", str(out / "corpus")],
        ["annotate"],
        ["import", str(tmp_path / "other.csv"), "--tz", "UTC", "--replace"],
        ["forget"],
        ["forget", str(tmp_path / "other.csv"), "--yes"],
        ["demo", "--seed", "3", "--out", str(out / "demo")],
    ]


def test_every_command_opens_no_socket(
    tmp_path: Path, runner: CliRunner, no_network: SocketWatch
) -> None:
    """Every command fondly has, run end to end under the socket watch.

    The list is checked against the CLI itself, so a new command fails here until it
    is added (and so proven offline).
    """
    from fondly.cli._docs import iter_commands

    write_generic_csv(tmp_path / "chat.csv", ROWS)
    write_generic_csv(
        tmp_path / "other.csv",
        [
            ("Book club", "Sam T", "2024-05-02T10:00:00", "see you at 7"),
            ("Book club", "Alex", "2024-05-02T10:05:00", "great, see you"),
        ],
    )
    db = str(tmp_path / "s.duckdb")
    runs = _every_command_run(tmp_path)
    for args in runs:
        stdin = "thank you so much, I miss you\n" if args[0] == "annotate" else None
        result = runner.invoke(cli, ["--db", db, *args], input=stdin)
        assert result.exit_code == 0, (args, result.output)
        assert not no_network.events, (args, no_network.events[:3])

    covered = set()
    for args in runs:
        words = [a for a in args if not a.startswith("-")]
        covered.update(" ".join(["fondly", *words[:k]]) for k in (1, 2))
    every = {name for name, _ in iter_commands()}
    assert every <= covered, f"commands never run offline: {sorted(every - covered)}"


def test_semantic_extra_loads_its_model_offline(no_network: SocketWatch) -> None:
    """With fondly[semantic] installed, the model comes from the package, never a hub."""
    import os

    pytest.importorskip("sentence_transformers", reason="the semantic extra is not installed")
    from fondly.features.semantic import load_embedder

    embed = load_embedder()
    assert embed(["hello there"]).shape[0] == 1
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
