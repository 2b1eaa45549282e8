"""Dates, ages and sentences in a review's prose, in the forms loaders.dates.parse_date reads.

A review writes 'in late 2008', 'March to May 2009', '5 months later' (after a dated sentence)
or 'aged 12'; a draft record's date is one of these as parse_date text, kept with the words it
came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from loaders.dates import DateError, DateSpan, parse_date

_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_YR = r"(?:19[5-9]\d|20[0-4]\d)"
_PART = r"(?:early|mid|late)"
_POINT = rf"(?:{_PART}[- ]?(?:in\s+)?)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MON}\.?\s+)?{_YR}"
_OTHER_PERSON = re.compile(
    r"\b(?:males?|m[ae]n|offenders?|adults?|boys?|girls?|perpetrators?|peers?|siblings?|"
    r"brothers?|sisters?|mother|father|cousin|perpetrator)\b[^.]{0,30}$",
    re.IGNORECASE,
)
_CITATION_BEFORE = re.compile(r"(?:\bAct|Regulations?|Rules|Order|Strategy|Guidance|Framework|\(|\[)\s*,?\s*$")


@dataclass(frozen=True)
class _DateHit:
    start: int
    end: int
    text: str  # a form loaders.dates.parse_date accepts
    written: str
    span: DateSpan


@dataclass(frozen=True)
class _AgeHit:
    start: int
    end: int
    years: int
    months: int

    def after_birth(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """The least and the (exclusive) greatest time since birth the age allows, as (years, months):
        'aged 12' is 12 years up to 13; '12 years 10 months' is up to 12 years 11 months."""
        upper = (self.years, self.months + 1) if self.months else (self.years + 1, 0)
        return (self.years, self.months), upper


def _month(word: str) -> str:
    return word[:3].title()


def _point(text: str) -> str | None:
    """One end of a range as the review wrote it → parse_date's form ('late in 2008' → 'late 2008')."""
    t = " ".join(text.split())
    if m := re.fullmatch(rf"({_PART})[- ]?(?:in\s+)?({_YR})", t, re.IGNORECASE):
        return f"{m[1].lower()} {m[2]}"
    if m := re.fullmatch(
        rf"(?:{_PART}[- ]?(?:in\s+)?)?(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MON})\.?\s+({_YR})", t, re.IGNORECASE
    ):
        return f"{int(m[1])} {_month(m[2])} {m[3]}"
    if m := re.fullmatch(rf"(?:{_PART}[- ]?(?:in\s+)?)?({_MON})\.?\s+({_YR})", t, re.IGNORECASE):
        return f"{_month(m[1])} {m[2]}"
    if m := re.fullmatch(rf"({_YR})", t):
        return m[1]
    return None


