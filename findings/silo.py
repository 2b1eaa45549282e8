"""Silo analytics: who exchanged information about a child with whom, and how fragile that was.

Reviews praise or regret single people and agencies that carried information across sector and
area boundaries; a trainer needs to show silo working. Both are network questions — components,
brokers, single points of failure — that Cypher's portable subset cannot answer, so they are
computed here with networkx on the store's export (``graph.export.to_networkx``). What-if
questions about *who would have known what* are not re-implemented: the case is copied into an
in-memory store, the change is written there, and the registered knowledge-horizon queries run
on the copy before and after. docs/analytics.md explains each measure and the tie weights.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from findings.facts import Facts
from graph import statements as st
from graph.backend import Backend, Statement
from graph.embedded import EmbeddedBackend
from graph.export import to_networkx
from graph.load import load_case
from graph.records import EdgeRow, NodeRow, ValidatedCase
from graph.schema import EdgeType, NodeType, load_schema
from loaders.dates import parse_date
from queries.library import ref_sort_key, run_query

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
# Betweenness is exact up to this many parties (every single case); beyond, estimated from a
# seeded sample of sources: exact weighted betweenness on 2,500 parties took ~70 s (bench/analytics.py).
EXACT_BETWEENNESS = 500
SAMPLED_SOURCES = 200
WHAT_IF_REF = "what-if"
TIE_KINDS = ("flow", "referral", "meeting", "organisation")


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
        return {"label": self.label, "start": _iso(self.start), "end": _iso(self.end)}


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


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _refs(*lists: Iterable[str] | None) -> list[str]:
    return sorted({r for refs in lists for r in (refs or []) if r}, key=ref_sort_key)


# --- the information-flow network -------------------------------------------------------------


def _room(g: nx.MultiDiGraph, meeting: str) -> set[str]:
    """Parties in the room: attended or convened, or invited with no record of not attending."""
    by_type: dict[str, set[str]] = {}
    for a, _, d in g.in_edges(meeting, data=True):
        if g.nodes[a]["label"] in PARTIES:
            by_type.setdefault(d["type"], set()).add(a)
    present = by_type.get("ATTENDED", set()) | by_type.get("CONVENED", set())
    return present | (by_type.get("INVITED_TO", set()) - by_type.get("DID_NOT_ATTEND", set()))


def _flows_about(g: nx.MultiDiGraph, child: str) -> Iterator[tuple[str, str, str, dict, str]]:
    """Each flow or referral that CONCERNS the child, as (sender, recipient, its id, its record, kind)."""
    for f, _, d in g.in_edges(child, data=True):
        kind = FLOW_KINDS.get(g.nodes[f]["label"])
        if d["type"] != "CONCERNS" or kind is None:
            continue
        senders = sorted(a for a, _, e in g.in_edges(f, data=True) if e["type"] == "SENT")
        recipients = sorted(b for _, b, e in g.out_edges(f, data=True) if e["type"] == "SENT_TO")
        for a, b in itertools.product(senders, recipients):
            yield a, b, f, g.nodes[f], kind


def flow_network(g: nx.MultiDiGraph, child: str, window: Window = WHOLE_CASE) -> nx.Graph:
    """Parties about one child in one window, tied by recorded flows, meetings and organisation.

    Nodes: agencies and professionals involved with the child in the window (an isolated one is a
    silo of one) and every party at either end of a tie. Ties are undirected (a silo is about who
    was connected, not who spoke first); each keeps its records (``links``) with direction, date
    and evidence, a ``strength`` (sum of ``STRENGTH`` over its records) and ``distance`` =
    1/strength, so that shortest paths prefer recorded flows over shared meetings.
    """
    net = nx.Graph(child=child, window=window, flows=[])
    facts = Facts.from_graph(g)
    label = nx.get_node_attributes(g, "label")

    def party(n: str, involvement: list[str] | None = None) -> None:
        if n not in net:
            attrs = g.nodes[n]
            net.add_node(
                n,
                name=attrs.get("name"),
                label=attrs["label"],
                sector=facts.sector(n) or None,
                areas=sorted(facts.areas(n)),
                involved=False,
                evidence=[],
            )
        if involvement is not None:
            net.nodes[n]["involved"] = True
            net.nodes[n]["evidence"] = _refs(net.nodes[n]["evidence"], involvement)

    def tie(a: str, b: str, link: dict[str, object], strength: float) -> None:
        party(a)
        party(b)
        if not net.has_edge(a, b):
            net.add_edge(a, b, strength=0.0, links=[])
        net.edges[a, b]["strength"] += strength
        net.edges[a, b]["links"].append(link)

    for a, _, d in g.in_edges(child, data=True):
        if d["type"] == "INVOLVED_WITH" and label[a] in PARTIES and window.overlaps(d["period_from"], d["period_to"]):
            party(a, d["source"])

    rooms: dict[str, set[str]] = {}
    for a, b, fid, d, kind in _flows_about(g, child):
        if label[a] not in PARTIES or not window.overlaps(d["date_from"], d["date_to"]):
            continue
        status = d["status"] if kind == "flow" else d["outcome"]
        carried = status in CARRIED if kind == "flow" else status != REFERRAL_NOT_MADE
        if not carried:
            continue
        via = b if label[b] == "Meeting" else None
        recipients = sorted((rooms.setdefault(b, _room(g, b)) if via else {b}) - {a})
        record = {
            "id": fid,
            "kind": kind,
            "from": a,
            "to": b,
            "recipients": recipients,
            "status": status,
            "date": d["date_text"],
            "evidence": _refs(d["source"]),
        }
        net.graph["flows"].append(record)
        party(a)
        for r in recipients:
            link = {
                "kind": kind,
                "id": fid,
                "from": a,
                "to": r,
                "via": via,
                "status": status,
                "date": d["date_text"],
                "evidence": record["evidence"],
            }
            tie(a, r, link, STRENGTH[status if kind == "flow" else kind])

    for m, _, d in g.in_edges(child, data=True):
        attrs = g.nodes[m]
        if d["type"] != "CONCERNS" or label[m] != "Meeting" or attrs.get("status") not in MEETING_STATUSES:
            continue
        if attrs["kind"] in REVIEW_MEETINGS or not window.overlaps(attrs["date_from"], attrs["date_to"]):
            continue
        room = rooms.setdefault(m, _room(g, m))
        present = [e["source"] for a, _, e in g.in_edges(m, data=True) if a in room]
        evidence = _refs(attrs["source"], *present)
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
            tie(a, b, link, STRENGTH["meeting"])

    for a, b, d in g.edges(data=True):
        if d["type"] in ("WORKS_FOR", "PART_OF") and a in net and b in net and a != b:
            if window.overlaps(d.get("period_from"), d.get("period_to")):
                link = {
                    "kind": "organisation",
                    "id": d["id"],
                    "from": a,
                    "to": b,
                    "via": None,
                    "status": d["type"],
                    "date": d.get("period_text"),
                    "evidence": _refs(d["source"]),
                }
                tie(a, b, link, STRENGTH["organisation"])

    for _, _, t in net.edges(data=True):
        t["distance"] = 1.0 / t["strength"]
        t["kinds"] = sorted({link["kind"] for link in t["links"]})
        t["evidence"] = _refs(*(link["evidence"] for link in t["links"]))
    return net


# --- measures -----------------------------------------------------------------------------------


def _party(net: nx.Graph, n: str) -> dict[str, object]:
    a = net.nodes[n]
    return {"id": n, "name": a["name"], "label": a["label"], "sector": a["sector"], "areas": a["areas"]}


def _tie_refs(net: nx.Graph, edges: Iterable[tuple[str, str]]) -> list[str]:
    return _refs(*(net.edges[e]["evidence"] for e in edges))


def _group(net: nx.Graph, members: Iterable[str]) -> dict[str, object]:
    """A set of parties with their sectors and areas, and the evidence that puts them together."""
    members = sorted(members)
    sub = net.subgraph(members)
    if sub.number_of_edges():
        evidence = _tie_refs(net, sub.edges)
    else:
        evidence = _refs(*(net.nodes[n]["evidence"] for n in members))
    return {
        "size": len(members),
        "members": [_party(net, n) for n in members],
        "sectors": sorted({s for n in members if (s := net.nodes[n]["sector"])}),
        "areas": sorted({a for n in members for a in net.nodes[n]["areas"]}),
        "evidence": evidence,
    }


def density(net: nx.Graph) -> dict[str, object]:
    """Ties present out of all possible pairs of parties."""
    return {
        "value": round(nx.density(net), 4),
        "parties": net.number_of_nodes(),
        "ties": net.number_of_edges(),
        "ties_by_kind": {k: sum(1 for *_, t in net.edges(data=True) if k in t["kinds"]) for k in TIE_KINDS},
        "evidence": _tie_refs(net, net.edges),
    }


def components(net: nx.Graph) -> list[dict[str, object]]:
    """Silos: groups of parties with no tie between them; the largest first."""
    comps = sorted(nx.connected_components(net), key=lambda c: (-len(c), min(c)))
    return [_group(net, c) for c in comps]


def betweenness(net: nx.Graph, k: int | None = None, seed: int = 0) -> tuple[dict[str, float], str]:
    """Share of shortest paths (by tie distance) through each party: exact, or estimated from ``k``
    sampled sources when the network is large. Returns the scores and which method was used."""
    n = net.number_of_nodes()
    if k is None and n > EXACT_BETWEENNESS:
        k = SAMPLED_SOURCES
    if k is None or k >= n:
        return nx.betweenness_centrality(net, weight="distance"), "exact"
    return nx.betweenness_centrality(net, k=k, weight="distance", seed=seed), f"sampled k={k}"


def centrality(net: nx.Graph, k: int | None = None) -> dict[str, object]:
    """Degree (how many parties a party is tied to), strength (the same, weighted) and betweenness."""
    between, method = betweenness(net, k)
    degree = nx.degree_centrality(net)
    rows = [
        {
            **_party(net, n),
            "degree": net.degree(n),
            "degree_centrality": round(degree[n], 4),
            "strength": round(net.degree(n, weight="strength"), 4),
            "betweenness": round(between[n], 4),
        }
        for n in net
    ]
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], r["id"]))
    return {"method": method, "parties": rows}


def brokers(net: nx.Graph, central: dict[str, object], top: int = 5) -> list[dict[str, object]]:
    """The parties most often on the shortest route between others, with the ties that put them there."""
    rows = [r for r in central["parties"] if r["betweenness"] > 0][:top]
    return [{**r, "evidence": _tie_refs(net, net.edges(r["id"]))} for r in rows]


def _adjacency(net: nx.Graph) -> dict[str, set[str]]:
    return {n: set(net[n]) for n in net}


def _pieces_without(
    adj: dict[str, set[str]], node: str | None = None, tie: tuple[str, str] | None = None
) -> list[set[str]]:
    """The parts a party's (or a tie's) component falls into without it; the largest first.

    A plain traversal of an adjacency dict: once per articulation point or bridge, so copying the
    networkx graph each time would dominate on large networks.
    """
    seen = {node} if node else set()
    pieces = []
    for start in adj[node] if node else tie:
        if start in seen:
            continue
        piece, stack = {start}, [start]
        seen.add(start)
        while stack:
            x = stack.pop()
            for y in adj[x]:
                if y not in seen and (tie is None or {x, y} != set(tie)):
                    seen.add(y)
                    piece.add(y)
                    stack.append(y)
        pieces.append(piece)
    return sorted(pieces, key=lambda c: (-len(c), min(c)))


def articulation_points(net: nx.Graph) -> list[dict[str, object]]:
    """Single points of failure: parties whose loss splits their group; what each would cut off, and
    by which kinds of tie (only ``organisation``: the sole link to its own staff or teams)."""
    adj = _adjacency(net)
    out = []
    for n in sorted(nx.articulation_points(net)):
        cut_off = _pieces_without(adj, node=n)[1:]
        ties = [(n, m) for piece in cut_off for m in piece if m in adj[n]]
        out.append(
            {
                **_party(net, n),
                "cuts_off": [sorted(p) for p in cut_off],
                "cut_off_parties": sum(len(p) for p in cut_off),
                "kinds": sorted({k for t in ties for k in net.edges[t]["kinds"]}),
                "evidence": _tie_refs(net, ties),
            }
        )
    out.sort(key=lambda r: (-r["cut_off_parties"], r["id"]))
    return out


def bridges(net: nx.Graph) -> list[dict[str, object]]:
    """Ties whose loss splits a group: the only link between two sets of parties."""
    adj = _adjacency(net)
    out = []
    for a, b in nx.bridges(net):
        a, b = sorted((a, b))
        smaller = _pieces_without(adj, tie=(a, b))[-1]
        t = net.edges[a, b]
        out.append(
            {
                "a": _party(net, a),
                "b": _party(net, b),
                "kinds": t["kinds"],
                "strength": t["strength"],
                "cuts_off": sorted(smaller),
                "evidence": t["evidence"],
            }
        )
    out.sort(key=lambda r: (-len(r["cuts_off"]), r["a"]["id"], r["b"]["id"]))
    return out


def _share(flows: list[dict[str, object]], crossing: list[dict[str, object]], unknown: int) -> dict[str, object]:
    known = len(flows) - unknown
    return {
        "share": round(len(crossing) / known, 4) if known else None,
        "flows": len(flows),
        "known": known,
        "crossing": len(crossing),
        "unknown": unknown,
        "crossing_flows": [f["id"] for f in crossing],
        "evidence": _refs(*(f["evidence"] for f in crossing)),
    }


def crossings(net: nx.Graph) -> dict[str, dict[str, object]]:
    """Shares of recorded flows that crossed a sector line, and an area or police-force boundary.

    A flow to a meeting crosses when anyone else in the room is across the line. Unknown when the
    sector or areas of the sender, or of every recipient, are not recorded.
    """
    flows = net.graph["flows"]
    sector, areas = nx.get_node_attributes(net, "sector"), nx.get_node_attributes(net, "areas")
    by_sector, by_area, sector_unknown, area_unknown = [], [], 0, 0
    for f in flows:
        src = f["from"]
        theirs = [sector[r] for r in f["recipients"] if sector[r]]
        if not sector[src] or not theirs:
            sector_unknown += 1
        elif any(s != sector[src] for s in theirs):
            by_sector.append(f)
        places = [set(areas[r]) for r in f["recipients"] if areas[r]]
        if not areas[src] or not places:
            area_unknown += 1
        elif any(p.isdisjoint(areas[src]) for p in places):
            by_area.append(f)
    return {
        "cross_sector": _share(flows, by_sector, sector_unknown),
        "cross_boundary": _share(flows, by_area, area_unknown),
    }


def sector_pairs(net: nx.Graph) -> list[dict[str, object]]:
    """For each pair of sectors: were both involved with the child in the window (so contact was
    expected), and which flows and shared meetings does the record hold between them?"""
    sector = nx.get_node_attributes(net, "sector")
    involvement: dict[str, list[str]] = {}
    for _, a in net.nodes(data=True):
        if a["involved"] and a["sector"]:
            involvement.setdefault(a["sector"], []).extend(a["evidence"])
    pairs: dict[tuple[str, str], dict[str, object]] = {}

    def row(s1: str, s2: str) -> dict[str, object]:
        key = (min(s1, s2), max(s1, s2))
        return pairs.setdefault(key, {"flows": {}, "meetings": {}})

    for s1, s2 in itertools.combinations(sorted(involvement), 2):
        row(s1, s2)
    for f in net.graph["flows"]:
        mine = sector[f["from"]]
        for theirs in {sector[r] for r in f["recipients"]} - {None, mine}:
            if mine:
                row(mine, theirs)["flows"][f["id"]] = f["evidence"]
    for a, b, t in net.edges(data=True):
        if sector[a] and sector[b] and sector[a] != sector[b]:
            for link in t["links"]:
                if link["kind"] == "meeting":
                    row(sector[a], sector[b])["meetings"][link["id"]] = link["evidence"]
    out = []
    for (s1, s2), r in sorted(pairs.items()):
        expected = s1 in involvement and s2 in involvement
        out.append(
            {
                "sectors": [s1, s2],
                "expected": expected,
                "flows": len(r["flows"]),
                "flow_ids": sorted(r["flows"]),
                "meetings": sorted(r["meetings"]),
                "evidence": _refs(
                    *r["flows"].values(),
                    *r["meetings"].values(),
                    *([involvement[s1], involvement[s2]] if expected else []),
                ),
            }
        )
    return out


def analyse_network(net: nx.Graph, k: int | None = None) -> dict[str, object]:
    """Every measure of one flow network, as plain JSON-ready data."""
    central = centrality(net, k)
    return {
        "child": net.graph["child"],
        "window": net.graph["window"].as_dict(),
        "density": density(net),
        "components": components(net),
        "brokers": brokers(net, central),
        "centrality": central,
        "articulation_points": articulation_points(net),
        "bridges": bridges(net),
        **crossings(net),
        "sector_pairs": sector_pairs(net),
    }


def analyse(g: nx.MultiDiGraph, child: str, window: Window = WHOLE_CASE, k: int | None = None) -> dict[str, object]:
    """Every measure for one child in one window."""
    return analyse_network(flow_network(g, child, window), k)


def headline(result: dict[str, object]) -> dict[str, object]:
    """The numbers a reader compares between two periods or before and after a change."""
    return {
        "parties": result["density"]["parties"],
        "ties": result["density"]["ties"],
        "density": result["density"]["value"],
        "components": len(result["components"]),
        "largest_component": result["components"][0]["size"] if result["components"] else 0,
        "brokers": [b["id"] for b in result["brokers"]],
        "articulation_points": [p["id"] for p in result["articulation_points"]],
        "bridges": [[b["a"]["id"], b["b"]["id"]] for b in result["bridges"]],
        "cross_sector_share": result["cross_sector"]["share"],
        "cross_boundary_share": result["cross_boundary"]["share"],
        "expected_pairs_without_flow": [
            r["sectors"] for r in result["sector_pairs"] if r["expected"] and not r["flows"]
        ],
    }


def _ties(net: nx.Graph) -> dict[tuple[str, str], dict[str, object]]:
    out = {}
    for a, b, t in net.edges(data=True):
        a, b = sorted((a, b))
        out[a, b] = {
            "a": a,
            "a_name": net.nodes[a]["name"],
            "b": b,
            "b_name": net.nodes[b]["name"],
            "kinds": t["kinds"],
            "strength": t["strength"],
            "evidence": t["evidence"],
        }
    return out


def _tie_changes(first: nx.Graph, second: nx.Graph) -> tuple[list[dict], list[dict]]:
    """Ties only in the first network, and ties only in the second."""
    a, b = _ties(first), _ties(second)
    return [a[k] for k in sorted(a.keys() - b.keys())], [b[k] for k in sorted(b.keys() - a.keys())]


def compare_periods(g: nx.MultiDiGraph, child: str, first: Window, second: Window) -> dict[str, object]:
    """Two windows side by side (e.g. before and after a key worker was allocated)."""
    if first.label == second.label:
        raise ValueError("the two periods need different labels")
    nets = [flow_network(g, child, w) for w in (first, second)]
    results = [analyse_network(n) for n in nets]
    heads = [headline(r) for r in results]
    only_first, only_second = _tie_changes(*nets)
    return {
        "child": child,
        "periods": results,
        "table": [{"measure": m, first.label: heads[0][m], second.label: heads[1][m]} for m in heads[0]],
        "ties_only_in": {first.label: only_first, second.label: only_second},
    }


# --- what-if on a copy of the case ---------------------------------------------------------------


def case_from_graph(g: nx.MultiDiGraph) -> ValidatedCase:
    """The export as a loadable case: it already holds every stored column, so loading it back
    reproduces the store without re-reading (or needing) the case's files."""
    case_ids = {d.get("case_id") for _, d in g.nodes(data=True)}
    if len(case_ids) != 1:
        raise ValueError(f"a what-if needs exactly one case; the graph holds {sorted(map(str, case_ids))}")
    case_id = str(case_ids.pop())
    label = nx.get_node_attributes(g, "label")
    nodes = [
        NodeRow(label[n], {"id": n, **{k: v for k, v in d.items() if k != "label"}}) for n, d in g.nodes(data=True)
    ]
    edges = [
        EdgeRow(d["type"], a, label[a], b, label[b], {k: v for k, v in d.items() if k != "type"})
        for a, b, d in g.edges(data=True)
    ]
    return ValidatedCase(case_id, case_id, case_id, None, nodes, edges)


