"""Cypher generated from the schema: loads, counts and exports.

The questions users ask live in ``queries/`` as hand-written files; the statements here are
mechanical (one per type) and so are generated, in the portable subset, for both backends.
Writes are ``UNWIND $rows`` batches; nodes and edges are matched by their ``id``.
"""

from __future__ import annotations

from graph.schema import EdgeType, NodeType


def _set_clause(var: str, columns: list[tuple[str, str]]) -> str:
    return ", ".join(f"{var}.{c} = r.{c}" for c, _ in columns if c != "id")


def node_write(ntype: NodeType, verb: str) -> str:
    return f"UNWIND $rows AS r {verb} (n:{ntype.label} {{id: r.id}}) SET {_set_clause('n', ntype.columns())}"


def edge_write(etype: EdgeType, src: str, dst: str) -> str:
    # Edges are always CREATEd: a reload first deletes the case's edges (edge_delete_case), so
    # an edge whose endpoints changed in the file cannot survive under its old endpoints.
    return (f"UNWIND $rows AS r MATCH (a:{src} {{id: r.src}}) MATCH (b:{dst} {{id: r.dst}}) "
            f"CREATE (a)-[e:{etype.type} {{id: r.id}}]->(b) SET {_set_clause('e', etype.columns())}")


def edge_delete_case(etype: EdgeType, src: str, dst: str) -> str:
    return f"MATCH (a:{src})-[e:{etype.type}]->(b:{dst}) WHERE e.case_id = $case_id DELETE e"


def node_prune(ntype: NodeType) -> str:
    return f"MATCH (n:{ntype.label}) WHERE n.case_id = $case_id AND NOT n.id IN $ids DETACH DELETE n"


def node_count(ntype: NodeType, by_case: bool) -> str:
    where = " WHERE n.case_id = $case_id" if by_case else ""
    return f"MATCH (n:{ntype.label}){where} RETURN count(n) AS n"


def edge_count(etype: EdgeType, src: str, dst: str, by_case: bool) -> str:
    where = " WHERE e.case_id = $case_id" if by_case else ""
    return f"MATCH (a:{src})-[e:{etype.type}]->(b:{dst}){where} RETURN count(e) AS n"


def node_export(ntype: NodeType, by_case: bool) -> str:
    where = " WHERE n.case_id = $case_id" if by_case else ""
    cols = ", ".join(f"n.{c} AS {c}" for c, _ in ntype.columns())
    return f"MATCH (n:{ntype.label}){where} RETURN {cols}"


def edge_export(etype: EdgeType, src: str, dst: str, by_case: bool) -> str:
    where = " WHERE e.case_id = $case_id" if by_case else ""
    cols = ", ".join(f"e.{c} AS {c}" for c, _ in etype.columns())
    return f"MATCH (a:{src})-[e:{etype.type}]->(b:{dst}){where} RETURN a.id AS src, b.id AS dst, {cols}"


def cases_present() -> str:
    return "MATCH (d:SourceDocument) RETURN DISTINCT d.case_id AS case_id"
