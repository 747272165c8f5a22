"""Redaction: take names, phone numbers, e-mail addresses, URLs and places out of text.

A report is something people show to friends or a counsellor; ``--redact`` lets them do
that without exposing the other person (who never consented to being analysed, see the
research notes, section 14). Redaction is deliberately greedy: a false [PLACE] costs a
little readability, a missed surname costs privacy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from fondly.metrics.reader import ChatReader

# Order matters: URLs and e-mail addresses contain dots and digits that the phone
# pattern would otherwise eat, and names inside addresses must vanish with the address.
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Seven or more digits, optionally led by + or (, with spaces, dots, dashes or
# brackets between groups: covers international and national formats, and leaves
# times ("10:30"), dates and small amounts alone.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().-]{5,}\d(?!\w)")
_PLACE_CUE = re.compile(
    r"\b(in|at|from|near|to|visiting|around)\s+"
    r"((?:[A-ZÀ-Ý][\w'’-]+)(?:\s+(?:[A-ZÀ-Ý][\w'’-]+|de|del|la|le|am|upon|on))*)"
)
# Capitalised words after a place cue that are not places: time words and the
# pronoun "I" ("in March", "at Christmas"), plus our own placeholders.
_NOT_PLACE_WORDS = (
    "I January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter Halloween "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun "
    "Home Work School Uni University The A An My Your Our His Her Their This That Least "
    "Last First Bed Lunch Dinner Breakfast Night Morning Weekend OK Ok Okay "
    "NAME PHONE EMAIL URL PLACE"
)
_NOT_PLACES = frozenset(_NOT_PLACE_WORDS.split())

PLACEHOLDERS = ("[NAME]", "[PHONE]", "[EMAIL]", "[URL]", "[PLACE]")


@lru_cache(maxsize=1)
def gazetteer() -> tuple[str, ...]:
    """Place names from ``data/places.txt``, longest first so "New York" beats "York"."""
    text = resources.files("fondly.insights").joinpath("data/places.txt").read_text("utf-8")
    names = {line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def _alternation(words: Iterable[str], *, fold: bool = True) -> re.Pattern[str] | None:
    ordered = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    if not ordered:
        return None
    body = "|".join(re.escape(w) for w in ordered)
    flags = re.IGNORECASE if fold else 0
    return re.compile(rf"(?<![\w@])(?:{body})(?=(?:'s|’s)?(?!\w))", flags)


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Everyday words that are also names ("Will", "Joy"): hidden only when capitalised."""
    text = resources.files("fondly.insights").joinpath("data/stopwords.txt").read_text("utf-8")
    words = {w for line in text.splitlines() if not line.startswith("#") for w in line.split()}
    return frozenset(words | {"may", "joy", "grace", "hope", "faith", "art", "bill", "rose"})


def name_variants(names: Iterable[str]) -> set[str]:
    """Full names plus each of their parts, so "Sam Taylor" also hides a lone "Sam".

    One-letter parts and our own placeholders are skipped: they would blank out
    "I" and "a" everywhere.
    """
    out: set[str] = set()
    for name in names:
        name = (name or "").strip()
        if not name or name.startswith("+") or name.replace(" ", "").isdigit():
            continue
        out.add(name)
        for part in re.split(r"[\s._-]+", name):
            part = part.strip("()[]'\"")
            if len(part) >= 2 and any(ch.isalpha() for ch in part):
                out.add(part)
    return out


class Redactor:
    """Replaces personal details in free text with placeholders.

    Args:
        names: every name to hide (people's names, display names, handles).
        enabled: a disabled redactor returns text unchanged, so callers need no branches.
    """

    def __init__(self, names: Iterable[str] = (), *, enabled: bool = True) -> None:
        self.enabled = enabled
        variants = name_variants(names)
        common = _common_words()
        self._names = _alternation(v for v in variants if v.lower() not in common)
        # A name that is also an everyday word is hidden as written (capitalised),
        # so "I will" survives while "Will said" does not.
        self._common_names = _alternation((v for v in variants if v.lower() in common), fold=False)
        self._places = _alternation(gazetteer())

    def __call__(self, text: str | None) -> str:
        if text is None:
            return ""
        if not self.enabled:
            return text
        text = _URL.sub("[URL]", text)
        text = _EMAIL.sub("[EMAIL]", text)
        text = _PHONE.sub(_phone_or_keep, text)
        for names in (self._names, self._common_names):
            if names is not None:
                text = names.sub("[NAME]", text)
        text = _PLACE_CUE.sub(_place_after_cue, text)
        if self._places is not None:
            text = self._places.sub("[PLACE]", text)
        return text


_DATE = re.compile(r"\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})\s*")


def _phone_or_keep(match: re.Match[str]) -> str:
    """Only runs of seven or more digits that are not a date are phone numbers."""
    found = match.group(0)
    digits = sum(ch.isdigit() for ch in found)
    if digits < 7 or _DATE.fullmatch(found):
        return found
    return "[PHONE]"


def _place_after_cue(match: re.Match[str]) -> str:
    cue, place = match.group(1), match.group(2)
    first = place.split()[0].rstrip("'’s")
    if first in _NOT_PLACES or place.startswith("["):
        return match.group(0)
    return f"{cue} [PLACE]"