def _columns(kind: NodeType | EdgeType, name: str, props: dict[str, object]) -> dict[str, object]:
    """A hypothetical record's stored columns, checked against its type as a case file would be."""
    unknown = set(props) - set(kind.props)
    if unknown:
        raise ValueError(f"{name} has no property {', '.join(sorted(unknown))}")
    row: dict[str, object] = {}
    for prop in kind.props.values():
        raw = props.get(prop.name, prop.default)
        if raw is None:
            if prop.required:
                raise ValueError(f"{name} needs {prop.name!r}")
            row.update(dict.fromkeys(c for c, _ in prop.columns()))
        elif prop.kind == "date":
            span = parse_date(raw)
            row.update(
                {
                    f"{prop.name}_text": span.text,
                    f"{prop.name}_from": _iso(span.earliest),
                    f"{prop.name}_to": _iso(span.latest),
                    f"{prop.name}_precision": span.precision,
                }
            )
        else:
            row[prop.name] = raw
    return row


def _new_edge(g: nx.MultiDiGraph, edge: NewEdge, edge_id: str, new: dict[str, str] | None = None) -> Statement:
    """A CREATE for one hypothetical link; ``new`` holds the labels of hypothetical nodes it may end at."""
    etype = load_schema().edges.get(edge.type)
    if etype is None:
        raise ValueError(f"unknown relationship type {edge.type!r}")
    labels = {n: (new or {}).get(n) or (g.nodes[n]["label"] if n in g else None) for n in (edge.src, edge.dst)}
    for end, end_label in labels.items():
        if end_label is None:
            raise ValueError(f"{edge.type} {edge.src}→{edge.dst}: no node {end!r} in the case")
    src, dst = labels[edge.src], labels[edge.dst]
    if (src, dst) not in etype.pairs():
        raise ValueError(f"{edge.type} cannot link {src} {edge.src} to {dst} {edge.dst}")
    case_id = _case_of(g)
    row: dict[str, object] = {
        "src": st.uid(case_id, edge.src),
        "dst": st.uid(case_id, edge.dst),
        "id": edge_id,
        "uid": st.uid(case_id, edge_id),
        "case_id": case_id,
        "doc": WHAT_IF_REF,
        "source": [WHAT_IF_REF],
        **_columns(etype, edge.type, edge.props),
    }
    return st.edge_write(etype, src, dst, {k for k, v in row.items() if v is not None}), {"rows": [row]}


