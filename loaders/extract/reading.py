"""What the review names, read once per kind of element: areas and the forces covering them,
children and the sections about each, every mention of an agency with the place the text gives
for it, and each child's birth. loaders.extract.drafting turns what is read here into records.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from loaders.extract.names import (
    _AREA_AFTER,
    _AREA_IN_BRACKETS,
    _AREA_LETTER,
    _AREA_NAMED,
    _CHILD,
    _FORCE,
    _FORCE_GENERIC,
    _FORCE_LETTER,
    _FORCE_NAMED,
    _FORCE_SHORT,
    _LA,
    _LA_LONG,
    _NOT_A_FORCE_NAME,
    AgencyMatcher,
    GazetteerEntry,
    _expand,
    _Named,
    _slug,
)
from loaders.extract.prose import _add_years, _span_text, find_ages, find_dates, sentences
from loaders.paragraphs import DocumentIndex, Paragraph

SCANNED_KINDS = ("paragraph", "learning_point", "good_practice", "recommendation", "appendix", "table", "heading")
NARRATIVE_KINDS = ("paragraph", "appendix")
UNSCANNED_TABLES = ("Contents", "Glossary")


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


class _Reader:
    """Reads the index once per kind of element and keeps what the review names."""

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
        self.mentions: list[_Mention] = []
        self.covers: dict[tuple[str, str], list[str]] = {}

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
