"""Evidence that shows the claim: the moments behind each suggestion, read from the chat.

A metric's own evidence is "a message where the behaviour happened", which under "do
more of Y" shows Y done (often by them) and seems to contradict the advice. Here each
signal declares what its evidence must be (``MOMENTS``):

- **do more of Y**: the moments Y was missing, as pairs: their message that invited Y
  (their good news) and your whole reply turn without Y (your flat answer); then,
  separately, a moment you did it well.
- **do less of X**: your own messages that are X (your messages in a row, your sharp
  turns).

Turns here are runs of one person's messages (no time limit inside a run), so a reply is
everything you wrote before they wrote again, and a flat reply is flat in every bubble.
Every quote is a real instance: tests/test_evidence.py re-checks each against the
features table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fondly.insights._evidence import excerpt

REPLY_WINDOW_MS = 86_400_000
"""A reply counts when it starts within 24 h of their turn (as the reply metrics do)."""

DOUBLE_MIN_MS, DOUBLE_MAX_MS = 600_000, 172_800_000
"""Messages in a row: your next message 10 minutes to 48 hours later, nothing from them between
(the double-texting definition of docs/metrics.md)."""


@dataclass(frozen=True)
class Moment:
    """What a signal's evidence is: the invitation (their feature), the answer (yours)."""

    invite: tuple[str, ...]  # their message has any of these features
    answer: tuple[str, ...]  # your reply turn has any of these features (missing = the moment)
    kind: str = "pair"  # "pair" (do more), "mine" (do less: your messages with ``answer``),
    # "double" (do less: your messages in a row), "done" (only moments you did it)


MOMENTS: dict[str, Moment] = {
    "passive_good_news": Moment(("good_news",), ("enthusiasm",)),
    "few_followups": Moment(
        ("disclosure_emotional", "disclosure_info", "good_news", "distress"), ("is_followup",)
    ),
    "goals_unanswered": Moment(("plan", "future_talk", "distress"), ("encouragement", "support")),
    "laughter_gap": Moment(("laughter",), ("laughter",)),
    "one_sided_disclosure": Moment(
        ("disclosure_emotional", "disclosure_info"), ("disclosure_emotional", "disclosure_info")
    ),
    "little_gratitude": Moment((), ("gratitude",), kind="done"),
    "little_affection": Moment((), ("affection",), kind="done"),
    "few_plans": Moment((), ("plan", "novelty"), kind="done"),
    "rising_negativity": Moment((), ("negativity", "hostility"), kind="mine"),
    "many_in_a_row": Moment((), (), kind="double"),
}
"""Signal id -> what its evidence is. Alerts quote their own messages (``_now``)."""

CAPTIONS = {
    "pair": "When it was missing (their message, then your reply):",
    "done": "A moment you did it:",
    "done_them": "What it looks like, from them:",
    "mine": "Your messages like this:",
    "theirs": "Their messages like this:",
    "double": "You wrote again before they answered:",
    "well": "A moment you did it well:",
}


def _any(flags: tuple[str, ...], alias: str) -> str:
    if not flags:
        return "FALSE"
    return "(" + " OR ".join(f"coalesce({alias}.{f}, FALSE)" for f in flags) + ")"


def _relationship_messages(conversations: list[int]) -> str:
    marks = ", ".join("?" for _ in conversations)
    return f"""
        SELECT mp.message_id, mp.ts_ms, mp.ts_local, mp.text,
               CASE WHEN mp.person_id = ? THEN 'me' ELSE 'them' END AS who, f.*
        FROM messages_people mp
        LEFT JOIN message_features f ON f.message_id = mp.message_id
        WHERE mp.conversation_id IN ({marks}) AND mp.person_id IN (?, ?)
          AND mp.text IS NOT NULL AND length(trim(mp.text)) > 0
    """


def _pairs(store: Any, params: list[Any], base: str, moment: Moment, *, missing: bool) -> list[Any]:
    """(their message id, your reply's message id) pairs, newest first."""
    want = "NOT" if missing else ""
    sql = f"""
        WITH m AS ({base}),
        o AS (
            SELECT m.*, ROW_NUMBER() OVER (ORDER BY ts_ms, message_id) AS rn,
                   CASE WHEN LAG(who) OVER (ORDER BY ts_ms, message_id) = who THEN 0 ELSE 1 END
                       AS new_turn
            FROM m
        ),
        t AS (SELECT o.*, SUM(new_turn) OVER (ORDER BY rn) AS turn_no FROM o),
        turns AS (
            SELECT turn_no, min(who) AS who, min(ts_ms) AS start_ms, max(ts_ms) AS end_ms,
                   max(CASE WHEN {_any(moment.invite, "t")} THEN rn END) AS invite_rn,
                   min(CASE WHEN {_any(moment.answer, "t")} THEN rn END) AS answer_rn,
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
        LIMIT 12
    """
    return list(store.query(sql, params))


