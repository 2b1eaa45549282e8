"""Measures of one flow network: silos, brokers, single points of failure, boundary crossings.

Kept apart from the network's construction so that a measure can be read (and added) without the
rules of what makes a tie, and from what-if so that measuring never writes to a copy of the case.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import networkx as nx

from findings.silo.network import (
    TIE_KINDS,
    WHOLE_CASE,
    Window,
    child_graph,
    flow_network,
    merged_refs,
)
from graph.backend import Backend

# Betweenness is exact up to this many parties (every single case); beyond, estimated from a
# seeded sample of sources: exact weighted betweenness on 2,500 parties took ~70 s (bench/analytics.py).
EXACT_BETWEENNESS = 500
SAMPLED_SOURCES = 200


def _party(net: nx.Graph, n: str) -> dict[str, object]:
    a = net.nodes[n]
    return {"id": n, "name": a["name"], "label": a["label"], "sector": a["sector"], "areas": a["areas"]}


def _tie_refs(net: nx.Graph, edges: Iterable[tuple[str, str]]) -> list[str]:
    return merged_refs(*(net.edges[e]["evidence"] for e in edges))


def _group(net: nx.Graph, members: Iterable[str]) -> dict[str, object]:
    """A set of parties with their sectors and areas, and the evidence that puts them together."""
    members = sorted(members)
    sub = net.subgraph(members)
    if sub.number_of_edges():
        evidence = _tie_refs(net, sub.edges)
    else:
        evidence = merged_refs(*(net.nodes[n]["evidence"] for n in members))
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
        "evidence": merged_refs(*(f["evidence"] for f in crossing)),
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
                "evidence": merged_refs(
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


def tie_changes(first: nx.Graph, second: nx.Graph) -> tuple[list[dict], list[dict]]:
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
    only_first, only_second = tie_changes(*nets)
    return {
        "child": child,
        "periods": results,
        "table": [{"measure": m, first.label: heads[0][m], second.label: heads[1][m]} for m in heads[0]],
        "ties_only_in": {first.label: only_first, second.label: only_second},
    }


def silo_summary(backend: Backend, case_id: str, child: str) -> dict[str, object]:
    """The silo measures for one child over the whole case, as JSON-ready data (bench, other tools),
    measured on the child's neighbourhood (``child_graph``), which gives the whole case's answer."""
    result = analyse(child_graph(backend, case_id, child), child)
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
