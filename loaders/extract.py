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
    aliases: tuple[str, ...]


def load_gazetteer(*extra: str | Path) -> list[GazetteerEntry]:
    """The built-in gazetteer plus any extra files in the same format (later entries add aliases)."""
    entries: dict[str, GazetteerEntry] = {}
    for path in (GAZETTEER, *extra):
        for raw in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["agencies"]:
            old = entries.get(raw["key"])
            aliases = tuple(dict.fromkeys([*(old.aliases if old else ()), raw.get("name", ""), *raw.get("aliases", [])]))
            entries[raw["key"]] = GazetteerEntry(
                key=raw["key"],
                name=raw.get("name") or old.name,
                sector=raw.get("sector") or old.sector,
                provider=raw.get("provider", old.provider if old else None),
                police=bool(raw.get("police", old.police if old else False)),
                aliases=tuple(a for a in aliases if a),
            )
    return list(entries.values())


def _alias_pattern(alias: str) -> str:
    alias = alias.replace("’", "'")
    words = [re.escape(w) for w in re.split(r"[\s-]+", alias)]
    body = r"[\s-]+".join(words)
    if alias[-1:].isalpha():
        body += r"(?:'?s|es)?"
    return body


class _AgencyMatcher:
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
        self.folded = re.compile(rf"(?<![\w&])(?:{'|'.join(_alias_pattern(a) for a in by_len(folded))})(?![\w&])",
                                 re.IGNORECASE)

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
            if entry is not None:
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
    r"|\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:County|City|Borough|Metropolitan Borough|District)\s+Council\b")
_AREA_IN_BRACKETS = re.compile(r"\(\s*area\s+(\d{1,2})\s*\)", re.IGNORECASE)
_FORCE = re.compile(r"\bPolice Force(?:s|'s|’s)?\s*\(?(\d{1,2})\)?((?:\s*(?:,|and|&)\s*\d{1,2}\b)*)")
_FORCE_SHORT = re.compile(r"\bPF\s?(\d{1,2})\b")
_FORCE_LETTER = re.compile(r"\bPolice Force\s+([A-H])\b(?![\w'’])")
_FORCE_NAMED = re.compile(
    r"\b((?:[A-Z][\w'’-]+\s+(?:and\s+|&\s+)?){0,3}[A-Z][\w'’-]+)\s+(Constabulary|Police Service|Police)\b"
    r"(?!\s+(?:Force|[Oo]fficers?|[Ss]tations?|[Ss]upport|[Cc]onstables?|[Cc]ustody))")
_FORCE_GENERIC = re.compile(r"\b(?:[Cc]onstabulary|[Pp]olice)(?:'s|’s)?\s*\(\s*(?:area\s+(\d{1,2})|LA\s?(\d{1,2})|"
                            r"Police Force\s+(\d{1,2}))\s*\)")
_NOT_A_FORCE_NAME = {"the", "a", "an", "local", "cross", "cross-boundary", "boundary", "both", "each", "other", "all",
                     "two", "four", "british", "national", "uk", "relevant", "that", "this", "which", "neighbouring"}
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
    label: str
    surfaces: Counter = field(default_factory=Counter)
    refs: list[str] = field(default_factory=list)

    def seen(self, surface: str, ref: str) -> None:
        self.surfaces[surface.strip()] += 1
        if ref not in self.refs:
            self.refs.append(ref)

    def written(self) -> str:
        return max(self.surfaces, key=lambda s: (self.surfaces[s], len(s))) if self.surfaces else self.id


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "x"


def _ref_slug(ref: str) -> str:
    return _slug(ref.replace("¶", "p").replace("§", "s"))


def _sources(refs: list[str]) -> str:
    return ", ".join(refs[:MAX_REFS])


# --- dates in prose ----------------------------------------------------------------------------

_MON = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?" \
       r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_YR = r"(?:19[5-9]\d|20[0-4]\d)"
_PART = r"(?:early|mid|late)"
_POINT = rf"(?:{_PART}[- ]?(?:in\s+)?)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MON}\.?\s+)?{_YR}"
_OTHER_PERSON = re.compile(r"\b(?:males?|m[ae]n|offenders?|adults?|boys?|girls?|perpetrators?|peers?|siblings?|"
                           r"brothers?|sisters?|mother|father|cousin|perpetrator)\b[^.]{0,30}$", re.IGNORECASE)
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


def _month(word: str) -> str:
    return word[:3].title()


