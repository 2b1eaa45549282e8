"""Re-loading a case by its differences: read what the store holds of it, write only what changed.

A re-load used to delete every edge of the case and MERGE every node again: 16 s for Child Q & S in
a 1,000-child store, and "the buffer pool is full" under a 1 GB cap (issue 17). Here the stored case
is read once per label and type (ids, ends and every column; nodes, then edges, each kind in one
read transaction), compared with the validated files, and the re-load writes only new records,
changed columns and removed records, in one transaction (the caller's ``Backend.write``). Every
statement is keyed by ``uid`` (case and id), and an edge by its two ends' uids, so a re-load reaches
only its own case and the stores' key lookups.

A case's node ids are unique across labels (the validator refuses a repeat), so a node's id tells
its stored label, and an edge's stored ends are found by their labels without reading them back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from graph import statements as st
from graph.backend import Backend, Creation, Step
from graph.records import EdgeRow, EdgeRows, NodeRow, NodeRows, ValidatedCase
from graph.schema import EdgeType, NodeType, load_schema


@dataclass(frozen=True)
class CaseDiff:
    """What loading a case over the stored one changes, by record id per label and type.

    ``*_changed`` counts kept records whose properties (or, for an edge, ends) the files change."""

    nodes_added: int
    nodes_removed: int
    relationships_added: int
    relationships_removed: int
    nodes_kept: int
    relationships_kept: int
    nodes_changed: int = 0
    relationships_changed: int = 0

    def __str__(self) -> str:
        return (
            f"+{self.nodes_added}/−{self.nodes_removed} nodes, +{self.relationships_added}/"
            f"−{self.relationships_removed} relationships ({self.nodes_kept} nodes and "
            f"{self.relationships_kept} relationships kept, of which {self.nodes_changed} nodes and "
            f"{self.relationships_changed} relationships change, with the files' properties)"
        )


Ends = tuple[str, str, str]  # (type or label, from label, to label) of an edge group


@dataclass
class ReloadPlan:
    """The writes that turn the stored case into the files' case, grouped as the statements run."""

    diff: CaseDiff
    edges_removed: dict[Ends, list[dict[str, object]]] = field(default_factory=dict)  # uid, src, dst
    nodes_removed: dict[str, list[str]] = field(default_factory=dict)  # label → uids
    nodes_changed: dict[tuple[str, tuple[str, ...]], list[dict[str, object]]] = field(default_factory=dict)
    edges_changed: dict[tuple[Ends, tuple[str, ...]], list[EdgeRow]] = field(default_factory=dict)
    nodes_added: list[NodeRow] = field(default_factory=list)
    edges_added: list[EdgeRow] = field(default_factory=list)

    def rows(self) -> int:
        """How many records the plan writes (a load's progress counts these)."""
        groups = [*self.edges_removed.values(), *self.nodes_removed.values(), *self.nodes_changed.values()]
        changed_edges = sum(len(edges) for edges in self.edges_changed.values())
        return sum(map(len, groups)) + changed_edges + len(self.nodes_added) + len(self.edges_added)

    def is_empty(self) -> bool:
        return self.rows() == 0


def changed_columns(columns: list[str], stored: dict[str, object], new: dict[str, object]) -> tuple[str, ...]:
    """The columns whose stored value is not the files' value (an absent property is NULL); the
    whole rows are compared first, since most records of a re-load are unchanged."""
    if [stored.get(c) for c in columns] == [new.get(c) for c in columns]:
        return ()
    return tuple(c for c in columns if stored.get(c) != new.get(c))


def column_names(kind: NodeType | EdgeType) -> list[str]:
    return [c for c, _ in kind.columns()]


def creations(nodes: Iterable[NodeRow], edges: Iterable[EdgeRow], batch_size: int) -> Iterator[Creation]:
    """New records as creations, one per table: nodes (per label) before the edges (per type and end
    labels) between them. A validated case's rows are its own tables, handed over as they are."""
    schema = load_schema()
    node_rows = nodes if isinstance(nodes, NodeRows) else NodeRows(nodes)
    edge_rows = edges if isinstance(edges, EdgeRows) else EdgeRows(edges)
    for label, table in node_rows.tables():
        yield Creation(schema.nodes[label], table, batch=batch_size)
    for (etype, src, dst), table in edge_rows.tables():
        yield Creation(schema.edges[etype], table, (src, dst), batch_size)


