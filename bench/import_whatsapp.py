"""Benchmark: `fondly import` of a large WhatsApp export against chat-miner and whatstk.

Usage::

    .venv/bin/python bench/import_whatsapp.py                 # 1M messages
    .venv/bin/python bench/import_whatsapp.py --messages 100000
    .venv/bin/python bench/import_whatsapp.py --skip-peers    # fondly only

It writes a deterministic Android export (24 h, day-first) to ``bench/out/``,
then times, each in its own process and in the same run: ``fondly import
--no-features`` into a fresh store (parse *and* ingest into DuckDB), and the
peers' parse to a DataFrame. The peers are installed into the benchmark's own
virtualenv ``bench/.venv-peers`` (created on first use, never the project's
``.venv``), so their dependencies cannot leak into fondly's. Wall time is
measured from spawn to reap; peak RSS is the child's ``ru_maxrss`` from
``os.wait4``, what ``/usr/bin/time -v`` calls "Maximum resident set size".

Targets (issue 3): fondly >= 10x faster than chat-miner, >= 5x faster than
whatstk, and at most 400 MB peak RSS for 1M messages.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PEERS_VENV = HERE / ".venv-peers"
PEERS = ["chat-miner==0.6.0", "whatstk==0.9.1"]

_WORDS = (  # noqa: SIM905 - a sentence is easier to edit than a list
    "ok sure yes no maybe later tonight tomorrow coffee dinner work home train late early "
    "love miss you me we they great good bad tired happy sad funny weird cool nice thanks "
    "sorry call text picture movie book weekend trip beach rain sun cold hot busy free "
    "mum dad sister brother friend dog cat plan idea question answer soon now never always"
).split()
_SENTENCES = [
    "are you free tonight?",
    "haha that is so funny 😂",
    "can you call me when you get a minute",
    "running a bit late, sorry!",
    "thanks so much ❤️",
    "did you see the news today?",
    "let's get dinner on friday",
    "I miss you, it's been too long",
    "good luck tomorrow, you got this 💪",
    "just got home, so tired",
    "Note: the meeting moved to 7:30",
    "check this out https://example.org/a?b=1",
    "ok 👍",
    "love you",
    "what time is the train?",
    "happy birthday!! 🎉🎂",
]


def generate(path: Path, n: int, seed: int = 42) -> int:
    """Write an Android 24 h export with exactly ``n`` author messages; return its byte size.

    5 % of messages are multi-line, ~4 % media placeholders, 0.5 % deleted, and a
    few system lines (the encryption notice, security-code changes) are mixed in.
    """
    rng = random.Random(seed)
    people = ["Alex Rivera", "Sam Okafor"]
    ts = datetime(2021, 1, 4, 9, 0)
    out: list[str] = [
        "04/01/2021, 09:00 - Messages and calls are end-to-end encrypted. "
        "No one outside of this chat, not even WhatsApp, can read or listen to them. "
        "Tap to learn more.\n"
    ]
    step = timedelta(seconds=max(1, int(3 * 365 * 86400 / max(n, 1))))
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for i in range(n):
            ts += step * rng.random() * 2
            header = ts.strftime("%d/%m/%Y, %H:%M - ")
            r = rng.random()
            if r < 0.04:
                body = "<Media omitted>"
            elif r < 0.045:
                body = "This message was deleted"
            else:
                body = (
                    rng.choice(_SENTENCES)
                    if rng.random() < 0.5
                    else " ".join(rng.choices(_WORDS, k=rng.randint(1, 14)))
                )
                if rng.random() < 0.05:
                    extra = [
                        " ".join(rng.choices(_WORDS, k=rng.randint(1, 8)))
                        for _ in range(rng.randint(1, 4))
                    ]
                    body += "\n" + "\n".join(extra)
            out.append(f"{header}{people[i % 2 if rng.random() < 0.8 else 1 - i % 2]}: {body}\n")
            if rng.random() < 0.0005:
                out.append(
                    f"{header}Your security code with {people[1]} changed. Tap to learn more.\n"
                )
            if len(out) > 10_000:
                fh.write("".join(out))
                out.clear()
        fh.write("".join(out))
    return path.stat().st_size


def _run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one child process."""
    # stderr goes to a file, not a pipe: chat-miner logs a line per system
    # message and draws a progress bar, which would fill a pipe and block it.
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip()[-400:]
            print(f"  ! {argv[0]} exited {proc.returncode}: {tail}", file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, proc.returncode


def ensure_peers() -> Path:
    """The peers' interpreter, creating ``bench/.venv-peers`` on first use."""
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    check = [str(python), "-c", "import chatminer, whatstk"]
    if subprocess.run(check, capture_output=True).returncode:
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEERS], check=True)
    return python


_CHAT_MINER = """
import sys
from chatminer.chatparsers import WhatsAppParser
p = WhatsAppParser(sys.argv[1]); p.parse_file(); df = p.parsed_messages.get_df()
print(len(df))
"""
_WHATSTK = """
import sys
from whatstk import df_from_whatsapp
df = df_from_whatsapp(sys.argv[1], max_size=None)
print(len(df))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    export = OUT / f"WhatsApp Chat with Sam Okafor ({args.messages}).txt"
    if not export.exists():
        t0 = time.perf_counter()
        size = generate(export, args.messages)
        print(f"generated {export.name}: {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s")
    export.read_bytes()  # warm the page cache for everyone alike

    fondly = Path(sys.executable).with_name("fondly")
    rows: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        env = dict(os.environ, FONDLY_DB=str(db))
        argv = [str(fondly), "import", str(export), "--no-features", "--tz", "Europe/Berlin"]
        wall, rss, rc = _run(argv, env)
        if rc == 0:
            rows["fondly import"] = (wall, rss)
            print(f"fondly import: {wall:.2f} s, {rss:.0f} MiB", flush=True)
    if not args.skip_peers:
        python = ensure_peers()
        for label, code in (("chat-miner 0.6.0", _CHAT_MINER), ("whatstk 0.9.1", _WHATSTK)):
            wall, rss, rc = _run([str(python), "-c", code, str(export)])
            if rc == 0:
                rows[label] = (wall, rss)
                print(f"{label}: {wall:.2f} s, {rss:.0f} MiB", flush=True)

    print(
        f"\n{args.messages:,} messages, {export.stat().st_size / 1e6:.1f} MB "
        f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]})"
    )
    print(f"{'tool':<20}{'seconds':>10}{'peak RSS MiB':>15}{'x fondly':>10}")
    base = rows.get("fondly import", (float("nan"), 0))[0]
    for label, (wall, rss) in rows.items():
        print(f"{label:<20}{wall:>10.2f}{rss:>15.0f}{wall / base:>10.1f}")
    if "fondly import" in rows:
        wall, rss = rows["fondly import"]
        print(
            f"fondly targets: <= 4 s ({'ok' if wall <= 4 else 'MISSED'}), "
            f"<= 400 MB RSS ({'ok' if rss <= 400 else 'MISSED'})"
        )


if __name__ == "__main__":
    main()
