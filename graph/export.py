"""The store as a networkx graph: for analytics, for pyvis, and for GraphML/GEXF export.

Built from the generated per-type export queries, so it works the same on both backends and
never depends on a driver's own graph objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from graph import statements as st
from graph.backend import Backend
from graph.schema import EdgeType, Schema, load_schema


def to_networkx(backend: Backend, case_id: str | None = None) -> nx.MultiDiGraph:
    """Every node (keyed by id, attribute ``label``) and every edge (attribute ``type``)."""
    schema = load_schema()
    params = {"case_id": case_id} if case_id else {}
    g = nx.MultiDiGraph()
    for ntype in schema.nodes.values():
        for row in backend.read(st.node_export(ntype, bool(case_id)), params):
            g.add_node(row["id"], label=ntype.label, **{k: v for k, v in row.items() if k != "id"})
    for etype in schema.edges.values():
        for row in backend.read(st.edge_export(etype, bool(case_id)), params):
            a, b = row.pop("src"), row.pop("dst")
            g.add_edge(a, b, key=row["id"], type=etype.type, **row)
    return g


@dataclass(frozen=True)
class Step:
    """From a node labelled ``at``, follow its ``direction`` ("in" or "out") relationships of
    ``types`` (None: every type the schema allows) to nodes labelled one of ``to`` (None: any)."""

    at: str
    direction: str
    types: tuple[str, ...] | None = None
    to: tuple[str, ...] | None = None


@dataclass
class _Walk:
    """What a bounded export has reached so far: rows by label, and edges by (type, id, ends)."""

    schema: Schema
    case_id: str
    nodes: dict[str, dict[str, dict]]
    edges: dict[tuple[str, str, str, str], dict]

    def lookups(self, label: str, ids: Iterable[str]) -> tuple[str, dict[str, object]]:
        ntype = self.schema.nodes[label]
        cols = ", ".join(f"n.{c} AS {c}" for c, _ in ntype.columns())
        uids = sorted(st.uid(self.case_id, i) for i in ids)
        return f"UNWIND $uids AS u MATCH (n:{label} {{uid: u}}) RETURN {cols}", {"uids": uids}

    def edge_reads(self, step: Step, ids: list[str]) -> list[tuple[str, str, str, tuple[str, dict[str, object]]]]:
        """One key-anchored read per (type, label at the other end): (type, other label, direction, statement)."""
        out = []
        uids = {"uids": sorted(st.uid(self.case_id, i) for i in ids), "case_id": self.case_id}
        for etype in self.schema.edges.values():
            if step.types is not None and etype.type not in step.types:
                continue
            near, far = (etype.to_labels, etype.from_labels) if step.direction == "in" else _flip(etype)
            if step.at not in near:
                continue
            for other in far:
                if step.to is None or other in step.to:
                    out.append((etype.type, other, step.direction, (_edge_read(etype, step, other), uids)))
        return out


def _flip(etype: EdgeType) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return etype.from_labels, etype.to_labels


def _edge_read(etype: EdgeType, step: Step, other: str) -> str:
    cols = ", ".join(f"e.{c} AS {c}" for c, _ in etype.columns())
    if step.direction == "in":
        pattern = f"(a:{other})-[e:{etype.type}]->(b:{step.at} {{uid: u}})"
    else:
        pattern = f"(a:{step.at} {{uid: u}})-[e:{etype.type}]->(b:{other})"
    return f"UNWIND $uids AS u MATCH {pattern} WHERE e.case_id = $case_id RETURN a.id AS src, b.id AS dst, {cols}"


def _labels_of(walk: _Walk, backend: Backend, ids: Iterable[str]) -> dict[str, str]:
    """The label of each id (a key lookup per label: an id alone does not say which table holds it)."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    labels = list(walk.schema.nodes)
    answers = backend.read_many([walk.lookups(label, ids) for label in labels])
    return {str(row["id"]): label for label, rows in zip(labels, answers, strict=True) for row in rows}


