"""WhatsApp header formats: sniffing them, and telling day-first from month-first.

A WhatsApp ``.txt`` export has no schema: every message starts with a header
whose shape follows the *phone's* locale settings, not the app language.

* Android: ``31/12/2023, 21:04 - Sam: text`` (also ``.``/``-`` in dates,
  two-digit years, ``12/31/23, 9:04 PM``, Spanish ``p. m.``, an en dash).
* iOS: ``[31/12/2023, 21:04:05] Sam: text`` (seconds always; newer builds put
  U+202F before ``PM``; U+200E before the bracket on system lines).
* Locale words around the time: Finnish ``24.12.2023 klo 18.01``, Japanese
  ``2021/01/30 午前0:04``; and real exports write ``23:59 PM`` or ``00:04 AM``.

The file is read twice, cheaply. :func:`sniff` looks at the first lines to
fix the header *shape* (brackets or dash, date separator, 12 or 24 hours) and
compiles one regex for it: a line in another shape is message text, which is
how a pasted header inside a message stays text. :func:`infer_date_order`
then streams the header dates until the order is certain; because most chats
show a day above 12 within their first weeks, it usually stops after a few
hundred lines, and only a truly ambiguous file is read to the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fondly._errors import AmbiguousDateOrder

# Bidirectional and formatting marks that exports scatter around headers,
# names and placeholders (iOS puts U+200E before system text, some Android
# builds wrap names in U+2068..U+2069, a stray BOM can appear mid-file).
# They are invisible, so deleting them everywhere changes nothing a user sees.
MARKS = dict.fromkeys(
    [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF]
)
LRM = "\u200e"

_DATE = r"\d{1,4}(?P<sep>[./-])\s?\d{1,4}(?P=sep)\s?\d{1,4}\.?"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
_AMPM = r"\s?[AaPp]\.?\s?[Mm]\.?"
# Japanese phones write the half of the day before the time: 午前0:04, 午後11:30.
_HALF_DAY = "午前|午後"
# Finnish phones put "klo" (kello, o'clock) between date and time: 24.12.2023 klo 18.01.
_AT = "klo"

# Permissive: any shape fondly knows. Used on a sample to find the file's shape.
LOOSE_HEADER = re.compile(
    rf"^(?P<open>\[)?(?P<date>{_DATE}),?\s(?:{_AT}\s)?(?P<time>(?P<half>{_HALF_DAY})?\s?{_TIME})(?P<ampm>{_AMPM})?"
    r"(?:(?P<close>\])\s?|\s?(?P<dash>[-–])\s)"
)

SAMPLE_LINES = 2000


@dataclass(frozen=True)
class HeaderFormat:
    """The one header shape a file uses, and the compiled regex for it.

    ``pattern`` matches ``"\\n" + header``; groups: 1 the date, 2 the time (with AM/PM).
    """

    bracket: bool
    date_sep: str
    twelve_hour: bool
    pattern: re.Pattern[str]

    @property
    def platform(self) -> str:
        return "ios" if self.bracket else "android"


# Inside one header only these spaces occur; ``\\s`` would also cross a line break.
_SP = "[ \u00a0\u202f]"


def _compile(bracket: bool, sep: str, twelve_hour: bool) -> re.Pattern[str]:
    """The header regex for one shape, anchored on the newline before the header.

    The parser scans whole blocks of text with it rather than matching line by
    line: the leading ``\\n`` is a literal prefix the regex engine finds with a
    fast substring search, so continuation lines cost nothing in Python.
    """
    s = re.escape(sep)
    date = rf"[0-9]{{1,4}}{s}{_SP}?[0-9]{{1,4}}{s}{_SP}?[0-9]{{1,4}}\.?"
    time = r"[0-9]{1,2}[:.][0-9]{2}(?:[:.][0-9]{2})?"
    if twelve_hour:
        # Both markers optional: a 12-hour file still holds "23:59" style times.
        time = rf"(?:(?:{_HALF_DAY}){_SP}?)?{time}(?:{_SP}?[AaPp]\.?{_SP}?[Mm]\.?)?"
    at = rf"(?:{_AT}{_SP})?"
    if bracket:
        return re.compile(rf"\n\[({date}),?{_SP}{at}({time})\]{_SP}?")
    return re.compile(rf"\n({date}),?{_SP}{at}({time}){_SP}?[-–]{_SP}")


def looks_like_header(line: str) -> bool:
    """Whether a line starts with a WhatsApp header of any known shape."""
    return LOOSE_HEADER.match(line.translate(MARKS)) is not None


def sniff(lines: Iterable[str]) -> HeaderFormat | None:
    """The header shape of the sample: its first line's, else the one most lines use.

    An export starts with a header, so a first line of header shape decides: a message
    that quotes lines pasted from a chat exported on another phone (another clock) must
    not outvote the export's own headers. ``None`` when no line has a header's shape.
    """
    votes: dict[tuple[bool, str, bool], int] = {}
    first: tuple[bool, str, bool] | None = None
    seen_text = False
    for line in lines:
        m = LOOSE_HEADER.match(line.translate(MARKS))
        if m is None:
            seen_text = seen_text or bool(line.strip())
            continue
        twelve = m["ampm"] is not None or m["half"] is not None
        key = (m["open"] is not None and m["close"] is not None, m["sep"], twelve)
        votes[key] = votes.get(key, 0) + 1
        if first is None and not seen_text:
            first = key
    if not votes:
        return None
    bracket, sep, twelve = first or max(votes, key=lambda k: votes[k])
    return HeaderFormat(bracket, sep, twelve, _compile(bracket, sep, twelve))


def date_fields(date: str) -> tuple[str, str, str]:
    """The three digit groups of a header date, in file order."""
    parts = re.findall(r"[0-9]+", date)
    return parts[0], parts[1], parts[2]


class DateOrderVotes:
    """Evidence about the order of the date fields, gathered line by line.

    A field above 12 cannot be a month; a field of four digits or above 31 is
    the year. Files without such a field are weighed by :func:`choose_date_order`.
    """

    def __init__(self) -> None:
        self.first_gt12 = 0
        self.second_gt12 = 0
        self.year_first = 0
        self.year_last = 0
        self.seen: set[str] = set()

    def add(self, date: str) -> None:
        if date in self.seen:
            return
        self.seen.add(date)
        a, b, c = date_fields(date)
        if len(a) == 4 or int(a) > 31:
            self.year_first += 1
            return
        if len(c) == 4 or int(c) > 31:
            self.year_last += 1
        if int(a) > 12:
            self.first_gt12 += 1
        if int(b) > 12:
            self.second_gt12 += 1

    def certain(self) -> str | None:
        """An order the evidence so far already proves beyond doubt."""
        if self.year_first >= 3 and not self.year_last:
            return "ymd"
        if self.first_gt12 >= 3 and not self.second_gt12:
            return "dmy"
        if self.second_gt12 >= 3 and not self.first_gt12:
            return "mdy"
        return None


def infer_date_order(dates: Iterable[str], path: str, clue: str | None = None) -> str:
    """The date order of a file's headers; see :func:`choose_date_order`."""
    return choose_date_order(dates, path, clue)[0]