def _new_flow(g: nx.MultiDiGraph, flow: NewEdge, flow_id: str) -> list[Statement]:
    """A hypothetical flow or referral (``NewEdge("Flow", sender, recipient, {child, item, …})``): its
    node, and the SENT, SENT_TO, CONCERNS and CARRIES links a case file would give it."""
    ntype = load_schema().nodes[flow.type]
    props = dict(flow.props)
    child, item = props.pop("child", None), props.pop("item", None)
    if child not in g or g.nodes[child]["label"] != "Child":
        raise ValueError(f"{flow.type} needs 'child', the id of a child in the case")
    case_id = _case_of(g)
    row = {
        "id": flow_id,
        "uid": st.uid(case_id, flow_id),
        "case_id": case_id,
        "doc": WHAT_IF_REF,
        "source": [WHAT_IF_REF],
        **_columns(ntype, flow.type, props),
    }
    links = [
        NewEdge("SENT", flow.src, flow_id),
        NewEdge("SENT_TO", flow_id, flow.dst),
        NewEdge("CONCERNS", flow_id, str(child)),
        *([NewEdge("CARRIES", flow_id, str(item))] if item else []),
    ]
    node = st.node_write(ntype, "CREATE", {k for k, v in row.items() if v is not None}), {"rows": [row]}
    return [node, *(_new_edge(g, link, f"{flow_id}-{link.type.lower()}", {flow_id: flow.type}) for link in links)]


