"""The derived facts every rule and view uses, defined once.

- a party's **organisation**: the top of its ``PART_OF`` / ``WORKS_FOR`` chain. A team counts for
  its agency and the agency for its team, a professional speaks for their employer: every party
  of one organisation is ``same_organisation``; what it **belongs to** is every level above it (a team's
  unit and agency), which a learning point naming any of them is about;
- its **sector** (its own, else its employer's or parent's) and its **areas** (its own, else its
  parent's — a police unit sits where its force covers);
- **in the room** for a meeting: the organisations of everyone recorded as invited, attending or
  convening it;
- **informed by date T**: the items a party's organisation held no later than T, and the date an
  item was first held by anyone (nothing can be expected at a meeting before it existed);
- **involved with the child at the time**: the organisation's ``INVOLVED_WITH`` periods with the
  child (the curated record of each involvement: a school's years, a placement's dates, a service's
  work), which must overlap a meeting by more than a boundary month. A party whose involvement ended
  before a meeting (a school the child had left) is not expected at it, and a series of meetings is
  dated, for a party, only within its involvement.

All of it is read through registered queries (``party_facts``, ``item_holdings``,
``meeting_expectations``, ``child_involvement``), so both stores give the same facts.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from findings.compose import overlaps

if TYPE_CHECKING:
    import networkx as nx

    from findings.context import RuleContext

PARTY_LABELS = ("Agency", "Professional", "PoliceForce")
LINKS = {"PART_OF": "member_of", "WORKS_FOR": "member_of", "LOCATED_IN": "located_in", "COVERS": "located_in"}


@dataclass
class Party:
    id: str
    name: str
    sector: str = ""
    label: str = ""
    parents: list[str] = field(default_factory=list)
    areas: set[str] = field(default_factory=set)
    evidence: list[str] = field(default_factory=list)


@dataclass
class Facts:
    parties: dict[str, Party]
    holdings: dict[str, list[dict[str, object]]]  # item id → HOLDS rows
    item_names: dict[str, str]
    expected_sectors: dict[str, tuple[set[str], str]]  # meeting kind → (sectors, guidance)
    involved_with: dict[tuple[str, str], list[dict[str, object]]] = field(default_factory=dict)  # (child, org) → rows

    @classmethod
    def load(cls, ctx: RuleContext) -> Facts:
        return cls.from_rows(
            ctx.rows("party_facts"),
            ctx.rows("item_holdings"),
            ctx.rows("meeting_expectations"),
            ctx.rows("child_involvement", child=""),  # every child's: the engine derives the facts once per case
        )

    @classmethod
    def from_rows(
        cls,
        party_rows: Iterable[dict],
        holding_rows: Iterable[dict],
        expectation_rows: Iterable[dict],
        involvement_rows: Iterable[dict] = (),
    ) -> Facts:
        parties: dict[str, Party] = {}
        for r in party_rows:
            p = parties.setdefault(
                str(r["party"]), Party(str(r["party"]), str(r["name"]), evidence=list(r["evidence"]))
            )
            p.sector = p.sector or str(r["sector"] or "")
            p.label = p.label or str(r.get("label") or "")
            if r["target"] and r["link"] == "member_of" and r["target"] not in (*p.parents, p.id):
                p.parents.append(str(r["target"]))
            elif r["target"] and r["link"] == "located_in":
                p.areas.add(str(r["target"]))
        for p in parties.values():
            p.parents.sort()
        holdings: dict[str, list[dict[str, object]]] = defaultdict(list)
        names = {}
        for h in holding_rows:
            holdings[str(h["item"])].append(h)
            names[str(h["item"])] = str(h["item_name"])
        expected = {str(e["kind"]): (set(e["sectors"]), " ".join(e["evidence"])) for e in expectation_rows}
        facts = cls(parties, dict(holdings), names, expected)
        for v in involvement_rows:
            facts.involved_with.setdefault((str(v["child"]), facts.organisation(str(v["party"]))), []).append(v)
        return facts

    @classmethod
    def from_graph(cls, g: nx.MultiDiGraph) -> Facts:
        """The same facts from the store's networkx export (``graph.export.to_networkx``), for the
        pages and silo analytics that work on a graph: the rows ``party_facts`` would return."""
        rows = []
        for n, a in g.nodes(data=True):
            if a.get("label") in PARTY_LABELS:
                sector = "police" if a["label"] == "PoliceForce" else str(a.get("sector") or "")
                links = [(LINKS[d.get("type")], b) for _, b, d in g.out_edges(n, data=True) if d.get("type") in LINKS]
                for link, target in links or [("member_of", None)]:
                    rows.append(
                        {
                            "party": n,
                            "name": a.get("name") or n,
                            "sector": sector,
                            "link": link,
                            "target": target,
                            "evidence": list(a.get("source") or []),
                        }
                    )
        return cls.from_rows(rows, [], [])

    def name(self, party: str) -> str:
        return self.parties[party].name if party in self.parties else party

    def organisation(self, party: str, seen: frozenset[str] = frozenset()) -> str:
        """The top of the party's PART_OF / WORKS_FOR chain (itself when it belongs to nothing)."""
        p = self.parties.get(party)
        if p is None or not p.parents or party in seen:
            return party
        return self.organisation(p.parents[0], seen | {party})

    def belongs_to(self, party: str, seen: frozenset[str] = frozenset()) -> set[str]:
        """The party and everything it is part of or works for, at every level: a team's unit and its
        agency, a professional's employer and the agency above it (what a learning point naming any
        of them is about)."""
        p = self.parties.get(party)
        if p is None or party in seen:
            return {party}
        return {party}.union(*(self.belongs_to(parent, seen | {party}) for parent in p.parents))

    def same_organisation(self, a: str, b: str) -> bool:
        return self.organisation(a) == self.organisation(b)

    def sector(self, party: str, seen: frozenset[str] = frozenset()) -> str:
        """Its own sector, else the nearest parent's or employer's ('' when none is recorded)."""
        p = self.parties.get(party)
        if p is None or party in seen:
            return ""
        if p.sector:
            return p.sector
        return next((s for parent in p.parents if (s := self.sector(parent, seen | {party}))), "")

    def areas(self, party: str, seen: frozenset[str] = frozenset()) -> set[str]:
        """Its own areas, else those of what it is part of or works for."""
        p = self.parties.get(party)
        if p is None or party in seen:
            return set()
        if p.areas:
            return set(p.areas)
        return set().union(*(self.areas(parent, seen | {party}) for parent in p.parents))

    def in_room(self, meeting: dict[str, object]) -> set[str]:
        """Organisations recorded as invited to, attending or convening a ``child_meetings`` row."""
        present = [*meeting["invited"], *meeting["attended"], *meeting["convened"]]
        return {self.organisation(str(p)) for p in present if p}

    def first_held(self, item: str) -> date | None:
        """The earliest date anyone is recorded as holding the item (None if nobody is)."""
        dates = [h["date_from"] for h in self.holdings.get(item, []) if h["date_from"]]
        return min(dates) if dates else None

    def informed_by(self, party: str, when: date) -> set[str]:
        """Items the party's organisation held no later than ``when``."""
        org = self.organisation(party)
        return {
            item
            for item, rows in self.holdings.items()
            for h in rows
            if h["date_from"] and h["date_from"] <= when and self.organisation(str(h["party"])) == org
        }

    def involvement(self, child: str, party: str) -> list[dict[str, object]]:
        """The ``child_involvement`` rows of the party's organisation with the child (a team's count for its agency)."""
        return self.involved_with.get((child, self.organisation(party)), [])

    def involved(self, child: str, party: str, date_from: date | None, date_to: date | None) -> bool:
        """The party's organisation was involved with the child in the period (more than a shared boundary
        month): a school the child left in summer 2013 is not involved at a meeting of Feb 2015."""
        return any(
            overlaps(v["period_from"], v["period_to"], date_from, date_to) for v in self.involvement(child, party)
        )

    def involved_span(self, child: str, party: str) -> tuple[date | None, date | None, str, str]:
        """The organisation's involvement with the child as the review dates it (earliest, latest, and the
        review's words for each end), so an absence is never dated before the party was there to be absent
        (LA5 health before Child Q moved to LA5), nor after it left. No recorded involvement: open ends."""
        rows = self.involvement(child, party)
        if not rows:
            return None, None, "", ""
        first = min(rows, key=lambda v: v["period_from"] or date.min)
        last = max(rows, key=lambda v: v["period_to"] or date.max)
        ends = (str(first["period"] or "").split(" – "), str(last["period"] or "").split(" – "))
        return first["period_from"], last["period_to"], ends[0][0], ends[1][-1]

    def within_involvement(self, meeting: dict[str, object], child: str, party: str) -> dict[str, object]:
        """The meeting's dates (``date``, ``date_from``, ``date_to``) cut to the party's involvement: a series
        "Jan 2013 – Feb 2015" met by an involvement "2011 – summer 2013" is "Jan 2013 – summer 2013" for it."""
        start, end, start_text, end_text = self.involved_span(child, party)
        dates = {k: meeting[k] for k in ("date", "date_from", "date_to")}
        if not dates["date"]:
            return dates
        words = str(dates["date"]).split(" – ")
        if start and dates["date_from"] and start > dates["date_from"] and start_text:
            dates["date_from"], words[0] = start, start_text
        if end and dates["date_to"] and end < dates["date_to"] and end_text:
            dates["date_to"], words[-1] = end, end_text
        dates["date"] = words[0] if len(words) == 1 or words[0] == words[-1] else f"{words[0]} – {words[-1]}"
        return dates

    def cross_boundary(self, a: str, b: str) -> bool:
        """Both areas recorded and none shared: the tie crossed an area or force boundary."""
        area_a, area_b = self.areas(a), self.areas(b)
        return bool(area_a and area_b and area_a.isdisjoint(area_b))


_BY_GRAPH: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def facts_of(g: nx.MultiDiGraph) -> Facts:
    """``Facts.from_graph(g)``, computed once per graph object and size (pages ask node by node;
    a graph changed in place — a what-if copy — is computed again)."""
    size = (g.number_of_nodes(), g.number_of_edges())
    if g not in _BY_GRAPH or _BY_GRAPH[g][0] != size:
        _BY_GRAPH[g] = (size, Facts.from_graph(g))
    return _BY_GRAPH[g][1]
