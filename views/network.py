"""Network: who was linked to whom, coloured by sector, with the links that should have existed."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from queries.library import registry
from views import store, ui
from views.graph_view import (
    DENSE_OVERLAY,
    HIDDEN_BY_DEFAULT,
    MAX_NODES,
    ViewFilter,
    build_view,
    date_range,
    gap_links,
    gap_queries,
    node_table,
    sector_of,
)

ctx = ui.context()
st.title("Network")
st.caption(
    "Colour = sector of an agency or practitioner, shape = type (legend above the picture). Solid lines are "
    "recorded links; red dashed lines are links the gap questions say were missing. Hover for details and "
    "the paragraphs each rests on; scroll to zoom, drag to move."
)
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()

g = store.case_graph(ctx.case_id)
labels = sorted({a.get("label") for _, a in g.nodes(data=True)})
sectors = sorted({s for n in g if (s := sector_of(g, n))})
areas = sorted(n for n, a in g.nodes(data=True) if a.get("label") == "Area")
bounds = date_range(g)
shown_types = st.session_state.get("net_types", [t for t in labels if t not in HIDDEN_BY_DEFAULT])
window_now = st.session_state.get(ui.WINDOW) or bounds
summary = [
    f"{len(shown_types)} of {len(labels)} node types",
    f"{len(st.session_state.get('net_sectors', sectors))} of {len(sectors)} sectors",
    f"{len(st.session_state.get('net_areas', areas))} of {len(areas)} areas",
]
if window_now:
    summary.append(f"{window_now[0]:%b %Y} – {window_now[1]:%b %Y}")

with st.expander("Filters: " + ", ".join(summary)):
    c1, c2, c3 = st.columns(3)
    types = c1.multiselect(
        "Node types", labels, default=[t for t in labels if t not in HIDDEN_BY_DEFAULT], key="net_types"
    )
    chosen_sectors = c2.multiselect(
        "Sectors", sectors, default=sectors, key="net_sectors", format_func=lambda s: s.replace("_", " ")
    )
    chosen_areas = c3.multiselect(
        "Areas",
        areas,
        default=areas,
        key="net_areas",
        format_func=lambda a: f"{ctx.pz.value(g.nodes[a].get('name'))} ({a})",
    )
    window = ui.window_slider("network", bounds) if bounds else None

overlay = {qid: registry()[qid].title for qid in gap_queries(registry())}
answers = {qid: ctx.rows(qid) for qid in overlay}
links = {qid: gap_links([(title, answers[qid])], g) for qid, title in overlay.items()}
st.markdown("**Missing links to draw** (red, dashed) — how many each question finds is in brackets:")
gcols = st.columns(max(1, len(overlay)))
shown_gaps = [
    qid
    for i, (qid, title) in enumerate(overlay.items())
    if gcols[i].checkbox(f"{title} ({len(links[qid])})", value=len(links[qid]) <= DENSE_OVERLAY, key=f"net_gap_{qid}")
]
if any(len(links[q]) > DENSE_OVERLAY for q in overlay):
    st.caption(
        f"Questions with more than {DENSE_OVERLAY} missing links start unticked: tick them after choosing a "
        "child, a shorter window or a focus node."
    )

gaps = gap_links([(overlay[qid], answers[qid]) for qid in shown_gaps], g)
f = ViewFilter(
    child=ctx.child,
    window=window,
    types=set(types),
    sectors=None if set(chosen_sectors) == set(sectors) else set(chosen_sectors),
    areas=None if set(chosen_areas) == set(areas) else set(chosen_areas),
    gaps=gaps,
)
base = build_view(g, f)


def _option(n: str) -> str:
    if not n:
        return "(whole view)"
    a = g.nodes[n]
    return f"{a.get('label')} · {ctx.pz.value(a.get('name') or n)} ({ctx.pz.value(n)})"


c1, c2 = st.columns([4, 1])
options = [""] + sorted(base, key=lambda n: (str(g.nodes[n].get("label")), str(g.nodes[n].get("name"))))
if st.session_state.get("net_focus") not in options:
    st.session_state["net_focus"] = ""
focus = c1.selectbox("Focus on one node and its neighbours", options, key="net_focus", format_func=_option)
radius = c2.radio("Steps", [1, 2], horizontal=True, key="net_radius", disabled=not focus)
view = build_view(g, replace(f, focus=focus, radius=radius)) if focus else base

gap_count = sum(1 for *_, a in view.edges(data=True) if a.get("type") == "GAP")
st.markdown(
    f"**{view.number_of_nodes():,} nodes, {view.number_of_edges() - gap_count:,} recorded links, "
    f"{gap_count:,} missing links** for {ui.md(ctx.child_label(ctx.child))}"
    + (f", {window[0]:%b %Y} – {window[1]:%b %Y}" if window else "")
    + "."
)
if view.number_of_nodes() > MAX_NODES:
    st.warning(
        f"This view has {view.number_of_nodes():,} nodes, more than the {MAX_NODES:,} a browser can lay out "
        "readably. Narrow it: choose a child in the sidebar, shorten the date window, pick fewer node types, "
        "sectors or areas, or focus on one node's neighbourhood. The nodes are listed below."
    )
else:
    ui.draw(view, g, ctx.pz, keep=True)
with st.expander(f"Nodes in this view ({view.number_of_nodes():,})", expanded=view.number_of_nodes() > MAX_NODES):
    ui.table(node_table(view), ctx.pz)
