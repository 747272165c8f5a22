"""The follow-up pass: is a question picking up what the other person just said?

A contextual feature: it needs the turn before each question, so it runs over the
conversation after the per-text detectors, and only from the turn before each
chat's oldest unread question (a newer export adds a week to years).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from fondly.features import _lexicon as lx

if TYPE_CHECKING:
    from fondly.store import Store

# Turns are numbered with one sort and a numpy cumulative sum (turns); the rest is one
# DuckDB query (multi-threaded, no Python per message): take each unscored question's
# turn and the other person's turn just before it, and compare their content words.
# This is DuckDB-only SQL, not metric SQL, so it may use lists and regexes.
_FOLLOWUP_SQL = """
WITH questions AS (
    SELECT t.message_id, t.conversation_id, t.turn, m.text
    FROM _fondly_turns t
    JOIN message_features f ON f.message_id = t.message_id
    JOIN messages m ON m.rowid = t.row_id
    WHERE f.is_question AND f.is_followup IS NULL
),
previous AS (
    SELECT t.conversation_id, t.turn, m.text
    FROM _fondly_turns t JOIN messages m ON m.rowid = t.row_id
    WHERE t.is_text AND m.text IS NOT NULL
      AND (t.conversation_id, t.turn + 1) IN (SELECT conversation_id, turn FROM questions)
),
has_previous AS (
    SELECT DISTINCT conversation_id, turn + 1 AS turn FROM previous
),
stems AS (  -- distinct texts only: chat repeats its questions and answers
    SELECT text, left(rtrim(w, 's'), 6) AS stem
    FROM (SELECT text, unnest(regexp_extract_all(lower(text), $word)) AS w
          FROM (SELECT text FROM questions UNION SELECT text FROM previous))
    WHERE length(w) >= 3 AND w NOT IN (SELECT word FROM _fondly_function_words)
),
q_words AS (
    SELECT DISTINCT q.message_id, q.conversation_id, q.turn, s.stem
    FROM questions q JOIN stems s ON s.text = q.text
),
p_words AS (
    SELECT DISTINCT p.conversation_id, p.turn + 1 AS turn, s.stem
    FROM previous p JOIN stems s ON s.text = p.text
),
overlap AS (
    SELECT DISTINCT q.message_id
    FROM q_words q JOIN p_words p
      ON p.conversation_id = q.conversation_id AND p.turn = q.turn AND p.stem = q.stem
),
cued AS (
    SELECT q.message_id FROM questions q
    JOIN (SELECT DISTINCT text FROM questions WHERE regexp_matches(lower(text), $cue)) c
      ON c.text = q.text
),
verdict AS (
    SELECT q.message_id,
           h.turn IS NOT NULL AND (c.message_id IS NOT NULL OR o.message_id IS NOT NULL)
               AS is_followup
    FROM questions q
    LEFT JOIN has_previous h ON h.conversation_id = q.conversation_id AND h.turn = q.turn
    LEFT JOIN overlap o ON o.message_id = q.message_id
    LEFT JOIN cued c ON c.message_id = q.message_id
)
UPDATE message_features SET is_followup = v.is_followup
FROM verdict v WHERE message_features.message_id = v.message_id
"""


@cache
def function_words() -> tuple[str, ...]:
    """Closed-class words of every supported language: they never make a topic."""
    words: set[str] = set()
    for name in ("stopwords", "function_words", "pronouns"):
        lex = lx.load(name)
        for section, terms in lex.sections.items():
            if section == "symbols":
                continue
            for term in terms:
                words.update(
                    w for w in term.split("|") if re.fullmatch(r"[^\W\d_]+(?:'[^\W\d_]+)?", w)
                )
    return tuple(sorted(words))


@cache
def cue_pattern() -> str:
    """RE2 pattern of the elaboration cues ("what happened", "how did it go", "why")."""
    lex = lx.load("followup_cues")
    return lx.bounded([t for terms in lex.sections.values() for t in terms])


def followup_pass(store: Store) -> None:
    """Fill is_followup where it is NULL for text messages (new rows, or after a reset).

    A question is a follow-up (psychology.md A3, Huang et al. 2017) when it is in a turn
    right after another person's turn and shares a content word with that turn (crude
    lemma: plural "s" dropped, first six letters) or uses an elaboration cue. Every other
    text message gets FALSE; non-text messages keep NULL.
    """
    words = pa.table({"word": pa.array(function_words(), pa.string())})
    store.register("_fondly_function_words", words)
    store.register("_fondly_turns", turns(store, pending_only=True))
    try:
        sql = _FOLLOWUP_SQL.replace("$word", "'" + _TOKEN_SQL + "'").replace(
            "$cue", "'" + cue_pattern().replace("'", "''") + "'"
        )
        store.execute(sql)
        store.execute(
            "UPDATE message_features SET is_followup = FALSE "
            "WHERE is_followup IS NULL AND is_question IS NOT NULL"
        )
    finally:
        store.unregister("_fondly_function_words")
        store.unregister("_fondly_turns")


def turns(store: Store, *, pending_only: bool = False) -> pa.Table:
    """Each non-system message's turn: a run of consecutive messages by one sender.

    Turn numbers are global and increase along each conversation, and a new
    conversation always starts a new turn, so "the turn before" is turn - 1 within the
    same conversation_id. ``pending_only``: only the conversations with a question
    whose follow-up flag is not filled yet (after an import, the chats it added to),
    from the turn before the oldest such question on (_PENDING_FROM_SQL); numbers
    within each conversation keep their differences.
    """
    if pending_only:
        rows = store.arrow(
            f"WITH {_PENDING_FROM_SQL} SELECT m.rowid AS row_id, m.message_id, "
            "m.conversation_id, m.handle_id, m.kind IN ('text', 'link') AS is_text "
            "FROM messages m JOIN cut c ON c.conversation_id = m.conversation_id "
            "WHERE m.kind <> 'system' "
            f"AND (c.b_key IS NULL OR (m.ts_ms >= c.b_key.ts AND {_KEY} > c.b_key)) "
            "ORDER BY m.conversation_id, m.ts_ms, m.seq, m.message_id"
        )
    else:
        rows = store.arrow(
            "SELECT rowid AS row_id, message_id, conversation_id, handle_id, "
            "kind IN ('text', 'link') AS is_text FROM messages "
            "WHERE kind <> 'system' ORDER BY conversation_id, ts_ms, seq, message_id"
        )
    conv = np.asarray(rows["conversation_id"].to_numpy(), dtype=np.int64)
    handle = np.asarray(rows["handle_id"].fill_null(-1).to_numpy(), dtype=np.int64)
    new_turn = np.ones(len(conv), dtype=bool)
    new_turn[1:] = (conv[1:] != conv[:-1]) | (handle[1:] != handle[:-1])
    turn = np.cumsum(new_turn)
    return pa.table(
        {
            "row_id": rows["row_id"],
            "message_id": rows["message_id"],
            "conversation_id": rows["conversation_id"],
            "is_text": rows["is_text"],
            "turn": turn,
        }
    )


_KEY = "struct_pack(ts := m.ts_ms, seq := m.seq, id := m.message_id)"
"""A message's place in its conversation, comparable as one value."""


