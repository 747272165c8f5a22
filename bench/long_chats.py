"""Benchmark: what long relationships cost, through the CLI as a user runs it (issue 15).

Three shapes of store, each built from generated WhatsApp exports (Android,
24 h, day-first; a fixed seed, no real data):

* ``single``: one couple's chat of ``--messages`` messages (default 1M: a decade);
* ``ten``: ten one-to-one chats of ``--messages / 10`` messages each;
* ``small``: 150 one-to-one chats sharing ``--messages`` messages (~7k each).

Each step runs in its own process, timed from spawn to reap, with its peak RSS
(``ru_maxrss`` from ``os.wait4``): ``fondly import`` (parse, ingest, features
and the kept units, the whole first run of a user), then, on that store,
``fondly report PERSON``, ``fondly report PERSON --html``, ``fondly report``
and ``fondly report --html``. ``--steps`` splits the import into its phases
on a second store (``import --no-features``, then ``features``, which also keeps
the units), and ``--incremental`` imports a newer export of the first chat
that adds one more week of messages (with ``--steps``, then one more week again).

Text varies like chat does: short replies, filled templates, a long tail of
free word runs from a Zipf-weighted vocabulary, and a dozen private phrases per
pair (nicknames, running jokes) of which some are used often by both, some by
one person only and some too rarely to count: shared-phrase detection must find
some of them, not all, and not the everyday words of every chat.

Usage::

    .venv/bin/python bench/long_chats.py                          # single, 1M
    .venv/bin/python bench/long_chats.py --shape single --messages 100000 --steps
    .venv/bin/python bench/long_chats.py --shape ten --messages 1000000
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ME = "Alex Rivera"

_SHORT = (  # noqa: SIM905 - a sentence is easier to edit than a list
    "ok|okay|ok!|haha|hahaha|lol|yes|yeah|yep|no|nope|sure|cool|nice|thanks|thank you|"
    "omg|wow|good night|good morning|morning!|❤️|😂|👍|😘|love you|love you too|miss you|"
    "me too|same|true|see you|on my way|omw|here|k|hmm|oh no|what?|why?|really?|sorry|"
    "no worries|all good|sounds good|perfect|great"
).split("|")
_TEMPLATES = (  # noqa: SIM905
    "are you coming to {place} {time}?|let's get {food} {time}|i'm so {feel} today|"
    "how was your {thing}?|my {thing} went well!|i have a {thing} {time}|did you see {name}?|"
    "can you call me {time}|{name} says hi|haha {name} is so funny|"
    "remember when we went to {place} with {name}?|i'm at {place}, where are you|"
    "want {food} {time}?|good luck with your {thing} {time}!|thank you for the {food}|"
    "i miss {place} so much|sorry i'm late, {place} was crazy|we should go to {place} {time}|"
    "i feel {feel} about the {thing}|congrats on the {thing}!!|what time is the {thing}?"
).split("|")
_SLOTS = {
    "place": "the gym|work|the park|mum's|the station|the bar|the cinema|the beach|home",
    "time": "tonight|tomorrow|at 7|at 8pm|on friday|this weekend|later|after work|soon",
    "food": "pizza|sushi|tacos|pasta|curry|burgers|ramen|salad|coffee|brunch",
    "feel": "tired|happy|stressed|excited|sad|bored|nervous|so proud|exhausted|fine",
    "thing": "exam|interview|meeting|date|flight|shift|game|concert|appointment|call",
    "name": "Sam|Kim|Jo|Mia|Leo|Ana|Tom|Eva|Max|Noa|Ben|Zoe|Luca|Ines",
}
_SYLLABLES = "ka lo mi ne ru ta vo zi pe sa bo lu fe ri go na de mo ti ju".split()  # noqa: SIM905
_EMOJI = ["", "", "", "", " 😂", " ❤️", " 😘", " 🙄", " 🎉", " 👍", " 😭", " 🥰"]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    """Made-up words (two or three syllables): a long tail without real personal data."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(_SYLLABLES, k=rng.choice((2, 3, 3)))))
    return sorted(words)


