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
    """Every node (keyed by id, attribute ``label``) and every edge (attribute ``type``), a contact as one link
    (``contacts_as_links``)."""
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
    return contacts_as_links(g)


def contacts_as_links(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g`` (changed in place) with each Contact as the pictures, analytics and file exports show a contact: a
    ``CONTACTED`` link from the person who HAD it to the child it REACHED, carrying the contact's properties and,
    in ``place``, the id of the Place it was AT. The store keeps contacts as nodes so that queries walk from a
    child to its Places; a picture of who reached a child needs the person one link from the child."""
    for contact in [n for n, a in g.nodes(data=True) if a.get("label") == "Contact"]:
        ends = {t: [] for t in ("HAD", "REACHED", "AT")}
        for a, b, e in [*g.in_edges(contact, data=True), *g.out_edges(contact, data=True)]:
            if e.get("type") in ends:
                ends[e["type"]].append(b if a == contact else a)
        attrs = {k: v for k, v in g.nodes[contact].items() if k != "label"}
        attrs |= {"id": contact, "place": ends["AT"][0] if ends["AT"] else None}
        for person in ends["HAD"]:
            for child in ends["REACHED"]:
                g.add_edge(person, child, key=contact, **{**attrs, "type": "CONTACTED"})
        g.remove_node(contact)
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
