"""What insights may read of the chats beyond the metrics result, behind one small object.

The metrics result holds numbers and the ids of the messages that show them. A report
needs a little more from the chats: the text and day of the messages it quotes, the
days each relationship was in touch (its recent period and alerts), the last messages,
chart data, and the moments that show a suggestion's claim. All of that SQL lives here,
so ``fondly.insights`` reads the store only through :class:`ChatReader`, whose methods
return plain Python data: insights holds no SQL and never imports the store.

Scopes: each read is limited to one relationship's conversations and to its two people
(:class:`Pair`), so a group chat shared with them adds only their own messages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from fondly.metrics.engines import TOKEN_PATTERN
from fondly.store import Store

REPLY_WINDOW_MS = 86_400_000
"""A reply counts when it starts within 24 h of their turn (as the reply metrics do)."""

DOUBLE_MIN_MS, DOUBLE_MAX_MS = 600_000, 172_800_000
"""Messages in a row: your next message 10 minutes to 48 hours later, nothing from them between
(the double-texting definition of docs/metrics.md)."""

MOMENT_ROWS = 12
"""The newest candidates read per moment query: a suggestion quotes at most three."""

PHRASE_SAMPLE = 50_000
"""The newest messages read for when phrases are said: enough for a pair, bounded for big chats."""

TAIL_MESSAGES = 60
"""The last messages of a relationship kept on its timeline (the unanswered alert reads them)."""


@dataclass(frozen=True)
class Pair:
    """One relationship's scope: its conversations, the user and the other person."""

    conversations: tuple[int, ...]
    me_id: int
    them_id: int

    @classmethod
    def of(cls, relationship: dict[str, Any], me_id: Any) -> Pair | None:
        """The scope of a metrics-result relationship, or None when it cannot be read."""
        conversations = tuple(int(c) for c in relationship.get("conversations") or [])
        them_id = (relationship.get("person") or {}).get("person_id")
        if not conversations or them_id is None or me_id is None:
            return None
        return cls(conversations, int(me_id), int(them_id))

    def where(self) -> tuple[str, list[Any]]:
        """The condition on ``messages_people`` and its parameters."""
        marks = ", ".join("?" for _ in self.conversations)
        where = f"conversation_id IN ({marks}) AND person_id IN (?, ?)"
        return where, [*self.conversations, self.me_id, self.them_id]


@dataclass(frozen=True)
class Timeline:
    """One relationship's days and last messages, read once from the store."""

    first: date
    last: date
    last_ms: int
    days: dict[date, tuple[int, int]]  # day -> (mine, theirs)
    tail: list[dict[str, Any]]  # newest last: message_id, ts_ms, day, who
    last_exchange: date | None  # the last day a conversation held both of you

    def rate(self, start: date, end: date, who: str = "both") -> float:
        """Messages per day over [start, end], counting only days inside the data."""
        start = max(start, self.first)
        if end < start:
            return float("nan")
        span = (end - start).days + 1
        total = 0
        for day, (mine, theirs) in self.days.items():
            if start <= day <= end:
                total += {"me": mine, "them": theirs}.get(who, mine + theirs)
        return total / span


@dataclass(frozen=True)
class MessageKind:
    """What a quoted message is, without a word of it: who wrote it, its flags, its length."""

    mine: bool
    flags: dict[str, Any]
    n_words: int | None


@dataclass(frozen=True)
class PhraseTimes:
    """When a pair uses one phrase: uses per local hour and the ISO weeks it was used in."""

    hours: Counter[int] = field(default_factory=Counter)
    weeks: frozenset[tuple[int, int]] = frozenset()


