"""The information-flow network about one child: who could have passed information to whom.

Its own module because every silo measure and every what-if reads this one picture: the tie kinds,
their weights and what counts as a carried flow are decided here and nowhere else.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from findings.facts import LINKS, PARTY_LABELS, Facts
from graph.backend import Backend
from graph.export import Step, to_networkx_around
from queries.library import id_sort_key, ref_sort_key

PARTIES = ("Agency", "Professional")
# How much a tie says that information could pass, per record on it. A recorded flow that
# arrived is the strongest evidence; a late one arrived when it mattered less; a referral is a
# formal flow; colleagues share an organisation's records but no flow is recorded; sitting in the
# same meeting is a chance to share, not a record that anything was shared.
STRENGTH = {"shared": 1.0, "late": 0.5, "referral": 1.0, "organisation": 0.5, "meeting": 0.25}
# Flows recorded as anything else (not shared, disputed, lost to a system gap …) carried nothing,
# as in the knowledge-horizon queries; a referral recorded as not made was not a flow.
CARRIED = ("shared", "late")
REFERRAL_NOT_MADE = "not_made"
FLOW_KINDS = {"Flow": "flow", "Referral": "referral"}  # the nodes a tie between parties is recorded in
# Meetings that create co-attendance ties: held ones about the child's care, not the review's own.
MEETING_STATUSES = ("held", "series")
REVIEW_MEETINGS = ("review_panel", "practitioner_event")
WHAT_IF_REF = "what-if"
TIE_KINDS = ("flow", "referral", "meeting", "organisation")
# A child's neighbourhood: every record ``flow_network`` and the what-if's horizon queries read for
# one child, as a walk from it (docs/decisions.md, "Silo analytics on the child's neighbourhood").
# From the child: the parties involved with it, and the flows, referrals, meetings and information
# items about it.
AROUND_CHILD = (
    Step("Child", "in", ("INVOLVED_WITH",), PARTIES),
    Step("Child", "in", ("CONCERNS",), (*FLOW_KINDS, "Meeting", "InformationItem")),
)
# From what that reaches: a flow's senders and recipients, a meeting's room (and every record of a
# party in it), an item's holders and the flows that carried it, and a party's organisations and
# areas, up to the top, since sectors and areas are inherited.
AROUND_REST = (
    *(Step(kind, "in", ("SENT",), PARTIES) for kind in FLOW_KINDS),
    *(Step(kind, "out", ("SENT_TO",)) for kind in FLOW_KINDS),
    Step("Meeting", "in", None, (*PARTIES, "FamilyMember", "Child")),
    Step("InformationItem", "in", ("HOLDS", "CARRIES")),
    *(Step(label, "out", tuple(LINKS)) for label in PARTY_LABELS),
)


@dataclass(frozen=True)
class Window:
    """A period of the case; open ends are unbounded. Dated records count when their interval overlaps."""

    start: date | None = None
    end: date | None = None
    label: str = "whole case"

    def overlaps(self, lo: date | None, hi: date | None) -> bool:
        return (self.end is None or lo is None or lo <= self.end) and (
            self.start is None or hi is None or hi >= self.start
        )

    def as_dict(self) -> dict[str, object]:
        return {"label": self.label, "start": iso_or_none(self.start), "end": iso_or_none(self.end)}


WHOLE_CASE = Window()


@dataclass(frozen=True)
class NewEdge:
    """A link the record lacks, for a what-if: e.g. ``NewEdge("INVITED_TO", "AG45", "MQ02")``, or a
    flow or referral: ``NewEdge("Flow", sender, recipient, {"child": …, "item": …, "status": …})``.

    ``props`` are the type's properties as a case file writes them (dates as review text).
    """

    type: str
    src: str
    dst: str
    props: dict[str, object] = field(default_factory=dict)


def iso_or_none(d: date | None) -> str | None:
    """A date as JSON-ready text; an open end stays None."""
    return d.isoformat() if d else None


def merged_refs(*lists: Iterable[str] | None) -> list[str]:
    """Source refs from several records as one list in review order, so every row cites each once."""
    return sorted({r for refs in lists for r in (refs or []) if r}, key=ref_sort_key)


def _room(g: nx.MultiDiGraph, meeting: str) -> set[str]:
    """Parties in the room: attended or convened, or invited with no record of not attending."""
    by_type: dict[str, set[str]] = {}
    for a, _, d in g.in_edges(meeting, data=True):
        if g.nodes[a]["label"] in PARTIES:
            by_type.setdefault(d["type"], set()).add(a)
    present = by_type.get("ATTENDED", set()) | by_type.get("CONVENED", set())
    return present | (by_type.get("INVITED_TO", set()) - by_type.get("DID_NOT_ATTEND", set()))


def _in_edges(g: nx.MultiDiGraph, node: str) -> list[tuple[str, str, dict]]:
    """A node's incoming edges by (other end, edge id), ids as a reader counts them: the network is
    built in the same order whatever order the export read the records in (a store's scan order, or
    a neighbourhood walk's)."""
    return sorted(g.in_edges(node, data=True), key=lambda e: (id_sort_key(e[0]), id_sort_key(e[2]["id"])))


def _flows_about(g: nx.MultiDiGraph, child: str) -> Iterator[tuple[str, str, str, dict, str]]:
    """Each flow or referral that CONCERNS the child, as (sender, recipient, its id, its record, kind)."""
    for f, _, d in _in_edges(g, child):
        kind = FLOW_KINDS.get(g.nodes[f]["label"])
        if d["type"] != "CONCERNS" or kind is None:
            continue
        senders = sorted(a for a, _, e in g.in_edges(f, data=True) if e["type"] == "SENT")
        recipients = sorted(b for _, b, e in g.out_edges(f, data=True) if e["type"] == "SENT_TO")
        for a, b in itertools.product(senders, recipients):
            yield a, b, f, g.nodes[f], kind


class _NetworkBuilder:
    """The network while it is built: each party added once with its attributes, each tie summing
    the strength of its records; meeting rooms worked out once and shared by flows and meetings."""

    def __init__(self, g: nx.MultiDiGraph, child: str, window: Window) -> None:
        self.g = g
        self.child = child
        self.window = window
        self.facts = Facts.from_graph(g)
        self.label = nx.get_node_attributes(g, "label")
        self.net = nx.Graph(child=child, window=window, flows=[])
        self.rooms: dict[str, set[str]] = {}

    def room(self, meeting: str) -> set[str]:
        return self.rooms.setdefault(meeting, _room(self.g, meeting))

    def party(self, n: str, involvement: list[str] | None = None) -> None:
        net = self.net
        if n not in net:
            attrs = self.g.nodes[n]
            net.add_node(
                n,
                name=attrs.get("name"),
                label=attrs["label"],
                sector=self.facts.sector(n) or None,
                areas=sorted(self.facts.areas(n)),
                involved=False,
                evidence=[],
            )
        if involvement is not None:
            net.nodes[n]["involved"] = True
            net.nodes[n]["evidence"] = merged_refs(net.nodes[n]["evidence"], involvement)

    def tie(self, a: str, b: str, link: dict[str, object], strength: float) -> None:
        self.party(a)
        self.party(b)
        if not self.net.has_edge(a, b):
            self.net.add_edge(a, b, strength=0.0, links=[])
        self.net.edges[a, b]["strength"] += strength
        self.net.edges[a, b]["links"].append(link)


def _add_involved(nb: _NetworkBuilder) -> None:
    """Every party INVOLVED_WITH the child in the window, tied or not (an isolated one is a silo)."""
    for a, _, d in _in_edges(nb.g, nb.child):
        if d["type"] == "INVOLVED_WITH" and nb.label[a] in PARTIES:
            if nb.window.overlaps(d["period_from"], d["period_to"]):
                nb.party(a, d["source"])


def _add_flows(nb: _NetworkBuilder) -> None:
    """Flows and referrals that carried something: a tie from the sender to each recipient (to
    everyone in the room for a flow to a meeting), and the flow kept for the crossing shares."""
    label = nb.label
    for a, b, fid, d, kind in _flows_about(nb.g, nb.child):
        if label[a] not in PARTIES or not nb.window.overlaps(d["date_from"], d["date_to"]):
            continue
        status = d["status"] if kind == "flow" else d["outcome"]
        carried = status in CARRIED if kind == "flow" else status != REFERRAL_NOT_MADE
        if not carried:
            continue
        via = b if label[b] == "Meeting" else None
        recipients = sorted((nb.room(b) if via else {b}) - {a})
        evidence = merged_refs(d["source"])
        record = {
            "id": fid,
            "kind": kind,
            "from": a,
            "to": b,
            "recipients": recipients,
            "status": status,
            "date": d["date_text"],
            "evidence": evidence,
        }
        nb.net.graph["flows"].append(record)
        nb.party(a)
        for r in recipients:
            link = {
                "kind": kind,
                "id": fid,
                "from": a,
                "to": r,
                "via": via,
                "status": status,
                "date": d["date_text"],
                "evidence": evidence,
            }
            nb.tie(a, r, link, STRENGTH[status if kind == "flow" else kind])


def _add_meetings(nb: _NetworkBuilder) -> None:
    """Held meetings about the child's care (not the review's own): a tie between each pair in the room."""
    g = nb.g
    for m, _, d in _in_edges(g, nb.child):
        attrs = g.nodes[m]
        if d["type"] != "CONCERNS" or nb.label[m] != "Meeting" or attrs.get("status") not in MEETING_STATUSES:
            continue
        if attrs["kind"] in REVIEW_MEETINGS or not nb.window.overlaps(attrs["date_from"], attrs["date_to"]):
            continue
        room = nb.room(m)
        present = [e["source"] for a, _, e in g.in_edges(m, data=True) if a in room]
        evidence = merged_refs(attrs["source"], *present)
        for a, b in itertools.combinations(sorted(room), 2):
            link = {
                "kind": "meeting",
                "id": m,
                "from": a,
                "to": b,
                "via": m,
                "status": attrs["kind"],
                "date": attrs["date_text"],
                "evidence": evidence,
            }
            nb.tie(a, b, link, STRENGTH["meeting"])


def _add_organisations(nb: _NetworkBuilder) -> None:
    """Colleagues and teams already in the network: tied by WORKS_FOR or PART_OF in the window."""
    net = nb.net
    for a in sorted(net, key=id_sort_key):
        for _, b, d in sorted(nb.g.out_edges(a, data=True), key=lambda e: (id_sort_key(e[1]), id_sort_key(e[2]["id"]))):
            if d["type"] not in ("WORKS_FOR", "PART_OF") or b not in net or a == b:
                continue
            if nb.window.overlaps(d.get("period_from"), d.get("period_to")):
                link = {
                    "kind": "organisation",
                    "id": d["id"],
                    "from": a,
                    "to": b,
                    "via": None,
                    "status": d["type"],
                    "date": d.get("period_text"),
                    "evidence": merged_refs(d["source"]),
                }
                nb.tie(a, b, link, STRENGTH["organisation"])


def child_graph(backend: Backend, case_id: str, child: str, also: Iterable[str] = ()) -> nx.MultiDiGraph:
    """The child's neighbourhood in ``to_networkx``'s shape: ``flow_network`` and ``what_if`` give the
    same answers on it as on the whole case, at a cost that follows the child's records, not the
    caseload's. ``also``: records a what-if links in (the parties and meetings of its new links)."""
    try:
        return to_networkx_around(backend, case_id, ("Child", child), AROUND_CHILD, AROUND_REST, also)
    except ValueError:
        raise ValueError(f"no child {child!r} in case {case_id!r}") from None


def flow_network(g: nx.MultiDiGraph, child: str, window: Window = WHOLE_CASE) -> nx.Graph:
    """Parties about one child in one window, tied by recorded flows, meetings and organisation.

    Nodes: agencies and professionals involved with the child in the window (an isolated one is a
    silo of one) and every party at either end of a tie. Ties are undirected (a silo is about who
    was connected, not who spoke first); each keeps its records (``links``) with direction, date
    and evidence, a ``strength`` (sum of ``STRENGTH`` over its records) and ``distance`` =
    1/strength, so that shortest paths prefer recorded flows over shared meetings.
    """
    nb = _NetworkBuilder(g, child, window)
    _add_involved(nb)
    _add_flows(nb)
    _add_meetings(nb)
    _add_organisations(nb)
    for _, _, t in nb.net.edges(data=True):
        t["distance"] = 1.0 / t["strength"]
        t["kinds"] = sorted({link["kind"] for link in t["links"]})
        t["evidence"] = merged_refs(*(link["evidence"] for link in t["links"]))
    return nb.net
