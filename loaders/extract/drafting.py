"""The draft records, made from what loaders.extract.reading found: places, agencies, children,
learning and good-practice points, dated events and meetings, each citing where it was read and
saying in ``notes`` why it was made."""

from __future__ import annotations

import re
from datetime import timedelta

from loaders.dates import DateSpan, parse_date
from loaders.extract.kinds import _ASSURED, _CONVENED, _MEETING_RX, _NOT_ATTENDED, event_kind
from loaders.extract.names import GazetteerEntry, _ref_slug, _sources
from loaders.extract.prose import _add_years, _span_text, find_ages, find_dates, sentence_spans, sentences
from loaders.extract.reading import _Mention, _Reader
from loaders.paragraphs import DocumentIndex


class _Extractor(_Reader):
    """Collects the draft records from what _Reader found in the index."""

    def __init__(self, index: DocumentIndex, gazetteer: list[GazetteerEntry]) -> None:
        super().__init__(index, gazetteer)
        self.agency_names: dict[str, str] = {}
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.edge_keys: set[tuple] = set()

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
