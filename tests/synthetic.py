"""Generated stores for metric tests and benchmarks (no real personal data).

Two things live here because tests, the Spark parity suite and bench/metrics.py
all need them: a direct writer that puts chats into a store without an export
format in between (fast enough for a million messages), and a stand-in for the
features layer that fills the ``message_features`` contract columns from text
with a few keyword rules. The rules are deliberately crude: they exist so that
metric SQL can be tested before, and independently of, the real detectors.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pyarrow as pa

from fondly.store import Store


@dataclass
class Chat:
    """One chat: ``messages`` are (local time, sender name, text) in any order."""

    title: str
    people: list[str]
    messages: list[tuple[datetime, str, str]] = field(default_factory=list)
    platform: str = "generic"
    is_group: bool | None = None


def write_chats(store: Store, chats: Sequence[Chat], *, me: str, tz_offset_min: int = 0) -> None:
    """Insert chats straight into the store tables, the user being ``me``.

    Message ids are hashes of (platform, chat, sender, time, text, occurrence), so
    writing the same chats again in another order yields the same ids.
    """
    names = sorted({p for chat in chats for p in chat.people} | {me})
    existing = {r[1]: r[0] for r in store.query("SELECT person_id, name FROM people")}
    next_id = max(existing.values(), default=0) + 1
    with store.transaction():
        for name in names:
            if name not in existing:
                existing[name] = next_id
                store.execute("INSERT INTO people VALUES (?, ?, ?)", [next_id, name, name == me])
                store.execute(
                    "INSERT INTO handles VALUES (?, 'generic', ?, ?, NULL, NULL, ?, ?)",
                    [next_id, name, name, next_id, next_id],
                )
                next_id += 1
        conv_ids = {
            r[1]: r[0] for r in store.query("SELECT conversation_id, conv_key FROM conversations")
        }
        cols: dict[str, list[object]] = {k: [] for k in _MESSAGE_COLUMNS}
        for chat in chats:
            if chat.title not in conv_ids:
                cid = len(conv_ids) + 1
                conv_ids[chat.title] = cid
                is_group = chat.is_group if chat.is_group is not None else len(chat.people) > 2
                store.execute(
                    "INSERT INTO conversations VALUES (?, ?, ?, ?, ?, NULL)",
                    [cid, chat.platform, chat.title, chat.title, is_group],
                )
                for p in chat.people:
                    store.execute(
                        "INSERT INTO conversation_members VALUES (?, ?) ON CONFLICT DO NOTHING",
                        [cid, existing[p]],
                    )
            cid = conv_ids[chat.title]
            seen: dict[str, int] = {}
            for seq, (ts, sender, text) in enumerate(sorted(chat.messages)):
                base = f"{chat.platform}\x1f{chat.title}\x1f{sender}\x1f{ts.isoformat()}\x1f{text}"
                seen[base] = seen.get(base, 0) + 1
                mid = hashlib.md5(f"{base}\x1f{seen[base]}".encode()).hexdigest()
                cols["message_id"].append(mid)
                cols["conversation_id"].append(cid)
                cols["handle_id"].append(existing[sender])
                cols["ts_ms"].append(
                    int((ts - _EPOCH).total_seconds() * 1000) - tz_offset_min * 60_000
                )
                cols["ts_local"].append(ts)
                cols["tz_offset_min"].append(tz_offset_min)
                cols["seq"].append(seq)
                cols["text"].append(text)
        table = pa.table(
            {
                "message_id": pa.array(cols["message_id"], pa.string()),
                "conversation_id": pa.array(cols["conversation_id"], pa.int32()),
                "handle_id": pa.array(cols["handle_id"], pa.int32()),
                "ts_ms": pa.array(cols["ts_ms"], pa.int64()),
                "ts_local": pa.array(cols["ts_local"], pa.timestamp("us")),
                "tz_offset_min": pa.array(cols["tz_offset_min"], pa.int16()),
                "seq": pa.array(cols["seq"], pa.int64()),
                "text": pa.array(cols["text"], pa.string()),
            }
        )
        store.register("_synthetic_messages", table)
        store.execute(
            """
            INSERT INTO messages
            SELECT s.message_id, s.conversation_id, s.handle_id, s.ts_ms, s.ts_local,
                   s.tz_offset_min, s.seq, 'text', NULL, s.text, FALSE, NULL, NULL, 0
            FROM _synthetic_messages s
            WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.message_id = s.message_id)
            """
        )
        store.unregister("_synthetic_messages")


_EPOCH = datetime(1970, 1, 1)
_MESSAGE_COLUMNS = (
    "message_id",
    "conversation_id",
    "handle_id",
    "ts_ms",
    "ts_local",
    "tz_offset_min",
    "seq",
    "text",
)

# Keyword rules standing in for the features layer: (column, regex). Case-folded.
SIMPLE_RULES: dict[str, str] = {
    "is_question": r"\?",
    "is_followup": r"(how did|how was|what happened|and then|really\?|tell me more|why\?)",
    "affection": r"(love you|❤|xoxo|you're the best|here for you)",
    "missing": r"(miss you|missed you|thinking of you|been a while|long time no)",
    "reminder": r"(reminded me of you|thought of you|made me think of you)",
    "gratitude": r"(thank|grateful|appreciate)",
    "apology": r"\bsorry\b",
    "laughter": r"(haha|\blol\b|😂|🤣)",
    "support": r"(so sorry|that sucks|here for you|hugs|i understand|that must)",
    "encouragement": r"(you got this|good luck|you can do it|💪|go for it)",
    "disclosure_emotional": r"\bi (feel|am so|'m so)\b",
    "disclosure_info": r"\bi (got|have|went|started|finished)\b",
    "distress": r"(stressed|awful|scared|anxious|terrible|sad\b)",
    "good_news": r"(i got the|i passed|promoted|accepted|i won)",
    "enthusiasm": r"(congrats|amazing|so proud|🎉)",
    "passive_ack": r"^(nice|cool|ok|👍)$",
    "plan": r"(let's|shall we|wanna).*(tonight|tomorrow|weekend|saturday|sunday|friday)",
    "future_talk": r"(dream|hope|future|someday)",
    "reminiscence": r"(remember when|that time we)",
    "novelty": r"(first time|\bnew\b|trip|concert)",
    "negativity": r"\byou\b.*(stupid|hate|useless)",
    "hostility": r"(you always|you never|whatever|🙄)",
}


_POSITIVE = "love|great|amazing|congrats|haha|😂|❤|thank"

SIMPLE_COUNTS: dict[str, str] = {
    "we_words": "we|us|our",
    "i_words": "i|me|my",
    "you_words": "you|your|u|ur",
    "fw_ppron": "i|me|my|you|your|he|she|him|her|we|us|our|they|them|their",
    "fw_ipron": "it|this|that|these|those|something|anything|everything",
    "fw_article": "a|an|the",
    "fw_prep": "to|of|in|on|at|for|with|from|about|by",
    "fw_auxverb": "is|am|are|was|were|be|been|have|has|had|do|does|did|will|would|can|could",
    "fw_adverb": "so|very|really|just|too|also|now|then|here|there",
    "fw_conj": "and|but|or|because|if",
    "fw_negate": "not|no|never|dont|cant",
    "fw_quant": "all|some|many|much|few|more|most|lot",
}
"""Word counts for the style metrics: small English lists, enough to exercise the SQL."""


def _quote(text: str) -> str:
    return text.replace("'", "''")


def fill_simple_features(store: Store, *, unscored_every: int = 0) -> None:
    """Replace ``message_features`` with keyword-rule features for every message.

    Args:
        unscored_every: when > 0, leave every n-th message unscored (all NULL), so
            tests exercise the "language not supported" path.
    """
    flags = ",\n".join(
        f"CASE WHEN {{skip}} THEN NULL "
        f"ELSE regexp_matches(lower(text), '{_quote(rx)}') END AS {name}"
        for name, rx in SIMPLE_RULES.items()
    )
    counts = ",\n".join(
        f"CASE WHEN {{skip}} OR text IS NULL THEN NULL "
        f"ELSE len(regexp_extract_all(lower(text), '\\b({words})\\b')) END AS {name}"
        for name, words in SIMPLE_COUNTS.items()
    )
    skip = f"(seq % {unscored_every} = {unscored_every - 1})" if unscored_every > 0 else "FALSE"
    store.execute("DROP TABLE IF EXISTS message_features")
    store.execute(
        f"""
        CREATE TABLE message_features AS
        SELECT message_id,
               CASE WHEN {skip} THEN 'und' ELSE 'en' END AS lang,
               CASE WHEN text IS NULL THEN 0
                    ELSE length(trim(text)) - length(replace(trim(text), ' ', '')) + 1 END
                   AS n_words,
               CASE WHEN {skip} THEN NULL
                    WHEN regexp_matches(lower(text), '({_POSITIVE})') THEN 0.6
                    WHEN regexp_matches(lower(text), '(stressed|awful|terrible|sad|hate|scared)')
                        THEN -0.6
                    ELSE 0.0 END AS sentiment,
               CAST(NULL AS TEXT) AS question_kind,
               {flags.replace("{skip}", skip)},
               {counts.replace("{skip}", skip)}
        FROM messages
        """
    )


# -- a demo-like corpus ---------------------------------------------------------------------------

_JOKES = [
    "potato",
    "llama",
    "spoon",
    "pickle",
    "walrus",
    "kazoo",
    "noodle",
    "turnip",
    "gecko",
    "banjo",
    "pelican",
    "waffle",
    "yodel",
    "cactus",
    "badger",
    "trombone",
]
_LINES = {
    "small": [
        "hey",
        "ok",
        "cool",
        "nice",
        "on my way",
        "sounds good",
        "👍",
        "yeah sure",
        "what are you up to?",
        "just got home",
        "lunch was fine",
        "traffic again",
    ],
    "warm": [
        "love you ❤",
        "haha that's so funny 😂",
        "thank you so much",
        "you're the best",
        "miss you",
        "thinking of you today",
        "saw this and thought of you",
    ],
    "deep": [
        "i feel a bit lost lately",
        "i am so scared about the future",
        "i hope we travel someday",
        "what's your dream job?",
        "i feel like things are changing",
    ],
    "hard": ["work is awful, so stressed", "i am so sad today", "feeling anxious about tomorrow"],
    "care": [
        "oh no, that sucks, hugs",
        "i'm here for you",
        "so sorry, what happened?",
        "how did it go?",
    ],
    "news": ["i got the job!!", "i passed my exam", "got promoted today", "i got the flat!"],
    "cheer": [
        "congrats!! so proud 🎉",
        "amazing!! tell me everything?",
        "you got this 💪",
        "good luck tomorrow",
    ],
    "plans": [
        "let's get dinner friday?",
        "wanna hike this weekend?",
        "shall we call tomorrow?",
        "remember when we got lost in the rain haha",
        "first time trying sushi, new place",
    ],
    "rough": ["whatever", "you never listen", "fine."],
}


def demo_corpus(
    store: Store,
    *,
    n_people: int = 6,
    n_messages: int = 6000,
    seed: int = 7,
    start: datetime = datetime(2023, 1, 2, 8, 0),
    with_features: bool = True,
) -> None:
    """A seeded corpus of 1:1 chats plus one group chat, with realistic rhythm.

    Each person gets a share of messages, their own rhythm (daily texters and
    occasional ones, with multi-day silences), a weekly ritual slot, an inside
    joke, and a mix of small talk, warmth, hard news and celebrations.
    """
    rng = random.Random(seed)
    me = "Sam"
    others = [f"Friend {i + 1:03d}" for i in range(n_people)]
    weights = [1 / (i + 1) for i in range(n_people)]
    total_w = sum(weights)
    chats: list[Chat] = []
    for idx, other in enumerate(others):
        budget = max(40, int(n_messages * 0.95 * weights[idx] / total_w))
        joke = f"the {_JOKES[idx % len(_JOKES)]} incident"
        chat = Chat(f"chat with {other}", [me, other])
        t = start + timedelta(hours=rng.randint(0, 48))
        mean_gap_h = rng.choice([6, 18, 40, 90])
        ritual_hour = rng.randint(18, 21)
        week = 0
        while len(chat.messages) < budget:
            gap = rng.expovariate(1 / mean_gap_h)
            t += timedelta(hours=gap)
            if (t - start).days // 7 > week:
                week = (t - start).days // 7
                ritual = start + timedelta(weeks=week, days=6, hours=ritual_hour - 8, minutes=5)
                if rng.random() < 0.8 and ritual > t - timedelta(days=7):
                    _session(chat, rng, ritual, me, other, joke)
            if t.hour < 7:
                t += timedelta(hours=7)
            _session(chat, rng, t, me, other, joke)
            t = chat.messages[-1][0]
        chats.append(chat)
    group = Chat("the group", [me, *others[:3]], is_group=True)
    t = start
    for _ in range(max(10, n_messages // 20)):
        t += timedelta(minutes=rng.randint(5, 600))
        group.messages.append((t, rng.choice(group.people), rng.choice(_LINES["small"])))
    chats.append(group)
    write_chats(store, chats, me=me)
    if with_features:
        fill_simple_features(store, unscored_every=11)


def _session(chat: Chat, rng: random.Random, t: datetime, me: str, other: str, joke: str) -> None:
    speaker = rng.choice([me, other])
    for _ in range(rng.randint(2, 14)):
        kind = rng.choices(list(_LINES), weights=[10, 3, 1, 1, 1, 1, 1, 1, 0.3])[0]
        text = joke if rng.random() < 0.03 else rng.choice(_LINES[kind])
        if kind == "hard" or kind == "news":
            chat.messages.append((t, speaker, text))
            speaker = other if speaker == me else me
            t += timedelta(minutes=rng.randint(1, 40))
            reply = "care" if kind == "hard" else "cheer"
            chat.messages.append((t, speaker, rng.choice(_LINES[reply])))
        else:
            chat.messages.append((t, speaker, text))
        if rng.random() < 0.7:
            speaker = other if speaker == me else me
        t += timedelta(
            minutes=rng.choice([0, 1, 2, 3, 5, 8, 15, 30, 45]), seconds=rng.randint(0, 59)
        )