class Talker:
    """The text of one relationship: shared everyday speech plus the pair's own phrases."""

    def __init__(self, seed: int, vocabulary: list[str]) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = vocabulary
        # Zipf weights over the long-tail vocabulary (rank r has weight 1/r)
        self.weights = [1 / (r + 1) for r in range(len(vocabulary))]
        own = _vocabulary(random.Random(seed * 7919 + 1), 24)
        # Twelve private phrases: a nickname, a running joke, a word for a thing.
        self.idioms = [" ".join(own[i : i + 1 + i % 3]) for i in range(0, 24, 2)]
        # How often each is used: the first few often by both, then one-sided or rare.
        self.idiom_rates = [0.003 / (1 + i) ** 3 for i in range(len(self.idioms))]
        self.one_sided = {i for i in range(len(self.idioms)) if i % 4 == 3}

    def text(self, who: int) -> str:
        """One message by ``who`` (0: the user, 1: the other)."""
        rng = self.rng
        for i, rate in enumerate(self.idiom_rates):
            if rng.random() < rate and (i not in self.one_sided or who == 1):
                return f"{self.idioms[i]} {rng.choice(_SHORT)}"
        r = rng.random()
        if r < 0.45:
            return rng.choice(_SHORT)
        if r < 0.85:
            text = rng.choice(_TEMPLATES)
            for slot, values in _SLOTS.items():
                if "{" + slot + "}" in text:
                    text = text.replace("{" + slot + "}", rng.choice(values.split("|")))
            return text + rng.choice(_EMOJI)
        words = rng.choices(self.vocabulary, weights=self.weights, k=rng.randint(2, 9))
        return " ".join(words) + rng.choice(_EMOJI)


def _messages(
    n: int, seed: int, start: datetime, pace: float, vocabulary: list[str]
) -> Iterator[tuple[datetime, int, str]]:
    """``n`` messages (time, sender, text) in sessions ``pace`` seconds apart on average.

    Sessions of a geometric number of turns (mean ~12 messages), a turn of one to
    four bubbles seconds apart, replies minutes apart, sessions hours apart.
    """
    rng = random.Random(seed)
    talker = Talker(seed, vocabulary)
    mean_session = 12
    gap_between = pace
    t = start
    who = 0
    sent = 0
    while sent < n:
        t += timedelta(seconds=rng.expovariate(1 / gap_between))
        who = rng.randrange(2)  # who opens the session
        left = max(1, int(rng.expovariate(1 / mean_session)))
        while left > 0 and sent < n:
            for _ in range(min(left, rng.choice((1, 1, 1, 2, 2, 3, 4)))):
                r = rng.random()
                if r < 0.04:
                    text = "<Media omitted>"
                elif r < 0.045:
                    text = "This message was deleted"
                else:
                    text = talker.text(who)
                yield t, who, text
                sent += 1
                left -= 1
                t += timedelta(seconds=rng.randint(2, 40))
            who = 1 - who
            t += timedelta(seconds=int(rng.expovariate(1 / 240)) + 5)


def write_chat(
    path: Path,
    other: str,
    n: int,
    *,
    seed: int,
    vocabulary: list[str],
    pace: float,
    start: datetime = datetime(2016, 1, 4, 9, 0),
) -> int:
    """Write an Android 24 h export of ``n`` messages between the user and ``other``.

    The same seed and pace write the same messages: a larger ``n`` is a newer export.
    """
    names = (ME, other)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(
            start.strftime("%d/%m/%Y, %H:%M - ")
            + "Messages and calls are end-to-end encrypted. No one outside of this chat, "
            "not even WhatsApp, can read or listen to them. Tap to learn more.\n"
        )
        lines: list[str] = []
        for ts, who, text in _messages(n, seed, start, pace, vocabulary):
            lines.append(f"{ts:%d/%m/%Y, %H:%M} - {names[who]}: {text}\n")
            if len(lines) >= 20_000:
                fh.writelines(lines)
                lines.clear()
        fh.writelines(lines)
    return path.stat().st_size


