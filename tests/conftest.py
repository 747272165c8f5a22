"""Fixtures shared by every test module: stores, a CLI runner and chat writers."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fondly.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "fondly.duckdb"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _isolated_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the developer's real store."""
    monkeypatch.setenv("FONDLY_DB", str(tmp_path / "default-store.duckdb"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


class SocketWatch:
    """Records every socket created while ``active`` (via a CPython audit hook)."""

    def __init__(self) -> None:
        self.active = False
        self.events: list[tuple[str, tuple[object, ...]]] = []

    def __call__(self, event: str, args: tuple[object, ...]) -> None:
        if self.active and event in {
            "socket.__new__",
            "socket.connect",
            "socket.bind",
            "socket.getaddrinfo",
            "socket.sendto",
        }:
            family = args[1] if event == "socket.__new__" and len(args) > 1 else None
            if family == socket.AF_UNIX:
                return
            self.events.append((event, tuple(repr(a)[:60] for a in args)))


_WATCH = SocketWatch()
sys.addaudithook(_WATCH)  # audit hooks cannot be removed; it only records while active


@pytest.fixture
def no_network() -> Iterator[SocketWatch]:
    """Fail the test if anything inside it opens a network socket."""
    _WATCH.events.clear()
    _WATCH.active = True
    try:
        yield _WATCH
    finally:
        _WATCH.active = False
    assert not _WATCH.events, f"network activity: {_WATCH.events[:3]}"


def write_generic_csv(path: Path, rows: list[tuple[str, str, str, str]], me: str = "Alex") -> Path:
    """Write (chat, sender, timestamp, text) rows in fondly's generic CSV layout."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["chat", "sender", "timestamp", "text", "me"])
        for chat, sender, ts, text in rows:
            writer.writerow([chat, sender, ts, text, "true" if sender == me else ""])
    return path
