"""Inside jokes and shared phrases (R1): the one metric computed in Python.

Counting n-grams needs lists, which the SQL subset both engines share does not
have; so SQL fetches the text and this module counts. A phrase (1-3 tokens,
emoji kept as tokens) is a pair's own when both people use it at least 3 times,
on at least 3 different days, and the user rarely uses it elsewhere (Bell,
Buerkel-Rothfuss & Gore 1987 on private idioms; psychology.md R1).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import pyarrow as pa

from fondly.metrics.registry import Metric

MIN_USES = 3
MIN_DAYS = 3
MAX_NGRAM = 3
ELSEWHERE_RATIO = 0.2
"""A phrase is distinctive when the user's rate of it elsewhere is under a fifth of the pair's."""
MAX_ITEMS = 12

_URL = re.compile(r"https?://\S+|www\.\S+")
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|[\U0001F300-\U0001FAFF\u2600-\u27BF]")

# Our own list of very common English function words and chat fillers: a phrase
# made only of these is grammar, not an idiom, however often a pair uses it.
_COMMON_WORDS = """a an the and or but so if of to in on at by for with from as is are was were be
been am i you he she it we they me him her us them my your his its our their this that these those
do does did have has had will would can could should not no yes ok okay just what when where who
how why there here then than too very really all any some one up out about oh im dont cant u ur
lol haha yeah"""
_COMMON = frozenset(_COMMON_WORDS.split())


def _grams(text: str) -> set[str]:
    tokens = _TOKEN.findall(_URL.sub(" ", text.lower()))
    found = set()
    for n in range(1, MAX_NGRAM + 1):
        for i in range(len(tokens) - n + 1):
            gram = tokens[i : i + n]
            if all(t in _COMMON for t in gram):
                continue
            if n == 1 and len(gram[0]) < 3 and gram[0].isalpha():
                continue
            found.add(" ".join(gram))
    return found


def inside_jokes(table: pa.Table, metric: Metric, volume: Any) -> dict[int, dict[str, Any]]:
    """Per relationship: the count of shared phrases, the phrases, and example messages."""
    other_ids = table.column("other_id").to_pylist()
    whos = table.column("who").to_pylist()
    days = table.column("day_no").to_pylist()
    months = table.column("month").to_pylist()
    ids = table.column("message_id").to_pylist()
    texts = table.column("text").to_pylist()

    # uses[(other, gram)] -> [me_uses, them_uses]; the user's uses everywhere.
    uses: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    gram_days: dict[tuple[int, str], set[int]] = defaultdict(set)
    last_seen: dict[tuple[int, str], tuple[str, str, str]] = {}
    my_total: Counter[str] = Counter()
    my_messages_total = 0
    pair_messages: Counter[int] = Counter()
    my_messages_in: Counter[int] = Counter()
    for oid, who, day, month, mid, text in zip(
        other_ids, whos, days, months, ids, texts, strict=True
    ):
        grams = _grams(text or "")
        if who == "me":
            my_messages_total += 1
            my_total.update(grams)
        if oid is None:
            continue
        pair_messages[oid] += 1
        if who == "me":
            my_messages_in[oid] += 1
        slot = 0 if who == "me" else 1
        for gram in grams:
            key = (oid, gram)
            uses[key][slot] += 1
            gram_days[key].add(int(day))
            if key not in last_seen or (month, mid) > last_seen[key][:2]:
                last_seen[key] = (month, mid, who)

    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (oid, gram), (mine, theirs) in uses.items():
        if mine < MIN_USES or theirs < MIN_USES or len(gram_days[(oid, gram)]) < MIN_DAYS:
            continue
        elsewhere_msgs = my_messages_total - my_messages_in[oid]
        elsewhere_uses = my_total[gram] - mine
        pair_rate = (mine + theirs) / max(1, pair_messages[oid])
        if elsewhere_msgs > 0 and elsewhere_uses / elsewhere_msgs >= ELSEWHERE_RATIO * pair_rate:
            continue
        month, mid, _who = last_seen[(oid, gram)]
        found[oid].append(
            {
                "phrase": gram,
                "uses_me": mine,
                "uses_them": theirs,
                "days": len(gram_days[(oid, gram)]),
                "last_month": month,
                "_evidence": mid,
            }
        )

    out: dict[int, dict[str, Any]] = {}
    for oid in pair_messages:
        items = _prune(found.get(oid, []))
        evidence = [i.pop("_evidence") for i in items]
        n = len(items)
        block = {
            "value": float(n),
            "n": n,
            "interval": None,
            "enough_data": pair_messages[oid] >= 20,
        }
        per_month: Counter[str] = Counter(i["last_month"] for i in items)
        out[oid] = {
            "me": None,
            "them": None,
            "pair": block,
            "recent_30d": None,
            "series": [
                {
                    "month": m,
                    "me": None,
                    "them": None,
                    "pair": float(c),
                    "n_me": 0,
                    "n_them": 0,
                    "n_pair": c,
                }
                for m, c in sorted(per_month.items())
            ],
            "items": items,
            "_evidence": evidence[:3],
        }
    return out


def _prune(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the longest form of a phrase: drop a shorter one used about as often inside a longer."""
    items.sort(
        key=lambda i: (-len(i["phrase"].split()), -(i["uses_me"] + i["uses_them"]), i["phrase"])
    )
    kept: list[dict[str, Any]] = []
    for item in items:
        total = item["uses_me"] + item["uses_them"]
        if any(
            f" {item['phrase']} " in f" {k['phrase']} "
            and k["uses_me"] + k["uses_them"] >= 0.8 * total
            for k in kept
        ):
            continue
        kept.append(item)
    kept.sort(key=lambda i: (-(i["uses_me"] + i["uses_them"]), i["phrase"]))
    return kept[:MAX_ITEMS]
