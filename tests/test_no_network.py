"""Privacy: importing and reporting never open a network socket.

A CPython audit hook (installed in conftest) records every socket created,
bound, connected or resolved while the ``no_network`` fixture is active.
"""

from __future__ import annotations

import socket
from pathlib import Path

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
