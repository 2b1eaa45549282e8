"""The store as a networkx graph: for analytics, for pyvis, and for GraphML/GEXF export.

Built from the generated per-type export queries, so it works the same on both backends and
never depends on a driver's own graph objects.
"""

from __future__ import annotations

import networkx as nx

from graph import statements as st
from graph.backend import Backend
from graph.schema import load_schema


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
