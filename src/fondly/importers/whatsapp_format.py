"""WhatsApp header formats: sniffing them, and telling day-first from month-first.

A WhatsApp ``.txt`` export has no schema: every message starts with a header
whose shape follows the *phone's* locale settings, not the app language.

* Android: ``31/12/2023, 21:04 - Sam: text`` (also ``.``/``-`` in dates,
  two-digit years, ``12/31/23, 9:04 PM``, Spanish ``p. m.``, an en dash).
* iOS: ``[31/12/2023, 21:04:05] Sam: text`` (seconds always; newer builds put
  U+202F before ``PM``; U+200E before the bracket on system lines).

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

# Permissive: any shape fondly knows. Used on a sample to find the file's shape.
LOOSE_HEADER = re.compile(
    rf"^(?P<open>\[)?(?P<date>{_DATE}),?\s(?P<time>{_TIME})(?P<ampm>{_AMPM})?"
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
        time += rf"{_SP}?[AaPp]\.?{_SP}?[Mm]\.?"
    if bracket:
        return re.compile(rf"\n\[({date}),?{_SP}({time})\]{_SP}?")
    return re.compile(rf"\n({date}),?{_SP}({time}){_SP}?[-–]{_SP}")


def looks_like_header(line: str) -> bool:
    """Whether a line starts with a WhatsApp header of any known shape."""
    return LOOSE_HEADER.match(line.translate(MARKS)) is not None


def sniff(lines: Iterable[str]) -> HeaderFormat | None:
    """The header shape most of the sample's header lines use, or ``None``."""
    votes: dict[tuple[bool, str, bool], int] = {}
    for line in lines:
        m = LOOSE_HEADER.match(line.translate(MARKS))
        if m is None:
            continue
        key = (m["open"] is not None and m["close"] is not None, m["sep"], m["ampm"] is not None)
        votes[key] = votes.get(key, 0) + 1
    if not votes:
        return None
    bracket, sep, twelve = max(votes, key=lambda k: votes[k])
    return HeaderFormat(bracket, sep, twelve, _compile(bracket, sep, twelve))


def date_fields(date: str) -> tuple[str, str, str]:
    """The three digit groups of a header date, in file order."""
    parts = re.findall(r"[0-9]+", date)
    return parts[0], parts[1], parts[2]


class DateOrderVotes:
    """Evidence about the order of the date fields, gathered line by line.

    A field above 12 cannot be a month; a field of four digits or above 31 is
    the year. Between day-first and month-first with no day above 12, the field
    that *decreases* while the year stays is the day (days reset every month,
    months only reset with the year).
    """

    def __init__(self) -> None:
        self.first_gt12 = 0
        self.second_gt12 = 0
        self.year_first = 0
        self.year_last = 0
        self.decrease_first = 0
        self.decrease_second = 0
        self._prev: tuple[int, int, int] | None = None
        self._seen: set[str] = set()

    def add(self, date: str) -> None:
        if date in self._seen:
            return
        self._seen.add(date)
        a, b, c = date_fields(date)
        if len(a) == 4 or int(a) > 31:
            self.year_first += 1
            return
        if len(c) == 4 or int(c) > 31:
            self.year_last += 1
        x, y, year = int(a), int(b), int(c)
        if x > 12:
            self.first_gt12 += 1
        if y > 12:
            self.second_gt12 += 1
        prev = self._prev
        if prev is not None and prev[2] == year:
            if x < prev[0] and y > prev[1]:
                self.decrease_first += 1
            elif y < prev[1] and x > prev[0]:
                self.decrease_second += 1
        self._prev = (x, y, year)

    def certain(self) -> str | None:
        """An order the evidence so far already proves beyond doubt."""
        if self.year_first >= 3 and not self.year_last:
            return "ymd"
        if self.first_gt12 >= 3 and not self.second_gt12:
            return "dmy"
        if self.second_gt12 >= 3 and not self.first_gt12:
            return "mdy"
        return None

    def decide(self) -> str | None:
        """The most likely order once every date has been seen, or ``None``."""
        if self.year_first > self.year_last:
            return "ymd"
        if self.first_gt12 != self.second_gt12:
            # A stray header-shaped line inside a message can add a vote or
            # two; the lines that contradict the majority then fail to parse
            # as dates and stay message text.
            return "dmy" if self.first_gt12 > self.second_gt12 else "mdy"
        if self.decrease_first != self.decrease_second:
            return "dmy" if self.decrease_first > self.decrease_second else "mdy"
        return None


def infer_date_order(dates: Iterable[str], path: str) -> str:
    """Read header dates until the order is certain; raise when it never is."""
    votes = DateOrderVotes()
    for n, date in enumerate(dates, 1):
        votes.add(date)
        if n % 64 == 0:
            found = votes.certain()
            if found is not None:
                return found
    found = votes.certain() or votes.decide()
    if found is None:
        raise AmbiguousDateOrder(
            path,
            None,
            "cannot tell whether dates are day-first or month-first (every day is 12 or less); "
            "give --date-order dmy or --date-order mdy",
        )
    return found


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
        marker = re.search(r"[AaPp]", text)
        valid = True
        if marker is not None:
            valid = 1 <= hour <= 12
            hour = hour % 12 + (12 if marker.group().lower() == "p" else 0)
        valid = valid and hour <= 23 and minute <= 59 and second <= 59
        value: int | bool = ((hour * 60 + minute) * 60 + second) * 1_000_000 if valid else False
        self.times[text] = value
        return value
