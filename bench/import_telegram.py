"""Benchmark: importing a Telegram full-account export, against chat-miner.

Writes a synthetic full-account ``result.json`` (1M messages by default, streamed
to disk so the generator itself stays small), then times, each in its own
process, with peak RSS from ``os.wait4``:

* ``fondly import --no-features`` of the whole export into a fresh store, and
* chat-miner 0.6.0's ``TelegramJsonParser``, installed in its own virtual
  environment ``bench/.venv-peers`` (created here when missing; never in the
  project's ``.venv``). chat-miner reads one chat of a full-account export per
  parser, each time loading the whole file, so it is run once per chat, in one
  process, to read the same messages fondly reads. Its time for the first chat
  alone is printed too: that is one ``json.load`` of the file plus one chat.

The target is fondly's peak RSS at or under 500 MB whatever the file size.

Usage::

    .venv/bin/python bench/import_telegram.py            # 1M messages
    .venv/bin/python bench/import_telegram.py -n 100000  # smaller
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import venv
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PEERS_VENV = HERE / ".venv-peers"
CHAT_MINER = "chat-miner==0.6.0"
RSS_TARGET_MB = 500

# Wall clock of the exporting machine: Berlin-like, +2 h in this synthetic account.
_LOCAL_OFFSET = timedelta(hours=2)

_VOCABULARY = (
    "hey how are you doing today i was thinking about that trip we should plan it soon "
    "haha yes totally agree miss you lots call me later good luck with the exam tonight "
    "dinner at eight sounds great thanks so much for yesterday it meant a lot ❤️ 😂 🎉"
)
_WORDS = _VOCABULARY.split()


def _chats(n_messages: int) -> list[tuple[int, str, str, int]]:
    """``(id, name, type, size)``: one long 1:1 chat, a few shorter ones and groups."""
    shares = [0.45, 0.15, 0.1, 0.1, 0.08, 0.06, 0.04, 0.02]
    chats = []
    for i, share in enumerate(shares):
        is_group = i >= 5
        name = f"Group {i}" if is_group else f"Friend {i}"
        kind = "private_supergroup" if is_group else "personal_chat"
        chats.append((1000 + i, name, kind, int(n_messages * share)))
    chats[0] = (
        chats[0][0],
        chats[0][1],
        chats[0][2],
        chats[0][3] + n_messages - sum(c[3] for c in chats),
    )
    return chats


def _message(rng: random.Random, msg_id: int, when: datetime, chat: int, is_group: bool) -> dict:
    me = rng.random() < 0.5
    sender = 1 if me else (100 + chat * 10 + (rng.randrange(4) if is_group else 0))
    record: dict = {
        "id": msg_id,
        "type": "message",
        "date": (when + _LOCAL_OFFSET).strftime("%Y-%m-%dT%H:%M:%S"),
        "date_unixtime": str(int(when.timestamp())),
        "from": "Me Myself" if me else f"Person {sender}",
        "from_id": f"user{sender}",
    }
    roll = rng.random()
    words = " ".join(rng.choices(_WORDS, k=rng.randint(1, 14)))
    if roll < 0.01:
        record = {
            "id": msg_id,
            "type": "service",
            "date": record["date"],
            "date_unixtime": record["date_unixtime"],
            "actor": record["from"],
            "actor_id": record["from_id"],
            "action": "phone_call",
            "duration_seconds": rng.randint(5, 3600),
            "text": "",
        }
        return record
    if roll < 0.04:
        record.update(file="(File not included)", media_type="sticker", sticker_emoji="😀", text="")
    elif roll < 0.07:
        record.update(photo="(File not included)", width=1280, height=960, text="")
    elif roll < 0.09:
        record.update(
            file="(File not included)", media_type="voice_message", duration_seconds=7, text=""
        )
    elif roll < 0.15:
        record["text"] = [words + " ", {"type": "link", "text": "https://example.org/x"}]
    else:
        record["text"] = words
    if rng.random() < 0.1 and msg_id > 1:
        record["reply_to_message_id"] = msg_id - rng.randint(1, min(msg_id - 1, 20))
    if rng.random() < 0.03:
        record["edited"] = record["date"]
        record["edited_unixtime"] = record["date_unixtime"]
    if rng.random() < 0.05:
        record["reactions"] = [
            {
                "type": "emoji",
                "count": 1,
                "emoji": "❤",
                "recent": [{"from": "Me Myself", "from_id": "user1", "date": record["date"]}],
            }
        ]
    return record


def write_export(path: Path, n_messages: int, seed: int = 7) -> list[str]:
    """Write a full-account export of ``n_messages``; return its chat names."""
    rng = random.Random(seed)
    chats = _chats(n_messages)
    dump = json.dumps
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{\n "about": "Synthetic export written by fondly\'s benchmark.",\n')
        personal = {
            "user_id": 1,
            "first_name": "Me",
            "last_name": "Myself",
            "phone_number": "+49 151 0000000",
            "bio": "",
        }
        fh.write(f' "personal_information": {dump(personal)},\n')
        contacts = [
            {
                "user_id": 100 + c * 10,
                "first_name": "Person",
                "last_name": str(100 + c * 10),
                "phone_number": f"+49 151 {1000000 + c:07d}",
                "date": "2020-01-01T00:00:00",
                "date_unixtime": "1577836800",
            }
            for c in range(len(chats))
        ]
        fh.write(f' "contacts": {{"about": "", "list": {dump(contacts)}}},\n')
        fh.write(' "chats": {\n  "about": "",\n  "list": [\n')
        for c_index, (chat_id, name, kind, size) in enumerate(chats):
            is_group = kind != "personal_chat"
            fh.write("   {\n")
            fh.write(f'    "name": {dump(name)},\n    "type": "{kind}",\n    "id": {chat_id},\n')
            fh.write('    "messages": [\n')
            when = datetime(2021, 1, 1, tzinfo=UTC)
            for msg_id in range(1, size + 1):
                when += timedelta(seconds=rng.expovariate(1 / 600))
                text = dump(_message(rng, msg_id, when, c_index, is_group), ensure_ascii=False)
                fh.write(f"     {text}{',' if msg_id < size else ''}\n")
            fh.write("    ]\n")
            fh.write(f"   }}{',' if c_index < len(chats) - 1 else ''}\n")
        fh.write("  ]\n },\n")
        fh.write(' "left_chats": {"about": "", "list": []}\n}\n')
    return [c[1] for c in chats]


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a command; return wall seconds, peak RSS in MB (from wait4) and its stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            sys.stderr.write(err.read().decode("utf-8", "replace")[-3000:])
            raise SystemExit(f"{cmd[0]} failed with exit code {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024, stdout


def ensure_peers_venv() -> Path:
    """chat-miner lives in its own venv, so its pins never touch fondly's."""
    python = PEERS_VENV / "bin" / "python"
    probe = [str(python), "-c", "import chatminer.chatparsers"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    venv.EnvBuilder(with_pip=True, clear=True).create(PEERS_VENV)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", CHAT_MINER], check=True)
    return python


# The importer alone, without ingest: shows how much of the import's memory is parsing.
_PARSE_ONLY = """
import sys
from pathlib import Path
from fondly.importers import ImportOptions, Tree, detect
tree = Tree(Path(sys.argv[1]))
n = 0
for unit in detect(tree):
    for conv in unit.importer.parse(tree, unit, ImportOptions()):
        for _ in conv.messages:
            n += 1
print(n)
"""

_PEER_SCRIPT = """
import json, logging, sys, time
logging.disable(logging.CRITICAL)
import os
os.environ["TQDM_DISABLE"] = "1"
from chatminer.chatparsers import TelegramJsonParser
path, names = sys.argv[1], json.loads(sys.argv[2])
start = time.perf_counter()
rows, first = 0, None
for name in names:
    parser = TelegramJsonParser(path, chat_name=name)
    parser.parse_file()
    rows += len(parser.parsed_messages.get_df())
    if first is None:
        first = time.perf_counter() - start
print(json.dumps({"rows": rows, "first_chat_s": first}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--messages", type=int, default=1_000_000)
    ap.add_argument("--skip-peer", action="store_true", help="time fondly only")
    args = ap.parse_args()

    export = OUT / f"telegram-{args.messages}" / "result.json"
    if not export.exists():
        t0 = time.perf_counter()
        names = write_export(export, args.messages)
        took = time.perf_counter() - t0
        print(f"wrote {export} ({export.stat().st_size / 1e6:.0f} MB) in {took:.1f} s")
    else:
        names = [c[1] for c in _chats(args.messages)]
    size_mb = export.stat().st_size / 1e6
    subprocess.run(["cat", str(export)], stdout=subprocess.DEVNULL, check=True)  # warm the cache

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, FONDLY_DB=str(Path(tmp) / "bench.duckdb"), NO_COLOR="1")
        fondly = [
            sys.executable,
            "-m",
            "fondly",
            "import",
            "--no-features",
            "--tz",
            "UTC",
            "--json",
        ]
        f_s, f_rss, out = run_measured([*fondly, str(export)], env=env)
    added = sum(r["added"] for r in json.loads(out)["imports"])
    print(f"file: {size_mb:.0f} MB, {args.messages:,} messages in {len(names)} chats")
    verdict = "ok" if f_rss <= RSS_TARGET_MB else f"OVER the {RSS_TARGET_MB} MB target"
    print(
        f"fondly import --no-features: {f_s:.1f} s, peak RSS {f_rss:.0f} MB ({verdict}), "
        f"{added:,} messages stored"
    )
    p_s, p_rss, out = run_measured([sys.executable, "-c", _PARSE_ONLY, str(export)])
    print(
        f"  of which the Telegram parser alone: {p_s:.1f} s, peak RSS {p_rss:.0f} MB "
        f"({int(out):,} messages); the rest is ingest staging and merging in DuckDB"
    )
    if args.skip_peer:
        return
    python = ensure_peers_venv()
    p_s, p_rss, out = run_measured(
        [str(python), "-c", _PEER_SCRIPT, str(export), json.dumps(names)]
    )
    peer = json.loads(out.strip().splitlines()[-1])
    print(
        f"chat-miner TelegramJsonParser (all {len(names)} chats): {p_s:.1f} s, "
        f"peak RSS {p_rss:.0f} MB, {peer['rows']:,} rows; first chat alone "
        f"{peer['first_chat_s']:.1f} s after start-up"
    )
    print(f"ratio chat-miner/fondly: time {p_s / f_s:.2f}x, peak RSS {p_rss / f_rss:.2f}x")


if __name__ == "__main__":
    main()
