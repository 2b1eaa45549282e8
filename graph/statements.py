"""Cypher generated from the schema: loads, counts and exports.

The questions users ask live in ``queries/`` as hand-written files; the statements here are
mechanical (one per type) and so are generated, in the portable subset, for both backends.
Writes are ``UNWIND $rows`` batches; nodes and edges are matched by their ``uid``
(``"<case_id>/<id>"``, the store's key: two cases may use the same ids), and every statement
that deletes or prunes is bounded by ``$case_id``, so a load touches only its own case.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from graph.backend import Creation, Statement
from graph.schema import EdgeType, NodeType, Schema


def _set_clause(var: str, columns: list[tuple[str, str]], present: set[str]) -> str:
    """SET for one batch. Dates travel as ISO text and are converted in Cypher (``date()``) on
    both engines; a column no row of the batch fills is set to NULL explicitly, because the
    embedded engine types an all-null parameter column as text and would refuse it."""

    def value(col: str, kind: str) -> str:
        if col not in present:
            return "NULL"
        return f"date(r.{col})" if kind == "date" else f"r.{col}"

    return ", ".join(f"{var}.{c} = {value(c, k)}" for c, k in columns)


def uid(case_id: object, record_id: object) -> str:
    """The store's key of a record: its case and its id (case ids cannot contain ``/``)."""
    return f"{case_id}/{record_id}"


def node_write(ntype: NodeType, verb: str, present: set[str], label: str | None = None) -> str:
    """Nodes of ``ntype``, under ``label`` instead of their own when staged (graph/neo4j_staging.py)."""
    return (
        f"UNWIND $rows AS r {verb} (n:{label or ntype.label} {{uid: r.uid}}) "
        f"SET {_set_clause('n', ntype.columns(), present)}"
    )


def edge_write(etype: EdgeType, src: str, dst: str, present: set[str]) -> str:
    # Edges are always CREATEd: a re-load deletes an edge whose ends changed in the files (graph/diff.py),
    # so it cannot survive under its old ends.
    return (
        f"UNWIND $rows AS r MATCH (a:{src} {{uid: r.src}}) MATCH (b:{dst} {{uid: r.dst}}) "
        f"CREATE (a)-[e:{etype.type} {{uid: r.uid}}]->(b) SET {_set_clause('e', etype.columns(), present)}"
    )


def edge_delete_case(etype: EdgeType) -> str:
    return f"MATCH ()-[e:{etype.type}]->() WHERE e.case_id = $case_id DELETE e"


def param_batches(
    rows: list[dict[str, object]], size: int, ends: list[tuple[str, str]] | None = None
) -> Iterator[tuple[list[dict[str, object]], set[str]]]:
    """Rows as parameter batches of ``size`` (``batch_params``)."""
    for i in range(0, len(rows), size):
        yield batch_params(rows[i : i + size], None if ends is None else ends[i : i + size])


def batch_params(
    rows: list[dict[str, object]], ends: list[tuple[str, str]] | None
) -> tuple[list[dict[str, object]], set[str]]:
    """One batch of rows as parameters, dates as ISO text (converted by ``date()``), with the columns
    some row of the batch fills; every row gets its ``uid``, and an edge row (``ends`` given) its ends'
    ``src`` and ``dst`` uids."""
    batch = [{k: v.isoformat() if isinstance(v, date) else v for k, v in r.items()} for r in rows]
    present = {k for r in batch for k, v in r.items() if v is not None}
    for row in batch:
        row["uid"] = uid(row["case_id"], row["id"])
    if ends is not None:
        for row, (src_id, dst_id) in zip(batch, ends, strict=True):
            row.update(src=uid(row["case_id"], src_id), dst=uid(row["case_id"], dst_id))
    return batch, present


def create_batches(creation: Creation, staging: str | None = None) -> Iterator[Statement]:
    """How a store without a bulk path (Neo4j) runs a creation: ``UNWIND $rows`` batches that write every
    column. With ``staging``, nodes get that label instead of their own and edges join nodes of that
    label (graph/neo4j_staging.py)."""
    kind = creation.kind
    for rows, ends in creation.batches():
        batch, present = batch_params(rows, ends or None)  # a node's batch has no ends
        if isinstance(kind, NodeType):
            yield node_write(kind, "CREATE", present, staging), {"rows": batch}
        else:
            src, dst = (staging, staging) if staging else creation.pair or ("", "")
            yield edge_write(kind, src, dst, present), {"rows": batch}