def store_names(reader: ChatReader | None) -> list[str]:
    """Every name the store knows: people, display names and handles that are not numbers."""
    if reader is None:
        return []
    names = reader.names()
    # Handles that are phone numbers or e-mail addresses are caught by their own patterns.
    return [n for n in names if not _EMAIL.fullmatch(n) and not _PHONE.fullmatch(n)]


# -- what a redacted report shows instead of a message ----------------------------

# The first flag a message carries names its kind, most telling first: a message that is
# both good news and a question reads as good news. The labels say what the message does,
# never what it says ("their good news, your two-word reply").
_KINDS = (
    ("good_news", "good news"),
    ("distress", "hard news"),
    ("disclosure_emotional", "share of a feeling"),
    ("missing", "miss-you message"),
    ("reminder", "thought-of-you message"),
    ("affection", "affectionate message"),
    ("enthusiasm", "excited reply"),
    ("support", "supportive message"),
    ("encouragement", "encouragement"),
    ("gratitude", "thanks"),
    ("apology", "apology"),
    ("hostility", "critical message"),
    ("negativity", "sharp message"),
    ("plan", "plan"),
    ("reminiscence", "shared memory"),
    ("disclosure_info", "news about their day"),
    ("is_question", "question"),
    ("laughter", "laugh"),
    ("passive_ack", "reply"),
)
_NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def describe(kind_flags: dict[str, Any], *, mine: bool | None, n_words: int | None) -> str:
    """What a message is, in words that quote nothing: "their good news", "your two-word reply".

    Args:
        kind_flags: the message's boolean features (``message_features`` columns).
        mine: the user wrote it (True), the other person did (False), unknown (None).
        n_words: its length in words, when known.
    """
    whose = {True: "your", False: "their", None: "a"}[mine]
    label = next((label for flag, label in _KINDS if kind_flags.get(flag)), "message")
    if label == "news about their day" and mine:
        label = "news about your day"
    if n_words and 0 < n_words <= len(_NUMBERS):
        return f"{whose} {_NUMBERS[n_words - 1]}-word {label}"
    if n_words:
        return f"{whose} {label}, {n_words} words"
    return f"{whose} {label}"


def describe_messages(
    reader: ChatReader | None, texts: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Evidence texts with every message replaced by its description and its day by its month.

    Called on the messages an insight quotes, before anything is cut or shown, so that a
    redacted report never holds a word of a message: excerpts, names inside them and
    exact days all go (a day plus a kind of message can identify an event).
    """
    if not texts or reader is None:
        return texts
    known = reader.kinds(list(texts), [flag for flag, _ in _KINDS])
    out: dict[str, dict[str, Any]] = {}
    for message_id, found in texts.items():
        kind = known.get(message_id)
        out[message_id] = {
            "text": describe(
                {} if kind is None else kind.flags,
                mine=None if kind is None else kind.mine,
                n_words=None if kind is None else kind.n_words,
            ),
            "ts_local": _month_of(found.get("ts_local")),
        }
    return out


_ISO_DAY = re.compile(r"^(\d{4}-\d{2})-\d{2}(?:[T ][\d:.+-]*)?$")
# Days written inside sentences ("from 24 Aug 2024", "on 2024-08-21 at 10:30"): the
# headline and alert sentences name them, and a redacted report keeps only the month.
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_SAID_DAY = re.compile(
    rf"\b(?:(on|since|from|until|to) )?\d{{1,2}} ((?:{_MONTHS})[a-z]*\.? \d{{4}})\b"
)
_SAID_ISO = re.compile(r"\b(\d{4}-\d{2})-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\b")


def _said_month(match: re.Match[str]) -> str:
    cue = match.group(1)
    if cue in {"on", "since", None}:
        cue = {"on": "in", "since": "since", None: ""}[cue]
    return f"{cue} {match.group(2)}".lstrip()


def _month_of(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        found = _ISO_DAY.match(value)
        if found:
            return found.group(1)
        return _SAID_ISO.sub(r"\1", _SAID_DAY.sub(_said_month, value))
    return value


def months_only(data: Any) -> Any:
    """A copy of a report's data with every date reduced to its month and no message ids.

    Applied last to whatever a redacted report prints (insights, metrics JSON), so no
    field added later can carry a day or a time of day past ``--redact``. Message ids go
    too: each is a hash of the message's chat, sender, exact time and text, so someone
    holding the chat could confirm which message an insight points at.
    """
    if isinstance(data, dict):
        return {k: months_only(v) for k, v in data.items() if k != "message_id"}
    if isinstance(data, list | tuple):
        return [months_only(v) for v in data]
    return _month_of(data)


def hide_phrases(items: Any) -> Any:
    """Shared phrases and inside jokes are the pair's own words: number them instead."""
    if not isinstance(items, list):
        return items
    out = []
    for i, item in enumerate(items, 1):
        if isinstance(item, dict):  # counts stay; every word of the chat goes
            item = {k: v for k, v in item.items() if not isinstance(v, str)}
            item["phrase"] = f"phrase {i}"
        elif isinstance(item, str):
            item = f"phrase {i}"
        out.append(item)
    return out