def _date_patterns() -> list[tuple[re.Pattern, object]]:
    """(pattern, converter) in priority order; an earlier pattern's hit blocks overlapping later ones."""
    flags = re.IGNORECASE

    def rng(m: re.Match) -> str | None:
        a, b = _point(m[1]), _point(m[2])
        return f"{a} – {b}" if a and b else None

    return [
        (re.compile(rf"\b(?:between|from)\s+({_POINT})\s+(?:and|to|until|till|–|-)\s+({_POINT})\b", flags), rng),
        (
            re.compile(rf"\b({_MON})\.?\s*(?:–|-|to)\s*({_MON})\.?\s+({_YR})\b", flags),
            lambda m: f"{_month(m[1])} {m[3]} – {_month(m[2])} {m[3]}",
        ),
        (
            re.compile(
                r"\b(spring|summer|autumn|winter)\s*(?:–|-|to)\s*(spring|summer|autumn|winter)\s+"
                rf"(?:of\s+)?({_YR})\b",
                flags,
            ),
            lambda m: f"{m[1].lower()} {m[3]} – {m[2].lower()} {m[3]}",
        ),
        (
            re.compile(rf"\b(?:from|since)\s+({_POINT})\b(?!\s+(?:and|to|until|–|-)\s+\d)", flags),
            lambda m: f"from {_point(m[1])}" if _point(m[1]) else None,
        ),
        (
            re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MON})\.?,?\s+({_YR})\b", flags),
            lambda m: f"{int(m[1])} {_month(m[2])} {m[3]}",
        ),
        (
            re.compile(rf"\b({_MON})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,\s*({_YR})\b", flags),
            lambda m: f"{int(m[2])} {_month(m[1])} {m[3]}",
        ),
        (
            re.compile(rf"\b{_PART}[- ]?(?:in\s+)?(?:the\s+month\s+of\s+)?({_MON})\.?\s+(?:of\s+)?({_YR})\b", flags),
            lambda m: f"{_month(m[1])} {m[2]}",
        ),
        (re.compile(rf"\b({_MON})\.?\s+(?:of\s+)?({_YR})\b", flags), lambda m: f"{_month(m[1])} {m[2]}"),
        (
            re.compile(rf"\b({_PART})[- ]?(?:in\s+)?(?:the\s+year\s+)?({_YR})\b", flags),
            lambda m: f"{m[1].lower()} {m[2]}",
        ),
        (
            re.compile(rf"\b(?:towards?\s+)?the\s+(end|beginning|start|middle)\s+of\s+({_YR})\b", flags),
            lambda m: f"{ {'end': 'late', 'middle': 'mid'}.get(m[1].lower(), 'early') } {m[2]}",
        ),
        (
            re.compile(rf"\b(spring|summer|autumn|winter)\s+(?:of\s+)?({_YR})\b", flags),
            lambda m: f"{m[1].lower()} {m[2]}",
        ),
        (
            re.compile(rf"\b({_YR})\s*(?:/|–|-|to)\s*(\d{{2}}|{_YR})\b(?![/\d])"),
            lambda m: f"{m[1]} – {b}" if (b := m[2] if len(m[2]) == 4 else m[1][:2] + m[2]) > m[1] else None,
        ),
        (re.compile(rf"(?<![\d£$/.:-])({_YR})\b(?![)\d/]|\.\d|-\d)"), lambda m: m[1]),
    ]


_PATTERNS = _date_patterns()
_MONTH_ONLY = re.compile(
    rf"\b(?i:in|during|by|until|of|early|mid|late|from)[- ](?i:early\s+|mid-?\s*|late\s+)?"
    rf"((?!May\b){_MON})\b(?!\.?\s*\d)"
)
_AGES = (
    re.compile(r"\baged\s+(\d{1,2})\b(?:\s+years?)?(?:\s+(?:and\s+)?(\d{1,2})\s+months?)?", re.IGNORECASE),
    re.compile(r"\bat the age of\s+(\d{1,2})\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,2})\s+years?\s+(?:of age|old)\b", re.IGNORECASE),
    re.compile(r"\((\d{1,2})\s+years?(?:\s+(?:and\s+)?(\d{1,2})\s+months?)?(?:\s+old)?\)", re.IGNORECASE),
)


_ANY_DATE = re.compile(rf"{_YR}|\b{_MON}\b|\blater\b|\bafter(?:wards)?\b|\bfollowing\b|\bnext\b", re.IGNORECASE)
_NUMBER_WORDS = {
    w: i for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), start=1)
} | {"a": 1, "an": 1}
_RELATIVE = re.compile(
    r"\b(?:(\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(day|week|month|year)s?\s+(?:later|after(?:wards)?)|the\s+(?:following|next)\s+"
    r"(day|week|weekend|month|year))\b",
    re.IGNORECASE,
)


def _relative(m: re.Match, base: DateSpan) -> str | None:
    """'5 months later' after 'March 2008' → 'Aug 2008'; days and weeks keep the base's month."""
    if base.precision not in ("day", "month", "year") or base.earliest is None:
        return None
    count = 1 if m[3] else int(m[1]) if m[1].isdigit() else _NUMBER_WORDS[m[1].lower()]
    unit = (m[2] or m[3]).lower()
    d = base.earliest
    if unit == "year":
        return str(d.year + count) if base.precision == "year" else f"{_add_years(d, count):%b %Y}"
    if base.precision == "year":
        return None
    if unit == "month":
        return f"{_add_years(d, 0, count):%b %Y}"
    return f"{d:%b %Y}"


