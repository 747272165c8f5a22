"""LINE chats saved with "Export chat history" (``[LINE] Chat history with X.txt``).

The file is tab-separated text in the app's language::

    [LINE] Chat history with Sam          <- "with" = one-to-one, "in" = group
    Saved on: 2024/01/05 10:00
                                          <- blank line
    2024.01.02 Tuesday                    <- a date line opens each day
    15:05<TAB>Sam<TAB>hi!
    15:06<TAB>Sam<TAB>"two                <- multi-line messages are wrapped in
    lines, ""quoted"" word"                  double quotes, "" inside is a quote
    15:07<TAB><TAB>Sam unsent a message.  <- system lines have no sender

Everything that depends on the app language lives in
``data/line_locale.json`` (header phrasings, "Saved on" labels, AM/PM words,
media placeholders such as ``[Photo]``/``[スタンプ]``/``[貼圖]``) so that a new
language is a data change. Date lines come as ``2024.01.02 Tuesday``,
``2024/01/02(Tue)``, ``2024/1/2週二`` (year first, unambiguous) or
``Sat, 11/01/2025`` (the phone's day/month order): for the latter the weekday
name decides the order where it can, and otherwise the whole file votes (a field
above 12), falling back to month-first as the US English app writes it.

Times are the phone's wall clock (``15:05``, ``03:05PM``, ``下午03:04``,
``午後3:04``), so only ``ts_local`` is filled. LINE does not say which sender is
the user; in a one-to-one chat, though, the header names the other person, so the
one sender who is not them must be the user (``me_handle`` is filled as the
messages stream, before ingest reads it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from fondly._errors import ParseError
from fondly.importers._registry import ImportOptions, Unit
from fondly.importers._tree import Tree
from fondly.model import Kind, ParsedConversation, ParsedMessage

PLATFORM = "line"

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))

_YMD = re.compile(r"^(?P<y>\d{4})[./-](?P<m>\d{1,2})[./-](?P<d>\d{1,2})(?P<rest>[^\t\d]*)$")
"""Year-first date lines: ``2024.01.02 Tuesday``, ``2024/01/02(火)``, ``2024/1/2週二``."""

_WEEKDAY_FIRST = re.compile(
    r"^(?P<wd>[^\W\d_][^\s\d,./]{0,15})\.?,? (?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})\s*$"
)
"""Weekday-first date lines: ``Sat, 11/01/2025`` (day/month order as the phone's
locale), Thai ``ศ. 28/11/2568`` (a one-letter weekday, a Buddhist-era year)."""

_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ]
    )
    for name in names
} | {
    # Thai weekdays, abbreviated (จ. อ. พ. พฤ. ศ. ส. อา.) and in full, with or
    # without "วัน" ("day") before them.
    prefix + name: number
    for number, names in enumerate(
        [
            ("จ", "จันทร์"),
            ("อ", "อังคาร"),
            ("พ", "พุธ"),
            ("พฤ", "พฤหัส", "พฤหัสบดี"),
            ("ศ", "ศุกร์"),
            ("ส", "เสาร์"),
            ("อา", "อาทิตย์"),
        ]
    )
    for name in names
    for prefix in ("", "วัน")
}


@dataclass(frozen=True)
class _Header:
    prefix: str
    suffix: str
    group: bool


@dataclass(frozen=True)
class Locale:
    """The language-dependent strings, loaded once from ``data/line_locale.json``."""

    headers: tuple[_Header, ...]
    am: tuple[str, ...]
    pm: tuple[str, ...]
    placeholders: dict[str, tuple[str, str | None]]
    call_mark: str
    time: re.Pattern[str]


@cache
def locale() -> Locale:
    raw: dict[str, Any] = json.loads(
        resources.files("fondly.importers").joinpath("data/line_locale.json").read_text("utf-8")
    )
    headers = tuple(
        sorted(
            (_Header(h["prefix"], h["suffix"], bool(h["group"])) for h in raw["headers"]),
            # Most specific first: "とのトーク履歴" (one-to-one) before "のトーク履歴" (group).
            key=lambda h: -(len(h.prefix) + len(h.suffix)),
        )
    )
    words = sorted([*raw["am"], *raw["pm"]], key=len, reverse=True)
    marker = "|".join(re.escape(w) for w in words)
    time = re.compile(
        rf"^(?:(?P<pre>{marker})\s*)?(?P<h>\d{{1,2}}):(?P<m>\d{{2}})\s*(?P<post>{marker})?$",
        re.IGNORECASE,
    )
    return Locale(
        headers=headers,
        am=tuple(w.lower() for w in raw["am"]),
        pm=tuple(w.lower() for w in raw["pm"]),
        placeholders={k: (v[0], v[1]) for k, v in raw["placeholders"].items()},
        call_mark=raw["call_mark"],
        time=time,
    )


def read_header(line: str) -> tuple[str, bool] | None:
    """``(chat name, is_group)`` from a ``[LINE] ...`` first line, or ``None``."""
    line = line.translate(_INVISIBLE).strip()
    for header in locale().headers:
        if line.startswith(header.prefix) and line.endswith(header.suffix):
            name = line[len(header.prefix) : len(line) - len(header.suffix)].strip()
            if name:
                return name, header.group
    return None


def parse_time(text: str) -> tuple[int, int] | None:
    """``(hour, minute)`` on a 24-hour clock from ``15:05``, ``03:05PM``, ``下午3:04``..."""
    loc = locale()
    match = loc.time.match(text.strip())
    if match is None:
        return None
    hour, minute = int(match["h"]), int(match["m"])
    marker = (match["pre"] or match["post"] or "").lower()
    if marker in loc.pm and hour < 12:
        hour += 12
    elif marker in loc.am and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return hour, minute


_BUDDHIST_ERA = 543
"""Thai phones count years in the Buddhist era: 2567 BE is 2024 CE."""


def gregorian_year(text: str) -> int:
    """A date line's year in the Gregorian calendar (Buddhist-era years converted).

    No chat was written in a Gregorian year above 2400, so such a year is a
    Buddhist-era one, as Thai phones write it.
    """
    year = int(text)
    return year - _BUDDHIST_ERA if year >= 2400 else year


def _weekday_orders(wd: str, a: int, b: int, year: int) -> set[str]:
    """Which of ``dmy``/``mdy`` give a real date (on the named weekday, when we know the name)."""
    orders = set()
    expected = _WEEKDAYS.get(wd.lower())
    for order, (day, month) in (("dmy", (a, b)), ("mdy", (b, a))):
        try:
            when = date(year, month, day)
        except ValueError:
            continue
        if expected is None or when.weekday() == expected:
            orders.add(order)
    return orders


def infer_date_order(lines: Iterable[str]) -> str:
    """Decide ``dmy`` or ``mdy`` for weekday-first date lines over the whole file.

    A line whose weekday (or a field above 12) fits only one order votes for it;
    ties and silence fall back to month-first, the order of the US English app.
    """
    votes = {"dmy": 0, "mdy": 0}
    for line in lines:
        match = _WEEKDAY_FIRST.match(line.translate(_INVISIBLE).strip())
        if match is None:
            continue
        year = gregorian_year(match["y"])
        orders = _weekday_orders(match["wd"], int(match["a"]), int(match["b"]), year)
        if len(orders) == 1:
            votes[orders.pop()] += 1
    return "dmy" if votes["dmy"] > votes["mdy"] else "mdy"


def parse_date_line(line: str, order: str) -> date | None:
    """The day a date line opens, or ``None`` when the line is not a date line."""
    line = line.translate(_INVISIBLE).strip()
    match = _YMD.match(line)
    if match:
        try:
            return date(gregorian_year(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
    match = _WEEKDAY_FIRST.match(line)
    if match:
        a, b, year = int(match["a"]), int(match["b"]), gregorian_year(match["y"])
        orders = _weekday_orders(match["wd"], a, b, year)
        if not orders:
            return None
        chosen = order if order in orders else orders.pop()
        day, month = (a, b) if chosen == "dmy" else (b, a)
        return date(year, month, day)
    return None


def _split_message(line: str) -> tuple[tuple[int, int], str | None, str] | None:
    """``((h, m), sender or None, text)`` for a message line, else ``None``."""
    fields = line.split("\t", 2)
    if len(fields) < 2:
        return None
    clock = parse_time(fields[0].translate(_INVISIBLE))
    if clock is None:
        return None
    if len(fields) == 2:  # some exports drop the empty sender column of system lines
        return clock, None, fields[1]
    sender = fields[1].translate(_INVISIBLE).strip()
    return clock, (sender or None), fields[2]


def _closes_quote(text: str) -> bool:
    """A quoted field (opening quote already removed) ends with an unescaped ``"``."""
    trailing = len(text) - len(text.rstrip('"'))
    return trailing % 2 == 1


