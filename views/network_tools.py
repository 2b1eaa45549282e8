"""What analysts reach for on a network (issue 15): the agency-level picture, a fixed layout
grouped by area, neighbours on demand, the path between two entities, and clusters that keep a
large view readable.

Pure functions over the networkx views of ``views.graph_view``, so they are tested without
Streamlit and the picture on screen and the image file share one layout.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from datetime import date

import networkx as nx

from findings.facts import PARTY_LABELS, Facts, facts_of
from findings.silo.network import merged_refs
from views.graph_view import GAP, areas_of, span

FLOW_LABELS = ("Flow", "Referral")  # nodes that are really a link between two parties
LAYOUT_MAX = 400  # above this a server-side layout takes seconds: the browser lays the view out instead
_HAPPENED = (None, "shared", "late")  # flow statuses information travelled by
_SEED = 7  # the same view always gets the same picture (and the image matches the screen)
# Views with more nodes than this are drawn as clusters: the most the browser lays out readably
# that still leaves every default view of Child Q & S (at most 427 nodes) as it is.
CLUSTER_ABOVE = 500
NEVER_A_RECORD = ("Child", "PersonOfConcern", "Area")  # never folded into a child's cluster


def representative(g: nx.MultiDiGraph, node: str, professionals: bool, facts: Facts) -> str:
    """Which node stands for ``node`` at agency level: an agency's or team's organisation, or
    (unless professionals are shown) a professional's, as ``findings.facts`` defines it (the top
    of its PART_OF / WORKS_FOR chain, so a police unit folds into its force); any other node
    stands for itself."""
    label = g.nodes[node].get("label")
    if label == "Agency" or (label == "Professional" and not professionals):
        return facts.organisation(node)
    return node


def fold_to_agencies(view: nx.MultiDiGraph, g: nx.MultiDiGraph, professionals: bool = False) -> nx.MultiDiGraph:
    """``view`` with teams folded into their agency and (by default) professionals into their
    employer's agency; links are kept between the representatives, links inside one disappear.
    A folded agency says how many teams or practitioners it stands for (``folded``)."""
    facts = facts_of(g)  # once: facts_of counts the graph's edges on every call
    rep = {n: representative(g, n, professionals, facts) if n in g else n for n in view}
    out = nx.MultiDiGraph()
    for n, r in rep.items():
        if r not in out:
            out.add_node(r, **(g.nodes[r] if r in g else view.nodes[n]))
        if n != r:
            out.nodes[r]["folded"] = out.nodes[r].get("folded", 0) + 1
    for n in view:  # marks (focus, search, path) travel to whoever stands for the node
        if view.nodes[n].get("highlight"):
            out.nodes[rep[n]]["highlight"] = view.nodes[n]["highlight"]
    for a, b, k, attrs in view.edges(keys=True, data=True):
        if rep[a] != rep[b] and attrs.get("type") not in ("WORKS_FOR", "PART_OF"):
            out.add_edge(rep[a], rep[b], key=k, **attrs)
    out = _flows_as_links(out)
    out.remove_nodes_from(
        [
            n
            for n in list(out)
            if out.degree(n) == 0 and out.nodes[n].get("label") != "Child" and not out.nodes[n].get("highlight")
        ]
    )  # an organisation whose every link ran inside it
    return out


def _flows_as_links(view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """At agency level a flow or referral is drawn as what it is there, a link from the sender to
    each recipient (``SENT_TO``, carrying the flow's properties and, in ``via``, the flow itself);
    a flow without both ends in the view stays a node."""
    for flow in [n for n, a in view.nodes(data=True) if a.get("label") in FLOW_LABELS]:
        senders = [a for a, _, e in view.in_edges(flow, data=True) if e.get("type") == "SENT"]
        recipients = [b for _, b, e in view.out_edges(flow, data=True) if e.get("type") == "SENT_TO"]
        if not senders or not recipients or view.nodes[flow].get("highlight"):
            continue
        attrs = dict(view.nodes[flow])
        for s in senders:
            for r in recipients:
                if s != r:
                    view.add_edge(s, r, key=f"{flow}:{r}", **{**attrs, "type": "SENT_TO", "via": attrs, "flow": flow})
        view.remove_node(flow)
    return view


# A record node drawn as the link it stands for: label -> (link type, edge from the link's start into the record,
# edge from the record to the link's end, (edge to a third record, the attribute that holds that record's id))
RECORD_LINKS = {
    "Contact": ("CONTACTED", "HAD", "REACHED", ("HAPPENED_AT", "place")),
    "Praise": ("PRAISES", "GAVE", "PRAISED", ("ABOUT", "child")),
}


def records_as_links(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g`` (changed in place) with each Contact and Praise as the pages draw and export them: a contact as a
    ``CONTACTED`` link from the person who HAD it to the child it REACHED (``place``: the id of the Place it
    HAPPENED_AT), a praise as a ``PRAISES`` link from the point that GAVE it to what it PRAISED (``child``: the
    child it is ABOUT), each carrying the record's properties. The store keeps them as nodes so that queries walk
    from a child; a picture wants the person one link from the child. ``views.store`` folds its case graph once."""
    for record in [n for n, a in g.nodes(data=True) if a.get("label") in RECORD_LINKS]:
        link, into, out_of, (side, attr) = RECORD_LINKS[g.nodes[record]["label"]]
        ends: dict[str, list[str]] = {into: [], out_of: [], side: []}
        for a, b, e in [*g.in_edges(record, data=True), *g.out_edges(record, data=True)]:
            if e.get("type") in ends:
                ends[e["type"]].append(b if a == record else a)
        attrs = {k: v for k, v in g.nodes[record].items() if k != "label"}
        attrs |= {"id": record, attr: ends[side][0] if ends[side] else None, "type": link}
        for start in ends[into]:
            for end in ends[out_of]:
                g.add_edge(start, end, key=record, **attrs)
        g.remove_node(record)
    return g


def expand(
    view: nx.MultiDiGraph, g: nx.MultiDiGraph, nodes: Iterable[str], scope: set[str] | None = None
) -> nx.MultiDiGraph:
    """``view`` plus every neighbour of ``nodes`` in the case graph (within ``scope``, the child's
    records, when given) and the links between them."""
    out = view.copy()
    for n in nodes:
        if n not in g:
            continue
        for a, b, k, attrs in [*g.out_edges(n, keys=True, data=True), *g.in_edges(n, keys=True, data=True)]:
            other = b if a == n else a
            if scope is not None and other not in scope:
                continue
            for m in (a, b):
                if m not in out:
                    out.add_node(m, **g.nodes[m])
            if not out.has_edge(a, b, key=k):
                out.add_edge(a, b, key=k, **attrs)
    return out


def shortest_path(g: nx.MultiDiGraph, source: str, target: str) -> list[str]:
    """The fewest links between two entities, whichever way each link points; [] when none."""
    try:
        return nx.shortest_path(g.to_undirected(as_view=True), source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []


def _when(attrs: dict) -> date | None:
    s = span(attrs)
    return s[0] if s and s[0] != date.min else None


def time_respecting_path(g: nx.MultiDiGraph, source: str, target: str) -> list[str]:
    """The path that reaches ``target`` earliest along dated links followed in their direction,
    each no earlier than the one before (information cannot travel back in time), never through a
    flow recorded as not shared. A link's date is
    its own, else that of the node it leads to, else that of the dated node it leaves (a flow
    ``SENT_TO`` its recipient happens when the flow does). [] when no such path exists."""
    arrival: dict[str, date] = {source: date.min}
    before: dict[str, str] = {}
    queue = [(date.min, source)]
    while queue:
        at, node = heapq.heappop(queue)
        if node == target:
            break
        if at > arrival.get(node, date.max):
            continue
        for _, nxt, attrs in g.out_edges(node, data=True):
            when = _when(attrs) or _when(g.nodes[nxt]) or (at if _when(g.nodes[node]) else None)
            if g.nodes[nxt].get("status") not in _HAPPENED:  # a flow recorded as not shared carried nothing
                continue
            if when is None or when < at or when >= arrival.get(nxt, date.max):
                continue
            arrival[nxt], before[nxt] = when, node
            heapq.heappush(queue, (when, nxt))
    if target not in arrival or source == target:
        return [source] if source == target else []
    path = [target]
    while path[-1] != source:
        path.append(before[path[-1]])
    return path[::-1]


def layout(view: nx.MultiDiGraph, g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions grouped by area (see ``spread``); {} above ``LAYOUT_MAX`` nodes."""
    if not 0 < view.number_of_nodes() <= LAYOUT_MAX:
        return {}
    return spread(*layout_key(view, g))


def layout_key(view: nx.MultiDiGraph, g: nx.MultiDiGraph) -> tuple[tuple, tuple]:
    """What a layout depends on, as plain hashable values: (node, area group) pairs and links."""
    facts = facts_of(g)
    areas = {n: areas_of(g, n, facts) if n in g else set() for n in view}
    groups = tuple(sorted((n, min(areas[n]) if areas[n] else "") for n in view))
    links = tuple(sorted({(a, b) if a <= b else (b, a) for a, b in view.edges() if a != b}))
    return groups, links


def spread(groups: tuple[tuple[str, str], ...], links: tuple[tuple[str, str], ...]) -> dict[str, tuple[float, float]]:
    """Each area's nodes start around their own point on a circle, then a seeded spring layout
    settles them; each connected part is laid out on its own and the parts are set side by side,
    so a lone node does not squeeze the rest into a corner."""
    group = dict(groups)
    names = sorted(set(group.values()))
    centre = {
        a: (math.cos(2 * math.pi * i / len(names)), math.sin(2 * math.pi * i / len(names))) for i, a in enumerate(names)
    }
    simple = nx.Graph(links)
    simple.add_nodes_from(group)
    pos: dict[str, tuple[float, float]] = {}
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    offset = 0.0
    for part in parts:
        sub = simple.subgraph(part)
        start = {
            n: (centre[group[n]][0] + 0.05 * math.cos(i), centre[group[n]][1] + 0.05 * math.sin(i))
            for i, n in enumerate(sorted(part))
        }
        placed = nx.spring_layout(
            sub, pos=start, seed=_SEED, iterations=50, k=2.4 / math.sqrt(len(part)), scale=math.sqrt(len(part)) / 4
        )
        width = max((x for x, _ in placed.values()), default=0) - min((x for x, _ in placed.values()), default=0)
        left = min((x for x, _ in placed.values()), default=0)
        pos |= {n: (float(x - left + offset), float(y)) for n, (x, y) in placed.items()}
        offset += width + 0.4
    return pos


def cluster(
    view: nx.MultiDiGraph,
    g: nx.MultiDiGraph,
    keep_out: Iterable[str] = (),
    opened: Iterable[str] = (),
    threshold: int | None = None,
) -> nx.MultiDiGraph:
    """Above ``threshold`` (default ``CLUSTER_ABOVE``) nodes, ``view`` drawn as clusters, as an
    i2 or Linkurious user expects: first teams and practitioners fold into their organisation
    (``representative``, i.e. ``findings.facts``), then, only if the view is still too large, each
    child's own records (``child_records``) into the child. A cluster is its head node (the
    organisation, the child) carrying ``members`` (node type → count), with its members' links
    re-targeted to it (parallel ones of one kind merged, see ``_fold``). Never folded: ``keep_out``,
    marked nodes (focus, search, path), the members of ``opened`` heads, and a node whose finding
    edge would fall inside its own cluster, so the focus and every finding stay in sight. The view
    itself when it is small enough."""
    limit = CLUSTER_ABOVE if threshold is None else threshold
    if view.number_of_nodes() <= limit:
        return view
    facts = facts_of(g)
    fixed = set(keep_out) | {n for n, a in view.nodes(data=True) if a.get("highlight")}
    heads_open = set(opened)
    out = view
    for step in (organisation_members, child_records):
        if out.number_of_nodes() <= limit:
            break
        head = {n: h for n, h in step(out, g, facts).items() if n not in fixed and h not in heads_open}
        if head:
            out = _fold(out, g, _findings_in_sight(out, head))
    return out


def organisation_members(view: nx.MultiDiGraph, g: nx.MultiDiGraph, facts: Facts) -> dict[str, str]:
    """Each team or practitioner in ``view`` → the organisation that stands for it at agency level."""
    return {n: r for n in view if n in g and (r := representative(g, n, False, facts)) != n}


def child_records(view: nx.MultiDiGraph, g: nx.MultiDiGraph, facts: Facts) -> dict[str, str]:
    """Each record linked in ``view`` to one child alone (its family members, placements, the
    meetings about it …) → that child. Parties, persons of concern and areas are no one child's,
    and a record linked to two children belongs to neither."""
    out = {}
    for n, attrs in view.nodes(data=True):
        if attrs.get("label") in (*PARTY_LABELS, *NEVER_A_RECORD):
            continue
        children = {m for m in nx.all_neighbors(view, n) if view.nodes[m].get("label") == "Child"}
        if len(children) == 1:
            out[n] = children.pop()
    return out


def _findings_in_sight(view: nx.MultiDiGraph, head: dict[str, str]) -> dict[str, str]:
    """``head`` without the nodes whose finding edge would otherwise fall inside one cluster."""
    for a, b, attrs in view.edges(data=True):
        if attrs.get("type") == GAP and a != b and head.get(a, a) == head.get(b, b):
            head.pop(a, None)
            head.pop(b, None)
    return head


def _fold(view: nx.MultiDiGraph, g: nx.MultiDiGraph, head: dict[str, str]) -> nx.MultiDiGraph:
    """``view`` with each node of ``head`` folded into its head. Links inside a cluster go; a
    finding's edge keeps its own identity (one edge per finding); other re-targeted links of one
    kind between the same two ends become one edge counting them (``links``) with their evidence
    merged, else a cluster of a child with forty meetings draws forty lines to each agency."""
    out = nx.MultiDiGraph()
    for n, attrs in view.nodes(data=True):
        h = head.get(n, n)
        if h not in out:
            out.add_node(h, **(view.nodes[h] if h in view else g.nodes[h]))
        if h != n:
            members = dict(out.nodes[h].get("members") or {})  # a copy: the view's node keeps its own
            for label, count in [(attrs.get("label", "?"), 1), *(attrs.get("members") or {}).items()]:
                members[label] = members.get(label, 0) + count
            out.nodes[h]["members"] = members
    merged: dict[tuple, dict] = {}
    for a, b, k, attrs in view.edges(keys=True, data=True):
        ends = head.get(a, a), head.get(b, b)
        if ends[0] == ends[1]:
            continue
        if attrs.get("type") == GAP or ends == (a, b):
            out.add_edge(*ends, key=k, **attrs)
            continue
        kind = (*ends, attrs.get("type"), attrs.get("status"), (attrs.get("via") or {}).get("label"))
        if kind not in merged:
            out.add_edge(*ends, key=k, **attrs)
            merged[kind] = out.edges[(*ends, k)]
            continue
        edge = merged[kind]
        summary = {"type": edge.get("type"), "status": edge.get("status"), "via": edge.get("via")}
        links = edge.get("links", 1) + attrs.get("links", 1)
        source = merged_refs(edge.get("source"), attrs.get("source"))
        edge.clear()
        edge.update({name: v for name, v in summary.items() if v is not None}, links=links, source=source)
    return out
