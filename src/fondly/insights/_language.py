"""Language coverage in the insights: what fondly could not read is said, not scored.

The metrics layer marks each relationship's ``language`` block and, below its
threshold, drops the values of every metric that reads the words
(``fondly.metrics.coverage``). Here the scorecard rows those metrics head say
"not read (Russian)" instead of a value, their certainty falls to "low", their
suggestions are withdrawn, and a note names the parts that still hold. Kept apart
from the scorecard code so the rule lives in one place.
"""

from __future__ import annotations

from typing import Any

from fondly.insights._reading import Certainty

STILL_HOLDS = "timing, who starts conversations, silences and the timing parts of the missing index"
"""The parts of a report that read no words, in the user's terms."""


def note(language: dict[str, Any] | None) -> str | None:
    """One sentence for a relationship fondly reads too little of, else None."""
    if not language or not language.get("not_read"):
        return None
    share = language.get("supported_share") or 0.0
    return (
        f"Mostly written in {language['not_read']}, which fondly does not read "
        f"({share:.0%} of messages in languages it reads): what the words say is not scored; "
        f"{STILL_HOLDS} still hold."
    )


def apply(found: dict[str, Any], relationship: dict[str, Any]) -> dict[str, Any]:
    """The relationship's insights with unread rows marked and the coverage attached."""
    language = relationship.get("language")
    found["language"] = {**(language or {}), "note": note(language)}
    unread = (language or {}).get("not_read")
    if not unread:
        return found
    label = f"not read ({unread})"
    unread_ids = {
        key for key, m in (relationship.get("metrics") or {}).items() if m.get("not_read")
    }
    for row in found.get("scorecard") or []:
        head = row.get("headline") or {}
        if head.get("metric_id") not in unread_ids:
            continue
        # the value cells are narrow: "not read" there, the language in the reading
        row["headline"] = {**head, "me_text": "not read", "them_text": "not read"}
        reading = f"{label}: the chat is mostly in {unread}, which fondly does not read."
        row["headline"].update(pair_text="not read", not_read=unread, short=label, reading=reading)
        row["short"] = label
        row["reading"] = reading
        row["measures"] = None  # the faces then print the reading, which names the language
        row["certainty"] = Certainty("low", f"written mostly in {unread}").as_dict()
        row["evidence"] = []
    _mark_missing(found.get("missing"), relationship.get("missing_index") or {}, unread)
    found["suggestions"] = [
        s for s in found.get("suggestions") or [] if s.get("metric_id") not in unread_ids
    ]
    return found


def _mark_missing(missing: dict[str, Any] | None, index: dict[str, Any], unread: str) -> None:
    """Word-read parts of the missing index say "not read"; its certainty falls a step."""
    if not missing:
        return
    parts = index.get("components") or {}
    for comp in missing.get("components") or []:
        if (parts.get(comp.get("id")) or {}).get("not_read"):
            comp["text"] = "not read"
    certainty = missing.get("certainty") or {}
    if certainty.get("level") in _LOWER:
        why = f"{certainty.get('why', '')}; only its timing parts read ({unread})".lstrip("; ")
        missing["certainty"] = Certainty(_LOWER[certainty["level"]], why).as_dict()


_LOWER = {"high": "moderate", "moderate": "low"}
"""One step down: the index then rests on two of its four parts."""