def plan_reload(backend: Backend, case: ValidatedCase) -> ReloadPlan | None:
    """Compare the files with what the store holds of the case; None when it holds nothing of it."""
    params = {"case_id": case.case_id}
    stored_labels: dict[str, str] = {}  # node id → its label in the store
    plan = ReloadPlan(CaseDiff(0, 0, 0, 0, 0, 0))
    ntypes = list(load_schema().nodes.values())
    stored = backend.read_many([(st.node_export(ntype, True), params) for ntype in ntypes])
    if not any(stored):
        return None
    new_nodes = {n.props["id"]: n for n in case.nodes}
    for ntype, rows in zip(ntypes, stored, strict=True):
        columns = column_names(ntype)
        for row in rows:
            stored_labels[str(row["id"])] = ntype.label
            _compare_node(plan, ntype, columns, row, new_nodes.get(row["id"]))
    if not stored_labels:
        return None
    plan.nodes_added = [n for n in case.nodes if stored_labels.get(n.props["id"]) != n.label]
    stored_edges = _compare_edges(backend, case, plan, stored_labels)
    moved = len(plan.edges_added)  # so far, only edges kept under their id with other ends
    plan.edges_added += [e for e in case.edges if (e.type, e.props["id"]) not in stored_edges]
    plan.diff = _count(plan, len(stored_labels), len(stored_edges), moved)
    return plan


def _compare_node(
    plan: ReloadPlan, ntype: NodeType, columns: list[str], stored: dict[str, object], new: NodeRow | None
) -> None:
    uid = st.uid(stored["case_id"], stored["id"])
    if new is None or new.label != ntype.label:
        plan.nodes_removed.setdefault(ntype.label, []).append(uid)
    elif changed := changed_columns(columns, stored, new.props):
        plan.nodes_changed.setdefault((ntype.label, changed), []).append(new.props)


def _compare_edges(
    backend: Backend, case: ValidatedCase, plan: ReloadPlan, stored_labels: dict[str, str]
) -> set[tuple[str, object]]:
    """Sort each stored edge into kept, changed, moved (other ends: removed and added) or removed;
    the (type, id) of every stored edge, so the caller can tell the new ones."""
    new_edges = {(e.type, e.props["id"]): e for e in case.edges}
    stored: set[tuple[str, object]] = set()
    etypes = list(load_schema().edges.values())
    answers = backend.read_many([(st.edge_export(etype, True), {"case_id": case.case_id}) for etype in etypes])
    for etype, rows in zip(etypes, answers, strict=True):
        columns = column_names(etype)
        for row in rows:
            key = (etype.type, row["id"])
            stored.add(key)
            ends = (etype.type, stored_labels[str(row["src"])], stored_labels[str(row["dst"])])
            new = new_edges.get(key)
            if new is None or (new.src, new.dst, new.src_label, new.dst_label) != (row["src"], row["dst"], *ends[1:]):
                plan.edges_removed.setdefault(ends, []).append(_edge_key(case.case_id, row))
                if new is not None:
                    plan.edges_added.append(new)
            elif changed := changed_columns(columns, row, new.props):
                plan.edges_changed.setdefault((ends, changed), []).append(new)
    return stored


def _edge_key(case_id: str, row: dict[str, object]) -> dict[str, object]:
    return {"uid": st.uid(case_id, row["id"]), "src": st.uid(case_id, row["src"]), "dst": st.uid(case_id, row["dst"])}


def _count(plan: ReloadPlan, stored_nodes: int, stored_edges: int, moved: int) -> CaseDiff:
    """The plan in numbers; a moved edge (same id, other ends) is kept and changed, not added and removed."""
    nodes_removed = sum(len(uids) for uids in plan.nodes_removed.values())
    edges_removed = sum(len(rows) for rows in plan.edges_removed.values())
    return CaseDiff(
        nodes_added=len(plan.nodes_added),
        nodes_removed=nodes_removed,
        relationships_added=len(plan.edges_added) - moved,
        relationships_removed=edges_removed - moved,
        nodes_kept=stored_nodes - nodes_removed,
        relationships_kept=stored_edges - edges_removed + moved,
        nodes_changed=sum(len(rows) for rows in plan.nodes_changed.values()),
        relationships_changed=sum(len(rows) for rows in plan.edges_changed.values()) + moved,
    )


def reload_steps(plan: ReloadPlan, batch_size: int) -> Iterator[Step]:
    """The plan's writes, in an order every step can run in: edges out, nodes out, nodes changed
    and in, then edges changed and in (a moved edge is removed, then created at its new ends)."""
    schema = load_schema()
    for (etype, src, dst), rows in plan.edges_removed.items():
        yield from st.keyed_batches(st.edge_delete(schema.edges[etype], src, dst), rows, batch_size)
    for label, uids in plan.nodes_removed.items():
        yield from st.keyed_batches(st.nodes_delete(schema.nodes[label]), [{"uid": u} for u in uids], batch_size)
    for (label, columns), props in plan.nodes_changed.items():
        ntype = schema.nodes[label]
        yield from st.update_batches(ntype, columns, props, batch_size)
    for (ends, columns), edges in plan.edges_changed.items():
        etype = schema.edges[ends[0]]
        yield from st.update_batches(etype, columns, [e.props for e in edges], batch_size, ends[1:], _ends(edges))
    yield from creations(plan.nodes_added, plan.edges_added, batch_size)


def _ends(edges: list[EdgeRow]) -> list[tuple[str, str]]:
    return [(e.src, e.dst) for e in edges]