def _follow(walk: _Walk, backend: Backend, frontier: dict[str, str], steps: Sequence[Step]) -> dict[str, str]:
    """One round of the walk: every step from the frontier's nodes, and the labels of the nodes newly reached."""
    reads = []
    for step in steps:
        ids = sorted(n for n, label in frontier.items() if label == step.at)
        if ids:
            reads += walk.edge_reads(step, ids)
    answers = backend.read_many([statement for *_, statement in reads]) if reads else []
    reached: dict[str, str] = {}
    for (etype, other, direction, _), rows in zip(reads, answers, strict=True):
        for row in rows:
            a, b = str(row.pop("src")), str(row.pop("dst"))
            walk.edges[etype, str(row["id"]), a, b] = row
            far = a if direction == "in" else b
            if not any(far in by_id for by_id in walk.nodes.values()):
                reached[far] = other
    return reached


def _add_nodes(walk: _Walk, backend: Backend, found: dict[str, str]) -> None:
    by_label: dict[str, list[str]] = {}
    for n, label in found.items():
        by_label.setdefault(label, []).append(n)
    labels = sorted(by_label)
    for label, rows in zip(labels, backend.read_many([walk.lookups(lb, by_label[lb]) for lb in labels]), strict=True):
        for row in rows:
            walk.nodes.setdefault(label, {})[str(row["id"])] = row


def to_networkx_around(
    backend: Backend,
    case_id: str,
    start: str,
    first: Sequence[Step],
    then: Sequence[Step],
    also: Iterable[str] = (),
) -> nx.MultiDiGraph:
    """The part of one case a walk from ``start`` reaches, in ``to_networkx``'s shape: ``first`` steps
    from the start node, then ``then`` steps from every node reached (and from ``also``), until
    nothing new is reached. Every read is anchored on node keys, never a scan of the case, so its
    cost follows the neighbourhood's size, not the case's. Nodes and edges are added in the schema's
    type order, then by id, so the same records always make the same graph."""
    walk = _Walk(load_schema(), case_id, {}, {})
    seeds = _labels_of(walk, backend, [start, *also])
    if start not in seeds:
        raise ValueError(f"no record {start!r} in case {case_id!r}")
    _add_nodes(walk, backend, seeds)
    frontier = _follow(walk, backend, {start: seeds[start]}, first)
    frontier.update({n: label for n, label in seeds.items() if n != start})
    while frontier:
        _add_nodes(walk, backend, {n: lb for n, lb in frontier.items() if n not in seeds})
        frontier = _follow(walk, backend, frontier, then)
    return _graph(walk)


def _graph(walk: _Walk) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for ntype in walk.schema.nodes.values():
        for n, row in sorted(walk.nodes.get(ntype.label, {}).items()):
            g.add_node(n, label=ntype.label, **{k: v for k, v in row.items() if k != "id"})
    order = {t: i for i, t in enumerate(walk.schema.edges)}
    for (etype, eid, a, b), row in sorted(walk.edges.items(), key=lambda kv: (order[kv[0][0]], kv[0][1:])):
        g.add_edge(a, b, key=eid, type=etype, **row)
    return g


def for_file_export(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attribute values GraphML/GEXF can hold (no None, lists and dates as text)."""
    out = nx.MultiDiGraph()

    def clean(attrs: dict) -> dict:
        res = {}
        for k, v in attrs.items():
            if v is None:
                continue
            if isinstance(v, list):
                v = "; ".join(map(str, v))
            elif not isinstance(v, (str, int, float, bool)):
                v = str(v)
            res[k] = v
        return res

    for n, attrs in g.nodes(data=True):
        out.add_node(n, **clean(attrs))
    for a, b, k, attrs in g.edges(keys=True, data=True):
        out.add_edge(a, b, key=k, **clean(attrs))
    return out
