"""Inside jokes and shared phrases (R1): the metric finished in Python.

Counting n-grams needs lists, which the SQL subset both engines share does not
have; so each engine splits text into tokens natively
(``Engine.materialize_tokens``), shared SQL (``sql/inside_jokes.sql``) counts
1-3 token phrases per relationship and drops those the user also says often
elsewhere, and this module keeps the longest form of each phrase among the few
candidates left. A phrase is a pair's own when both people use it at
least 3 times, on at least 3 different days, and the user rarely uses it
elsewhere (Bell, Buerkel-Rothfuss & Gore 1987 on private idioms; psychology.md R1).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

ELSEWHERE_RATIO = 0.2
"""Distinctive: the user's rate of the phrase elsewhere is under a fifth of the pair's rate."""
MAX_ITEMS = 12

# Our own list of very common English function words and chat fillers: a phrase
# made only of these is grammar, not an idiom, however often a pair uses it.
_COMMON_WORDS = """a an the and or but so if of to in on at by for with from as is are was were be
been am i you he she it we they me him her us them my your his its our their this that these those
do does did have has had will would can could should not no yes ok okay just what when where who
how why there here then than too very really all any some one up out about oh im dont cant u ur
lol haha yeah"""
COMMON = frozenset(_COMMON_WORDS.split())

Rows = list[dict[str, Any]]


def inside_jokes(candidates: Rows, volume: Rows) -> dict[int, dict[str, Any]]:
    """Per relationship: the count of shared phrases, the phrases, and example messages.

    Args:
        candidates: rows of ``sql/inside_jokes.sql`` (phrases both use often enough,
            and rarely elsewhere: the test of :data:`ELSEWHERE_RATIO` is in that SQL).
        volume: per relationship ``other_id, pair_msgs`` (its text messages).
    """
    sizes = {int(v["other_id"]): int(v["pair_msgs"]) for v in volume}
    found: dict[int, Rows] = defaultdict(list)
    for row in candidates:
        oid = int(row["other_id"])
        mine, theirs = int(row["uses_me"]), int(row["uses_them"])
        found[oid].append(
            {
                "phrase": row["gram"],
                "uses_me": mine,
                "uses_them": theirs,
                "days": int(row["days"]),
                "last_month": row["last_month"],
                "_evidence": row["evidence_id"],
            }
        )
    out: dict[int, dict[str, Any]] = {}
    for oid, pair_msgs in sizes.items():
        items = _prune(found.get(oid, []))
        evidence = [i.pop("_evidence") for i in items]
        n = len(items)
        block = {"value": float(n), "n": n, "interval": None, "enough_data": pair_msgs >= 20}
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
            # (message id, cell person): a shared phrase is the pair's, so its writer is looked up
            "_evidence": [(mid, "pair") for mid in evidence[:3]],
        }
    return out


def _prune(items: Rows) -> Rows:
    """Keep the longest form of a phrase: drop a shorter one used about as often inside a longer.

    Phrases are 1-3 tokens, so each kept phrase has at most six token-aligned
    parts; an index from each part to the most uses of a kept phrase holding it
    answers "is this phrase inside a kept one used about as often" in one look-up.
    (Comparing every phrase with every kept one was quadratic: a 100k-message
    chat has tens of thousands of candidates when it is the only chat.)
    """
    items.sort(
        key=lambda i: (-len(i["phrase"].split()), -(i["uses_me"] + i["uses_them"]), i["phrase"])
    )
    kept: Rows = []
    most_uses: dict[str, int] = {}  # part of a kept phrase -> most uses of a kept phrase holding it
    for item in items:
        total = item["uses_me"] + item["uses_them"]
        holder = most_uses.get(item["phrase"])
        if holder is not None and holder >= 0.8 * total:
            continue
        kept.append(item)
        for part in _parts(item["phrase"]):
            most_uses[part] = max(most_uses.get(part, 0), total)
    kept.sort(key=lambda i: (-(i["uses_me"] + i["uses_them"]), i["phrase"]))
    return kept[:MAX_ITEMS]


def _parts(phrase: str) -> list[str]:
    """Every run of whole tokens of ``phrase``, itself included."""
    tokens = phrase.split()
    return [
        " ".join(tokens[start:end])
        for start in range(len(tokens))
        for end in range(start + 1, len(tokens) + 1)
    ]