class ChatReader:
    """Reads of one open store that a report needs beside the metrics result.

    Args:
        store: the open store (``fondly.store.Store``); only read from.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._feature_columns: frozenset[str] | None = None

    # -- the store as a whole -----------------------------------------------------------

    def names(self) -> list[str]:
        """Every name the store knows: people, display names and handles (for redaction)."""
        rows = self._store.query(
            "SELECT name FROM people UNION SELECT display_name FROM handles "
            "UNION SELECT handle FROM handles"
        )
        return [str(r[0]) for r in rows if r[0]]

    def last_local_time(self) -> datetime | None:
        """The wall clock of the newest message in the store: where the data ends."""
        row = self._store.query("SELECT max(ts_local) FROM messages")
        return row[0][0] if row and row[0][0] is not None else None

    def feature_columns(self) -> frozenset[str]:
        """The columns ``message_features`` has (an older store may lack newer flags)."""
        if self._feature_columns is None:
            self._feature_columns = frozenset(self._store.columns("message_features"))
        return self._feature_columns

    # -- messages by id -----------------------------------------------------------------

    def texts(self, message_ids: Iterable[Any]) -> dict[str, dict[str, Any]]:
        """Text and local time of the given messages: ``{id: {"text", "ts_local"}}``.

        The ids are joined as a table, not listed in the SQL: each IN-list of ids
        was a scan of every message, and a report on 150 relationships of a
        1M-message store spent most of its time in those scans.
        """
        ids = sorted({str(m) for m in message_ids if m is not None})
        if not ids:
            return {}
        self._store.register(
            "_fondly_evidence_ids", pa.table({"message_id": pa.array(ids, pa.string())})
        )
        try:
            rows = self._store.query(
                "SELECT m.message_id, m.text, m.ts_local FROM messages m "
                "JOIN _fondly_evidence_ids e ON e.message_id = m.message_id"
            )
        finally:
            self._store.unregister("_fondly_evidence_ids")
        return {str(mid): {"text": text, "ts_local": ts_local} for mid, text, ts_local in rows}

    def kinds(self, message_ids: Sequence[str], flags: Sequence[str]) -> dict[str, MessageKind]:
        """Who wrote each message, which of ``flags`` it carries, and its length in words.

        Flags the store's features lack are left out (read as absent); so is the length.
        """
        columns = self.feature_columns()
        flags = [f for f in flags if f in columns]
        has_words = "n_words" in columns
        select = ", ".join([f"f.{c}" for c in flags] + (["f.n_words"] if has_words else []))
        known: dict[str, MessageKind] = {}
        ids = list(message_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = self._store.query(
                f"SELECT m.message_id, coalesce(p.is_me, false){', ' + select if select else ''} "
                "FROM messages_people m LEFT JOIN people p USING (person_id) "
                "LEFT JOIN message_features f USING (message_id) "
                f"WHERE m.message_id IN ({marks})",
                chunk,
            )
            for row in rows:
                n_words = row[-1] if has_words else None
                known[str(row[0])] = MessageKind(
                    mine=bool(row[1]),
                    flags=dict(zip(flags, row[2 : 2 + len(flags)], strict=True)),
                    n_words=None if n_words is None else int(n_words),
                )
        return known

    # -- one relationship ---------------------------------------------------------------

    def last_messages(self, conversations: Sequence[int], limit: int = 2) -> list[str]:
        """The ids of the newest text messages of these conversations, newest first."""
        if not conversations:
            return []
        marks = ", ".join("?" for _ in conversations)
        rows = self._store.query(
            f"SELECT message_id FROM messages WHERE conversation_id IN ({marks}) "
            f"AND text IS NOT NULL ORDER BY ts_ms DESC LIMIT {int(limit)}",
            [int(c) for c in conversations],
        )
        return [str(r[0]) for r in rows]

    def timeline(self, pair: Pair) -> Timeline | None:
        """Daily counts and the last :data:`TAIL_MESSAGES` messages of one relationship."""
        where, params = pair.where()
        rows = self._store.query(
            f"""
            SELECT CAST(ts_local AS DATE) AS day,
                   sum(CASE WHEN person_id = ? THEN 1 ELSE 0 END),
                   sum(CASE WHEN person_id = ? THEN 0 ELSE 1 END)
            FROM messages_people WHERE {where}
            GROUP BY day ORDER BY day
            """,
            [pair.me_id, pair.me_id, *params],
        )
        if not rows:
            return None
        days = {r[0]: (int(r[1]), int(r[2])) for r in rows}
        tail_rows = self._store.query(
            f"""
            SELECT message_id, ts_ms, CAST(ts_local AS DATE), person_id = ? AS mine
            FROM messages_people WHERE {where}
            ORDER BY ts_ms DESC, message_id DESC LIMIT {TAIL_MESSAGES}
            """,
            [pair.me_id, *params],
        )
        tail = [
            {
                "message_id": str(r[0]),
                "ts_ms": int(r[1]),
                "day": r[2],
                "who": "me" if r[3] else "them",
            }
            for r in reversed(tail_rows)
        ]
        both = [d for d, (mine, theirs) in days.items() if mine and theirs]
        return Timeline(
            first=min(days),
            last=max(days),
            last_ms=tail[-1]["ts_ms"],
            days=days,
            tail=tail,
            last_exchange=max(both) if both else None,
        )

    def monthly_counts(self, pair: Pair) -> list[dict[str, Any]]:
        """Messages per month from each side: ``[{"month", "me", "them"}]``."""
        where, params = pair.where()
        rows = self._store.query(
            f"""
            SELECT strftime(ts_local, '%Y-%m') AS month,
                   sum(CASE WHEN person_id = ? THEN 1 ELSE 0 END) AS me,
                   sum(CASE WHEN person_id = ? THEN 0 ELSE 1 END) AS them
            FROM messages_people WHERE {where}
            GROUP BY month ORDER BY month
            """,
            [pair.me_id, pair.me_id, *params],
        )
        return [{"month": m, "me": int(a), "them": int(b)} for m, a, b in rows]

    def hour_heatmap(self, pair: Pair) -> list[dict[str, Any]]:
        """Messages by weekday (1 = Monday) and local hour."""
        where, params = pair.where()
        rows = self._store.query(
            f"""
            SELECT isodow(ts_local) AS dow, hour(ts_local) AS hour, count(*) AS messages
            FROM messages_people WHERE {where}
            GROUP BY dow, hour ORDER BY dow, hour
            """,
            params,
        )
        return [{"dow": int(d), "hour": int(h), "messages": int(n)} for d, h, n in rows]

    def phrase_times(self, pair: Pair, phrases: Sequence[str]) -> dict[str, PhraseTimes]:
        """When the pair used each of the inside-jokes metric's phrases: hours and weeks.

        The phrases are found in the messages' tokens as the inside-jokes metric split
        them (the engine's token pattern on case-folded text, whole tokens only), so a
        phrase here is the very phrase the metric counted. Read from the newest
        :data:`PHRASE_SAMPLE` text messages of the pair.
        """
        wanted = sorted({p for p in phrases if p})
        if not wanted:
            return {}
        where, params = pair.where()
        pattern = TOKEN_PATTERN.replace("'", "''")
        self._store.register("_fondly_phrases", pa.table({"phrase": pa.array(wanted, pa.string())}))
        try:
            rows = self._store.query(
                f"""
                WITH m AS (
                    SELECT ' ' || array_to_string(
                               regexp_extract_all(lower(text), '{pattern}'), ' ') || ' ' AS toks,
                           ts_local
                    FROM messages_people
                    WHERE {where} AND text IS NOT NULL AND kind = 'text'
                    ORDER BY ts_ms DESC LIMIT {PHRASE_SAMPLE}
                )
                SELECT p.phrase, hour(m.ts_local), isoyear(m.ts_local), week(m.ts_local),
                       count(*)
                FROM m JOIN _fondly_phrases p ON contains(m.toks, ' ' || p.phrase || ' ')
                GROUP BY 1, 2, 3, 4
                """,
                params,
            )
        finally:
            self._store.unregister("_fondly_phrases")
        hours: dict[str, Counter[int]] = {p: Counter() for p in wanted}
        weeks: dict[str, set[tuple[int, int]]] = {p: set() for p in wanted}
        for phrase, hour, year, week, n in rows:
            hours[phrase][int(hour)] += int(n)
            weeks[phrase].add((int(year), int(week)))
        return {p: PhraseTimes(hours[p], frozenset(weeks[p])) for p in wanted if hours[p]}

    # -- moments: the evidence behind a suggestion --------------------------------------

    def _moment_base(self, pair: Pair) -> tuple[str, list[Any]]:
        """The pair's non-empty text messages with ``who`` and every feature column."""
        marks = ", ".join("?" for _ in pair.conversations)
        sql = f"""
            SELECT mp.message_id, mp.ts_ms, mp.ts_local, mp.text,
                   CASE WHEN mp.person_id = ? THEN 'me' ELSE 'them' END AS who, f.*
            FROM messages_people mp
            LEFT JOIN message_features f ON f.message_id = mp.message_id
            WHERE mp.conversation_id IN ({marks}) AND mp.person_id IN (?, ?)
              AND mp.text IS NOT NULL AND length(trim(mp.text)) > 0
        """
        return sql, [pair.me_id, *pair.conversations, pair.me_id, pair.them_id]

    def _any(self, flags: Sequence[str], alias: str) -> str:
        columns = self.feature_columns()
        if not flags:
            return "FALSE"
        unknown = [f for f in flags if f not in columns]
        if unknown:
            raise ValueError(f"message_features has no column {unknown[0]!r}")
        return "(" + " OR ".join(f"coalesce({alias}.{f}, FALSE)" for f in flags) + ")"

    def reply_pairs(
        self, pair: Pair, invite: Sequence[str], answer: Sequence[str], *, missing: bool
    ) -> list[tuple[str, str]]:
        """(their message id, your reply's message id), newest first.

        Turns are runs of one person's messages (no time limit inside a run). Their turn
        holds a message with an ``invite`` flag; your next turn, starting within
        :data:`REPLY_WINDOW_MS`, lacks every ``answer`` flag (``missing``) or has one.
        The reply quoted is the answering message, else the first of your turn.
        """
        base, params = self._moment_base(pair)
        want = "NOT" if missing else ""
        sql = f"""
            WITH m AS ({base}),
            o AS (
                SELECT m.*, ROW_NUMBER() OVER (ORDER BY ts_ms, message_id) AS rn,
                       CASE WHEN LAG(who) OVER (ORDER BY ts_ms, message_id) = who THEN 0 ELSE 1
                       END AS new_turn
                FROM m
            ),
            t AS (SELECT o.*, SUM(new_turn) OVER (ORDER BY rn) AS turn_no FROM o),
            turns AS (
                SELECT turn_no, min(who) AS who, min(ts_ms) AS start_ms, max(ts_ms) AS end_ms,
                       max(CASE WHEN {self._any(invite, "t")} THEN rn END) AS invite_rn,
                       min(CASE WHEN {self._any(answer, "t")} THEN rn END) AS answer_rn,
                       min(rn) AS first_rn
                FROM t GROUP BY turn_no
            )
            SELECT a.message_id, b.message_id
            FROM turns x
            JOIN turns y ON y.turn_no = x.turn_no + 1
            JOIN t a ON a.rn = x.invite_rn
            JOIN t b ON b.rn = CASE WHEN y.answer_rn IS NULL THEN y.first_rn ELSE y.answer_rn END
            WHERE x.who = 'them' AND x.invite_rn IS NOT NULL
              AND y.start_ms - x.end_ms <= {REPLY_WINDOW_MS}
              AND {want} (y.answer_rn IS NOT NULL)
            ORDER BY x.end_ms DESC
            LIMIT {MOMENT_ROWS}
        """
        return [(str(a), str(b)) for a, b in self._store.query(sql, params)]

    def messages_with(self, pair: Pair, flags: Sequence[str], who: str) -> list[str]:
        """Ids of ``who``'s messages ("me" or "them") with any of ``flags``, newest first."""
        if who not in {"me", "them"}:
            raise ValueError(f"who is 'me' or 'them', not {who!r}")
        base, params = self._moment_base(pair)
        sql = f"""
            WITH m AS ({base})
            SELECT message_id FROM m
            WHERE who = '{who}' AND {self._any(flags, "m")}
            ORDER BY ts_ms DESC LIMIT {MOMENT_ROWS}
        """
        return [str(r[0]) for r in self._store.query(sql, params)]

    def messages_in_a_row(self, pair: Pair) -> list[tuple[str, str]]:
        """(your message, your next one) with nothing from them between, newest first."""
        base, params = self._moment_base(pair)
        sql = f"""
            WITH m AS ({base}),
            o AS (
                SELECT message_id, who, ts_ms,
                       LAG(who) OVER (ORDER BY ts_ms, message_id) AS prev_who,
                       LAG(ts_ms) OVER (ORDER BY ts_ms, message_id) AS prev_ms,
                       LAG(message_id) OVER (ORDER BY ts_ms, message_id) AS prev_id
                FROM m
            )
            SELECT prev_id, message_id FROM o
            WHERE who = 'me' AND prev_who = 'me'
              AND ts_ms - prev_ms BETWEEN {DOUBLE_MIN_MS} AND {DOUBLE_MAX_MS}
            ORDER BY ts_ms DESC LIMIT {MOMENT_ROWS}
        """
        return [(str(a), str(b)) for a, b in self._store.query(sql, params)]


def reader_of(source: Any) -> ChatReader | None:
    """A reader for ``source``: a reader is kept, a store is wrapped, None stays None."""
    if source is None or isinstance(source, ChatReader):
        return source
    return ChatReader(source)