def _case_of(g: nx.MultiDiGraph) -> str:
    return str(next(iter(g.nodes.values()))["case_id"])


def change_statements(g: nx.MultiDiGraph, remove: Iterable[str] = (), add: Iterable[NewEdge] = ()) -> list[Statement]:
    """The what-if as generated, parameterised writes: delete parties, create links."""
    schema = load_schema()
    out: list[Statement] = []
    for n in remove:
        if n not in g:
            raise ValueError(f"no node {n!r} in the case")
        out.append((st.node_delete(schema.nodes[g.nodes[n]["label"]]), {"uid": st.uid(g.nodes[n]["case_id"], n)}))
    for i, edge in enumerate(add, start=1):
        if edge.type in FLOW_KINDS:
            out += _new_flow(g, edge, f"{WHAT_IF_REF}-{i}")
        else:
            out.append(_new_edge(g, edge, f"{WHAT_IF_REF}-{i}"))
    return out


def _horizon(backend: Backend, case_id: str, child: str, by: date | None) -> tuple[dict, dict]:
    meetings = {(r["meeting"], r["item"]): r for r in run_query(backend, "meeting_horizon", case_id, child=child)}
    known: dict[str, dict[str, dict]] = {}
    params = {"by": by.isoformat()} if by else {}
    for r in run_query(backend, "knowledge_horizon", case_id, child=child, **params):
        best = known.setdefault(r["item"], {})
        if r["party"] not in best or r["steps"] < best[r["party"]]["steps"]:
            best[r["party"]] = r
    return meetings, known


