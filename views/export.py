"""Export: the gap report, the graph for other tools, and the network view as a web page."""

from __future__ import annotations

import streamlit as st

from views import store, ui
from views.downloads import GRAPH_FORMATS, REPORT_FORMATS, graph_bytes, report_text
from views.graph_view import HIDDEN_BY_DEFAULT, ViewFilter, build_view
from views.marks import case_marks
from views.network_tools import fold_to_agencies

ctx = ui.context()
st.title("Export")
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()
if ctx.pz.active:
    st.info("Pseudonymised mode is on: every file below carries role codes instead of names.")
g = store.case_graph(ctx.case_id)
stem = f"joined-up-{ui.case_label(ctx.case_id)}" + (f"-{ctx.pz.value(ctx.child)}" if ctx.child else "")

st.subheader("Gap report")
st.caption(
    f"Every gap question for {ui.md(ctx.child_label(ctx.child))}, each finding with its paragraph refs, "
    "then the text of every cited paragraph, and the reviewers' marks beside their findings."
)
fmt = st.radio(
    "Format", list(REPORT_FORMATS), horizontal=True, key="export_report_fmt", format_func=lambda f: REPORT_FORMATS[f][0]
)
report = store.gap_report(ctx.case_id, ctx.child)
text = report_text(report, fmt, store.evidence_text(ctx.case_id), ctx.pz, case_marks(ctx.case_id))
st.download_button(
    f"Download the gap report ({REPORT_FORMATS[fmt][0]}, {len(report.findings):,} findings)",
    text,
    file_name=f"{stem}-gaps.{fmt}",
    mime=REPORT_FORMATS[fmt][1],
    on_click="ignore",
    key="export_report",
)

st.subheader("Graph")
scope = ui.md(ctx.child_label(ctx.child))
if ctx.child:  # a child's file holds that child's records, exactly what the Network page scopes to the child
    graph, what = build_view(g, ViewFilter(child=ctx.child)), f"{ctx.child_label(ctx.child)}'s graph"
    st.caption(
        f"The records of {scope} (everything the review ties to this child), with every property, for Gephi, "
        "yEd, Cytoscape or networkx. Choose *All children* in the sidebar for the whole case."
    )
else:
    graph, what = g, "the graph"
    st.caption("The whole case graph with every property, for Gephi, yEd, Cytoscape or networkx.")
gfmt = st.radio(
    "Format", list(GRAPH_FORMATS), horizontal=True, key="export_graph_fmt", format_func=lambda f: GRAPH_FORMATS[f][0]
)
st.download_button(
    f"Download {what} ({GRAPH_FORMATS[gfmt][0]}, {graph.number_of_nodes():,} nodes)",
    lambda: graph_bytes(graph, gfmt, ctx.pz),
    file_name=f"{stem}.{gfmt}",
    mime=GRAPH_FORMATS[gfmt][1],
    on_click="ignore",
    key="export_graph",
)

st.subheader("Network view")
st.caption(
    f"The Network page's default view for {scope} (agency level, default filters), as an offline web page or "
    "an image. To download exactly what you see after filtering, use the buttons under the picture on the "
    "Network page."
)
labels = {a.get("label") for _, a in g.nodes(data=True)} - set(HIDDEN_BY_DEFAULT)
view = fold_to_agencies(build_view(g, ViewFilter(child=ctx.child, types=labels)), g)
ui.network_downloads(
    view,
    g,
    ctx.pz,
    f"{stem}-network",
    f"The default network view for {ctx.child_label(ctx.child)}",
    key="export_network",
)
