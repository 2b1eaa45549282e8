"""Dates as reviews and agency chronologies write them: "December 2014", "early 2015", "2013–2015",
"22/05/2016", "w/c 3 Mar 2014", "?22 May 2016", "c. 2012", "unknown".

A review rarely gives a day. Forcing one would invent precision the source does not have, so a
date is kept as an interval (earliest, latest) plus the precision of the text. Ordering and
"before date T" questions use the interval; the UI shows the text as the review wrote it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

PRECISIONS = ("day", "week", "month", "part", "season", "year", "range", "open", "approximate", "unknown")

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9

# "early 2015" covers Jan–Apr, "mid 2015" May–Aug, "late 2015" Sep–Dec: thirds of a year, the
# way practitioners use the words.
_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14)}
_HEDGES = re.compile(
    r"^(about|around|approximately|approx\.?|c\.|circa|by|before|after|from|since|until|to|in)\s+", re.I
)
# A hyphen separates a range ("2013-2015") but not "2014-12-03" or "mid-2009" / "early-Dec".
_RANGE_SEP = re.compile(r"\s*(?:–|—|(?<!early)(?<!mid)(?<!late)-(?!\d{2}(?:\D|$))|\bto\b|\buntil\b)\s*", re.I)


class DateError(ValueError):
    """A date text the parser cannot read; the message says what forms it accepts."""


ACCEPTED_FORMS = (
    "YYYY-MM-DD, 'DD Month YYYY', DD/MM/YYYY, DD/MM/YY, DD.MM.YYYY, DD-Mon-YYYY, 'Month YYYY', 'YYYY-MM', "
    "'w/c DD Month YYYY' (week commencing), 'early/mid/late YYYY', 'early/mid/late Month YYYY', "
    "'spring/summer/autumn/winter YYYY', 'YYYY', 'c. X' or '?X' (uncertain), 'unknown', "
    "a range 'X – Y' of those, or an open range 'from X' / 'X –' / '– Y'"
)
# Chronologies write a date nobody recorded as one of these; it is kept, with no interval at all.
_UNKNOWN = frozenset({"unknown", "not known", "n/k", "nk", "date unknown", "not recorded"})
# "22/05/2016", "22.05.16", "22-05-2016": day first, as UK agencies write them; two-digit years are 20YY.
_NUMERIC_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
# "22-May-2016" / "22-May-16": a spreadsheet's day-month-year, read as "22 May 2016".
_DASHED_DAY = re.compile(r"(\d{1,2})-([A-Za-z]{3,9})-(\d{4}|\d{2})")
_WEEK_COMMENCING = re.compile(r"^(?:w/c|w\.c\.|wc|week commencing|week beginning|w/b)\s+", re.I)
# "?22 May 2016", "22 May 2016 (?)": the agency was not sure of the date it wrote.
_QUERIED = re.compile(r"^\?\s*|\s*\(?\?\)?$")


@dataclass(frozen=True)
class DateSpan:
    """An interval of possible dates plus how precisely the source stated it."""

    text: str
    earliest: date | None
    latest: date | None
    precision: str

    def as_properties(self, name: str) -> dict[str, object]:
        return {
            f"{name}_text": self.text,
            f"{name}_from": self.earliest,
            f"{name}_to": self.latest,
            f"{name}_precision": self.precision,
        }


def _month_end(year: int, month: int) -> date:
    if month > 12:
        year, month = year + 1, month - 12
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _single(text: str) -> tuple[date, date, str]:
    """Parse one point expression into (earliest, latest, precision)."""
    t = _HEDGES.sub("", text.strip().rstrip(".").strip()).strip()
    if m := _NUMERIC_DAY.fullmatch(t):
        d = date(_year(m[3]), int(m[2]), int(m[1]))
        return d, d, "day"
    if m := _DASHED_DAY.fullmatch(t):
        t = f"{m[1]} {m[2]} {_year(m[3])}"
    if week := _WEEK_COMMENCING.match(t):
        first, _, precision = _single(t[week.end() :])
        if precision != "day":
            raise DateError(f"'week commencing' needs a day, not {text!r}")
        return first, first + timedelta(days=6), "week"
    t = t.replace(",", " ")
    t = re.sub(r"\s+", " ", t)
    low = t.lower()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d, "day"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", t):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            raise DateError(f"month {mo} out of range")
        return date(y, mo, 1), _month_end(y, mo), "month"
    if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.? (\d{4})", low):
        mo = _MONTHS.get(m[2])
        if mo:
            d = date(int(m[3]), mo, int(m[1]))
            return d, d, "day"
    if m := re.fullmatch(r"([a-z]+)\.? (\d{4})", low):
        word, y = m[1], int(m[2])
        if word in _MONTHS:
            mo = _MONTHS[word]
            return date(y, mo, 1), _month_end(y, mo), "month"
        if word in _SEASONS:
            a, b = _SEASONS[word]
            return date(y, a, 1), _month_end(y, b), "season"
    if m := re.fullmatch(r"(early|mid|late)[- ]?([a-z]+)\.? (\d{4})", low):
        mo = _MONTHS.get(m[2])
        if mo:
            y = int(m[3])
            first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, None)}[m[1]]
            return date(y, mo, first), date(y, mo, last) if last else _month_end(y, mo), "part"
    if m := re.fullmatch(r"(early|mid|late)[- ]?(\d{4})", low):
        a, b = _PARTS[m[1]]
        y = int(m[2])
        return date(y, a, 1), _month_end(y, b), "part"
    if m := re.fullmatch(r"(\d{4})", t):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31), "year"
    raise DateError(f"cannot read {text!r} as a date")


# No child a review is about was born before 1900, and nothing it records happens after next year:
# outside these years a date is a typo (0001-01-01 from a spreadsheet's empty cell, 2090 for 2009).
FIRST_YEAR = 1900


def last_year() -> int:
    return date.today().year + 1


def parse_date(text: object) -> DateSpan:
    """Parse a review's date text (or a ``datetime.date``) into a :class:`DateSpan`; refuse one
    outside the years a case can hold (``FIRST_YEAR`` to next year)."""
    span = _parse(text)
    for end in (span.earliest, span.latest):
        if end is not None and not FIRST_YEAR <= end.year <= last_year():
            raise DateError(
                f"{span.text!r} is not a possible date in a case; expected a date between "
                f"{FIRST_YEAR} and {last_year()}"
            )
    return span


def _parse(text: object) -> DateSpan:
    if isinstance(text, datetime):  # a time of day is finer than any date here
        text = text.date()
    if isinstance(text, date):
        return DateSpan(text.isoformat(), text, text, "day")
    if isinstance(text, int):
        text = str(text)
    if not isinstance(text, str) or not text.strip():
        raise DateError(f"expected a date text ({ACCEPTED_FORMS}), got {text!r}")
    raw = text.strip()
    if raw.lower().rstrip(".") in _UNKNOWN:
        return DateSpan(raw, None, None, "unknown")
    if _QUERIED.search(raw) and (bare := _QUERIED.sub("", raw)):
        span = _parse(bare)
        return DateSpan(raw, span.earliest, span.latest, "approximate")
    try:
        if _NUMERIC_DAY.fullmatch(raw) or _DASHED_DAY.fullmatch(raw):  # its dashes are not a range
            lo, hi, precision = _single(raw)
            return DateSpan(raw, lo, hi, precision)
        parts = [p for p in _RANGE_SEP.split(raw, maxsplit=1)]
        if len(parts) == 2:
            left, right = (p.strip() for p in parts)
            lo = _single(left) if left else None
            hi = _single(right) if right else None
            if lo is None and hi is None:
                raise DateError("empty range")
            # "Aug 2012 – May 2013": the second part may borrow the first's year ("Jan – Mar 2015").
            if lo and hi and lo[0] > hi[1]:
                raise DateError(f"range ends before it starts in {raw!r}")
            precision = "range" if lo and hi else "open"
            return DateSpan(raw, lo[0] if lo else None, hi[1] if hi else None, precision)
        if re.match(r"^(from|since|after)\s", raw, re.I):
            lo = _single(raw)
            return DateSpan(raw, lo[0], None, "open")
        if re.match(r"^(until|to|before|by)\s", raw, re.I):
            hi = _single(raw)
            return DateSpan(raw, None, hi[1], "open")
        lo, hi, precision = _single(raw)
        return DateSpan(raw, lo, hi, precision)
    except DateError as exc:
        raise DateError(f"{exc}; expected {ACCEPTED_FORMS}") from None
    except ValueError as exc:  # impossible day such as 2015-02-30
        raise DateError(f"cannot read {raw!r} as a date ({exc}); expected {ACCEPTED_FORMS}") from None


def sort_key(span: DateSpan) -> tuple[date, date]:
    """Order by earliest, then latest; open ends sort last/first as a reader expects."""
    return (span.earliest or date.min, span.latest or date.max)
