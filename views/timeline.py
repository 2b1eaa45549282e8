"""Timeline: events, meetings, placements and missing episodes on one time axis.

The date window chosen here is the one the Network page draws, so a reviewer can pick a
period in time and see who was involved and what flowed in it.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from views import store, ui
from views.graph_view import date_range, overlaps
from views.images import chart_png

ctx = ui.context()
st.title("Timeline")
st.caption(
    "Events, meetings, placements and missing episodes on one time axis. The date window chosen here also "
    "filters the Network and Silo analytics pages."
)
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()

g = store.case_graph(ctx.case_id)
bounds = date_range(g)
if not bounds:
    st.info("Nothing in this case is dated.")
    st.stop()
children = [ctx.child] if ctx.child else sorted(n for n, a in g.nodes(data=True) if a.get("label") == "Child")


def lane(child: str, name: str) -> str:
    return name if ctx.child or len(children) == 1 else f"{ctx.pz.value(g.nodes[child].get('name') or child)} · {name}"


rows = []
for child in children:
    for a, _, e in g.in_edges(child, data=True):
        node = g.nodes[a]
        if e.get("type") != "CONCERNS" or node.get("label") not in ("Event", "Meeting") or not node.get("date_from"):
            continue
        what = (
            ("Missing episodes" if node.get("kind") == "missing_episode" else "Events")
            if node["label"] == "Event"
            else "Meetings"
        )
        rows.append(
            {
                "lane": lane(child, what),
                "what": what,
                "id": a,
                "name": node.get("name"),
                "kind": node.get("kind"),
                "when": node.get("date_text"),
                "start": node["date_from"],
                "end": node.get("date_to") or node["date_from"],
                "evidence": node.get("source") or [],
            }
        )
    for _, b, e in g.out_edges(child, data=True):
        if e.get("type") == "PLACED_AT" and (e.get("period_from") or e.get("period_to")):
            rows.append(
                {
                    "lane": lane(child, "Placements"),
                    "what": "Placements",
                    "id": b,
                    "name": g.nodes[b].get("name"),
                    "kind": g.nodes[b].get("kind"),
                    "when": e.get("period_text"),
                    "start": e.get("period_from") or bounds[0],
                    "end": e.get("period_to") or bounds[1],
                    "evidence": e.get("source") or [],
                }
            )

window = ui.window_slider("timeline", bounds)
if not rows:
    st.info("No dated events, meetings or placements for this child.")
    st.stop()

df = ui.frame(rows, ctx.pz)
df["start"], df["end"] = pd.to_datetime(df["start"]), pd.to_datetime(df["end"])
tooltip = ["name", "kind", "when", "evidence"]
colours = alt.Scale(
    domain=["Placements", "Meetings", "Events", "Missing episodes"], range=["#F2C14E", "#8DA0CB", "#9E9E9E", "#D62728"]
)
base = alt.Chart(df).encode(
    y=alt.Y("lane:N", title=None, sort=sorted(df["lane"].unique()), axis=alt.Axis(labelLimit=260)),
    color=alt.Color("what:N", scale=colours, title=None, legend=alt.Legend(orient="bottom")),
)
spans = (
    base.transform_filter(alt.datum.what == "Placements")
    .mark_bar(height=14, opacity=0.85, stroke="white", strokeWidth=1)
    .encode(x=alt.X("start:T", title=None), x2="end:T", tooltip=tooltip)
)
points = (
    base.transform_filter(alt.datum.what != "Placements")
    .mark_tick(thickness=2, size=18)
    .encode(x="start:T", tooltip=tooltip)
)
shade = (
    alt.Chart(pd.DataFrame({"a": [pd.Timestamp(window[0])], "b": [pd.Timestamp(window[1])]}))
    .mark_rect(color="#1F77B4", opacity=0.08)
    .encode(x="a:T", x2="b:T")
)
chart = alt.layer(shade, spans, points).properties(height=max(160, 46 * df["lane"].nunique()))
st.altair_chart(chart, key="timeline_chart")
st.download_button(
    "The timeline as an image (PNG)",
    lambda: chart_png(chart.properties(width=1100)),
    file_name=f"joined-up-{ui.case_label(ctx.case_id)}"
    + (f"-{ctx.pz.value(ctx.child)}" if ctx.child else "")
    + "-timeline.png",
    mime="image/png",
    on_click="ignore",
    key="timeline_png",
)
st.caption(
    "Shaded: the date window. Bars are placements; ticks are meetings, events and missing episodes (red). "
    "Hover for the review's wording and paragraphs."
)

inside = [r for r in rows if overlaps({"date_from": r["start"], "date_to": r["end"]}, window)]
missing = [r for r in inside if r["what"] == "Missing episodes"]
st.markdown(
    f"**In the window {window[0]:%b %Y} – {window[1]:%b %Y}:** {len(inside)} entries, {len(missing)} missing episodes."
)
st.page_link("views/network.py", label="See who was involved in this window on the Network page", icon=":material/hub:")
ui.table(
    sorted(inside, key=lambda r: (r["start"], r["lane"])),
    ctx.pz,
    ["when", "lane", "name", "kind", "evidence"],
    key="timeline_table",
)  # dates as precise as the review