def classify(sender: str | None, text: str) -> tuple[str, str | None, str]:
    """``(kind, media_type, text)``: placeholders become kinds and lose their text."""
    if sender is None:
        return Kind.SYSTEM, None, text
    loc = locale()
    stripped = text.strip()
    if stripped in loc.placeholders:
        kind, media_type = loc.placeholders[stripped]
        return kind, media_type, ""
    if stripped.startswith(loc.call_mark):
        return Kind.CALL, None, stripped.removeprefix(loc.call_mark).strip()
    return Kind.TEXT, None, text


class _Peekable:
    """Numbered lines with one line of look-ahead (quoted messages need it)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._it = enumerate(lines, 1)
        self._next: tuple[int, str] | None = None

    def peek(self) -> tuple[int, str] | None:
        if self._next is None:
            self._next = next(self._it, None)
        return self._next

    def pop(self) -> tuple[int, str] | None:
        item = self.peek()
        self._next = None
        return item


def parse_lines(
    lines: Iterable[str], path: str, order: str = "mdy", *, first_line: int = 1
) -> Iterator[ParsedMessage]:
    """Messages from the lines after the header (newlines stripped).

    ``first_line`` is the file line number of the first line given, for errors.
    """
    stream = _Peekable(lines)
    day: date | None = None
    previous: ParsedMessage | None = None
    while (item := stream.pop()) is not None:
        number, line = item
        number += first_line - 1
        if not line.strip():
            continue
        parsed = _split_message(line)
        if parsed is None:
            new_day = parse_date_line(line, order)
            if new_day is not None:
                day = new_day
                continue
            if previous is not None:
                # A line LINE did not quote: treat it as the previous message's next line.
                previous.text += "\n" + line
                continue
            if day is None:
                continue  # the "Saved on:" line, in whatever language
            raise ParseError(path, number, "expected a date line or a TIME<TAB>NAME<TAB>TEXT line")
        if day is None:
            raise ParseError(path, number, "message before the first date line")
        (hour, minute), sender, text = parsed
        if text.startswith('"'):
            text = _unquote(stream, text, path, number)
        kind, media_type, text = classify(sender, text)
        if previous is not None:
            yield previous
        previous = ParsedMessage(
            sender=sender,
            text=text,
            kind=kind,
            media_type=media_type,
            ts_local=datetime(day.year, day.month, day.day, hour, minute),
            line=number,
        )
    if previous is not None:
        yield previous


def _unquote(stream: _Peekable, text: str, path: str, number: int) -> str:
    """The text of a field that starts with ``"``: LINE's quoting of multi-line messages.

    A one-line field that is closed (``"say ""hi"" now"``) is unwrapped; an unclosed
    one continues over the following lines up to the closing quote. A single
    line that merely *starts* with a quote and is followed by a new message was
    never wrapped, and is kept as written.
    """
    inner = text[1:]
    if len(text) > 1 and _closes_quote(inner):
        return inner[:-1].replace('""', '"')
    ahead = stream.peek()
    if ahead is None or _split_message(ahead[1]) is not None or parse_date_line(ahead[1], "mdy"):
        return text
    parts = [inner]
    while (item := stream.pop()) is not None:
        parts.append(item[1])
        if _closes_quote(item[1]):
            joined = "\n".join(parts)
            return joined[:-1].replace('""', '"')
    raise ParseError(path, number, "a quoted multi-line message is never closed")


def _encoding(head: bytes) -> str:
    """UTF-16 when the file starts with its byte-order mark (LINE on Windows), else UTF-8."""
    return "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"


def _text_lines(tree: Tree, name: str) -> Generator[str, None, None]:
    """The entry's lines without line ends, streamed."""
    with tree.text_stream(name, _encoding(tree.head(name, 2))) as fh:
        for line in fh:
            yield line.rstrip("\r\n")