def _point(text: str) -> str | None:
    """One end of a range as the review wrote it → parse_date's form ('late in 2008' → 'late 2008')."""
    t = " ".join(text.split())
    if m := re.fullmatch(rf"({_PART})[- ]?(?:in\s+)?({_YR})", t, re.IGNORECASE):
        return f"{m[1].lower()} {m[2]}"
    if m := re.fullmatch(rf"(?:{_PART}[- ]?(?:in\s+)?)?(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MON})\.?\s+({_YR})", t,
                         re.IGNORECASE):
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
        (re.compile(rf"\b({_MON})\.?\s*(?:–|-|to)\s*({_MON})\.?\s+({_YR})\b", flags),
         lambda m: f"{_month(m[1])} {m[3]} – {_month(m[2])} {m[3]}"),
        (re.compile(r"\b(spring|summer|autumn|winter)\s*(?:–|-|to)\s*(spring|summer|autumn|winter)\s+"
                    rf"(?:of\s+)?({_YR})\b", flags), lambda m: f"{m[1].lower()} {m[3]} – {m[2].lower()} {m[3]}"),
        (re.compile(rf"\b(?:from|since)\s+({_POINT})\b(?!\s+(?:and|to|until|–|-)\s+\d)", flags),
         lambda m: f"from {_point(m[1])}" if _point(m[1]) else None),
        (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MON})\.?,?\s+({_YR})\b", flags),
         lambda m: f"{int(m[1])} {_month(m[2])} {m[3]}"),
        (re.compile(rf"\b({_MON})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,\s*({_YR})\b", flags),
         lambda m: f"{int(m[2])} {_month(m[1])} {m[3]}"),
        (re.compile(rf"\b{_PART}[- ]?(?:in\s+)?(?:the\s+month\s+of\s+)?({_MON})\.?\s+(?:of\s+)?({_YR})\b", flags),
         lambda m: f"{_month(m[1])} {m[2]}"),
        (re.compile(rf"\b({_MON})\.?\s+(?:of\s+)?({_YR})\b", flags), lambda m: f"{_month(m[1])} {m[2]}"),
        (re.compile(rf"\b({_PART})[- ]?(?:in\s+)?(?:the\s+year\s+)?({_YR})\b", flags),
         lambda m: f"{m[1].lower()} {m[2]}"),
        (re.compile(rf"\b(?:towards?\s+)?the\s+(end|beginning|start|middle)\s+of\s+({_YR})\b", flags),
         lambda m: f"{ {'end': 'late', 'middle': 'mid'}.get(m[1].lower(), 'early')} {m[2]}"),
        (re.compile(rf"\b(spring|summer|autumn|winter)\s+(?:of\s+)?({_YR})\b", flags),
         lambda m: f"{m[1].lower()} {m[2]}"),
        (re.compile(rf"\b({_YR})\s*(?:/|–|-|to)\s*(\d{{2}}|{_YR})\b(?![/\d])"),
         lambda m: (f"{m[1]} – {b}" if (b := m[2] if len(m[2]) == 4 else m[1][:2] + m[2]) > m[1] else None)),
        (re.compile(rf"(?<![\d£$/.:-])({_YR})\b(?![)\d/]|\.\d|-\d)"), lambda m: m[1]),
    ]


_PATTERNS = _date_patterns()
_MONTH_ONLY = re.compile(rf"\b(?:in|during|by|until|of|early|mid|late|from)[- ](?:early\s+|mid-?\s*|late\s+)?"
                         rf"((?!May\b){_MON})\b(?!\.?\s*\d)")
_AGES = (
    re.compile(r"\baged\s+(\d{1,2})\b(?:\s+years?)?(?:\s+(?:and\s+)?(\d{1,2})\s+months?)?", re.IGNORECASE),
    re.compile(r"\bat the age of\s+(\d{1,2})\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,2})\s+years?\s+(?:of age|old)\b", re.IGNORECASE),
    re.compile(r"\((\d{1,2})\s+years?(?:\s+(?:and\s+)?(\d{1,2})\s+months?)?(?:\s+old)?\)", re.IGNORECASE),
)


def find_dates(sentence: str, context: DateSpan | None = None) -> list[_DateHit]:
    """The date expressions in a sentence, as parse_date texts; a month without a year takes the
    year of ``context`` (the last date before it in the review)."""
    hits: list[_DateHit] = []

    def free(a: int, b: int) -> bool:
        return all(b <= h.start or a >= h.end for h in hits)

    for rx, convert in _PATTERNS:
        for m in rx.finditer(sentence):
            if not free(m.start(), m.end()):
                continue
            if rx is _PATTERNS[-1][0] and _CITATION_BEFORE.search(sentence[max(0, m.start() - 14): m.start()]):
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
    return sorted(hits, key=lambda h: h.start)


