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
The moments are read by ``fondly.metrics.reader.ChatReader`` (``reply_pairs``,
``messages_with``, ``messages_in_a_row``); this module says which ones each signal needs.
Every quote is a real instance: tests/test_evidence.py re-checks each against the
features table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fondly.insights._evidence import excerpt
from fondly.metrics.reader import ChatReader, Pair


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


def moments_for(
    signal: str,
    reader: ChatReader | None,
    relationship: dict[str, Any],
    me_id: Any,
    quote: Callable[[str, str], dict[str, Any] | None],
    *,
    limit: int = 3,
) -> dict[str, Any] | None:
    """The evidence of one suggestion: ``moments`` (pairs or singles) and ``done_well``.

    ``quote(message_id, who)`` turns an id into an excerpt item (redacted), or None.
    Returns None when the signal has no declared moments or there is no store to read.
    """
    moment = MOMENTS.get(signal)
    scope = Pair.of(relationship, me_id)
    if moment is None or reader is None or scope is None:
        return None
    # A store whose features predate a flag cannot show its moments: say nothing rather
    # than guess (``fondly features`` fills the column).
    if not set(moment.invite + moment.answer) <= reader.feature_columns():
        return {"moments": [], "caption": "", "done_well": [], "done_caption": ""}
    out: dict[str, Any] = {"moments": [], "caption": "", "done_well": [], "done_caption": ""}
    if moment.kind == "pair":
        missed = reader.reply_pairs(scope, moment.invite, moment.answer, missing=True)
        for theirs, yours in missed[:limit]:
            pair = [quote(str(theirs), "them"), quote(str(yours), "me")]
            if all(pair):
                out["moments"].append(pair)
        out["caption"] = CAPTIONS["pair"]
        well = reader.reply_pairs(scope, moment.invite, moment.answer, missing=False)[:1]
        for theirs, yours in well:
            pair = [quote(str(theirs), "them"), quote(str(yours), "me")]
            if all(pair):
                out["done_well"].append(pair)
        out["done_caption"] = CAPTIONS["well"]
    elif moment.kind == "double":
        for first, again in reader.messages_in_a_row(scope)[:limit]:
            pair = [quote(str(first), "me"), quote(str(again), "me")]
            if all(pair):
                out["moments"].append(pair)
        out["caption"] = CAPTIONS["double"]
    elif moment.kind == "mine":
        mine = reader.messages_with(scope, moment.answer, "me")
        who, ids = (
            ("me", mine) if mine else ("them", reader.messages_with(scope, moment.answer, "them"))
        )
        out["moments"] = [[q] for q in (quote(str(i), who) for i in ids[:limit]) if q]
        out["caption"] = CAPTIONS["mine" if who == "me" else "theirs"]
    else:  # "done": there is no clear moment of absence, so show the practice itself
        mine = reader.messages_with(scope, moment.answer, "me")
        who, ids = (
            ("me", mine) if mine else ("them", reader.messages_with(scope, moment.answer, "them"))
        )
        out["done_well"] = [[q] for q in (quote(str(i), who) for i in ids[:1]) if q]
        out["done_caption"] = CAPTIONS["done" if who == "me" else "done_them"]
    return out


def quoter(
    reader: ChatReader | None, redact: Callable[[str | None], str], practice: str
) -> Callable[[str, str], dict[str, Any] | None]:
    """An excerpt maker that reads each message's text when it is quoted (and redacts it).

    Under ``--redact`` (a redactor with ``enabled`` set) no word is quoted: the message
    is described by its kind and length instead, as every other piece of evidence is.
    """
    from fondly.insights._evidence import fetch_messages
    from fondly.insights._redact import describe_messages

    describe = bool(getattr(redact, "enabled", False))

    def quote(message_id: str, who: str) -> dict[str, Any] | None:
        found = fetch_messages(reader, [message_id]).get(message_id)
        if not found or not found.get("text"):
            return None
        if describe:
            found = describe_messages(reader, {message_id: found})[message_id]
        when: Any = found.get("ts_local")
        return {
            "message_id": message_id,
            "who": who,
            "date": when.date().isoformat() if hasattr(when, "date") else str(when or "")[:10],
            "excerpt": excerpt(redact(str(found["text"])), practice),
        }

    return quote
