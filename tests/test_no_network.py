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
    # ``fondly app`` serves until stopped: proven in its own process below.
    covered.add("fondly app")
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


# -- fondly app: served for real on the loopback, watched from inside -------------

_WATCHED_APP = """
import json, socket, sys

log = open(sys.argv[1], "w", encoding="utf-8")


def hook(event, args):
    if event in {"socket.__new__", "socket.bind", "socket.connect", "socket.getaddrinfo",
                 "socket.sendto"}:
        if event == "socket.__new__" and len(args) > 1 and args[1] == socket.AF_UNIX:
            return
        log.write(json.dumps([event, [repr(a)[:80] for a in args[1:]]]) + "\\n")
        log.flush()


sys.addaudithook(hook)
from fondly.cli import cli

cli(sys.argv[2:], prog_name="fondly")
"""


@pytest.mark.parametrize("sealed", [False, True], ids=["plain", "encrypted-redacted"])
def test_the_app_served_on_the_loopback_makes_no_other_socket(tmp_path: Path, sealed: bool) -> None:
    """``fondly app`` runs in its own process under an audit hook and answers real requests.

    The only sockets it may make are its listening socket, bound to 127.0.0.1, and the
    connections it accepts there: no connect, no name lookup, no datagram, ever. Sealed:
    an encrypted store (DuckDB's httpfs loaded from its wheel) whose key reaches the app
    through FONDLY_KEY, never its command line or URL, served with --redact.
    """
    import http.cookiejar
    import json
    import os
    import signal
    import subprocess
    import sys
    import urllib.request

    from fondly.api import Fondly

    db = tmp_path / "s.duckdb"
    chat = write_generic_csv(tmp_path / "chat.csv", ROWS)
    key = "sealed k3y for the app" if sealed else None
    Fondly(db, key=key).import_([chat], tz="UTC", me="Alex")
    sam = next(p for p in Fondly(db, key=key).people() if not p.is_me)
    script = tmp_path / "watched_app.py"
    script.write_text(_WATCHED_APP, "utf-8")
    log = tmp_path / "sockets.jsonl"
    argv = [sys.executable, str(script), str(log), "--db", str(db), "app", "--no-browser"]
    child = subprocess.Popen(
        argv + (["--redact"] if sealed else []),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"NO_PROXY": "*"} | ({"FONDLY_KEY": key} if key else {}),
    )
    try:
        assert child.stdout is not None
        url = child.stdout.readline().strip()  # blocks until the app announces itself
        assert url.startswith("http://127.0.0.1:"), (
            url,
            child.stderr.read() if child.stderr else "",
        )
        base = url.split("/?", 1)[0]
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)
        )
        if key:
            cmdline = Path(f"/proc/{child.pid}/cmdline")
            if cmdline.exists():
                assert key.encode() not in cmdline.read_bytes()
            assert key not in url
        pages = [url, f"{base}/person/{sam.person_id}", f"{base}/search?q=job"]
        pages += [] if sealed else [f"{base}/settings"]
        for page in [*pages, f"{base}/static/vega.js"]:
            with opener.open(page, timeout=60) as answer:
                assert answer.status == 200, page
                body = answer.read()
                if sealed and not page.endswith(".js"):
                    assert b"Redacted view" in body and b"job" not in body, page
        assert b"vega" in body
    finally:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    events = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    kinds = {event for event, _ in events}
    assert "socket.bind" in kinds, "the watch saw the app's own socket"
    assert not kinds & {"socket.connect", "socket.getaddrinfo", "socket.sendto"}, events
    for event, args in events:
        if event == "socket.bind":
            assert "'127.0.0.1'" in args[-1], args


# -- the Python facade: every verb, under the watch -----------------------------------


def test_every_facade_verb_opens_no_socket(tmp_path: Path, no_network: SocketWatch) -> None:
    from fondly.api import Fondly

    chat = write_generic_csv(tmp_path / "chat.csv", ROWS)
    other = write_generic_csv(
        tmp_path / "other.csv",
        [
            ("Book club", "Sam T", "2024-05-02T10:00:00", "see you at 7"),
            ("Book club", "Alex", "2024-05-02T10:05:00", "great, see you"),
        ],
    )
    fondly = Fondly(tmp_path / "s.duckdb")
    assert fondly.import_([chat, other], tz="UTC", me="Alex").added == 5
    assert fondly.set_me("Alex")
    assert len(fondly.chats()) == 2 and fondly.me() is not None
    sam = next(p for p in fondly.people() if p.name == "Sam")
    assert fondly.report(sam.person_id, charts=True).relationships
    assert fondly.report(redact=True).relationships
    assert fondly.messages().num_rows == 5
    for fmt in ("csv", "jsonl", "parquet"):
        assert fondly.export(tmp_path / "out" / f"m.{fmt}", format=fmt)
    assert fondly.export(tmp_path / "out" / "corpus", what="corpus")
    found = fondly.search("job")
    assert found
    assert fondly.chat_of(found[0].message_id) is not None
    assert fondly.conversation(fondly.chats()[0].id, around=found[0].message_id)
    fondly.refresh(force=True)
    assert fondly.merge("Sam", "Sam T")
    assert fondly.forget(chats=["Book club"]).conversations == 1
    assert not no_network.events, no_network.events[:3]
