"""Silo analytics (trainer view): who exchanged information about a child with whom, where the
network falls apart, and what would change if a party were missing or a link had existed."""

from __future__ import annotations

import streamlit as st

from findings.silo import NewEdge, Window
from views import store, ui
from views.graph_view import date_range, flow_view

ctx = ui.context()
st.title("Silo analytics")
st.caption(
    "The parties (agencies and practitioners) involved with a child, tied when the record shows information "
    "passing between them (flows, referrals), a meeting they shared, or a common organisation. Separate "
    "groups are silos; a broker or single point of failure is a party the others depended on. "
    "docs/analytics.md explains each measure."
)
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()

g = store.case_graph(ctx.case_id)
children = sorted(n for n, a in g.nodes(data=True) if a.get("label") == "Child")
if not children:
    st.info("The case has no children.")
    st.stop()
if not ctx.child and len(children) > 1:
    st.info("Silo analytics measure one child's network: choose the child in the sidebar.")
    st.stop()
child = ctx.child or children[0]
bounds = date_range(g)
window = Window()
if bounds:
    lo, hi = ui.window_slider("silo", bounds)
    if (lo, hi) != ui.whole_window(bounds):
        window = Window(lo, hi, f"{lo:%b %Y} – {hi:%b %Y}")
result, net = store.silo(ctx.case_id, child, window)

density = result["density"]
c = st.columns(6)
c[0].metric("Parties", density["parties"])
c[1].metric("Ties", density["ties"])
c[2].metric("Density", f"{density['value']:.2f}", help="Ties present out of all possible pairs.")
c[3].metric("Silos (separate groups)", len(result["components"]))
share = result["cross_sector"]["share"]
c[4].metric("Flows crossing sectors", "–" if share is None else f"{share:.0%}")
share = result["cross_boundary"]["share"]
c[5].metric("Flows crossing areas", "–" if share is None else f"{share:.0%}")

if net.number_of_nodes():
    ui.draw(flow_view(net), g, ctx.pz, height=480)


def names(ids: list[str]) -> str:
    return ", ".join(str(ctx.pz.value(net.nodes[i]["name"] if i in net else i)) for i in ids)


tabs = st.tabs(["Silos", "Brokers", "Single points of failure", "Sector pairs without a flow"])
with tabs[0]:
    ui.table(
        [
            {
                "group": i + 1,
                "size": comp["size"],
                "members": names([m["id"] for m in comp["members"]]),
                "sectors": comp["sectors"],
                "areas": comp["areas"],
                "evidence": comp["evidence"],
            }
            for i, comp in enumerate(result["components"])
        ],
        ctx.pz,
        key="silo_components",
    )
with tabs[1]:
    ui.table(
        [{k: b[k] for k in ("id", "name", "sector", "degree", "betweenness", "evidence")} for b in result["brokers"]],
        ctx.pz,
        key="silo_brokers",
    )
with tabs[2]:
    rows = [
        {
            "id": p["id"],
            "name": p["name"],
            "sector": p["sector"],
            "would cut off": names(sum(p["cuts_off"], [])),
            "by ties of kind": p["kinds"],
            "evidence": p["evidence"],
        }
        for p in result["articulation_points"]
    ]
    rows += [
        {
            "id": f"{b['a']['id']} – {b['b']['id']}",
            "name": f"the tie {b['a']['name']} – {b['b']['name']}",
            "sector": None,
            "would cut off": names(b["cuts_off"]),
            "by ties of kind": b["kinds"],
            "evidence": b["evidence"],
        }
        for b in result["bridges"]
    ]
    ui.table(rows, ctx.pz, key="silo_points")
with tabs[3]:
    ui.table(
        [
            {
                "sectors": " & ".join(p["sectors"]).replace("_", " "),
                "shared meetings": p["meetings"],
                "evidence": p["evidence"],
            }
            for p in result["sector_pairs"]
            if p["expected"] and not p["flows"]
        ],
        ctx.pz,
        key="silo_pairs",
    )

st.header("What if…")
st.caption(
    "Take a party out, or add the link the review says was missing, on a copy of the case; the measures, "
    "who could have known what and what reached each meeting are recomputed. The stored case is not changed."
)
parties = sorted(net, key=lambda n: ctx.pz.sort_key(n, net.nodes[n]["name"]))
meetings = sorted(
    (n for n, a in g.nodes(data=True) if a.get("label") == "Meeting" and any(b == child for _, b in g.out_edges(n))),
    key=lambda m: str(g.nodes[m].get("date_from")),
)
left, right = st.columns(2)
remove = left.multiselect(
    "Without these parties", parties, key="silo_remove", format_func=lambda n: str(ctx.pz.value(net.nodes[n]["name"]))
)
invite_who = right.selectbox(
    "Invite this party…",
    [""] + parties,
    key="silo_invite_who",
    format_func=lambda n: str(ctx.pz.value(net.nodes[n]["name"])) if n else "(nobody)",
)


def meeting_label(m: str) -> str:
    return f"{ctx.pz.value(g.nodes[m].get('name'))} ({g.nodes[m].get('date_text')})" if m else "(choose a meeting)"


invite_to = right.selectbox("…to this meeting", [""] + meetings, key="silo_invite_to", format_func=meeting_label)
add = [NewEdge("INVITED_TO", invite_who, invite_to)] if invite_who and invite_to else []
if not remove and not add:
    st.info("Choose a party to take out, or a party and a meeting to invite it to.")
    st.stop()

change, after = store.what_if(ctx.case_id, child, window, remove, add)
before_after = [
    {"measure": k.replace("_", " "), "before": change["before"][k], "after": change["after"][k]}
    for k in change["before"]
]
for row in before_after:
    for side in ("before", "after"):
        if isinstance(row[side], list):  # parties, pairs of parties, pairs of sectors
            row[side] = ", ".join(
                " & ".join(names([x]) for x in v) if isinstance(v, list) else names([v]) for v in row[side]
            )
ui.table(before_after, ctx.pz, key="silo_before_after")
pic_before, pic_after = st.columns(2)
with pic_before:
    st.markdown("**Before**")
    ui.draw(flow_view(net, remove), g, ctx.pz, height=380)
with pic_after:
    st.markdown("**After**")
    ui.draw(flow_view(after), g, ctx.pz, height=380)
if change["meetings"]:
    st.subheader("What reached each meeting")
    ui.table(change["meetings"], ctx.pz, key="silo_meetings")
if change["knowledge"]:
    st.subheader("Who could have known")
    ui.table(
        [
            {
                "item": k["item"],
                "item_name": k["item_name"],
                "no longer": ", ".join(str(p["party_name"]) for p in k["lost"]),
                "now": ", ".join(str(p["party_name"]) for p in k["gained"]),
                "evidence": k["evidence"],
            }
            for k in change["knowledge"]
        ],
        ctx.pz,
        key="silo_knowledge",
    )
