"""Case overview: what the case is, who it is about, over what period, and where the data lives."""

from __future__ import annotations

import streamlit as st

from views import store, ui
from views.graph_view import date_range

ctx = ui.context()
st.title("Case overview")
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()

g = store.case_graph(ctx.case_id)
docs = [a for _, a in g.nodes(data=True) if a.get("label") == "SourceDocument"]
st.markdown(
    f"**Case {ui.md(ui.case_label(ctx.case_id))}**"
    + (f" — {ui.md(ctx.pz.text(str(docs[0].get('name'))))}" if docs else "")
)

children = store.query("children", case_id=ctx.case_id)
counts = store.case_counts(ctx.case_id)
span = date_range(g)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Children", len(children))
c2.metric(
    "Period",
    f"{span[0]:%Y} – {span[1]:%Y}" if span else "undated",
    help=f"{span[0]:%d %b %Y} to {span[1]:%d %b %Y}: the earliest and latest dates in the case" if span else None,
)
c3.metric("Nodes", f"{sum(counts['nodes'].values()):,}")
c4.metric("Relationships", f"{sum(counts['relationships'].values()):,}")

st.subheader("Children")
ui.table(children, ctx.pz, ["child", "name", "born", "responsible_area", "evidence"])

st.subheader("Areas and police forces")
covering: dict[str, list[str]] = {}
located: dict[str, int] = {}
for a, b, e in g.edges(data=True):
    if e.get("type") == "COVERS":
        covering.setdefault(b, []).append(str(g.nodes[a].get("name") or a))
    elif e.get("type") == "LOCATED_IN":
        located[b] = located.get(b, 0) + 1
areas = [
    {
        "area": n,
        "name": a.get("name"),
        "kind": a.get("kind"),
        "police force": covering.get(n, []),
        "agencies and placements located there": located.get(n, 0),
        "evidence": a.get("source") or [],
    }
    for n, a in sorted(g.nodes(data=True))
    if a.get("label") == "Area"
]
ui.table(areas, ctx.pz)

st.subheader("What the graph holds")
left, right = st.columns(2)
nodes = [{"node type": k, "count": v} for k, v in sorted(counts["nodes"].items(), key=lambda kv: -kv[1]) if v]
links = [
    {"relationship": k, "count": v} for k, v in sorted(counts["relationships"].items(), key=lambda kv: -kv[1]) if v
]
height = 35 * (max(len(nodes), len(links)) + 1) + 3  # every row, no scrolling
with left:
    ui.table(nodes, ctx.pz, height=height)
with right:
    ui.table(links, ctx.pz, height=height)

st.subheader("Data source")
source = [
    {
        "document": n,
        "name": a.get("name"),
        "published": a.get("published_text"),
        "author": a.get("author"),
        "file": a.get("file"),
    }
    for n, a in g.nodes(data=True)
    if a.get("label") == "SourceDocument"
]
if source:
    ui.table(source, ctx.pz)
st.markdown(
    f"Backend in use: **{store.store().backend.name}** ({ui.md(store.store().where)}). "
    "Every row in this app cites the review paragraphs it rests on (column *evidence*)."
)
