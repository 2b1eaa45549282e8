"""A what-if's change as writes: the case exported back as a loadable case, and the generated
statements that delete parties or create hypothetical links on a copy of it.

Apart from ``whatif`` because checking a hypothetical record against the schema is a loader's kind
of rule, and the reporting of what changed should not have to read it.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from findings.silo.network import FLOW_KINDS, WHAT_IF_REF, NewEdge, iso_or_none
from graph import statements as st
from graph.backend import Statement
from graph.records import EdgeRow, NodeRow, ValidatedCase
from graph.schema import EdgeType, NodeType, load_schema
from loaders.dates import parse_date


def named_records(remove: Iterable[str] = (), add: Iterable[NewEdge] = ()) -> set[str]:
    """Every record a what-if names (parties taken out, ends of new links, a new flow's child and
    item): the neighbourhood it runs on must hold them (``child_graph``'s ``also``)."""
    named = set(remove)
    for edge in add:
        named |= {edge.src, edge.dst}
        named |= {str(edge.props[k]) for k in ("child", "item") if edge.props.get(k)}
    return named


def case_from_graph(g: nx.MultiDiGraph) -> ValidatedCase:
    """The export as a loadable case: it already holds every stored column, so loading it back
    reproduces the store without re-reading (or needing) the case's files."""
    case_ids = {d.get("case_id") for _, d in g.nodes(data=True)}
    if len(case_ids) != 1:
        raise ValueError(f"a what-if needs exactly one case; the graph holds {sorted(map(str, case_ids))}")
    case_id = str(case_ids.pop())
    label = nx.get_node_attributes(g, "label")
    nodes = [
        NodeRow(label[n], {"id": n, **{k: v for k, v in d.items() if k != "label"}}) for n, d in g.nodes(data=True)
    ]
    edges = [
        EdgeRow(d["type"], a, label[a], b, label[b], {k: v for k, v in d.items() if k != "type"})
        for a, b, d in g.edges(data=True)
    ]
    return ValidatedCase(case_id, case_id, case_id, None, nodes, edges)


def _columns(kind: NodeType | EdgeType, name: str, props: dict[str, object]) -> dict[str, object]:
    """A hypothetical record's stored columns, checked against its type as a case file would be."""
    unknown = set(props) - set(kind.props)
    if unknown:
        raise ValueError(f"{name} has no property {', '.join(sorted(unknown))}")
    row: dict[str, object] = {}
    for prop in kind.props.values():
        raw = props.get(prop.name, prop.default)
        if raw is None:
            if prop.required:
                raise ValueError(f"{name} needs {prop.name!r}")
            row.update(dict.fromkeys(c for c, _ in prop.columns()))
        elif prop.kind == "date":
            span = parse_date(raw)
            row.update(
                {
                    f"{prop.name}_text": span.text,
                    f"{prop.name}_from": iso_or_none(span.earliest),
                    f"{prop.name}_to": iso_or_none(span.latest),
                    f"{prop.name}_precision": span.precision,
                }
            )
        else:
            row[prop.name] = raw
    return row


def _new_edge(g: nx.MultiDiGraph, edge: NewEdge, edge_id: str, new: dict[str, str] | None = None) -> Statement:
    """A CREATE for one hypothetical link; ``new`` holds the labels of hypothetical nodes it may end at."""
    etype = load_schema().edges.get(edge.type)
    if etype is None:
        raise ValueError(f"unknown relationship type {edge.type!r}")
    labels = {n: (new or {}).get(n) or (g.nodes[n]["label"] if n in g else None) for n in (edge.src, edge.dst)}
    for end, end_label in labels.items():
        if end_label is None:
            raise ValueError(f"{edge.type} {edge.src}→{edge.dst}: no node {end!r} in the case")
    src, dst = labels[edge.src], labels[edge.dst]
    if (src, dst) not in etype.pairs():
        raise ValueError(f"{edge.type} cannot link {src} {edge.src} to {dst} {edge.dst}")
    case_id = _case_of(g)
    row: dict[str, object] = {
        "src": st.uid(case_id, edge.src),
        "dst": st.uid(case_id, edge.dst),
        "id": edge_id,
        "uid": st.uid(case_id, edge_id),
        "case_id": case_id,
        "doc": WHAT_IF_REF,
        "source": [WHAT_IF_REF],
        **_columns(etype, edge.type, edge.props),
    }
    return st.edge_write(etype, src, dst, {k for k, v in row.items() if v is not None}), {"rows": [row]}


def _new_flow(g: nx.MultiDiGraph, flow: NewEdge, flow_id: str) -> list[Statement]:
    """A hypothetical flow or referral (``NewEdge("Flow", sender, recipient, {child, item, …})``): its
    node, and the SENT, SENT_TO, CONCERNS and CARRIES links a case file would give it."""
    ntype = load_schema().nodes[flow.type]
    props = dict(flow.props)
    child, item = props.pop("child", None), props.pop("item", None)
    if child not in g or g.nodes[child]["label"] != "Child":
        raise ValueError(f"{flow.type} needs 'child', the id of a child in the case")
    case_id = _case_of(g)
    row = {
        "id": flow_id,
        "uid": st.uid(case_id, flow_id),
        "case_id": case_id,
        "doc": WHAT_IF_REF,
        "source": [WHAT_IF_REF],
        **_columns(ntype, flow.type, props),
    }
    links = [
        NewEdge("SENT", flow.src, flow_id),
        NewEdge("SENT_TO", flow_id, flow.dst),
        NewEdge("CONCERNS", flow_id, str(child)),
        *([NewEdge("CARRIES", flow_id, str(item))] if item else []),
    ]
    node = st.node_write(ntype, "CREATE", {k for k, v in row.items() if v is not None}), {"rows": [row]}
    return [node, *(_new_edge(g, link, f"{flow_id}-{link.type.lower()}", {flow_id: flow.type}) for link in links)]


def _case_of(g: nx.MultiDiGraph) -> str:
    return str(next(iter(g.nodes.values()))["case_id"])


def change_statements(g: nx.MultiDiGraph, remove: Iterable[str] = (), add: Iterable[NewEdge] = ()) -> list[Statement]:
    """The what-if as generated, parameterised writes: delete parties, create links."""
    schema = load_schema()
    out: list[Statement] = []
    for n in remove:
        if n not in g:
            raise ValueError(f"no node {n!r} in the case")
        out.append((st.node_delete(schema.nodes[g.nodes[n]["label"]]), {"uid": st.uid(g.nodes[n]["case_id"], n)}))
    for i, edge in enumerate(add, start=1):
        if edge.type in FLOW_KINDS:
            out += _new_flow(g, edge, f"{WHAT_IF_REF}-{i}")
        else:
            out.append(_new_edge(g, edge, f"{WHAT_IF_REF}-{i}"))
    return out