def _newest_before(floor: str, name: str, source: str, at: str, pick: str, what: str) -> str:
    """CTEs ``floor`` and ``name``: per chat, ``pick`` over the messages before ``at``
    (a struct of key k and handle h in ``source``) by someone other than its sender.

    Comparing a million keys is what made this slow; plain times are cheap. Every
    message of another sender at a time strictly before ``at``'s is before it, so
    the newest of them is at that latest time or later (``floor``, else ``at``'s own
    time when there is none), and only the messages from that time on are compared.
    """
    return f"""{floor} AS (
    SELECT p.conversation_id, max(m.ts_ms) AS ts
    FROM {source} p JOIN messages m ON m.conversation_id = p.conversation_id
    WHERE m.kind <> 'system' AND m.ts_ms < p.{at}.k.ts
      AND m.handle_id IS DISTINCT FROM p.{at}.h
    GROUP BY p.conversation_id
), {name} AS (  -- {what}
    SELECT p.conversation_id, {pick.format(key=_KEY)}
    FROM {source} p LEFT JOIN {floor} f ON f.conversation_id = p.conversation_id
    JOIN messages m ON m.conversation_id = p.conversation_id
    WHERE m.kind <> 'system' AND m.ts_ms >= coalesce(f.ts, p.{at}.k.ts)
      AND m.ts_ms <= p.{at}.k.ts AND m.handle_id IS DISTINCT FROM p.{at}.h
      AND {_KEY} < p.{at}.k
    GROUP BY p.conversation_id"""


_BEFORE_Q = _newest_before(
    "q_floor",
    "before_q",
    "first_q",
    "q",
    "max(struct_pack(k := {key}, h := m.handle_id)) AS a",
    "the newest message before it by someone else: in the turn before",
)
_BEFORE_TURN = _newest_before(
    "a_floor",
    "before_turn",
    "before_q",
    "a",
    "max({key}) AS b_key",
    "the newest message before that turn: the turn before starts after it",
)

_PENDING_FROM_SQL = f"""
first_q AS (  -- per chat, its oldest question with no follow-up flag yet
    SELECT m.conversation_id,
           min(struct_pack(k := {_KEY}, h := m.handle_id)) AS q
    FROM messages m JOIN message_features f ON f.message_id = m.message_id
    WHERE f.is_question AND f.is_followup IS NULL AND m.kind <> 'system'
    GROUP BY m.conversation_id
), {_BEFORE_Q}
), {_BEFORE_TURN}
), cut AS (
    SELECT p.conversation_id, b.b_key
    FROM first_q p LEFT JOIN before_turn b ON b.conversation_id = p.conversation_id
)
"""
"""The chats with questions to read, each from the start of the turn before its oldest
such question's turn (b_key: the message just before that; NULL: the whole chat). The
follow-up SQL reads questions and the turn before each, so nothing earlier is needed,
and a chat's read starting on a turn's first message numbers its turns as a whole read
would, up to a constant."""

_TOKEN_SQL = r"[\pL\pN]+(?:''[\pL\pN]+)*"