class LineImporter:
    """Reads LINE's ``[LINE] ...txt`` chat history in English, Japanese, Chinese and Thai."""

    name = "line"
    description = "LINE chat history (.txt, English / Japanese / Chinese / Thai)"

    def claim(self, tree: Tree, unclaimed: list[str]) -> list[Unit]:
        units = []
        for name in unclaimed:
            if not name.lower().endswith(".txt"):
                continue
            raw = tree.head(name, 1024)
            head = raw.decode(_encoding(raw), errors="replace")
            first = head.splitlines()[0] if head else ""
            found = read_header(first)
            if found is not None:
                units.append(Unit(self, [name], found[0]))
        return units

    def parse(self, tree: Tree, unit: Unit, options: ImportOptions) -> Iterator[ParsedConversation]:
        name = unit.entries[0]
        path = tree.display(name)
        with closing(_text_lines(tree, name)) as lines:
            first = next(lines, "")
        found = read_header(first)
        if found is None:
            raise ParseError(path, 1, "not a LINE chat history header")
        title, is_group = found
        given = options.date_order_for(path, name)
        order = given if given in ("dmy", "mdy") else None
        if order is None:
            order = infer_date_order(_text_lines(tree, name))
        conv = ParsedConversation(
            platform=PLATFORM,
            key=f"{'group' if is_group else 'chat'}:{title}",
            title=title,
            messages=[],
            is_group=is_group,
            source=path,
            format=self.name,
        )
        conv.messages = self._messages(tree, name, path, order, conv)
        yield conv

    def _messages(
        self, tree: Tree, name: str, path: str, order: str, conv: ParsedConversation
    ) -> Iterator[ParsedMessage]:
        lines = _text_lines(tree, name)
        next(lines, None)  # the header line
        for message in parse_lines(lines, path, order, first_line=2):
            if (
                not conv.is_group
                and conv.me_handle is None
                and message.sender is not None
                and message.sender != conv.title
            ):
                # One-to-one: whoever is not the person named in the header is the user.
                conv.me_handle = message.sender
            yield message


IMPORTER = LineImporter()