def _meeting_changes(before: dict, after: dict) -> list[dict[str, object]]:
    out = []
    for key in sorted(before.keys() | after.keys()):
        b, a = before.get(key), after.get(key)
        was, now = (b["reached"] if b else None), (a["reached"] if a else None)
        if was != now:
            ref = a or b
            out.append(
                {
                    "meeting": key[0],
                    "meeting_name": ref["meeting_name"],
                    "meeting_date": ref["meeting_date"],
                    "item": key[1],
                    "item_name": ref["item_name"],
                    "reached_before": was,
                    "reached_after": now,
                    "evidence": _refs(b and b["evidence"], a and a["evidence"]),
                }
            )
    return out


def _knowledge_changes(before: dict, after: dict, removed: set[str]) -> list[dict[str, object]]:
    out = []
    for item in sorted(before.keys() | after.keys()):
        b, a = before.get(item, {}), after.get(item, {})
        lost = sorted(set(b) - set(a) - removed)
        gained = sorted(set(a) - set(b))
        if lost or gained:
            ref = next(iter((a or b).values()))
            out.append(
                {
                    "item": item,
                    "item_name": ref["item_name"],
                    "lost": [{"party": p, "party_name": b[p]["party_name"], "steps": b[p]["steps"]} for p in lost],
                    "gained": [{"party": p, "party_name": a[p]["party_name"], "steps": a[p]["steps"]} for p in gained],
                    "evidence": _refs(*(b[p]["evidence"] for p in lost), *(a[p]["evidence"] for p in gained)),
                }
            )
    return out


