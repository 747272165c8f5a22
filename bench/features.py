"""Benchmark: the features phase (`update_store`) on 1M realistic chat messages.

Real chat is short and repetitive: "ok", "haha", "❤️" and "see you at 7" recur
thousands of times, a few languages mix, and a long tail of one-off sentences
carries the content. This script generates such messages from templates (a fixed
seed, no real data), writes them straight into a fresh store's messages table, and
times ``fondly.features.update_store`` end to end: reading messages, deduplicating,
scoring on every core, writing message_features, and the follow-up pass.

Target: 1M messages in <= 15 s on a 2-core machine.

Usage::

    .venv/bin/python bench/features.py              # 1M messages
    .venv/bin/python bench/features.py -n 200000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import tempfile
import time
from pathlib import Path

import pyarrow as pa

from fondly.features import update_store
from fondly.store import Store

COMMON = [
    "ok",
    "okay",
    "ok!",
    "haha",
    "hahaha",
    "lol",
    "lmao",
    "yes",
    "yeah",
    "yep",
    "no",
    "nope",
    "sure",
    "cool",
    "nice",
    "thanks",
    "thanks!",
    "thank you",
    "ty",
    "np",
    "omg",
    "wow",
    "good night",
    "gn",
    "night ❤️",
    "good morning",
    "morning!",
    "❤️",
    "😂",
    "😂😂",
    "👍",
    "🙏",
    "😘",
    "love you",
    "love you too",
    "miss you",
    "me too",
    "same",
    "true",
    "haha yes",
    "lol yes",
    "see you",
    "see u later",
    "on my way",
    "omw",
    "here",
    "coming",
    "k",
    "kk",
    "hmm",
    "oh no",
    "what?",
    "why?",
    "really?",
    "sorry",
    "no worries",
    "all good",
    "sounds good",
    "perfect",
    "great",
    "danke",
    "ja",
    "nein",
    "gracias",
    "jajaja",
    "merci",
    "mdr",
    "grazie",
    "obrigado",
    "kkkkk",
    "ciao",
    "hola",
    "bisous",
    "beijos",
]

NAMES = [
    "Sam",
    "Alex",
    "Kim",
    "Jo",
    "Mia",
    "Leo",
    "Ana",
    "Tom",
    "Eva",
    "Max",
    "Noa",
    "Ben",
    "Zoe",
    "Luca",
    "Ines",
]
PLACES = [
    "the gym",
    "work",
    "the park",
    "mum's",
    "the station",
    "the bar",
    "the cinema",
    "school",
    "the beach",
    "home",
]
TIMES = [
    "tonight",
    "tomorrow",
    "at 7",
    "at 8pm",
    "on friday",
    "this weekend",
    "later",
    "after work",
    "in 10 min",
    "soon",
]
FOODS = [
    "pizza",
    "sushi",
    "tacos",
    "pasta",
    "curry",
    "burgers",
    "ramen",
    "salad",
    "coffee",
    "brunch",
]
FEEL = [
    "tired",
    "happy",
    "stressed",
    "excited",
    "sad",
    "bored",
    "nervous",
    "so proud",
    "exhausted",
    "fine",
]
THINGS = [
    "exam",
    "interview",
    "meeting",
    "date",
    "flight",
    "shift",
    "game",
    "concert",
    "appointment",
    "call",
]
TAILS = ["lol", "tbh", "haha", "ok?", "xx", "pls", "btw"]
EMOJI = ["", "", "", " 😂", " ❤️", " 😘", " 🙄", " 🎉", " 👍", " 😭", " 🥰", " 💪"]

TEMPLATES = [
    "are you coming to {place} {time}?",
    "let's get {food} {time}",
    "i'm so {feel} today",
    "how was your {thing}?",
    "my {thing} went well!",
    "i have a {thing} {time}",
    "did you see {name}?",
    "can you call me {time}",
    "{name} says hi",
    "haha {name} is so funny",
    "remember when we went to {place} with {name}?",
    "i'm at {place}, where are you",
    "want {food} {time}?",
    "good luck with your {thing} {time}!",
    "thank you for the {food} yesterday",
    "i miss {place} so much",
    "omg {name} just texted me",
    "sorry i'm late, {place} was crazy",
    "we should go to {place} {time}",
    "i feel {feel} about the {thing}",
    "you always forget the {thing}",
    "congrats on the {thing}!!",
    "what time is the {thing}?",
    "i got the job at {place}!",
    "ich bin {time} im büro, kommst du?",
    "¿vienes a la fiesta {time}?",
    "je suis {feel} ce soir, on se voit demain ?",
    "te extraño mucho {name}",
    "vamos comer {food} amanhã?",
    "stasera pizza da {name}?",
]


def message(rng: random.Random) -> str:
    """One chat message: a common short reply (55%) or a filled template."""
    if rng.random() < 0.55:
        return rng.choice(COMMON)
    text = rng.choice(TEMPLATES).format(
        place=rng.choice(PLACES),
        time=rng.choice(TIMES),
        food=rng.choice(FOODS),
        feel=rng.choice(FEEL),
        thing=rng.choice(THINGS),
        name=rng.choice(NAMES),
    )
    if rng.random() < 0.25:  # a free-form tail makes the long tail of distinct texts
        text += f" {rng.choice(TAILS)} {rng.randint(1, 500)}"
    return text + rng.choice(EMOJI)


def generate(n: int, seed: int = 7) -> pa.Table:
    """A messages table of ``n`` rows in 500 two-person chats (5% media, no text)."""
    rng = random.Random(seed)
    start = dt.datetime(2023, 1, 1)
    conv = [rng.randrange(500) + 1 for _ in range(n)]
    texts = [None if rng.random() < 0.05 else message(rng) for _ in range(n)]
    ts = sorted(rng.randrange(0, 365 * 86_400_000) for _ in range(n))
    return pa.table(
        {
            "message_id": [f"m{i}" for i in range(n)],
            "conversation_id": pa.array(conv, pa.int32()),
            "handle_id": pa.array([c * 2 + rng.randrange(2) for c in conv], pa.int32()),
            "ts_ms": pa.array(ts, pa.int64()),
            "ts_local": [start + dt.timedelta(milliseconds=t) for t in ts],
            "tz_offset_min": pa.array([0] * n, pa.int16()),
            "seq": pa.array(range(n), pa.int64()),
            "kind": ["media" if t is None else "text" for t in texts],
            "media_type": [None] * n,
            "text": pa.array(texts, pa.string()),
            "edited": [False] * n,
            "reply_to": pa.array([None] * n, pa.string()),
            "source_id": pa.array([None] * n, pa.string()),
            "import_id": pa.array([1] * n, pa.int32()),
        }
    )


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished workers: on a shared machine
    the wall time depends on the neighbours, the CPU time much less."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--messages", type=int, default=1_000_000)
    args = parser.parse_args()
    table = generate(args.messages)
    distinct = len(set(table["text"].to_pylist()))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        store.register("bench_messages", table)
        store.execute("INSERT INTO messages SELECT * FROM bench_messages")
        store.unregister("bench_messages")
        started = time.perf_counter()
        cpu_before = _cpu_seconds()
        n = update_store(store)
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_before
        store.close()
    print(f"messages: {args.messages:,} ({distinct:,} distinct texts)")
    print(f"update_store: {n:,} messages in {elapsed:.2f} s = {n / elapsed:,.0f} msgs/s")
    print(f"CPU time (this process + workers): {cpu:.2f} s; load average {os.getloadavg()[0]:.1f}")
    print("target: 1M messages in <= 15 s on 2 cores")


if __name__ == "__main__":
    main()