def choose_date_order(dates: Iterable[str], path: str, clue: str | None = None) -> tuple[str, str]:
    """``(order, why)``: read header dates until the order is certain, else weigh the evidence.

    In turn: a field above 12 or a leading year proves the order; a file whose
    every date reads the same either way (1/1/21, 2/2/21) needs no choice; an
    export is written in time order, so the order under which the dates never
    (or least often) go back in time wins; then ``clue``, the order the file's
    locale suggests (dotted dates, a non-English file name). Only when all of
    that leaves a tie is the file refused, by name.
    """
    votes = DateOrderVotes()
    distinct: list[str] = []
    for n, date in enumerate(dates, 1):
        if date not in votes.seen:
            distinct.append(date)
        votes.add(date)
        if n % 64 == 0:
            found = votes.certain()
            if found is not None:
                return found, "from the dates"
    found = votes.certain()
    if found is not None:
        return found, "from the dates"
    if votes.year_first > votes.year_last:
        return "ymd", "from the dates"
    if votes.first_gt12 != votes.second_gt12:
        # A stray header-shaped line inside a message can add a vote or two;
        # the lines that contradict the majority then stay message text.
        return ("dmy" if votes.first_gt12 > votes.second_gt12 else "mdy"), "from the dates"
    if all(a == b for a, b, _ in (date_fields(d) for d in distinct)):
        return "dmy", "every date reads the same either way"
    backwards = {order: _time_order_breaks(distinct, order) for order in ("dmy", "mdy")}
    if backwards["dmy"] != backwards["mdy"]:
        best = min(backwards, key=lambda o: backwards[o])
        return best, "the order that keeps the chat in time order"
    if clue is not None:
        return clue, "from the file's locale"
    raise AmbiguousDateOrder(
        path,
        None,
        "cannot tell whether dates are day-first or month-first (every day is 12 or less "
        "and both orders keep the chat in time order); "
        "give --date-order dmy or --date-order mdy",
    )