def _singles(
    store: Any, params: list[Any], base: str, flags: tuple[str, ...], who: str
) -> list[Any]:
    sql = f"""
        WITH m AS ({base})
        SELECT message_id FROM m
        WHERE who = '{who}' AND {_any(flags, "m")}
        ORDER BY ts_ms DESC LIMIT 12
    """
    return [r[0] for r in store.query(sql, params)]


def _doubles(store: Any, params: list[Any], base: str) -> list[Any]:
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
        ORDER BY ts_ms DESC LIMIT 12
    """
    return list(store.query(sql, params))


def moments_for(
    signal: str,
    store: Any,
    relationship: dict[str, Any],
    me_id: Any,
    quote: Callable[[str, str], dict[str, Any] | None],
    *,
    limit: int = 3,
) -> dict[str, Any] | None:
    """The evidence of one suggestion: ``moments`` (pairs or singles) and ``done_well``.

    ``quote(message_id, who)`` turns an id into an excerpt item (redacted), or None.
    Returns None when the signal has no declared moments or there is no store.
    """
    moment = MOMENTS.get(signal)
    conversations = [int(c) for c in relationship.get("conversations") or []]
    them_id = (relationship.get("person") or {}).get("person_id")
    if moment is None or store is None or not conversations or them_id is None or me_id is None:
        return None
    # A store whose features predate a flag cannot show its moments: say nothing rather
    # than guess (``fondly features`` fills the column).
    if not set(moment.invite + moment.answer) <= set(store.columns("message_features")):
        return {"moments": [], "caption": "", "done_well": [], "done_caption": ""}
    base = _relationship_messages(conversations)
    params = [int(me_id), *conversations, int(me_id), int(them_id)]
    out: dict[str, Any] = {"moments": [], "caption": "", "done_well": [], "done_caption": ""}
    if moment.kind == "pair":
        for theirs, yours in _pairs(store, params, base, moment, missing=True)[:limit]:
            pair = [quote(str(theirs), "them"), quote(str(yours), "me")]
            if all(pair):
                out["moments"].append(pair)
        out["caption"] = CAPTIONS["pair"]
        well = _pairs(store, params, base, moment, missing=False)[:1]
        for theirs, yours in well:
            pair = [quote(str(theirs), "them"), quote(str(yours), "me")]
            if all(pair):
                out["done_well"].append(pair)
        out["done_caption"] = CAPTIONS["well"]
    elif moment.kind == "double":
        for first, again in _doubles(store, params, base)[:limit]:
            pair = [quote(str(first), "me"), quote(str(again), "me")]
            if all(pair):
                out["moments"].append(pair)
        out["caption"] = CAPTIONS["double"]
    elif moment.kind == "mine":
        mine = _singles(store, params, base, moment.answer, "me")
        who, ids = (
            ("me", mine) if mine else ("them", _singles(store, params, base, moment.answer, "them"))
        )
        out["moments"] = [[q] for q in (quote(str(i), who) for i in ids[:limit]) if q]
        out["caption"] = CAPTIONS["mine" if who == "me" else "theirs"]
    else:  # "done": there is no clear moment of absence, so show the practice itself
        mine = _singles(store, params, base, moment.answer, "me")
        who, ids = (
            ("me", mine) if mine else ("them", _singles(store, params, base, moment.answer, "them"))
        )
        out["done_well"] = [[q] for q in (quote(str(i), who) for i in ids[:1]) if q]
        out["done_caption"] = CAPTIONS["done" if who == "me" else "done_them"]
    return out


def quoter(
    store: Any, redact: Callable[[str | None], str], practice: str
) -> Callable[[str, str], dict[str, Any] | None]:
    """An excerpt maker that reads each message's text when it is quoted (and redacts it)."""
    from fondly.insights._evidence import fetch_messages

    def quote(message_id: str, who: str) -> dict[str, Any] | None:
        found = fetch_messages(store, [message_id]).get(message_id)
        if not found or not found.get("text"):
            return None
        if getattr(redact, "enabled", False):  # --redact: what kind of message, never a word
            from fondly.insights._redact import describe_messages

            found = describe_messages(store, {message_id: found})[message_id]
        when: Any = found.get("ts_local")
        return {
            "message_id": message_id,
            "who": who,
            "date": when.date().isoformat() if hasattr(when, "date") else str(when or "")[:10],
            "excerpt": excerpt(redact(str(found["text"])), practice),
        }

    return quote
