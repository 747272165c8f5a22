"""Language coverage: how much of a relationship fondly can read, and what it then says.

fondly reads six languages (``fondly.features._lexicon.LANGUAGES``); a message in
any other gets NULL features, message by message, so a mixed chat is read where it
can be. But a relationship written mostly in Russian leaves a handful of English or
undetermined messages behind every text metric, and a share of "miss you" over those
few is a number about nothing. So each relationship carries its coverage, and below
:data:`READ_THRESHOLD` every metric that reads the words is marked not read (its
values dropped, the language named) while the ones that read only timing, counts and
lengths still stand: they hold in any language.
"""

from __future__ import annotations

from typing import Any

from fondly.features._lexicon import LANGUAGES, language_name

READ_THRESHOLD = 0.5
"""Below this share of language-identified messages in the six languages, text metrics are
not read. Half is the point where most of what a text metric would count is unread; a chat
above it is read message by message (the unread part is NULL, not a zero)."""

LANGUAGE_FREE = frozenset(
    {
        "messages",
        "words",
        "airtime",
        "double_texting",
        "initiation_share",
        "reply_latency",
        "session_gap",
        "timely_replies",
        "rituals",
        "inside_jokes",
    }
)
"""Metrics that read timing, counts, lengths and repeated tokens, not the meaning of words:
they hold whatever the language (the report names them as the parts that still hold)."""

MISSING_TEXT_PARTS = ("explicit_missing", "reentry_warmth")
"""Missing-index components that read the words; partner_breaks and compensation are timing
and length, and still hold."""

EPISODE_TEXT_FIELDS = ("them_missing", "them_first_sentiment", "them_first_affection")
"""The fields of a silence episode that come from reading words."""

SQL = """
    SELECT d.other_id, f.lang, count(*) AS n
    FROM dm d JOIN features f ON f.message_id = d.message_id
    WHERE f.lang IS NOT NULL
    GROUP BY d.other_id, f.lang
"""
"""Messages per relationship and guessed language (only scored messages have one)."""


def coverage(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The ``language`` block of each relationship from :data:`SQL`'s rows.

    'und' (too short to tell: "ok", an emoji) counts for neither side: the share is of
    messages whose language was named. ``not_read`` names the most used unread language
    when the share is below :data:`READ_THRESHOLD`, else it is None.
    """
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(int(row["other_id"]), {})[str(row["lang"])] = int(row["n"])
    return {oid: block(langs) for oid, langs in counts.items()}


def block(langs: dict[str, int]) -> dict[str, Any]:
    """One relationship's coverage from its message count per language code."""
    read = sum(n for code, n in langs.items() if code in LANGUAGES)
    unread = {code: n for code, n in langs.items() if code not in (*LANGUAGES, "und")}
    named = read + sum(unread.values())
    share = read / named if named else None
    main = max(sorted(unread), key=lambda c: unread[c]) if unread else None
    not_read = main is not None and share is not None and share < READ_THRESHOLD
    return {
        "supported_share": share,
        "threshold": READ_THRESHOLD,
        "n_read": read,
        "n_unread": sum(unread.values()),
        "n_undetermined": langs.get("und", 0),
        "languages": {code: langs[code] for code in sorted(langs, key=lambda c: (-langs[c], c))},
        "not_read": language_name(main) if not_read and main else None,
        "still_holds": sorted(LANGUAGE_FREE) if not_read else None,
    }


def empty_block() -> dict[str, Any]:
    """The block of a relationship with no scored message (features not computed yet)."""
    return block({})


def strip_episode_text(episodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Silence episodes with the word-read fields emptied: the missing index then rests on
    the parts that hold in any language (who breaks silences, how much they write)."""
    return [{**e, **dict.fromkeys(EPISODE_TEXT_FIELDS)} for e in episodes]


def mark_not_read(metric: dict[str, Any], language: str) -> dict[str, Any]:
    """A metric result with its values dropped and the unread language named."""
    if metric["id"] in LANGUAGE_FREE:
        return metric
    return {
        **metric,
        "me": None,
        "them": None,
        "pair": None,
        "series": [],
        "recent_30d": None,
        "evidence": [],
        "not_read": language,
    }


def mark_missing_index(index: dict[str, Any], language: str) -> dict[str, Any]:
    """The missing index with its word-read components marked not read."""
    components = {
        name: {**part, "not_read": language} if name in MISSING_TEXT_PARTS else part
        for name, part in index["components"].items()
    }
    return {**index, "components": components, "not_read": language}