def exports(
    shape: str, n: int, folder: Path, *, extra_week: bool = False, weeks: int = 1
) -> list[Path]:
    """The exports of a shape (written once, reused), and their people's names.

    ``extra_week``: the first chat as a newer export, ``weeks`` more weeks of messages.
    """
    vocabulary = _vocabulary(random.Random(2026), 4000)
    chats = {"single": 1, "ten": 10, "small": 150}[shape]
    per_chat = n // chats
    years = 10 * per_chat / 1_000_000 + 0.5  # a million messages: a decade
    pace = years * 365 * 86400 / max(1, per_chat / 12)  # seconds between sessions of ~12
    # the chat's title comes from the file name: a newer export keeps it, in its own folder
    newer = "" if not extra_week else "-newer" if weeks == 1 else f"-newer{weeks}"
    where = folder / f"{shape}-{n}{newer}"
    where.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in range(chats):
        other = f"Sam Okafor {c + 1}" if chats > 1 else "Sam Okafor"
        count = per_chat
        if extra_week:
            # the same seed and pace write the same messages, then a week more
            count = per_chat + weeks * max(1, int(per_chat / (years * 52)))
        path = where / f"WhatsApp Chat with {other}.txt"
        if not path.exists():
            write_chat(path, other, count, seed=1000 + c, vocabulary=vocabulary, pace=pace)
        paths.append(path)
        if extra_week:
            break
    return paths


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MiB, CPU seconds) of one child process; exits on failure.

    CPU time (user + system, the child and its workers) depends much less than
    wall time on what else the shared machine runs.
    """
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status):
            err.seek(0)
            tail = err.read().decode(errors="replace").strip()[-600:]
            sys.exit(f"{' '.join(argv[1:3])} failed: {tail}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shape", choices=("single", "ten", "small"), default="single")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--steps", action="store_true", help="also time the import's phases")
    parser.add_argument("--incremental", action="store_true", help="also import one week more")
    parser.add_argument("--no-reports", action="store_true", help="time the import only")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    started = time.perf_counter()
    paths = exports(args.shape, args.messages, OUT)
    print(
        f"exports: {len(paths)} file(s), {sum(p.stat().st_size for p in paths) / 1e6:.0f} MB "
        f"(ready in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    fondly = str(Path(sys.executable).with_name("fondly"))
    base = ["--me", ME, "--tz", "Europe/Berlin"]
    person = "Sam Okafor" if args.shape == "single" else "Sam Okafor 1"

    def newer_import(newer: list[Path]) -> list[str]:
        return ["import", *map(str, newer), *base]

    def step(label: str, argv: list[str], env: dict[str, str]) -> None:
        wall, rss, cpu = run([fondly, *argv], env)
        load = f"{os.getloadavg()[0]:.1f}"
        print(
            f"{label:<34}{wall:>9.2f} s{rss:>8.0f} MiB{cpu:>9.2f} s CPU   load {load}", flush=True
        )

    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        env = dict(os.environ, FONDLY_DB=str(Path(tmp) / "full.duckdb"))
        step("import (all phases)", ["import", *map(str, paths), *base], env)
        if not args.no_reports:
            html = str(Path(tmp) / "r.html")
            step("report PERSON", ["report", person], env)
            step("report PERSON --html", ["report", person, "--html", html], env)
            step("report (all)", ["report"], env)
            step("report --html (all)", ["report", "--html", html], env)
        if args.incremental:
            newer = exports(args.shape, args.messages, OUT, extra_week=True)
            step("import newer export (+1 week)", newer_import(newer), env)
        if args.steps:
            env = dict(os.environ, FONDLY_DB=str(Path(tmp) / "steps.duckdb"))
            step(
                "  import --no-features", ["import", *map(str, paths), *base, "--no-features"], env
            )
            step("  features (+ kept units)", ["features"], env)
            if args.incremental:
                newer = exports(args.shape, args.messages, OUT, extra_week=True)
                step("  newer: import --no-features", [*newer_import(newer), "--no-features"], env)
                step("  newer: features (+ kept units)", ["features"], env)
                # The week after: the first append to the features table after the bulk
                # import made DuckDB's checkpoint slow once (0.6-1.2 s), never again after.
                newer = exports(args.shape, args.messages, OUT, extra_week=True, weeks=2)
                step("  next: import --no-features", [*newer_import(newer), "--no-features"], env)
                step("  next: features (+ kept units)", ["features"], env)
    print(
        f"\n{args.shape}: {args.messages:,} messages; {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, DuckDB {duckdb.__version__}"
    )


if __name__ == "__main__":
    main()