def case_delete(schema: Schema, case_ids: list[str]) -> list[Statement]:
    """Every record of the cases, edges first (one transaction's statements: a delete, or a stopped load's
    removal, graph/embedded.py)."""
    return [(edge_delete_case(e), {"case_id": c}) for c in case_ids for e in schema.edges.values()] + [
        (node_prune(n), {"case_id": c, "ids": []}) for c in case_ids for n in schema.nodes.values()
    ]


def ids_taken(ntype: NodeType) -> str:
    """Which of ``$uids`` the store already holds (a few, for the message)."""
    return f"UNWIND $uids AS u MATCH (n:{ntype.label} {{uid: u}}) RETURN n.id AS id, n.case_id AS case_id LIMIT 5"


def node_prune(ntype: NodeType) -> str:
    return f"MATCH (n:{ntype.label}) WHERE n.case_id = $case_id AND NOT n.id IN $ids DETACH DELETE n"


def node_delete(ntype: NodeType) -> str:
    """One node of one case and its edges: the what-if analyses remove a party from a copy of the case."""
    return f"MATCH (n:{ntype.label} {{uid: $uid}}) DETACH DELETE n"


def _stored_edges(etype: EdgeType) -> str:
    """``(a)-[e]->(b)`` with ``a`` one of the schema's start labels: a relationship between nodes a
    Neo4j load has only staged so far (no record label yet, graph/neo4j_staging.py) is not a stored
    record, so counts, ids and exports do not see it."""
    return f"(a:{'|'.join(etype.from_labels)})-[e:{etype.type}]->(b)"


def node_count(ntype: NodeType, by_case: bool) -> str:
    where = " WHERE n.case_id = $case_id" if by_case else ""
    return f"MATCH (n:{ntype.label}){where} RETURN count(n) AS n"


def edge_count(etype: EdgeType, by_case: bool) -> str:
    where = " WHERE e.case_id = $case_id" if by_case else ""
    return f"MATCH {_stored_edges(etype)}{where} RETURN count(e) AS n"


def node_export(ntype: NodeType, by_case: bool) -> str:
    where = " WHERE n.case_id = $case_id" if by_case else ""
    cols = ", ".join(f"n.{c} AS {c}" for c, _ in ntype.columns())
    return f"MATCH (n:{ntype.label}){where} RETURN {cols}"


def edge_export(etype: EdgeType, by_case: bool) -> str:
    where = " WHERE e.case_id = $case_id" if by_case else ""
    cols = ", ".join(f"e.{c} AS {c}" for c, _ in etype.columns())
    return f"MATCH {_stored_edges(etype)}{where} RETURN a.id AS src, b.id AS dst, {cols}"


def node_cases(ntype: NodeType) -> str:
    return f"MATCH (n:{ntype.label}) RETURN DISTINCT n.case_id AS case_id"


def _edge_match(etype: EdgeType, src: str, dst: str) -> str:
    """One edge of a re-load by its ends' keys (both stores look a node up by ``uid``) and its own."""
    ends = f"(a:{src} {{uid: r.src}})-[e:{etype.type}]->(b:{dst} {{uid: r.dst}})"
    return f"UNWIND $rows AS r MATCH {ends} WHERE e.uid = r.uid"


def edge_delete(etype: EdgeType, src: str, dst: str) -> str:
    return f"{_edge_match(etype, src, dst)} DELETE e"


def nodes_delete(ntype: NodeType) -> str:
    """Nodes of a re-load by key, with their edges (``$rows`` of ``uid``)."""
    return f"UNWIND $rows AS r MATCH (n:{ntype.label} {{uid: r.uid}}) DETACH DELETE n"


def update_batches(
    kind: NodeType | EdgeType,
    columns: tuple[str, ...],
    rows: list[dict[str, object]],
    size: int,
    pair: tuple[str, str] | None = None,
    ends: list[tuple[str, str]] | None = None,
) -> Iterator[Statement]:
    """A re-load's changed records: only ``columns`` are SET (NULL where the files no longer fill them)."""
    chosen = [(c, k) for c, k in kind.columns() if c in columns]
    for batch, present in param_batches(rows, size, ends):
        if isinstance(kind, NodeType):
            match = f"UNWIND $rows AS r MATCH (n:{kind.label} {{uid: r.uid}})"
            yield f"{match} SET {_set_clause('n', chosen, present)}", {"rows": batch}
        else:
            src, dst = pair or ("", "")
            yield f"{_edge_match(kind, src, dst)} SET {_set_clause('e', chosen, present)}", {"rows": batch}


def keyed_batches(query: str, rows: list[dict[str, object]], size: int) -> Iterator[Statement]:
    """A statement over ``$rows`` of keys, in batches of ``size``."""
    for i in range(0, len(rows), size):
        yield query, {"rows": rows[i : i + size]}