def _regrouping(before: list[dict], after: list[dict], removed: set[str]) -> dict[str, list[dict[str, object]]]:
    """Groups that split (a before-component now in several pieces) or joined (the reverse)."""

    def ids(c: dict) -> frozenset[str]:
        return frozenset(m["id"] for m in c["members"])

    pre, post = [ids(c) for c in before], [ids(c) for c in after]
    split = []
    for i, c in enumerate(pre):
        pieces = [j for j, d in enumerate(post) if d & c]
        if len(pieces) > 1:
            split.append(
                {
                    "was": sorted(c),
                    "removed": sorted(c & removed),
                    "now": [
                        {"members": sorted(post[j]), "areas": after[j]["areas"], "sectors": after[j]["sectors"]}
                        for j in pieces
                    ],
                    "evidence": before[i]["evidence"],
                }
            )
    joined = []
    for j, d in enumerate(post):
        parts = [i for i, c in enumerate(pre) if c & d]
        if len(parts) > 1:
            joined.append({"now": sorted(d), "were": [sorted(pre[i]) for i in parts], "evidence": after[j]["evidence"]})
    return {"split": split, "joined": joined}


def what_if(
    g: nx.MultiDiGraph, child: str, remove: Iterable[str] = (), add: Iterable[NewEdge] = (), window: Window = WHOLE_CASE
) -> dict[str, object]:
    """Remove parties and/or add links on a copy of the case; report what changes, as plain
    JSON-ready data. ``what_if_with_network`` also returns the flow network after the change."""
    return what_if_with_network(g, child, remove, add, window)[0]