def find_ages(sentence: str) -> list[_AgeHit]:
    """Ages of a child ('aged 12', '(10 years 4 months)'); ages of other people are left out."""
    out = []
    for rx in _AGES:
        for m in rx.finditer(sentence):
            if _OTHER_PERSON.search(sentence[max(0, m.start() - 45): m.start()]):
                continue
            months = int(m[2]) if m.lastindex and m.lastindex >= 2 and m[2] else 0
            if all(m.end() <= a.start or m.start() >= a.end for a in out):
                out.append(_AgeHit(m.start(), m.end(), int(m[1]), months))
    return sorted(out, key=lambda a: a.start)


def _add_years(d: date, years: int, months: int = 0) -> date:
    total = d.year * 12 + d.month - 1 + years * 12 + months
    y, mo = divmod(total, 12)
    day = min(d.day, [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31,
                      30, 31][mo])
    return date(y, mo + 1, day)


def _span_text(a: date, b: date) -> str:
    """A date interval as the coarsest text parse_date reads back to cover it."""
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31):
        return str(a.year) if a.year == b.year else f"{a.year} – {b.year}"
    first, last = f"{a:%b} {a.year}", f"{b:%b} {b.year}"
    return first if first == last else f"{first} – {last}"


_ABBREV_END = re.compile(r"(?:\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|No|St|vs|approx|cf|al|Ltd)|\b[A-Z])\.$")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences without breaking after 'e.g.', initials or 'No.'."""
    out: list[str] = []
    for block in text.split("\n"):
        for piece in re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“(]?[A-Z0-9])", block.strip()):
            if out and _ABBREV_END.search(out[-1]) and not out[-1].endswith("\n"):
                out[-1] = f"{out[-1]} {piece}"
            elif piece:
                out.append(piece)
        if out:
            out[-1] += "\n"
    return [s.strip() for s in out if s.strip()]


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
    ("legal_planning_meeting", r"legal planning meetings?|legal meetings?|legal gateway|pre-proceedings meetings?"),
    ("strategy_meeting", r"strategy meetings?"),
    ("strategy_discussion", r"strategy discussions?"),
    ("lac_review", r"(?:LAC|CLA|looked after child(?:ren)?(?:'s)?)(?: health)? reviews?"),
    ("cin_meeting", r"(?:CIN|child in need) (?:meetings?|reviews?)"),
    ("child_protection_conference", r"(?:initial |review )?child protection (?:case )?conferences?|case conferences?"
                                    r"|\bICPC\b|\bRCPC\b"),
    ("core_group", r"core groups?(?: meetings?)?"),
    ("caf_meeting", r"(?:CAF|TAF|team around the (?:child|family)) meetings?"),
    ("mash_discussion", r"MASH (?:discussions?|meetings?)"),
    ("professionals_meeting", r"professionals'? meetings?"),
    ("planning_meeting", r"(?:strategic |care |placement |discharge )?planning meetings?"),
    ("school_meeting", r"return to school meetings?|school meetings?"),
    ("return_interview", r"return (?:home )?interviews?"),
    ("handover", r"\bhandovers?\b"),
    ("health_review", r"\bhealth reviews?|health assessments?"),
    ("review_panel", r"(?:case )?review panel(?: meetings?)?"),
    ("practitioner_event", r"practitioner (?:events?|conversations?)|learning events?"),
)
_EVENT_RX = [(k, re.compile(p, re.IGNORECASE)) for k, p in _EVENT_KINDS]
_MEETING_RX = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _MEETING_KINDS), re.IGNORECASE)
_NOT_ATTENDED = re.compile(r"not invited|did not attend|could not attend|not in attendance|unable to attend|absent|"
                           r"not (?:fully )?involved|was not present", re.IGNORECASE)
_CONVENED = re.compile(r"\b(?:convened|chaired|organised|organized|cancelled|requested|arranged|called)\b",
                       re.IGNORECASE)


def event_kind(sentence: str) -> tuple[str, str]:
    """The Event kind a sentence most likely describes, and the words that decided it."""
    for kind, rx in _EVENT_RX:
        if m := rx.search(sentence):
            return kind, m[0]
    return "other", ""


# --- the extraction -------------------------------------------------------------------------------

@dataclass
class _Mention:
    entry: GazetteerEntry
    given: tuple[str, ...]  # the areas or force the text gives next to the name
    surface: str
    ref: str
    para: int
    start: int
    end: int
    places: tuple[str | None, ...] = ()  # where the mention is counted (given, or assumed)


class _Extractor:
    def __init__(self, index: DocumentIndex, gazetteer: list[GazetteerEntry]) -> None:
        self.index = index
        self.paras = index.paragraphs
        self.matcher = _AgencyMatcher(gazetteer)
        self.areas: dict[str, _Named] = {}
        self.forces: dict[str, _Named] = {}
        self.children: dict[str, _Named] = {}
        self.agencies: dict[tuple[str, str | None], _Named] = {}
        self.agency_meta: dict[tuple[str, str | None], GazetteerEntry] = {}
        self.agency_names: dict[str, str] = {}
        self.mentions: list[_Mention] = []
        self.covers: dict[tuple[str, str], list[str]] = {}
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.edge_keys: set[tuple] = set()

    # -- which paragraphs to read ---------------------------------------------------------------

    def scanned(self) -> list[tuple[int, Paragraph]]:
        return [(i, p) for i, p in enumerate(self.paras)
                if p.kind in SCANNED_KINDS and not (p.kind == "table" and p.ref in UNSCANNED_TABLES)
                and not (p.kind == "heading" and p.ref == "Title page")]

    # -- areas and forces -------------------------------------------------------------------------

    def area_ids(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, area id, as written) for every area named in a text."""
        out = []
        for m in _LA.finditer(text):
            for n in _expand(m[1], m[2]):
                out.append((m.start(), m.end(), f"LA{n}", f"LA{n}"))
        for m in _LA_LONG.finditer(text):
            out.append((m.start(), m.end(), f"LA{m[1]}", m[0]))
        for m in _AREA_LETTER.finditer(text):
            out.append((m.start(), m.end(), f"Area-{m[1]}", m[0]))
        for m in _AREA_NAMED.finditer(text):
            name = m[1] or m[2]
            out.append((m.start(), m.end(), _slug(name), name))
        return out

    def force_ids(self, text: str) -> list[tuple[int, int, str, str]]:
        out = []
        for m in _FORCE.finditer(text):
            for n in _expand(m[1], m[2]):
                out.append((m.start(), m.end(), f"PF{n}", f"Police Force {n}"))
        for m in _FORCE_SHORT.finditer(text):
            out.append((m.start(), m.end(), f"PF{m[1]}", m[0]))
        for m in _FORCE_LETTER.finditer(text):
            out.append((m.start(), m.end(), f"PF-{m[1]}", m[0]))
        for m in _FORCE_NAMED.finditer(text):
            words = m[1].split()
            while words and words[0].lower().strip("'’s") in _NOT_A_FORCE_NAME:
                words = words[1:]
            if words and not re.fullmatch(r"(?:[A-Z][a-z]+ )*(?:Serious|Local|Specialist|Multi|Missing)\b.*",
                                          " ".join(words)):
                name = " ".join([*words, m[2]])
                out.append((m.start() + len(m[1]) - len(" ".join(words)), m.end(), _slug(name), name))
        return out

    def find_places(self) -> None:
        for _, p in self.scanned():
            for _, _, aid, written in self.area_ids(p.text):
                self.areas.setdefault(aid, _Named(aid, "Area")).seen(written, p.ref)
            for _, _, fid, written in self.force_ids(p.text):
                self.forces.setdefault(fid, _Named(fid, "PoliceForce")).seen(written, p.ref)
        for _, p in self.scanned():
            rows = p.text.split("\n") if p.kind == "table" else sentences(p.text)
            for row in rows:
                if not re.search(r"\bcover", row, re.IGNORECASE):
                    continue
                forces = self.force_ids(row)
                if len({f[2] for f in forces}) != 1:
                    continue
                after = forces[0][1]
                for start, _, aid, _ in self.area_ids(row):
                    if start >= after:
                        self.covers.setdefault((forces[0][2], aid), []).append(p.ref)
        self._generic_forces()

    def _generic_forces(self) -> None:
        """'Constabulary (area 2)' is the force covering LA2; record the phrase as that force's alias."""
        covering = defaultdict(set)
        for fid, aid in self.covers:
            covering[aid].add(fid)
        for _, p in self.scanned():
            for m in _FORCE_GENERIC.finditer(p.text):
                if m[3]:
                    fid = f"PF{m[3]}"
                else:
                    fids = covering.get(f"LA{m[1] or m[2]}", set())
                    fid = next(iter(fids)) if len(fids) == 1 else None
                if fid in self.forces:
                    self.forces[fid].seen(m[0], p.ref)

    # -- children ---------------------------------------------------------------------------------

    def find_children(self) -> None:
        counts: dict[str, _Named] = {}
        for _, p in self.scanned():
            if p.kind == "table":
                continue
            for m in _CHILD.finditer(p.text):
                word = m[0].split()[0].title()
                name = f"{'Young person' if word == 'Young' else word} {m[1]}"
                counts.setdefault(name, _Named(f"child-{m[1].lower()}", "Child")).seen(name, p.ref)
        self.children = {n: c for n, c in counts.items() if sum(c.surfaces.values()) >= 2}
        if not self.children:
            child = _Named("child", "Child")
            for _, p in self.scanned():
                if re.search(r"\bthe (?:child|young person)\b", p.text, re.IGNORECASE):
                    child.seen("the child", p.ref)
            if not child.refs:
                child.seen("the child", self.paras[0].ref if self.paras else "Title page")
            self.children = {"the child": child}

    def children_in(self, text: str) -> list[str]:
        found = []
        for m in _CHILD.finditer(text):
            name = f"{m[0].split()[0].title()} {m[1]}"
            cid = self.children[name].id if name in self.children else None
            if cid and cid not in found:
                found.append(cid)
        return found

    def child_context(self) -> list[list[str]]:
        """For each paragraph, the child its section is about ([] when the section covers several)."""
        current: list[str] = []
        out = []
        for p in self.paras:
            named = self.children_in(p.text) if p.kind == "heading" else []
            if p.kind == "heading":
                if named:
                    current = named if len(named) == 1 else []
                elif p.ref.startswith("App") or re.match(r"(?:section|part|chapter)\b", p.text, re.IGNORECASE):
                    current = []
            elif p.heading:
                named = self.children_in(p.heading)
                if len(named) == 1:
                    current = named
            out.append(current)
        return out

    # -- agencies ---------------------------------------------------------------------------------

    def find_agencies(self) -> None:
        for i, p in self.scanned():
            text = p.text.replace("’", "'")
            for start, end, entry in self.matcher.find(text):
                given = self._places(text, start, end, entry)
                self.mentions.append(_Mention(entry, given, text[start:end], p.ref, i, start, end))
        given: dict[str, Counter] = defaultdict(Counter)
        for m in self.mentions:
            given[m.entry.key].update(m.given)
        for m in self.mentions:
            m.places = m.given or (self._assumed_place(given[m.entry.key]),)
            for place in m.places:
                key = (m.entry.key, place)
                agency_id = f"ag-{m.entry.key}" + (f"-{_slug(place)}" if place else "")
                self.agencies.setdefault(key, _Named(agency_id, "Agency")).seen(m.surface, m.ref)
                self.agency_meta[key] = m.entry

    @staticmethod
    def _assumed_place(given: Counter) -> str | None:
        """Where a mention without an area most likely is: the area the text gives most often for
        that service, when one area clearly leads; otherwise nowhere (a node of its own)."""
        ranked = given.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        return None

    def _places(self, text: str, start: int, end: int, entry: GazetteerEntry) -> tuple[str, ...]:
        """The areas (or, for a police unit, the force) the text gives right next to an agency."""
        after = text[end:end + 80]
        if m := re.match(r"(?:\s+[A-Z][a-z]+){0,2}\s*\(([^()]{1,50})\)", after):
            inner = m[1]
            forces = [f[2] for f in self.force_ids(inner) if f[2] in self.forces]
            if forces and entry.police:
                return tuple(dict.fromkeys(forces))
            areas = [a[2] for a in self.area_ids(inner) if a[2] in self.areas]
            if not areas and (b := _AREA_IN_BRACKETS.fullmatch(f"({inner})")) and f"LA{b[1]}" in self.areas:
                areas = [f"LA{b[1]}"]
            if areas:
                return tuple(dict.fromkeys(areas))
        if m := re.match(r"\s+(?:in|of|from|within|for)\s+(?:the\s+)?(?:cross[- ]boundary\s+)?(?:area\s+)?(\S+(?:\s\S+)?)",
                         after):
            areas = [a[2] for a in self.area_ids(m[1]) if a[2] in self.areas and a[0] == 0]
            if areas:
                return (areas[0],)
        before = text[max(0, start - 8):start]
        if m := re.search(r"\b(LA\s?\d{1,2})\s+$", before):
            return (f"LA{re.sub(r'[^0-9]', '', m[1])}",)
        return ()

    def agency_of(self, m: _Mention) -> list[str]:
        return [self.agencies[(m.entry.key, place)].id for place in m.places if (m.entry.key, place) in self.agencies]

    def agencies_in(self, para: int, start: int = 0, end: int | None = None) -> list[str]:
        out: list[str] = []
        for m in self.mentions:
            if m.para == para and m.start >= start and (end is None or m.end <= end):
                out += [a for a in self.agency_of(m) if a not in out]
        return out

    # -- records ----------------------------------------------------------------------------------

    def node(self, **rec) -> None:
        self.nodes.append(rec)

    def edge(self, etype: str, src: str, dst: str, source: str, **props) -> None:
        key = (etype, src, dst, tuple(sorted(props.items())))
        if key not in self.edge_keys:
            self.edge_keys.add(key)
            self.edges.append({"type": etype, "from": src, "to": dst, **props, "source": source})

    def emit_places(self) -> None:
        for aid, area in sorted(self.areas.items()):
            self.node(type="Area", id=aid, name=area.written(), kind="local_authority",
                      notes=f"draft: area named in {len(area.refs)} paragraph(s); check the name and what it is",
                      source=_sources(area.refs))
        for fid, force in sorted(self.forces.items()):
            aliases = sorted(s for s in force.surfaces if s != force.written())
            rec = {"type": "PoliceForce", "id": fid, "name": force.written()}
            if aliases:
                rec["aliases"] = aliases
            self.node(**rec, notes=f"draft: police force named in {len(force.refs)} paragraph(s)",
                      source=_sources(force.refs))
        for (fid, aid), refs in sorted(self.covers.items()):
            if fid in self.forces and aid in self.areas:
                self.edge("COVERS", fid, aid, _sources(list(dict.fromkeys(refs))))

    def emit_agencies(self) -> None:
        for key, agency in sorted(self.agencies.items(), key=lambda kv: kv[1].id):
            entry, place = self.agency_meta[key], key[1]
            written = agency.written()
            written = written[:1].upper() + written[1:]
            where = (self.areas.get(place) or self.forces.get(place)) if place else None
            name = f"{written} ({where.written()})" if where else written
            self.agency_names[agency.id] = name
            rec = {"type": "Agency", "id": agency.id, "name": name, "sector": entry.sector}
            if entry.provider:
                rec["provider"] = entry.provider
            aliases = sorted({s for s in agency.surfaces if s.lower() != written.lower()})
            if aliases:
                rec["aliases"] = aliases
            mine = [m for m in self.mentions if m.entry.key == key[0] and place in m.places]
            stated = list(dict.fromkeys(m.ref for m in mine if place in m.given))
            assumed = sum(1 for m in mine if place not in m.given)
            how = f"the text gives {where.written()} next to the name in {len(stated)} paragraph(s)" if where else \
                "the text gives no area next to the name"
            if where and assumed:
                how += f"; {assumed} mention(s) without an area are assumed to be this one"
            self.node(**rec, notes=f"draft: gazetteer match '{entry.name}' in {len(agency.refs)} paragraph(s); {how}; "
                                   "check that these mentions are one body", source=_sources(agency.refs))
            if place in self.areas:
                self.edge("LOCATED_IN", agency.id, place, _sources(stated))
            elif place in self.forces and entry.police:
                self.edge("PART_OF", agency.id, place, _sources(stated))

    def emit_children(self, born: dict[str, tuple[str, str]]) -> None:
        for child in self.children.values():
            rec = {"type": "Child", "id": child.id, "name": child.written()}
            note = f"draft: named in {len(child.refs)} paragraph(s)"
            if child.id in born:
                rec["born"], how = born[child.id]
                note += f"; born {how}"
            self.node(**rec, notes=note, source=_sources(child.refs))

    def birth_dates(self) -> dict[str, tuple[str, str]]:
        """Each child's birth: stated ('born' with a date), or inferred from ages at dated events."""
        stated: dict[str, tuple[str, str]] = {}
        lo: dict[str, date] = {}
        hi: dict[str, date] = {}
        used: dict[str, list[str]] = defaultdict(list)
        for _, p in self.scanned():
            if p.kind not in NARRATIVE_KINDS:
                continue
            for s in sentences(p.text):
                kids = self.children_in(s)
                if len(kids) != 1:
                    continue
                dates = find_dates(s)
                if re.search(r"\bborn\b", s) and dates and kids[0] not in stated:
                    stated[kids[0]] = (dates[0].text, f"as stated in {p.ref}")
                ages = find_ages(s)
                if dates and ages and dates[0].span.earliest and dates[0].span.latest:
                    age, span = ages[0], dates[0].span
                    lo[kids[0]] = max(lo.get(kids[0], date.min),
                                      _add_years(span.earliest, -(age.years + 1), -age.months) + timedelta(days=1))
                    hi[kids[0]] = min(hi.get(kids[0], date.max), _add_years(span.latest, -age.years, -age.months))
                    used[kids[0]].append(p.ref)
        out = dict(stated)
        for cid in lo:
            if cid not in out and lo[cid] <= hi[cid]:
                refs = ", ".join(dict.fromkeys(used[cid]))
                out[cid] = (_span_text(lo[cid], hi[cid]), f"inferred from the ages at dated events ({refs})")
        return out

    def emit_events(self, born: dict[str, tuple[str, str]]) -> int:
        context = self.child_context()
        last: DateSpan | None = None
        count = 0
        for i, p in enumerate(self.paras):
            if p.kind not in NARRATIVE_KINDS:
                continue
            offset = 0
            for k, s in enumerate(sentences(p.text)):
                start = p.text.find(s[:40], offset)
                offset = max(offset, start)
                kids = self.children_in(s) or self.children_in(p.text)[:1] if len(self.children_in(p.text)) == 1 \
                    else self.children_in(s)
                kids = kids or context[i] or [c.id for c in self.children.values()]
                hits = find_dates(s, last)
                dated: list[tuple[str, str]] = [(h.text, f"date as written: '{h.written}'") for h in hits]
                if hits:
                    last = hits[-1].span
                elif len(kids) == 1 and kids[0] in born and (ages := find_ages(s)):
                    b = parse_date(born[kids[0]][0])
                    a = ages[0]
                    text = _span_text(_add_years(b.earliest, a.years, a.months),
                                      _add_years(b.latest, a.years + 1, a.months) - timedelta(days=1))
                    dated = [(text, f"date from the child's age ('{s[a.start:a.end]}') and birth ({born[kids[0]][0]})")]
                for n, (when, how) in enumerate(dict.fromkeys(dated)):
                    kind, why = event_kind(s)
                    eid = f"ev-{_ref_slug(p.ref)}-{k + 1}" + (f"-{n + 1}" if n else "")
                    self.node(type="Event", id=eid, name=_short(s), kind=kind, date=when, description=s,
                              notes=f"draft: dated sentence; {how}; kind '{kind}'"
                                    + (f" from '{why}'" if why else " (no keyword)")
                                    + ("" if self.children_in(s) else "; child taken from the context"),
                              source=p.ref)
                    for cid in kids:
                        self.edge("CONCERNS", eid, cid, p.ref)
                    s_start = start if start >= 0 else 0
                    for aid in self.agencies_in(i, s_start, s_start + len(s) + 1 if start >= 0 else None):
                        self.edge("PARTICIPATED_IN", aid, eid, p.ref, role="named in the sentence")
                    count += 1
        return count

    def emit_meetings(self) -> int:
        context = self.child_context()
        last: DateSpan | None = None
        count = 0
        for i, p in enumerate(self.paras):
            if p.kind not in NARRATIVE_KINDS:
                continue
            para_dates = find_dates(p.text, last)
            seen: set[str] = set()
            for s in sentences(p.text):
                hits = find_dates(s, last)
                for m in _MEETING_RX.finditer(s):
                    kind = m.lastgroup
                    if kind in seen:
                        continue
                    seen.add(kind)
                    when, how = (hits[0].text, "date from the same sentence") if hits else \
                        (para_dates[0].text, "date from the same paragraph") if para_dates else \
                        (_span_text(last.earliest, last.latest), "date from the text before (check)") if last and \
                        last.earliest and last.latest else (None, "")
                    if when is None:
                        continue
                    count += 1
                    mid = f"mt-{_ref_slug(p.ref)}-{count}"
                    status = "cancelled" if re.search(r"cancel", s, re.IGNORECASE) else \
                        "recommended" if re.search(r"\bshould\b|\brecommend", s, re.IGNORECASE) else \
                        "series" if m[0].lower().endswith("s") and not m[0].lower().endswith("ss") else "held"
                    label = m[0][:1].upper() + m[0][1:]
                    self.node(type="Meeting", id=mid, name=f"{label} ({when})", kind=kind, date=when, status=status,
                              notes=f"draft: meeting mentioned in {p.ref}: '{_short(s, 160)}'; {how}; "
                                    "agencies are those named in the same paragraph: check who attended",
                              source=p.ref)
                    kids = self.children_in(s) or self.children_in(p.text) or context[i]
                    for cid in kids or [c.id for c in self.children.values()]:
                        self.edge("CONCERNS", mid, cid, p.ref)
                    self._meeting_agencies(i, p, mid)
                if hits:
                    last = hits[-1].span
        return count

    def _meeting_agencies(self, i: int, p: Paragraph, mid: str) -> None:
        for s in sentences(p.text):
            start = max(p.text.find(s[:40]), 0)
            for aid in self.agencies_in(i, start, start + len(s) + 1):
                if self._is_police_unit_or_agency(aid) is False:
                    continue
                if _NOT_ATTENDED.search(s):
                    self.edge("DID_NOT_ATTEND", aid, mid, p.ref)
                elif _CONVENED.search(s) and s.find(self.agencies_label(aid)) < s.lower().find("meeting"):
                    self.edge("CONVENED", aid, mid, p.ref)
                else:
                    self.edge("ATTENDED", aid, mid, p.ref)

    def _is_police_unit_or_agency(self, aid: str) -> bool:
        return any(a.id == aid for a in self.agencies.values())

    def agencies_label(self, aid: str) -> str:
        for (key, _), a in self.agencies.items():
            if a.id == aid:
                return a.written().split(" (")[0]
        return aid

    def emit_points(self) -> tuple[list[int], list[int], int]:
        context = self.child_context()
        numbers: dict[str, list[int]] = {}
        for kind, label, prefix in (("learning_point", "LearningPoint", "LP"), ("good_practice", "GoodPracticePoint", "GP")):
            found = sorted({int(p.ref[len(prefix):]) for p in self.index.of_kind(kind)})
            numbers[kind] = found
            for n in found:
                ref = f"{prefix}{n}"
                occurrences = [i for i, p in enumerate(self.paras) if p.ref == ref and p.kind == kind]
                first = self.paras[occurrences[0]]
                self.node(type=label, id=ref, number=n, name=_short(sentences(first.text)[0] if first.text else ref),
                          text=first.text, source=ref)
                for i in occurrences:
                    for aid in self.agencies_in(i):
                        self.edge("NAMES", ref, aid, ref)
                kids = self.children_in(first.text) or context[occurrences[0]]
                if len(kids) == 1:
                    self.edge("CONCERNS", ref, kids[0], ref)
        recommendations = {p.ref for p in self.index.of_kind("recommendation")}
        return numbers["learning_point"], numbers["good_practice"], len(recommendations)


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


