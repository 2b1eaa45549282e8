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
    """What a bounded export has reached so far: node rows by label, and edge rows by (type, id, ends)."""

    schema: Schema
    case_id: str
    nodes: dict[str, dict[str, dict]]
    edges: dict[tuple[str, str, str, str], dict]

    def has(self, node: str) -> bool:
        return any(node in rows for rows in self.nodes.values())

    def uids(self, ids: Iterable[str]) -> dict[str, object]:
        return {"uids": sorted(st.uid(self.case_id, i) for i in ids), "case_id": self.case_id}

    def lookup(self, label: str, ids: Iterable[str]) -> tuple[str, dict[str, object]]:
        cols = ", ".join(f"n.{c} AS {c}" for c, _ in self.schema.nodes[label].columns())
        query = f"UNWIND $uids AS u MATCH (n:{label} {{uid: u}}) WHERE n.case_id = $case_id RETURN {cols}"
        return query, self.uids(ids)

    def reads(self, step: Step, ids: list[str]) -> list[tuple[str, str, str, tuple[str, dict[str, object]]]]:
        """One key-anchored read per (type, label at the far end): (type, far label, direction, statement)."""
        out = []
        for etype in self.schema.edges.values():
            if step.types is not None and etype.type not in step.types:
                continue
            ends = (etype.from_labels, etype.to_labels)
            far, near = ends if step.direction == "in" else ends[::-1]
            for other in far if step.at in near else ():
                if step.to is None or other in step.to:
                    statement = _edge_read(etype, step, other)
                    out.append((etype.type, other, step.direction, (statement, self.uids(ids))))
        return out


def _edge_read(etype: EdgeType, step: Step, other: str) -> str:
    """The edges of one type at the nodes keyed in ``$uids`` (a key with no such edge gives one row
    of nulls). The far nodes' columns are read once per label afterwards, not with every edge
    type: the embedded engine's planning time grows with the columns a query returns."""
    ends = f"(f:{other})-[e:{etype.type}]->(n)" if step.direction == "in" else f"(n)-[e:{etype.type}]->(f:{other})"
    src, dst = ("f", "n") if step.direction == "in" else ("n", "f")
    cols = [f"e.{c} AS {c}" for c, _ in etype.columns()]
    # Seek each key, then expand: the embedded engine seeks the key index for ``{uid: u}`` on its own,
    # but for ``(a)-[e]->(b {uid: u})`` or ``WHERE b.uid IN $uids`` it scans a table (it grew with the
    # caseload: 1 ms at 1,000 children, 10 ms at 5,000, per read).
    return (
        f"UNWIND $uids AS u MATCH (n:{step.at} {{uid: u}}) OPTIONAL MATCH {ends} WHERE e.case_id = $case_id "
        f"RETURN {src}.id AS src, {dst}.id AS dst, {', '.join(cols)}"
    )


def _labels_of(walk: _Walk, backend: Backend, ids: Iterable[str]) -> dict[str, str]:
    """The label of each id found (an id does not say which table holds it): a key lookup per label
    that returns the id alone, since the engine's planning time grows with the columns returned."""
    uids = walk.uids(set(ids))
    if not uids["uids"]:
        return {}
    labels = list(walk.schema.nodes)
    query = "UNWIND $uids AS u MATCH (n:{} {{uid: u}}) WHERE n.case_id = $case_id RETURN n.id AS id"
    answers = backend.read_many([(query.format(label), uids) for label in labels])
    return {str(row["id"]): label for label, rows in zip(labels, answers, strict=True) for row in rows}


def _follow(walk: _Walk, backend: Backend, frontier: dict[str, str], steps: Sequence[Step]) -> dict[str, str]:
    """One round of the walk: every step from the frontier's nodes; returns the nodes newly reached."""
    reads = []
    for step in steps:
        ids = sorted(n for n, label in frontier.items() if label == step.at)
        if ids:
            reads += walk.reads(step, ids)
    answers = backend.read_many([statement for *_, statement in reads]) if reads else []
    reached: dict[str, str] = {}
    for (etype, other, direction, _), rows in zip(reads, answers, strict=True):
        for row in rows:
            if row["id"] is None:  # a key without such an edge (the OPTIONAL MATCH's row of nulls)
                continue
            a, b = str(row.pop("src")), str(row.pop("dst"))
            walk.edges[etype, str(row["id"]), a, b] = row
            node = a if direction == "in" else b
            if not walk.has(node):
                reached[node] = other
    _read_nodes(walk, backend, reached)
    return reached


def _read_nodes(walk: _Walk, backend: Backend, found: dict[str, str]) -> None:
    """The columns of the nodes a round reached: one key-anchored read per label."""
    by_label: dict[str, list[str]] = {}
    for node, label in found.items():
        by_label.setdefault(label, []).append(node)
    labels = sorted(by_label)
    for label, rows in zip(labels, backend.read_many([walk.lookup(lb, by_label[lb]) for lb in labels]), strict=True):
        walk.nodes.setdefault(label, {}).update((str(row["id"]), row) for row in rows)


def to_networkx_around(
    backend: Backend,
    case_id: str,
    start: tuple[str, str],
    first: Sequence[Step],
    then: Sequence[Step],
    also: Iterable[str] = (),
) -> nx.MultiDiGraph:
    """The part of one case a walk from ``start`` (label, id) reaches, in ``to_networkx``'s shape:
    ``first`` steps from the start node, then ``then`` steps from every node reached (and from the
    records ``also`` names), until nothing new is reached. Every read is anchored on node keys,
    never a scan of the case, so its cost follows the neighbourhood's size, not the case's. Nodes
    and edges are added in the schema's type order, then by id, so the same records always make the
    same graph. A start not in the case is a ValueError; an ``also`` id not in the case is left out."""
    walk = _Walk(load_schema(), case_id, {}, {})
    label, node = start
    named = {n: lb for n, lb in _labels_of(walk, backend, also).items() if n != node}
    _read_nodes(walk, backend, {node: label, **named})
    if node not in walk.nodes.get(label, {}):
        raise ValueError(f"no {label} {node!r} in case {case_id!r}")
    frontier = {**_follow(walk, backend, {node: label}, first), **named}
    while frontier:
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
