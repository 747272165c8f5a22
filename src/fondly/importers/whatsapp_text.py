"""What a WhatsApp line *says*: author or system line, placeholders, deletions, edits.

Every localised string lives in ``data/whatsapp_locale.json`` so a new language
is a data change. The hard part is the author. ``Name: text`` splits at the
first ``": "`` only when names have no colon and system lines have no author;
neither holds. Android writes system lines without an author, and a group
subject such as ``Trip: Lisbon`` puts ``": "`` inside one; iOS attributes
system lines to the chat's name. So :class:`LineReader` first tries the
authors it has already seen (counted over a sample, longest first), then the
locale's system-line vocabulary, and only then the first ``": "``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from fondly.model import Kind


@dataclass(frozen=True)
class Locale:
    """The compiled vocabulary of every language in the data file."""

    title_patterns: list[re.Pattern[str]]
    you: frozenset[str]
    media_exact: dict[str, str]
    attached: list[re.Pattern[str]]
    attached_types: dict[str, str]
    deleted: frozenset[str]
    edited_markers: tuple[str, ...]
    location_prefixes: tuple[str, ...]
    location_exact: frozenset[str]
    calls: frozenset[str]
    special: frozenset[str]
    system: re.Pattern[str]
    group: re.Pattern[str]


@lru_cache(maxsize=1)
def locale() -> Locale:
    """Load and compile ``whatsapp_locale.json`` once per process."""
    raw: dict[str, Any] = json.loads(
        resources.files("fondly.importers").joinpath("data/whatsapp_locale.json").read_text("utf-8")
    )
    return Locale(
        title_patterns=[re.compile(p) for p in raw["title_patterns"]],
        you=frozenset(raw["you"]),
        media_exact=dict(raw["media_exact"]),
        attached=[re.compile(p) for p in raw["attached_patterns"]],
        attached_types=dict(raw["attached_types"]),
        deleted=frozenset(raw["deleted"]),
        edited_markers=tuple(raw["edited_markers"]),
        location_prefixes=tuple(raw["location_prefixes"]),
        location_exact=frozenset(raw["location_exact"]),
        calls=frozenset(raw["calls"]),
        special=frozenset(
            [*raw["media_exact"], *raw["deleted"], *raw["calls"], *raw["location_exact"]]
        ),
        system=re.compile("|".join(f"(?:{p})" for p in raw["system_patterns"]), re.DOTALL),
        group=re.compile("|".join(f"(?:{p})" for p in raw["group_patterns"]), re.DOTALL),
    )


# What may follow "Name: " in a name with a colon ("Dr: Who"): a few words,
# no digits (so a repeated pasted header never becomes a name), no colon.
_NAME_PART = re.compile(r"[^\d:\n]{1,30}$")

_MEDIA_KIND = {"sticker": Kind.STICKER, "voice": Kind.VOICE, "audio": Kind.VOICE}


def media_kind(media_type: str) -> str:
    return _MEDIA_KIND.get(media_type, Kind.MEDIA)


@dataclass
class Classified:
    """What the body of one message turned out to be."""

    kind: str
    text: str
    media_type: str | None = None
    edited: bool = False


def classify_body(text: str, loc: Locale) -> Classified:
    """Placeholders, deletions, edit markers, calls and locations in a message body.

    Only the first line can be a placeholder; the lines after an attachment are
    its caption and stay as text.
    """
    edited = False
    if text.endswith(">"):
        for marker in loc.edited_markers:
            if text.endswith(marker):
                text = text[: -len(marker)].rstrip(" \u00a0")
                edited = True
                break
    first, _, rest = text.partition("\n")
    media = loc.media_exact.get(first)
    if media is not None:
        return Classified(media_kind(media), rest, media, edited)
    if text in loc.deleted:
        return Classified(Kind.DELETED, "", None, edited)
    if first.endswith((">", ")")):
        for pattern in loc.attached:
            m = pattern.match(first)
            if m is not None:
                kind_type = attached_type(m["file"], loc)
                return Classified(media_kind(kind_type), rest, kind_type, edited)
    if first.startswith(loc.location_prefixes) or first in loc.location_exact:
        return Classified(Kind.LOCATION, text, None, edited)
    if text in loc.calls:
        return Classified(Kind.CALL, "", None, edited)
    return Classified(Kind.TEXT, text, None, edited)


def attached_type(filename: str, loc: Locale) -> str:
    """The media type of an attachment from its WhatsApp file name."""
    upper = filename.upper()
    lower = filename.lower()
    for token, media_type in loc.attached_types.items():
        if token.startswith(".") and lower.endswith(token):
            return media_type
        if not token.startswith(".") and token in upper:
            return media_type
    return "file"


@dataclass
class LineReader:
    """Splits the part of a header line after the time into author and text.

    Args:
        platform: ``android`` (system lines have no author) or ``ios`` (system
            lines carry the chat's or the actor's name, and U+200E before the text).
        title: the chat's title, which iOS uses as the author of group system lines.
        authors: names already known, with how often each was seen.
    """

    platform: str
    title: str | None
    loc: Locale
    authors: dict[str, int] = field(default_factory=dict)
    colon_authors: list[str] = field(default_factory=list)
    group_seen: bool = False

    def learn(self, rests: list[str]) -> None:
        """Count author candidates over a sample of header lines.

        A name with a colon (``Dr: Who``) shows up as a prefix ending at the
        second ``": "`` exactly as often as its first word does; a ``Note:``
        inside text does not. So a longer prefix replaces a shorter one when it
        accounts for all of the shorter one's lines (and at least two).
        """
        counts: dict[str, int] = {}
        for rest in rests:
            if self.platform == "android" and (
                self.loc.group.match(rest) or self.loc.system.match(rest)
            ):
                continue
            start = 0
            while True:
                i = rest.find(": ", start)
                if i <= 0:
                    break
                prefix = rest[:i]
                counts[prefix] = counts.get(prefix, 0) + 1
                start = i + 2
        for prefix, n in sorted(counts.items(), key=lambda kv: len(kv[0])):
            shorter = [a for a in self.authors if prefix.startswith(a + ": ")]
            if shorter:
                base = max(shorter, key=len)
                # Only when *every* line of the shorter name continues the same
                # way; a person who often starts with "Note: " still has others.
                extension = prefix[len(base) + 2 :]
                if n >= 2 and n == self.authors[base] and _NAME_PART.match(extension):
                    del self.authors[base]
                else:
                    continue
            self.authors[prefix] = n
        self.colon_authors = sorted((a for a in self.authors if ": " in a), key=len, reverse=True)

    def split(self, rest: str, lrm_at: int) -> tuple[str | None, str, bool]:
        """``(author, text, is_system)`` for the rest of a header line.

        ``lrm_at`` is where ``": "`` followed by U+200E was found in the raw
        line (iOS marks the start of system and placeholder text so), or -1.
        """
        loc = self.loc
        if lrm_at > 0:
            author, text = rest[:lrm_at], rest[lrm_at + 2 :]
            if self._system_text(text, author, marked=True):
                return None, text, True
            self._count(author)
            return author, text, False
        for name in self.colon_authors:
            if rest.startswith(name) and rest.startswith(": ", len(name)):
                return name, rest[len(name) + 2 :], False
        nl = rest.find("\n")
        i = rest.find(": ", 0, nl if nl >= 0 else len(rest))
        if i > 0:
            author = rest[:i]
            if author in self.authors:
                text = rest[i + 2 :]
                if self.platform == "ios" and self._system_text(text, author, marked=False):
                    return None, text, True
                self.authors[author] += 1
                return author, text, False
        if self.platform == "android":
            if loc.group.match(rest):
                self.group_seen = True
                return None, rest, True
            if i <= 0 or loc.system.match(rest):
                return None, rest, True
            author, text = rest[:i], rest[i + 2 :]
            self._count(author)
            return author, text, False
        if i <= 0:
            return None, rest, True
        author, text = rest[:i], rest[i + 2 :]
        if self._system_text(text, author, marked=False):
            return None, text, True
        self._count(author)
        return author, text, False

    def _count(self, author: str) -> None:
        self.authors[author] = self.authors.get(author, 0) + 1

    def _system_text(self, text: str, author: str, *, marked: bool) -> bool:
        """Whether iOS text after an author is really a system line.

        The group vocabulary (``X added Y``) is also ordinary speech, so it only
        counts on lines iOS marked with U+200E or attributed to the chat itself.
        """
        loc = self.loc
        if loc.system.match(text):
            return True
        if (marked or (self.title is not None and author == self.title)) and loc.group.match(text):
            self.group_seen = True
            return True
        if marked:
            first = text.partition("\n")[0]
            known = (
                first in loc.media_exact
                or text in loc.deleted
                or first.startswith(loc.location_prefixes)
                or first in loc.location_exact
                or text in loc.calls
                or text.endswith(loc.edited_markers)
                or any(p.match(first) for p in loc.attached)
            )
            return not known and author == self.title
        return False