def extract_case(source_path: str | Path, out_dir: str | Path, case_id: str | None = None,
                 gazetteer: Sequence[str | Path] = ()) -> dict:
    """Read a review, write a draft case folder to ``out_dir`` and return what was found per type.

    The folder holds case.yaml (the case and its SourceDocument), documents/<id>.txt (the review's
    text, pages separated by form feeds, so refs resolve against exactly what was read) and
    draft.yaml (the drafted records).
    """
    source_path, out = Path(source_path), Path(out_dir)
    pages = read_document(source_path)
    text = pages_to_text(pages)
    index = DocumentIndex.from_pages(pages)
    doc_id = _slug(source_path.stem)
    case_id = case_id or doc_id
    out.mkdir(parents=True, exist_ok=True)
    (out / "documents").mkdir(exist_ok=True)
    (out / "documents" / f"{doc_id}.txt").write_text(text, encoding="utf-8")

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

    title_lines = [p.text for p in index.paragraphs if p.ref == "Title page"]
    title = _short(" — ".join(title_lines), 200) if title_lines else source_path.stem
    document = {"type": "SourceDocument", "id": doc_id, "name": title, "file": f"documents/{doc_id}.txt",
                "source": "Title page" if title_lines else (index.paragraphs[0].ref if index.paragraphs else "¶1")}
    for line in title_lines:
        for hit in find_dates(line):
            if hit.span.precision == "day":
                document["published"] = hit.text
                break
    header = {"case": case_id, "title": title, "document": doc_id, "nodes": [document]}
    dump = {"sort_keys": False, "allow_unicode": True, "width": 110}
    (out / "case.yaml").write_text(yaml.safe_dump(header, **dump), encoding="utf-8")
    (out / "draft.yaml").write_text(_HEADER.format(source=source_path.name)
                                    + yaml.safe_dump({"nodes": ex.nodes, "edges": ex.edges}, **dump), encoding="utf-8")
    return {
        "case": case_id,
        "out_dir": str(out),
        "document": str(out / "documents" / f"{doc_id}.txt"),
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
