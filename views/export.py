"""Export: the gap report, the graph for other tools, and the network view as a web page."""

from __future__ import annotations

import streamlit as st

from views import store, ui
from views.downloads import GRAPH_FORMATS, REPORT_FORMATS, graph_bytes, report_text
from views.graph_view import HIDDEN_BY_DEFAULT, ViewFilter, build_view

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
    "then the text of every cited paragraph."
)
fmt = st.radio(
    "Format", list(REPORT_FORMATS), horizontal=True, key="export_report_fmt", format_func=lambda f: REPORT_FORMATS[f][0]
)
report = store.gap_report(ctx.case_id, ctx.child)
text = report_text(report, fmt, store.evidence_text(ctx.case_id), ctx.pz)
st.download_button(
    f"Download the gap report ({REPORT_FORMATS[fmt][0]}, {len(report.findings):,} findings)",
    text,
    file_name=f"{stem}-gaps.{fmt}",
    mime=REPORT_FORMATS[fmt][1],
    on_click="ignore",
    key="export_report",
)

st.subheader("Graph")
st.caption("The whole case graph with every property, for Gephi, yEd, Cytoscape or networkx.")
gfmt = st.radio(
    "Format", list(GRAPH_FORMATS), horizontal=True, key="export_graph_fmt", format_func=lambda f: GRAPH_FORMATS[f][0]
)
st.download_button(
    f"Download the graph ({GRAPH_FORMATS[gfmt][0]}, {g.number_of_nodes():,} nodes)",
    lambda: graph_bytes(g, gfmt, ctx.pz),
    file_name=f"{stem}.{gfmt}",
    mime=GRAPH_FORMATS[gfmt][1],
    on_click="ignore",
    key="export_graph",
)

st.subheader("Network view")
view = st.session_state.get(ui.NETWORK_VIEW)
if view is None or not any(n in g for n in view):
    st.caption(
        "The Network page has not been opened for this case: the file holds the whole case with the default filters."
    )
    labels = {a.get("label") for _, a in g.nodes(data=True)} - set(HIDDEN_BY_DEFAULT)
    view = build_view(g, ViewFilter(child=ctx.child, types=labels))
else:
    st.caption("The network as last drawn on the Network or Offender map page, as a web page that works offline.")
st.download_button(
    f"Download the network view (HTML, {view.number_of_nodes():,} nodes)",
    ui.render(view, g, ctx.pz),
    file_name=f"{stem}-network.html",
    mime="text/html",
    on_click="ignore",
    key="export_network",
)