def what_if_with_network(
    g: nx.MultiDiGraph, child: str, remove: Iterable[str] = (), add: Iterable[NewEdge] = (), window: Window = WHOLE_CASE
) -> tuple[dict[str, object], nx.Graph]:
    """``what_if``'s report and the changed flow network it was measured on.

    The network comes back so that a caller drawing "after" uses the very copy the numbers came
    from, instead of loading and changing a second copy (the app did, doubling the work).

    The copy is a fresh in-memory store loaded from the export (``case_from_graph``); the change is
    written there. Network measures are recomputed from the copy's own export before and after,
    and who-knew-what comes from the registered ``meeting_horizon`` and ``knowledge_horizon``
    queries run on the copy before and after — the same questions the gap report asks.
    """
    remove, add = sorted(set(remove)), list(add)
    statements = change_statements(g, remove, add)
    case = case_from_graph(g)
    copy = EmbeddedBackend(":memory:")
    try:
        load_case(copy, case)
        before = flow_network(to_networkx(copy, case.case_id), child, window)
        meetings_before, known_before = _horizon(copy, case.case_id, child, window.end)
        copy.write(statements)
        after = flow_network(to_networkx(copy, case.case_id), child, window)
        meetings_after, known_after = _horizon(copy, case.case_id, child, window.end)
    finally:
        copy.close()
    before_result, after_result = analyse_network(before), analyse_network(after)
    ties_lost, ties_gained = _tie_changes(before, after)
    result = {
        "child": child,
        "window": window.as_dict(),
        "change": {
            "removed": [{"id": n, "name": g.nodes[n].get("name"), "label": g.nodes[n]["label"]} for n in remove],
            "added": [
                {
                    "type": e.type,
                    "from": e.src,
                    "to": e.dst,
                    "props": {k: _iso(v) if isinstance(v, date) else v for k, v in e.props.items()},
                }
                for e in add
            ],
        },
        "before": headline(before_result),
        "after": headline(after_result),
        **_regrouping(before_result["components"], after_result["components"], set(remove)),
        "ties_lost": ties_lost,
        "ties_gained": ties_gained,
        "meetings": _meeting_changes(meetings_before, meetings_after),
        "knowledge": _knowledge_changes(known_before, known_after, set(remove)),
    }
    return result, after


# --- one child's silo measures, as plain data ---------------------------------------------------


def silo_summary(backend: Backend, case_id: str, child: str) -> dict[str, object]:
    """The silo measures for one child over the whole case, as JSON-ready data (bench, other tools)."""
    if not any(r["child"] == child for r in run_query(backend, "children", case_id)):
        raise ValueError(f"no child {child!r} in case {case_id!r}")
    result = analyse(to_networkx(backend, case_id), child)
    keys = (
        "window",
        "density",
        "components",
        "brokers",
        "articulation_points",
        "bridges",
        "cross_sector",
        "cross_boundary",
    )
    return {k: result[k] for k in keys}
