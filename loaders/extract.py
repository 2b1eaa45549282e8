"""A draft case from a published review: every element a reviewer must check, pointing at its paragraph.

Curating a review by hand takes days; most of that time goes on finding and typing what the text
already says plainly: which areas and police forces there are and which force covers which
area, which agencies are named and where they are, what happened when, which meetings were
held, and which agencies each learning point addresses. This module drafts those records so a
reviewer corrects instead of transcribing. Nothing here is a conclusion: every record cites the
paragraph it was read from and says in ``notes`` that it is a draft and why it was made.

The output is an ordinary case folder (case.yaml, draft.yaml, documents/) that the validator
accepts, so a draft can be loaded and browsed before it is corrected.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from loaders.dates import DateError, DateSpan, parse_date
from loaders.documents import pages_to_text, read_document
from loaders.paragraphs import DocumentIndex, Paragraph

GAZETTEER = Path(__file__).with_name("gazetteer.yaml")
MAX_REFS = 12  # a record cites its first mentions; the notes give the total
SCANNED_KINDS = ("paragraph", "learning_point", "good_practice", "recommendation", "appendix", "table", "heading")
NARRATIVE_KINDS = ("paragraph", "appendix")
UNSCANNED_TABLES = ("Contents", "Glossary")


# --- names: gazetteer, areas, police forces, children ------------------------------------------


@dataclass(frozen=True)
class GazetteerEntry:
    key: str
    name: str
    sector: str
    provider: str | None
    police: bool
    per_child: bool
    aliases: tuple[str, ...]
    not_before: tuple[str, ...] = ()  # words that, following an alias, make it something else


def load_gazetteer(*extra: str | Path) -> list[GazetteerEntry]:
    """The built-in gazetteer plus any extra files in the same format (later entries add aliases)."""
    entries: dict[str, GazetteerEntry] = {}
    for path in (GAZETTEER, *extra):
        for raw in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["agencies"]:
            old = entries.get(raw["key"])
            aliases = (*(old.aliases if old else ()), raw.get("name", ""), *raw.get("aliases", []))
            entries[raw["key"]] = GazetteerEntry(
                key=raw["key"],
                name=raw.get("name") or old.name,
                sector=raw.get("sector") or old.sector,
                provider=raw.get("provider", old.provider if old else None),
                police=bool(raw.get("police", old.police if old else False)),
                per_child=bool(raw.get("per_child", old.per_child if old else False)),
                aliases=tuple(a for a in dict.fromkeys(aliases) if a),
                not_before=tuple(raw.get("not_before", old.not_before if old else ())),
            )
    return list(entries.values())


def _alias_pattern(alias: str) -> str:
    alias = alias.replace("’", "'")
    words = [re.escape(w) for w in re.split(r"[\s-]+", alias)]
    body = r"[\s-]+".join(words)
    if alias[-1:].isalpha():
        body += r"(?:'?s|es)?"
    return body


class AgencyMatcher:
    """Finds gazetteer aliases in text; the longest alias wins where they overlap."""

    def __init__(self, entries: list[GazetteerEntry]) -> None:
        self.by_alias: dict[str, GazetteerEntry] = {}
        exact, folded = [], []
        for entry in entries:
            for alias in entry.aliases:
                acronym = alias.upper() == alias and any(c.isalpha() for c in alias)
                self.by_alias[self._key(alias, acronym)] = entry
                (exact if acronym else folded).append(alias)
        by_len = lambda aliases: sorted(set(aliases), key=len, reverse=True)  # noqa: E731
        self.exact = re.compile(rf"(?<![\w&])(?:{'|'.join(_alias_pattern(a) for a in by_len(exact))})(?![\w&])")
        self.folded = re.compile(
            rf"(?<![\w&])(?:{'|'.join(_alias_pattern(a) for a in by_len(folded))})(?![\w&])", re.IGNORECASE
        )

    def find(self, text: str) -> list[tuple[int, int, GazetteerEntry]]:
        text = text.replace("’", "'")
        hits = [(m.start(), m.end(), m[0], True) for m in self.exact.finditer(text)]
        hits += [(m.start(), m.end(), m[0], False) for m in self.folded.finditer(text)]
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, end = [], -1
        for start, stop, surface, acronym in hits:
            if start < end:
                continue
            entry = self._entry(surface, acronym)
            if entry is not None and not any(re.match(rf"\s+{re.escape(w)}\b", text[stop:]) for w in entry.not_before):
                out.append((start, stop, entry))
                end = stop
        return out

    @staticmethod
    def _key(text: str, acronym: bool) -> str:
        text = re.sub(r"[\s-]+", " ", text.replace("’", "'"))
        return text if acronym else text.lower()

    def _entry(self, surface: str, acronym: bool) -> GazetteerEntry | None:
        key = self._key(surface, acronym)
        for candidate in (key, re.sub(r"'?s$", "", key), re.sub(r"es$", "", key)):
            if candidate in self.by_alias:
                return self.by_alias[candidate]
        return None


_LA = re.compile(r"\bLA\s?(\d{1,2})((?:\s*(?:,|and|&)\s*\d{1,2}\b)+|\s*[-–]\s*\d{1,2}\b)?")
_LA_LONG = re.compile(r"\bLocal Authority(?: Area)?\s+(\d{1,2})\b")
_AREA_LETTER = re.compile(r"\b(?:Area|Borough|Local Authority|Authority)\s+([A-H])\b(?![\w'’])")
_AREA_NAMED = re.compile(
    r"\b(?:London Borough of|Royal Borough of|City of)\s+([A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+){0,2})"
    r"|\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:County|City|Borough|Metropolitan Borough|District)\s+Council\b"
)
_AREA_AFTER = re.compile(
    r"\s+(?:in|of|from|within|for)\s+(?:the\s+)?(?:cross[- ]boundary\s+)?(?:area\s+)?"
    r"(\S+(?:\s\S+)?)"
)
_AREA_IN_BRACKETS = re.compile(r"\(\s*area\s+(\d{1,2})\s*\)", re.IGNORECASE)
_FORCE = re.compile(r"\bPolice Force(?:s|'s|’s)?\s*\(?(\d{1,2})\)?((?:\s*(?:,|and|&)\s*\d{1,2}\b)*)")
_FORCE_SHORT = re.compile(r"\bPF\s?(\d{1,2})\b")
_FORCE_LETTER = re.compile(r"\bPolice Force\s+([A-H])\b(?![\w'’])")
_FORCE_NAMED = re.compile(
    r"\b((?:[A-Z][\w'’-]+\s+(?:and\s+|&\s+)?){0,3}[A-Z][\w'’-]+)\s+(Constabulary|Police Service|Police)\b"
    r"(?!\s+(?:Force|[Oo]fficers?|[Ss]tations?|[Ss]upport|[Cc]onstables?|[Cc]ustody))"
)
_FORCE_GENERIC = re.compile(
    r"\b(?:[Cc]onstabulary|[Pp]olice)(?:'s|’s)?\s*\(\s*(?:area\s+(\d{1,2})|LA\s?(\d{1,2})|"
    r"Police Force\s+(\d{1,2}))\s*\)"
)
_NOT_A_FORCE_NAME = {
    "the",
    "a",
    "an",
    "local",
    "cross",
    "cross-boundary",
    "boundary",
    "both",
    "each",
    "other",
    "all",
    "two",
    "four",
    "british",
    "national",
    "uk",
    "relevant",
    "that",
    "this",
    "which",
    "neighbouring",
}
_CHILD = re.compile(r"\b(?:[Cc]hild|CHILD|[Bb]aby|BABY|[Yy]oung [Pp]erson|[Ii]nfant)\s+([A-Z]{1,2}\d?)(?![A-Za-z0-9])")


def _expand(first: str, tail: str | None) -> list[int]:
    """'LA 1, 2, 6' → [1, 2, 6]; 'LA 1-6' → [1 … 6]."""
    nums = [int(first)]
    if tail:
        if m := re.fullmatch(r"\s*[-–]\s*(\d{1,2})", tail):
            return list(range(int(first), int(m[1]) + 1)) if int(m[1]) > int(first) else nums
        nums += [int(x) for x in re.findall(r"\d{1,2}", tail)]
    return nums


@dataclass
class _Named:
    """Something the review names (area, force, agency, child), with where and how it was written."""

    id: str
    surfaces: Counter = field(default_factory=Counter)
    refs: list[str] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)  # other names, never the name itself

    def seen(self, surface: str, ref: str, alias: bool = False) -> None:
        if alias:
            self.aliases.add(surface.strip())
        else:
            self.surfaces[surface.strip()] += 1
        if ref not in self.refs:
            self.refs.append(ref)

    def written(self) -> str:
        """The name as the review writes it most often (the longer form on a tie)."""
        return max(self.surfaces, key=lambda s: (self.surfaces[s], len(s))) if self.surfaces else self.id

    def other_names(self) -> list[str]:
        return sorted((set(self.surfaces) | self.aliases) - {self.written()})


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "x"


def _ref_slug(ref: str) -> str:
    return _slug(ref.replace("¶", "p").replace("§", "s"))


def _sources(refs: list[str]) -> str:
    return ", ".join(refs[:MAX_REFS])


# --- dates in prose ----------------------------------------------------------------------------

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


# --- kinds ---------------------------------------------------------------------------------------

_EVENT_KINDS = (
    ("birth", r"\bborn\b|\bbirth of\b"),
    ("missing_episode", r"\bmissing\b|\babscond"),
    ("self_harm", r"self[- ]harm|overdose"),
    ("acquittal", r"not guilty|acquitt"),
    ("arrest", r"\barrest"),
    ("conviction", r"\bconvict|guilty|sentenced|successful prosecution"),
    ("charge", r"\bcharged\b"),
    ("court_order", r"\border\b|\bcourts?\b|proceedings"),
    ("disclosure", r"\bdisclos"),
    ("referral", r"\breferr|\bcontacts?/referral"),
    ("legal_status", r"child protection plan|looked after|accommodated|section 20|de-registered|subject to"),
    ("exclusion", r"\bexclu"),
    ("placement_move", r"\bplaced\b|\bplacements?\b|foster|residential"),
    ("move", r"\bmoved?\b|\breloca"),
    ("health_attendance", r"hospital|accident and emergency|A&E|urgent care|General Practi|\bGP\b|SARC|paediatric"),
    ("assessment", r"\bassess"),
    ("investigation", r"investigat"),
    ("allocation", r"\ballocat"),
    ("notice", r"\bnotices?\b"),
    ("closure", r"\bclos(?:ed|ure)\b"),
    ("education", r"\bschool|\beducation"),
    ("review", r"\breview"),
    ("plan", r"\bplan\b"),
    ("contact", r"\bcontact"),
    ("family", r"\bdied\b|death|bereave|sibling|grand(?:mother|father|ma)|\bmother\b|\bfather\b|family"),
)
_MEETING_KINDS = (
    (
        "legal_planning_meeting",
        r"legal planning meetings?|legal meetings?|legal gateway|pre-proceedings meetings?"
        r"|legal consultations?",
    ),
    ("strategy_meeting", r"strategy meetings?"),
    ("strategy_discussion", r"strategy discussions?"),
    ("health_review", r"(?:LAC |CLA |looked after )?health reviews?|health assessments?"),
    ("lac_review", r"(?:LAC|CLA|looked after child(?:ren)?(?:'s)?) reviews?"),
    ("cin_meeting", r"(?:CIN|child in need) (?:meetings?|reviews?)"),
    (
        "child_protection_conference",
        r"(?:initial |review )?child protection (?:case )?conferences?|case conferences?"
        r"|\bICPC\b|\bRCPC\b",
    ),
    ("core_group", r"core groups?(?: meetings?)?"),
    ("caf_meeting", r"(?:CAF|TAF|team around the (?:child|family)) meetings?"),
    ("mash_discussion", r"MASH (?:discussions?|meetings?)"),
    (
        "professionals_meeting",
        r"professionals'? meetings?|multi-agency meetings?|partnership meetings?"
        r"|complex case discussions?",
    ),
    (
        "planning_meeting",
        r"(?:strategic |care |placement |discharge |suitability )?planning meetings?"
        r"|suitability meetings?",
    ),
    ("school_meeting", r"return to school meetings?|school meetings?"),
    ("return_interview", r"return (?:home )?interviews?"),
    ("handover", r"\bhandovers?\b"),
    ("review_panel", r"(?:case )?review panel(?: meetings?)?"),
    ("practitioner_event", r"practitioner events?|learning events?"),
)
_EVENT_RX = [(k, re.compile(p, re.IGNORECASE)) for k, p in _EVENT_KINDS]
_MEETING_RX = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _MEETING_KINDS), re.IGNORECASE)
_NOT_ATTENDED = re.compile(
    r"not invited|did not attend|could not attend|not in attendance|unable to attend|absent|"
    r"not (?:fully )?involved|was not present",
    re.IGNORECASE,
)
_ASSURED = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:should|is|are|must)\s+(?:be\s+)?(?:assured|satisfied)", re.IGNORECASE)
_CONVENED = re.compile(
    r"\b(?:convened|chaired|organised|organized|cancelled|requested|arranged|called)\b", re.IGNORECASE
)


def event_kind(sentence: str) -> tuple[str, str]:
    """The Event kind a sentence most likely describes, and the words that decided it."""
    for kind, rx in _EVENT_RX:
        if m := rx.search(sentence):
            return kind, m[0]
    return "other", ""


# --- the extraction -------------------------------------------------------------------------------


@dataclass
class _Mention:
    """One place the text names an agency, and which drafted agency (or agencies) it counts for."""

    entry: GazetteerEntry
    given: tuple[str, ...]  # the areas or force the text gives next to the name
    surface: str
    ref: str
    para: int
    start: int
    end: int
    child: str | None = None  # for a per-child service, the child whose section the mention is in
    keys: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (service, place, child)


class _Extractor:
    """Reads the index once per kind of element and collects the draft records."""

    def __init__(self, index: DocumentIndex, gazetteer: list[GazetteerEntry]) -> None:
        self.index = index
        self.paras = index.paragraphs
        self.matcher = AgencyMatcher(gazetteer)
        self.areas: dict[str, _Named] = {}
        self.forces: dict[str, _Named] = {}
        self.children: dict[str, _Named] = {}  # by name as written ("Child Q")
        self.context: list[list[str]] = []  # per paragraph, the child its section is about
        self.agencies: dict[tuple[str, str | None, str | None], _Named] = {}
        self.agency_meta: dict[tuple[str, str | None, str | None], GazetteerEntry] = {}
        self.agency_names: dict[str, str] = {}
        self.mentions: list[_Mention] = []
        self.covers: dict[tuple[str, str], list[str]] = {}
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.edge_keys: set[tuple] = set()

    def scanned(self) -> list[tuple[int, Paragraph]]:
        """The paragraphs names are read from: not footnotes (citations), contents or glossary."""
        return [
            (i, p)
            for i, p in enumerate(self.paras)
            if p.kind in SCANNED_KINDS
            and not (p.kind == "table" and p.ref in UNSCANNED_TABLES)
            and not (p.kind == "heading" and p.ref == "Title page")
        ]

    def narrative(self) -> list[tuple[int, Paragraph]]:
        return [(i, p) for i, p in enumerate(self.paras) if p.kind in NARRATIVE_KINDS]

    # -- areas and forces -------------------------------------------------------------------------

    def area_ids(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, area id, as written) for every area named in a text."""
        out = []
        for m in _LA.finditer(text):
            out += [(m.start(), m.end(), f"LA{n}", f"LA{n}") for n in _expand(m[1], m[2])]
        out += [(m.start(), m.end(), f"LA{m[1]}", m[0]) for m in _LA_LONG.finditer(text)]
        out += [(m.start(), m.end(), f"Area-{m[1]}", m[0]) for m in _AREA_LETTER.finditer(text)]
        out += [(m.start(), m.end(), _slug(m[1] or m[2]), m[1] or m[2]) for m in _AREA_NAMED.finditer(text)]
        return out

    def force_ids(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, force id, as written) for every police force named in a text."""
        out = []
        for m in _FORCE.finditer(text):
            out += [(m.start(), m.end(), f"PF{n}", f"Police Force {n}") for n in _expand(m[1], m[2])]
        out += [(m.start(), m.end(), f"PF{m[1]}", m[0]) for m in _FORCE_SHORT.finditer(text)]
        out += [(m.start(), m.end(), f"PF-{m[1]}", m[0]) for m in _FORCE_LETTER.finditer(text)]
        for m in _FORCE_NAMED.finditer(text):
            words = m[1].split()
            while words and words[0].lower().strip("'’s") in _NOT_A_FORCE_NAME:
                words = words[1:]
            if words:
                name = " ".join([*words, m[2]])
                out.append((m.end() - len(name), m.end(), _slug(name), name))
        return out

    def find_places(self) -> None:
        for _, p in self.scanned():
            for _, _, aid, written in self.area_ids(p.text):
                self.areas.setdefault(aid, _Named(aid)).seen(written, p.ref)
            for _, _, fid, written in self.force_ids(p.text):
                self.forces.setdefault(fid, _Named(fid)).seen(written, p.ref)
        for _, p in self.scanned():
            # "Police Force 1 covers LA 1, 2, 6": a table row or a sentence naming one force and areas
            for row in p.text.split("\n") if p.kind == "table" else sentences(p.text):
                forces = self.force_ids(row)
                if not re.search(r"\bcover", row, re.IGNORECASE) or len({f[2] for f in forces}) != 1:
                    continue
                for start, _, aid, _ in self.area_ids(row):
                    if start >= forces[0][1]:
                        self.covers.setdefault((forces[0][2], aid), []).append(p.ref)
        covering = defaultdict(set)
        for fid, aid in self.covers:
            covering[aid].add(fid)
        for _, p in self.scanned():
            # "Constabulary (area 2)" is the force covering LA2: one more name for that force
            for m in _FORCE_GENERIC.finditer(p.text):
                fids = {f"PF{m[3]}"} if m[3] else covering.get(f"LA{m[1] or m[2]}", set())
                if len(fids) == 1 and (fid := next(iter(fids))) in self.forces:
                    self.forces[fid].seen(m[0], p.ref, alias=True)

    # -- children ---------------------------------------------------------------------------------

    def find_children(self) -> None:
        """Children named as 'Child Q', 'Baby E' at least twice outside footnotes and tables (which cite
        other reviews' children); 'the child' when the review names none."""
        named: dict[str, _Named] = {}
        for _, p in self.scanned():
            if p.kind != "table":
                for m in _CHILD.finditer(p.text):
                    name = _child_name(m)
                    named.setdefault(name, _Named(f"child-{m[1].lower()}")).seen(name, p.ref)
        self.children = {n: c for n, c in named.items() if sum(c.surfaces.values()) >= 2}
        if not self.children:
            child = _Named("child")
            for _, p in self.scanned():
                if re.search(r"\bthe (?:child|young person)\b", p.text, re.IGNORECASE):
                    child.seen("the child", p.ref)
            if not child.refs and self.narrative():
                child.seen("the child", self.narrative()[0][1].ref)
            self.children = {"the child": child} if child.refs else {}
        self.context = self._child_context()

    def children_in(self, text: str) -> list[str]:
        found: list[str] = []
        for m in _CHILD.finditer(text):
            child = self.children.get(_child_name(m))
            if child and child.id not in found:
                found.append(child.id)
        return found

    def _child_context(self) -> list[list[str]]:
        """For each paragraph, the child its section is about ([] when it is about several): set by a
        heading or a paragraph title naming one child, cleared by a section or appendix heading."""
        current: list[str] = []
        out = []
        for p in self.paras:
            if p.kind == "heading":
                named = self.children_in(p.text)
                if named:
                    current = named if len(named) == 1 else []
                elif p.ref.startswith("App") or re.match(r"(?:section|part|chapter)\b", p.text, re.IGNORECASE):
                    current = []
            elif p.heading and len(named := self.children_in(p.heading)) == 1:
                current = named
            out.append(current)
        return out

    def children_for(self, i: int, sentence: str) -> tuple[list[str], bool]:
        """The children a sentence is about, and whether the sentence itself names them."""
        if named := self.children_in(sentence):
            return named, True
        in_paragraph = self.children_in(self.paras[i].text)
        if len(in_paragraph) == 1:
            return in_paragraph, False
        return self.context[i] or [c.id for c in self.children.values()], False

    # -- agencies ---------------------------------------------------------------------------------

    def find_agencies(self) -> None:
        several = len(self.children) > 1
        for i, p in self.scanned():
            text = p.text.replace("’", "'")
            for start, end, entry in self.matcher.find(text):
                given = self._places(text, start, end, entry)
                child = self.context[i][0] if several and entry.per_child and len(self.context[i]) == 1 else None
                self.mentions.append(_Mention(entry, given, text[start:end], p.ref, i, start, end, child=child))
        given: dict[tuple[str, str | None], Counter] = defaultdict(Counter)
        for m in self.mentions:
            given[m.entry.key, m.child].update(m.given)
            given[m.entry.key, None].update(m.given)
        for m in self.mentions:
            # one child's school or foster carers are not the other child's, so a per-child service
            # takes the area given for it in the same child's sections
            places = m.given or (_assumed_place(given[m.entry.key, m.child]),)
            m.keys = [(m.entry.key, place, m.child) for place in places]
            for key in m.keys:
                agency_id = "-".join(["ag", m.entry.key, *(_slug(x) for x in key[1:] if x)])
                self.agencies.setdefault(key, _Named(agency_id)).seen(m.surface, m.ref)
                self.agency_meta[key] = m.entry

    def _places(self, text: str, start: int, end: int, entry: GazetteerEntry) -> tuple[str, ...]:
        """The areas (or, for a police unit, the force) the text gives with an agency's name:
        'CSC (LA2)', 'LSCB Business Manager (LA5)', 'foster carers in LA3', 'LA2 Education'."""
        after = text[end : end + 80]
        if m := re.match(r"(?:\s+[A-Z][a-z]+){0,2}\s*\(([^()]{1,50})\)", after):
            forces = [f[2] for f in self.force_ids(m[1]) if f[2] in self.forces]
            if forces and entry.police:
                return tuple(dict.fromkeys(forces))
            areas = [a[2] for a in self.area_ids(m[1]) if a[2] in self.areas]
            if not areas and (b := _AREA_IN_BRACKETS.fullmatch(f"({m[1]})")) and f"LA{b[1]}" in self.areas:
                areas = [f"LA{b[1]}"]
            if entry.sector == "police":  # "Constabulary (area 2)": the force that covers LA2
                areas = [f for a in areas if len(fs := {f for f, c in self.covers if c == a}) == 1 for f in fs] or areas
            if areas:
                return tuple(dict.fromkeys(areas))
        if m := _AREA_AFTER.match(after):
            areas = [a[2] for a in self.area_ids(m[1]) if a[2] in self.areas and a[0] == 0]
            if areas:
                return (areas[0],)
        if entry.police:  # a police unit belongs to the one force its sentence names
            sentence = text[text.rfind(". ", 0, start) + 1 : (text.find(". ", end) + 1 or len(text))]
            forces = {f[2] for f in self.force_ids(sentence) if f[2] in self.forces}
            if len(forces) == 1:
                return (forces.pop(),)
        before = text[max(0, start - 40) : end]  # "LA2 Education", or an area named by its council
        adjacent = [
            a[2]
            for a in self.area_ids(before)
            if a[2] in self.areas and (not before[a[1] : len(before) - (end - start)].strip() or a[1] == len(before))
        ]
        return tuple(adjacent[-1:])

    def agencies_in(self, para: int, start: int = 0, end: int | None = None) -> list[str]:
        """Ids of the agencies named in a paragraph (or in the span of one of its sentences)."""
        out: list[str] = []
        for m in self.mentions:
            if m.para == para and start <= m.start and (end is None or m.start < end):
                out += [self.agencies[k].id for k in m.keys if self.agencies[k].id not in out]
        return out

    # -- records ----------------------------------------------------------------------------------

    def node(self, **rec: object) -> None:
        self.nodes.append(rec)

    def edge(self, etype: str, src: str, dst: str, source: str, **props: object) -> None:
        key = (etype, src, dst, tuple(sorted(props.items())))
        if key not in self.edge_keys:
            self.edge_keys.add(key)
            self.edges.append({"type": etype, "from": src, "to": dst, **props, "source": source})

    def emit_places(self) -> None:
        for aid, area in sorted(self.areas.items()):
            self.node(
                type="Area",
                id=aid,
                name=area.written(),
                kind="local_authority",
                notes=f"draft: area named in {len(area.refs)} paragraph(s); check the name and what it is",
                source=_sources(area.refs),
            )
        for fid, force in sorted(self.forces.items()):
            rec: dict[str, object] = {"type": "PoliceForce", "id": fid, "name": force.written()}
            if aliases := force.other_names():
                rec["aliases"] = aliases
            self.node(
                **rec, notes=f"draft: police force named in {len(force.refs)} paragraph(s)", source=_sources(force.refs)
            )
        for (fid, aid), refs in sorted(self.covers.items()):
            if fid in self.forces and aid in self.areas:
                self.edge("COVERS", fid, aid, _sources(list(dict.fromkeys(refs))))

    def emit_agencies(self) -> None:
        kids = {c.id: c for c in self.children.values()}
        for key, agency in sorted(self.agencies.items(), key=lambda kv: kv[1].id):
            entry, place, child = self.agency_meta[key], key[1], key[2]
            written = agency.written()
            written = written[:1].upper() + written[1:]
            where = (self.areas.get(place) or self.forces.get(place)) if place else None
            qualifiers = [x.written() for x in (where, kids.get(child)) if x]
            name = f"{written} ({', '.join(qualifiers)})" if qualifiers else written
            self.agency_names[agency.id] = name
            rec: dict[str, object] = {"type": "Agency", "id": agency.id, "name": name, "sector": entry.sector}
            if entry.provider:
                rec["provider"] = entry.provider
            if aliases := sorted({s for s in agency.surfaces if s.lower() != written.lower()}):
                rec["aliases"] = aliases
            mine = [m for m in self.mentions if key in m.keys]
            stated = list(dict.fromkeys(m.ref for m in self.mentions if m.entry.key == key[0] and place in m.given))
            assumed = sum(1 for m in mine if place not in m.given)
            how = (
                f"the text gives {where.written()} with the name in {len(stated)} paragraph(s)"
                if where
                else "the text gives no area with the name"
            )
            if where and assumed:
                how += f"; {assumed} mention(s) giving no area or force are assumed to be this one"
            if child:
                how += f"; named in the sections about {kids[child].written()}"
            self.node(
                **rec,
                notes=f"draft: gazetteer match '{entry.name}' in {len(agency.refs)} paragraph(s); {how}; "
                "check that these mentions are one body",
                source=_sources(agency.refs),
            )
            if place in self.areas:
                self.edge("LOCATED_IN", agency.id, place, _sources(stated))
            elif place in self.forces and entry.police:
                self.edge("PART_OF", agency.id, place, _sources(stated))

    def birth_dates(self) -> dict[str, tuple[str, str]]:
        """Each child's birth, as (date text, how it is known): stated ('born' with a date in a
        sentence naming the child), or inferred from the child's age at dated events."""
        stated: dict[str, tuple[str, str]] = {}
        lo: dict[str, date] = {}
        hi: dict[str, date] = {}
        used: dict[str, list[str]] = defaultdict(list)
        for _, p in self.narrative():
            for s in sentences(p.text):
                kids, dates = self.children_in(s), find_dates(s)
                if len(kids) != 1 or not dates:
                    continue
                child = kids[0]
                if re.search(r"\bborn\b", s) and child not in stated:
                    stated[child] = (dates[0].text, f"as stated in {p.ref}")
                span = dates[0].span
                if (ages := find_ages(s)) and span.earliest and span.latest:
                    (ly, lm), (uy, um) = ages[0].after_birth()
                    lo[child] = max(lo.get(child, date.min), _add_years(span.earliest, -uy, -um) + timedelta(days=1))
                    hi[child] = min(hi.get(child, date.max), _add_years(span.latest, -ly, -lm))
                    used[child].append(p.ref)
        out = dict(stated)
        for child in lo:
            if child not in out and lo[child] <= hi[child]:
                refs = ", ".join(dict.fromkeys(used[child]))
                out[child] = (_span_text(lo[child], hi[child]), f"inferred from the ages at dated events ({refs})")
        return out

    def emit_children(self, born: dict[str, tuple[str, str]]) -> None:
        for child in self.children.values():
            rec: dict[str, object] = {"type": "Child", "id": child.id, "name": child.written()}
            note = (
                f"draft: named in {len(child.refs)} paragraph(s)"
                if child.id != "child"
                else "draft: the review names no child; this stands for the child it is about"
            )
            if child.id in born:
                rec["born"], how = born[child.id]
                note += f"; born {how}"
            self.node(**rec, notes=note, source=_sources(child.refs))

    def _addressee(self, m: _Mention) -> bool:
        """'The LSCB should be assured that …': the body every point is addressed to, not one it names."""
        return bool(_ASSURED.match(self.paras[m.para].text.replace("’", "'")[m.end :]))

    def emit_points(self) -> tuple[list[int], list[int], int]:
        """Learning and good-practice points with the agencies they name (in the body and in any
        collated list), and the child of their section."""
        found: dict[str, list[int]] = {}
        for kind, label, prefix in (
            ("learning_point", "LearningPoint", "LP"),
            ("good_practice", "GoodPracticePoint", "GP"),
        ):
            found[kind] = sorted({int(p.ref[len(prefix) :]) for p in self.index.of_kind(kind)})
            for n in found[kind]:
                ref = f"{prefix}{n}"
                where = [i for i, p in enumerate(self.paras) if p.ref == ref and p.kind == kind]
                first = self.paras[where[0]]
                self.node(
                    type=label,
                    id=ref,
                    number=n,
                    name=_short(sentences(first.text)[0] if first.text else ref),
                    text=first.text,
                    source=ref,
                )
                for m in self.mentions:
                    if m.para in where and not self._addressee(m):
                        for key in m.keys:
                            self.edge("NAMES", ref, self.agencies[key].id, ref)
                kids = self.children_in(first.text) or self.context[where[0]]
                if len(kids) == 1:
                    self.edge("CONCERNS", ref, kids[0], ref)
        recommendations = {p.ref for p in self.index.of_kind("recommendation")}
        return found["learning_point"], found["good_practice"], len(recommendations)

    def emit_events(self, born: dict[str, tuple[str, str]]) -> int:
        """One Event per dated sentence (per date, if it has several), about the children it names
        or, failing that, the child of its paragraph or section."""
        last: DateSpan | None = None
        count = 0
        for i, p in self.narrative():
            for k, (start, s) in enumerate(sentence_spans(p.text), start=1):
                kids, named = self.children_for(i, s)
                kind, why = event_kind(s)
                hits = find_dates(s, last)
                dated = {h.text: f"date as written: '{h.written}'" for h in hits}
                if hits:
                    last = hits[-1].span
                elif kind != "other" and len(kids) == 1 and kids[0] in born and (ages := find_ages(s)):
                    b = parse_date(born[kids[0]][0])
                    (ly, lm), (uy, um) = ages[0].after_birth()
                    text = _span_text(_add_years(b.earliest, ly, lm), _add_years(b.latest, uy, um) - timedelta(days=1))
                    said = s[ages[0].start : ages[0].end]
                    dated = {text: f"date from the child's age ('{said}') and birth ({born[kids[0]][0]})"}
                for n, (when, how) in enumerate(dated.items()):
                    eid = f"ev-{_ref_slug(p.ref)}-{k}" + (f"-{n + 1}" if n else "")
                    self.node(
                        type="Event",
                        id=eid,
                        name=_short(s),
                        kind=kind,
                        date=when,
                        description=s,
                        notes=f"draft: dated sentence; {how}; kind '{kind}'"
                        + (f" from '{why}'" if why else " (no keyword)")
                        + ("" if named else "; child taken from the context"),
                        source=p.ref,
                    )
                    for cid in kids:
                        self.edge("CONCERNS", eid, cid, p.ref)
                    for aid in self.agencies_in(i, start, start + len(s)):
                        self.edge("PARTICIPATED_IN", aid, eid, p.ref, role="named in the sentence")
                    count += 1
        return count

    def emit_meetings(self) -> int:
        """One Meeting per kind of meeting a paragraph mentions, dated from its sentence, its paragraph
        or the text before it; the agencies named in the paragraph are linked to it (a guess to check)."""
        last: DateSpan | None = None
        count = 0
        for i, p in self.narrative():
            in_paragraph = find_dates(p.text, last)
            seen: set[str] = set()
            for s in sentences(p.text):
                hits = find_dates(s, last)
                for m in _MEETING_RX.finditer(s):
                    if m.lastgroup in seen:
                        continue
                    seen.add(m.lastgroup)
                    if hits:
                        when, how = hits[0].text, "date from the same sentence"
                    elif in_paragraph:
                        when, how = in_paragraph[0].text, "date from the same paragraph"
                    elif last and last.earliest and last.latest:
                        when, how = _span_text(last.earliest, last.latest), "date from the text before it (check)"
                    else:
                        continue
                    count += 1
                    mid = f"mt-{_ref_slug(p.ref)}-{count}"
                    label = m[0][:1].upper() + m[0][1:]
                    self.node(
                        type="Meeting",
                        id=mid,
                        name=f"{label} ({when})",
                        kind=m.lastgroup,
                        date=when,
                        status=_meeting_status(s, m[0]),
                        notes=f"draft: meeting mentioned in {p.ref}: '{_short(s, 160)}'; {how}; the agencies "
                        "linked are those named in the same paragraph: check who attended",
                        source=p.ref,
                    )
                    for cid in self.children_for(i, s)[0]:
                        self.edge("CONCERNS", mid, cid, p.ref)
                    self._meeting_agencies(i, mid)
                if hits:
                    last = hits[-1].span
        return count

    def _meeting_agencies(self, i: int, mid: str) -> None:
        """How each agency named in the meeting's paragraph relates to it, read from the words right
        around its name: '… was not invited' → DID_NOT_ATTEND, 'cancelled by X' or 'X convened' →
        CONVENED, otherwise ATTENDED (a guess the reviewer checks)."""
        p = self.paras[i]
        text = p.text.replace("’", "'")
        mentions = sorted((m for m in self.mentions if m.para == i), key=lambda m: m.start)
        for start, s in sentence_spans(text):
            inside = [m for m in mentions if start <= m.start < start + len(s)]
            for n, m in enumerate(inside):
                after_end = inside[n + 1].start if n + 1 < len(inside) else start + len(s)
                after = re.split(r"[;,]", text[m.end : after_end], maxsplit=1)[0]
                before = text[max(start, m.start - 30) : m.start]
                if _NOT_ATTENDED.search(after):
                    etype = "DID_NOT_ATTEND"
                elif re.search(rf"{_CONVENED.pattern}\s+by\s+(?:the\s+)?$", before, re.IGNORECASE) or re.match(
                    rf"\s*(?:\([^)]*\)\s*)?{_CONVENED.pattern}", after, re.IGNORECASE
                ):
                    etype = "CONVENED"
                else:
                    etype = "ATTENDED"
                for key in m.keys:
                    self.edge(etype, self.agencies[key].id, mid, p.ref)


def _child_name(m: re.Match) -> str:
    word = m[0].split()[0].title()
    return f"{'Young person' if word == 'Young' else word} {m[1]}"


def _assumed_place(given: Counter) -> str | None:
    """Where a mention without an area most likely is: the area the text gives most often for that
    service, when one area clearly leads; otherwise nowhere (an agency of its own)."""
    ranked = given.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def _meeting_status(sentence: str, mention: str) -> str:
    if re.search(r"cancel", sentence, re.IGNORECASE):
        return "cancelled"
    if re.search(r"\bshould\b|\brecommend", sentence, re.IGNORECASE):
        return "recommended"
    return "series" if re.search(r"[^s]s$", mention) else "held"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# --- the case folder -------------------------------------------------------------------------------

_HEADER = """\
# DRAFT extracted by loaders/extract.py from {source}.
# Every record below is a draft read from the review's text by pattern matching: check each one
# against the paragraph its `source` cites, correct it, and delete what is wrong. Records whose
# type has a `notes` property say there why they were made ("draft: ..."); learning and
# good-practice points and all relationships have no notes property, and are drafts all the same.
"""


def extract_case(
    source_path: str | Path, out_dir: str | Path, case_id: str | None = None, gazetteer: Sequence[str | Path] = ()
) -> dict:
    """Read a review, write a draft case folder to ``out_dir`` and return what was found per type
    (JSON-serialisable; ``print_summary`` formats it). ``gazetteer`` adds agency files to the built-in
    one. Raises loaders.documents.DocumentError for a document that cannot be read.

    The folder holds case.yaml (the case and its SourceDocument), documents/<id>.txt (the review's
    text, pages separated by form feeds, so refs resolve against exactly what was read) and
    draft.yaml (the drafted records).
    """
    source_path, out = Path(source_path), Path(out_dir)
    pages = read_document(source_path)
    index = DocumentIndex.from_pages(pages)
    ex = _Extractor(index, load_gazetteer(*gazetteer))
    ex.find_places()
    ex.find_children()
    ex.find_agencies()
    born = ex.birth_dates()
    ex.emit_places()
    ex.emit_agencies()
    ex.emit_children(born)
    learning, good, recommendations = ex.emit_points()
    events = ex.emit_events(born)
    meetings = ex.emit_meetings()
    case_id = case_id or _slug(source_path.stem)
    document = _write_folder(out, source_path, pages_to_text(pages), index, ex, case_id)
    return {
        "case": case_id,
        "out_dir": str(out),
        "document": str(document),
        "paragraphs": len(index.numbered()),
        "learning_points": learning,
        "good_practice_points": good,
        "recommendations": recommendations,
        "areas": [ex.areas[a].written() for a in sorted(ex.areas)],
        "police_forces": [ex.forces[f].written() for f in sorted(ex.forces)],
        "agencies": sorted(ex.agency_names.values()),
        "children": [c.written() for c in ex.children.values()],
        "events": events,
        "meetings": meetings,
        "nodes": len(ex.nodes) + 1,
        "edges": len(ex.edges),
    }


def _write_folder(out: Path, source_path: Path, text: str, index: DocumentIndex, ex: _Extractor, case_id: str) -> Path:
    """case.yaml with the SourceDocument, the document's text, and draft.yaml; returns the text's path."""
    doc_id = _slug(source_path.stem)
    if doc_id in {n["id"] for n in ex.nodes}:  # ids are unique across a case ("child-f.pdf" about Child F)
        doc_id = f"document-{doc_id}"
    (out / "documents").mkdir(parents=True, exist_ok=True)
    document_path = out / "documents" / f"{doc_id}.txt"
    document_path.write_text(text, encoding="utf-8")
    title_lines = [p.text for p in index.paragraphs if p.ref == "Title page"]
    title = _short(" — ".join(title_lines), 200) if title_lines else source_path.stem
    document = {
        "type": "SourceDocument",
        "id": doc_id,
        "name": title,
        "file": f"documents/{doc_id}.txt",
        "source": "Title page" if title_lines else (index.paragraphs[0].ref if index.paragraphs else "¶1"),
    }
    published = [h.text for line in title_lines for h in find_dates(line) if h.span.precision == "day"]
    if published:
        document["published"] = published[0]
    dump = {
        "Dumper": getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        "sort_keys": False,
        "allow_unicode": True,
        "width": 110,
    }
    header = {"case": case_id, "title": title, "document": doc_id, "nodes": [document]}
    (out / "case.yaml").write_text(yaml.dump(header, **dump), encoding="utf-8")
    records = yaml.dump({"nodes": ex.nodes, "edges": ex.edges}, **dump)
    (out / "draft.yaml").write_text(_HEADER.format(source=source_path.name) + records, encoding="utf-8")
    return document_path


def _numbers(nums: list[int]) -> str:
    """[1, 2, 3, 5] → '1–3, 5'."""
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def print_summary(summary: dict) -> str:
    """What was found, one line per type, for the command line."""
    lines = [f"draft case '{summary['case']}' written to {summary['out_dir']}"]
    rows = (
        ("numbered paragraphs", summary["paragraphs"], ""),
        ("learning points", len(summary["learning_points"]), _numbers(summary["learning_points"])),
        ("good-practice points", len(summary["good_practice_points"]), _numbers(summary["good_practice_points"])),
        ("recommendations", summary["recommendations"], ""),
        ("areas", len(summary["areas"]), ", ".join(summary["areas"])),
        ("police forces", len(summary["police_forces"]), ", ".join(summary["police_forces"])),
        ("agencies", len(summary["agencies"]), ""),
        ("children", len(summary["children"]), ", ".join(summary["children"])),
        ("dated events", summary["events"], ""),
        ("meetings", summary["meetings"], ""),
    )
    for label, count, detail in rows:
        lines.append(f"  {label:<22}{count:>5}" + (f"  {detail}" if detail else ""))
    lines.append(f"  {'records':<22}{summary['nodes']:>5} nodes, {summary['edges']} relationships (all drafts)")
    return "\n".join(lines)
