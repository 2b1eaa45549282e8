"""Network: who was linked to whom, at agency level by default, coloured by sector, grouped by
area, with the links that should have existed, a search, neighbours on demand, the path
between two entities, and clusters above CLUSTER_ABOVE nodes. Every choice lives in the address,
so a link reopens the same view."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from findings.facts import facts_of
from findings.model import THEMES
from findings.report import THEME_TITLES
from views import network_state as state
from views import store, ui
from views.graph_view import (
    DENSE_OVERLAY,
    GAP,
    HIDDEN_BY_DEFAULT,
    MAX_NODES,
    ViewFilter,
    build_view,
    child_scope,
    date_range,
    node_table,
    sector_of,
)
from views.network_tools import CLUSTER_ABOVE, cluster, expand, fold_to_agencies, shortest_path, time_respecting_path
from views.overlay import finding_links

ctx = ui.context()
st.title("Network")
st.caption(
    "Colour = sector of an agency or practitioner, shape = type (legend above the picture), grouped by area. "
    "Solid lines are recorded links; red dashed lines are findings (one edge per finding); a red ring "
    "marks the node in focus, search matches and a path. Hover for the full name, details and the paragraphs "
    "each rests on; scroll to zoom, drag to move. Above "
    f"{CLUSTER_ABOVE} nodes, practitioners fold into their agency and then a child's own records into the "
    "child: a dashed ring with a count marks such a cluster; open it under 'Open clusters'."
)
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()

g = store.case_graph(ctx.case_id)
labels = sorted({a.get("label") for _, a in g.nodes(data=True)})
facts = facts_of(g)  # once: facts_of counts the graph's edges on every call
sectors = sorted({s for n in g if (s := sector_of(g, n, facts))})
areas = sorted(n for n, a in g.nodes(data=True) if a.get("label") == "Area")
bounds = date_range(g)
default_types = [t for t in labels if t not in HIDDEN_BY_DEFAULT]
state.restore(ctx, g, {"net_types": default_types, "net_sectors": sectors, "net_areas": areas})
summary = [
    f"{len(st.session_state['net_types'])} of {len(labels)} node types",
    f"{len(st.session_state['net_sectors'])} of {len(sectors)} sectors",
    f"{len(st.session_state['net_areas'])} of {len(areas)} areas",
]

with st.expander("Filters: " + ", ".join(summary)):
    c1, c2, c3 = st.columns(3)
    types = c1.multiselect("Node types", labels, key="net_types")
    chosen_sectors = c2.multiselect("Sectors", sectors, key="net_sectors", format_func=lambda s: s.replace("_", " "))
    chosen_areas = c3.multiselect(
        "Areas", areas, key="net_areas", format_func=lambda a: f"{ctx.pz.value(g.nodes[a].get('name'))} ({a})"
    )
    window = ui.window_slider("network", bounds) if bounds else None
practitioners = st.toggle("Show practitioners and teams (otherwise folded into their agency)", key="net_people")

report = store.gap_report(ctx.case_id, ctx.child)  # the same findings as the Gaps page and the report
overlay = {t: THEME_TITLES[t] for t in THEMES}
links = {t: finding_links([f for f in report.findings if f.theme == t], g) for t in THEMES}
st.markdown("**Findings to draw** (red, dashed; one edge per finding) — how many each theme has is in brackets:")
gcols = st.columns(max(1, len(overlay)))
shown_gaps = [
    qid
    for i, (qid, title) in enumerate(overlay.items())
    if gcols[i].checkbox(f"{title} ({len(links[qid])})", value=len(links[qid]) <= DENSE_OVERLAY, key=f"net_gap_{qid}")
]
if any(len(links[q]) > DENSE_OVERLAY for q in overlay):
    st.caption(
        f"Themes with more than {DENSE_OVERLAY} findings start unticked: tick them after choosing a "
        "child, a shorter window or a focus node."
    )

gaps = [link for t in shown_gaps for link in links[t]]
f = ViewFilter(
    child=ctx.child,
    window=window,
    types=set(types),
    sectors=None if set(chosen_sectors) == set(sectors) else set(chosen_sectors),
    areas=None if set(chosen_areas) == set(areas) else set(chosen_areas),
    gaps=gaps,
)
base = build_view(g, f)
scope = child_scope(g, ctx.child) if ctx.child else set(g)
options = [""] + sorted(base, key=lambda n: (str(g.nodes[n].get("label")), ctx.pz.sort_key(n, g.nodes[n].get("name"))))

c1, c2, c3 = st.columns([4, 1, 3])
focus = c1.selectbox("Focus on one node and its neighbours", options, key="net_focus", format_func=state.option(ctx, g))
radius = c2.radio("Steps", [1, 2], horizontal=True, key="net_radius", disabled=not focus)
search = c3.text_input("Search names", key="net_search", placeholder="part of a name, e.g. school")
view = build_view(g, replace(f, focus=focus, radius=radius)) if focus else base
opened = st.multiselect(
    "Expand: also show every neighbour of", options[1:], key="net_expand", format_func=state.option(ctx, g)
)
expanded = expand(view, g, opened, scope) if opened else view
pointed_at = set(opened) | (set(expanded) - set(view))  # what the reviewer asked to see stays out of clusters
view = expanded

with st.expander("Path between two entities"):
    p1, p2, p3 = st.columns([3, 3, 2])
    source = p1.selectbox("From", options, key="net_path_from", format_func=state.option(ctx, g))
    target = p2.selectbox("To", options, key="net_path_to", format_func=state.option(ctx, g))
    in_order = p3.checkbox(
        "Only in time order",
        key="net_path_time",
        help="Only along dated links followed in their direction, each no earlier than the one "
        "before: how information could actually have travelled.",
    )
path: list[str] = []
if source and target:
    case_view = g.subgraph(scope)
    path = (time_respecting_path if in_order else shortest_path)(case_view, source, target)
    for a, b in zip(path, path[1:], strict=False):
        view = state.add_link(view, g, a, b)

state.mark(view, {focus} - {""}, "the node in focus")
state.mark(view, state.matches(view, search, ctx.pz), "matches the search")
state.mark(view, set(path), "on the path")
if not practitioners and not (focus and g.nodes[focus].get("label") == "Professional"):
    view = fold_to_agencies(view, g)
st.session_state["net_open"] = [n for n in st.session_state["net_open"] if n in view]  # opened here, still here
view = cluster(view, g, keep_out=pointed_at, opened=st.session_state["net_open"])
heads = sorted(
    {n for n in view if view.nodes[n].get("members")} | set(st.session_state["net_open"]),
    key=lambda n: ctx.pz.sort_key(n, g.nodes[n].get("name")),
)
if heads:
    st.multiselect(
        "Open clusters (each shown with what is folded into it)",
        heads,
        key="net_open",
        format_func=state.option(ctx, g),
    )
state.save(ctx, g, focus, defaults={"net_types": default_types, "net_sectors": sectors, "net_areas": areas})

gap_count = sum(1 for *_, a in view.edges(data=True) if a.get("type") == GAP)
scope_label = ui.md(ctx.child_label(ctx.child))
st.markdown(
    f"**{view.number_of_nodes():,} nodes, {view.number_of_edges() - gap_count:,} recorded links, "
    f"{gap_count:,} missing links** for {scope_label}"
    + (f", {window[0]:%b %Y} – {window[1]:%b %Y}" if window else "")
    + "."
)
if source and target:
    shown_path = " → ".join(str(ctx.pz.value(g.nodes[n].get("name") or n)) for n in path)
    order = " (in time order)" if in_order else ""
    st.markdown(f"**Path{order}:** {ui.md(shown_path)}" if path else f"**Path{order}:** none between these two.")
if view.number_of_nodes() > MAX_NODES:
    st.warning(
        f"This view has {view.number_of_nodes():,} nodes, more than the {MAX_NODES:,} a browser can lay out "
        "readably. Narrow it: choose a child in the sidebar, shorten the date window, pick fewer node types, "
        "sectors or areas, or focus on one node's neighbourhood. The nodes are listed below."
    )
else:
    ui.draw(view, g, ctx.pz)
    ui.network_downloads(
        view, g, ctx.pz, state.stem(ctx), f"The network on screen for {ctx.child_label(ctx.child)}", key="net_download"
    )
with st.expander(f"Nodes in this view ({view.number_of_nodes():,})", expanded=view.number_of_nodes() > MAX_NODES):
    ui.table(node_table(view), ctx.pz)