def _time_order_breaks(dates: list[str], order: str) -> tuple[int, int]:
    """``(unreadable dates, steps back in time)`` when the dates are read in ``order``."""
    reader = DateReader(order)
    bad = back = 0
    prev = -1
    for date in dates:
        value = reader.date(date)
        if value is False:
            bad += 1
            continue
        ordinal = value[3]  # type: ignore[index]
        if ordinal < prev:
            back += 1
        prev = ordinal
    return bad, back


class DateReader:
    """Turns header date and time strings into numbers, caching both halves.

    A chat has a few thousand distinct dates and at most 86,400 distinct times,
    so two small dicts replace a million ``int()``/``strptime`` calls. Invalid
    strings map to ``False`` so that they are cached too.
    """

    def __init__(self, order: str) -> None:
        self.order = order
        self.dates: dict[str, tuple[int, int, int, int] | bool] = {}
        self.times: dict[str, int | bool] = {}

    def date(self, text: str) -> tuple[int, int, int, int] | bool:
        """``(year, month, day, ordinal)``, or ``False`` when not a real date."""
        a, b, c = (int(p) for p in date_fields(text))
        if self.order == "ymd":
            y, m, d = a, b, c
        elif self.order == "mdy":
            m, d, y = a, b, c
        else:
            d, m, y = a, b, c
        if y < 100:
            y += 2000
        value: tuple[int, int, int, int] | bool
        try:
            value = (y, m, d, datetime(y, m, d).toordinal())
        except ValueError:
            value = False
        self.dates[text] = value
        return value

    def valid_elsewhere(self, text: str) -> bool:
        """Whether a date this order cannot read is a real date in another order.

        That is the sign of a wrong --date-order; a date no order can read
        ("31/02/2024") is message text that happens to look like a header.
        """
        return any(
            DateReader(other).date(text) is not False
            for other in ("dmy", "mdy", "ymd")
            if other != self.order
        )

    def time(self, text: str) -> int | bool:
        """Microseconds since midnight, or ``False`` when not a real time of day."""
        digits = re.findall(r"[0-9]+", text)
        hour, minute = int(digits[0]), int(digits[1])
        second = int(digits[2]) if len(digits) > 2 else 0
        marker = re.search(r"[AaPp午]", text)
        if marker is not None and 1 <= hour <= 12:
            # Real exports also write "23:59 PM" and "00:04 AM": an hour that
            # cannot be on a 12-hour clock is read as the 24-hour clock it is.
            after = "p" if "午後" in text else "a" if "午前" in text else marker.group().lower()
            hour = hour % 12 + (12 if after == "p" else 0)
        valid = hour <= 23 and minute <= 59 and second <= 59
        value: int | bool = ((hour * 60 + minute) * 60 + second) * 1_000_000 if valid else False
        self.times[text] = value
        return value