def find_dates(sentence: str, context: DateSpan | None = None) -> list[_DateHit]:
    """The date expressions in a sentence, as parse_date texts. With ``context`` (the last date
    before the sentence in the review), a month without a year takes its year, and a sentence with
    no date of its own is dated from '5 months later', 'the following weekend'."""
    hits: list[_DateHit] = []
    if not _ANY_DATE.search(sentence):
        return hits

    def free(a: int, b: int) -> bool:
        return all(b <= h.start or a >= h.end for h in hits)

    for rx, convert in _PATTERNS:
        for m in rx.finditer(sentence):
            if not free(m.start(), m.end()):
                continue
            if rx is _PATTERNS[-1][0] and _CITATION_BEFORE.search(sentence[max(0, m.start() - 14) : m.start()]):
                continue
            text = convert(m)
            if not text:
                continue
            try:
                span = parse_date(text)
            except DateError:
                continue
            hits.append(_DateHit(m.start(), m.end(), text, m[0], span))
    if context is not None and context.earliest is not None:
        for m in _MONTH_ONLY.finditer(sentence):
            if free(m.start(1), m.end(1)):
                month = parse_date(f"{_month(m[1])} 2000").earliest.month
                year = context.earliest.year + (1 if month + 3 < context.earliest.month else 0)
                text = f"{_month(m[1])} {year}"
                hits.append(_DateHit(m.start(1), m.end(1), text, m[0], parse_date(text)))
        if not hits and (m := _RELATIVE.search(sentence)) and (text := _relative(m, context)):
            hits.append(_DateHit(m.start(), m.end(), text, f"{m[0]} (after {context.text})", parse_date(text)))
    return sorted(hits, key=lambda h: h.start)


def find_ages(sentence: str) -> list[_AgeHit]:
    """Ages of a child ('aged 12', '(10 years 4 months)'); ages of other people are left out."""
    out = []
    for rx in _AGES:
        for m in rx.finditer(sentence):
            if _OTHER_PERSON.search(sentence[max(0, m.start() - 45) : m.start()]):
                continue
            months = int(m[2]) if m.lastindex and m.lastindex >= 2 and m[2] else 0
            if all(m.end() <= a.start or m.start() >= a.end for a in out):
                out.append(_AgeHit(m.start(), m.end(), int(m[1]), months))
    return sorted(out, key=lambda a: a.start)


def _add_years(d: date, years: int, months: int = 0) -> date:
    total = d.year * 12 + d.month - 1 + years * 12 + months
    y, mo = divmod(total, 12)
    day = min(
        d.day, [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo]
    )
    return date(y, mo + 1, day)


def _span_text(a: date, b: date) -> str:
    """A date interval as the coarsest text parse_date reads back to cover it."""
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31):
        return str(a.year) if a.year == b.year else f"{a.year} – {b.year}"
    first, last = f"{a:%b} {a.year}", f"{b:%b} {b.year}"
    return first if first == last else f"{first} – {last}"


_ABBREV_END = re.compile(r"\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|No|St|vs|approx|cf|al|Ltd)\.[\"”’)]?$")
_BOUNDARY = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“(]?[A-Z0-9])|\n")


def sentence_spans(text: str) -> list[tuple[int, str]]:
    """A paragraph's sentences with their offsets, not broken after 'e.g.', initials or 'No.'."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if m[0] != "\n" and _ABBREV_END.search(text[start : m.start()]):
            continue
        spans.append((start, text[start : m.start()]))
        start = m.end()
    spans.append((start, text[start:]))
    return [(a + len(s) - len(s.lstrip()), s.strip()) for a, s in spans if s.strip()]


def sentences(text: str) -> list[str]:
    return [s for _, s in sentence_spans(text)]
