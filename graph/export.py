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
    """Every node (keyed by id, attribute ``label``) and every edge (attribute ``type``), a contact and a praise
    each as one link (``records_as_links``)."""
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
    return records_as_links(g)


# A record node drawn as the link it stands for: label -> (link type, edge from the link's start into the record,
# edge from the record to the link's end, (edge to a third record, the attribute that holds that record's id))
AS_LINKS = {
    "Contact": ("CONTACTED", "HAD", "REACHED", ("AT", "place")),
    "Praise": ("PRAISES", "GAVE", "PRAISED", ("ABOUT", "child")),
}


def records_as_links(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g`` (changed in place) with each Contact and Praise as the pictures, analytics and file exports show
    them: a contact as a ``CONTACTED`` link from the person who HAD it to the child it REACHED (``place``: the
    id of the Place it was AT), a praise as a ``PRAISES`` link from the point that GAVE it to what it PRAISED
    (``child``: the child it is ABOUT), each carrying the record's properties. The store keeps them as nodes so
    that queries walk from a child; a picture wants the person one link from the child."""
    for record in [n for n, a in g.nodes(data=True) if a.get("label") in AS_LINKS]:
        link, into, out_of, (side, attr) = AS_LINKS[g.nodes[record]["label"]]
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
