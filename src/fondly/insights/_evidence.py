"""Evidence excerpts: the few messages that show a reader what a number is made of.

A number alone invites over-reading; a real line from the chat ("so proud of you!!")
lets the user judge whether fondly understood it. Excerpts are short (about 80
characters, centred on the phrase that counted) so a report never becomes a transcript,
and redaction runs on the whole message before it is cut, so no half-name survives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from fondly.metrics.reader import ChatReader

EXCERPT_CHARS = 80
MAX_EVIDENCE = 3


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern[str]]:
    text = resources.files("fondly.insights").joinpath("data/evidence_cues.tsv").read_text("utf-8")
    cues: dict[str, re.Pattern[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        practice, pattern = line.split("\t", 1)
        cues[practice] = re.compile(pattern.strip(), re.IGNORECASE)
    return cues


def excerpt(text: str, practice: str | None = None, width: int = EXCERPT_CHARS) -> str:
    """Shorten a message to about ``width`` characters around its key phrase.

    The key phrase is the first cue of the practice found in the text (see
    ``data/evidence_cues.tsv``); without one the excerpt is the message's start.
    Cuts fall on word boundaries where possible and are marked with "…".
    """
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cue = _cues().get(practice or "")
    found = cue.search(flat) if cue else None
    centre = (found.start() + found.end()) // 2 if found else 0
    start = max(0, min(centre - width // 2, len(flat) - width))
    end = start + width
    if start > 0:
        space = flat.find(" ", start, start + 15)
        start = space + 1 if space != -1 else start
    if end < len(flat):
        space = flat.rfind(" ", end - 15, end)
        end = space if space > start else end
    body = flat[start:end].strip()
    return ("…" if start > 0 else "") + body + ("…" if end < len(flat) else "")


def fetch_messages(
    reader: ChatReader | None, message_ids: Iterable[Any]
) -> dict[str, dict[str, Any]]:
    """Text and local time of the given messages (``ChatReader.texts``), none without a reader."""
    if reader is None:
        return {}
    return reader.texts(message_ids)


def evidence_items(
    refs: list[dict[str, Any]] | None,
    texts: dict[str, dict[str, Any]],
    practice: str | None,
    redact: Callable[[str | None], str],
    limit: int = MAX_EVIDENCE,
) -> list[dict[str, Any]]:
    """Up to ``limit`` excerpts for a metric's evidence references, skipping empty texts."""
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ref in refs or []:
        message_id = str(ref.get("message_id"))
        found = texts.get(message_id)
        if not found or not found.get("text") or message_id in seen:
            continue
        seen.add(message_id)
        when: Any = found.get("ts_local")
        items.append(
            {
                "message_id": message_id,
                "who": ref.get("who"),
                "date": when.date().isoformat() if hasattr(when, "date") else str(when or "")[:10],
                "excerpt": excerpt(redact(str(found["text"])), practice),
            }
        )
        if len(items) >= limit:
            break
    return items
