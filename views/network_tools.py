"""What analysts reach for on a network (issue 15): the agency-level picture, a fixed layout
grouped by area, neighbours on demand, and the path between two entities.

Pure functions over the networkx views of ``views.graph_view``, so they are tested without
Streamlit and the picture on screen and the image file share one layout.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from datetime import date

import networkx as nx

from views.graph_view import areas_of, span

LAYOUT_MAX = 400  # above this a server-side layout takes seconds: the browser lays the view out instead
_HAPPENED = (None, "shared", "late")  # flow statuses information travelled by
_SEED = 7  # the same view always gets the same picture (and the image matches the screen)


def _top_agency(g: nx.MultiDiGraph, node: str) -> str:
    """A team's parent agency, followed up PART_OF links between agencies (cycles stop the walk)."""
    seen = {node}
    while True:
        parents = [
            b
            for _, b, e in g.out_edges(node, data=True)
            if e.get("type") == "PART_OF" and g.nodes[b].get("label") == "Agency" and b not in seen
        ]
        if not parents:
            return node
        node = parents[0]
        seen.add(node)


def representative(g: nx.MultiDiGraph, node: str, professionals: bool) -> str:
    """Which node stands for ``node`` at agency level: a team's agency, or (unless professionals
    are shown) a professional's employer's agency; any other node stands for itself."""
    label = g.nodes[node].get("label")
    if label == "Agency":
        return _top_agency(g, node)
    if label == "Professional" and not professionals:
        employers = [b for _, b, e in g.out_edges(node, data=True) if e.get("type") == "WORKS_FOR"]
        return _top_agency(g, employers[0]) if employers else node
    return node


def fold_to_agencies(view: nx.MultiDiGraph, g: nx.MultiDiGraph, professionals: bool = False) -> nx.MultiDiGraph:
    """``view`` with teams folded into their agency and (by default) professionals into their
    employer's agency; links are kept between the representatives, links inside one disappear.
    A folded agency says how many teams or practitioners it stands for (``folded``)."""
    rep = {n: representative(g, n, professionals) if n in g else n for n in view}
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
    return out


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
    """Positions grouped by area: each area's nodes start around their own point on a circle,
    then a seeded spring layout settles them; {} above ``LAYOUT_MAX`` nodes."""
    if not 0 < view.number_of_nodes() <= LAYOUT_MAX:
        return {}
    group = {n: min(areas_of(g, n)) if n in g and areas_of(g, n) else "" for n in view}
    names = sorted(set(group.values()))
    centre = {
        a: (math.cos(2 * math.pi * i / len(names)), math.sin(2 * math.pi * i / len(names))) for i, a in enumerate(names)
    }
    start = {
        n: (centre[group[n]][0] + 0.05 * math.cos(i), centre[group[n]][1] + 0.05 * math.sin(i))
        for i, n in enumerate(sorted(view))
    }
    simple = nx.Graph(view.to_undirected(as_view=True))
    pos = nx.spring_layout(simple, pos=start, seed=_SEED, iterations=60, k=1.6 / math.sqrt(len(simple)))
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}
