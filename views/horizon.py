"""Knowledge horizon: for one piece of information, who held it, who could have known it by a
date or a meeting, and who was in the room when the decision was taken."""

from __future__ import annotations

from datetime import date

import streamlit as st

from views import store, ui
from views.graph_view import date_range

ROOM = {"CONVENED": "convened", "INVITED_TO": "invited", "ATTENDED": "attended", "DID_NOT_ATTEND": "did not attend"}

ctx = ui.context()
st.title("Knowledge horizon")
st.caption(
    "Who held a piece of information, and who could have known it by a given day through recorded sharing "
    "(flows recorded as shared or late, each step no earlier than the one before, up to three steps)."
)
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()

g = store.case_graph(ctx.case_id)


def about_child(node: str) -> bool:
    return not ctx.child or any(
        b == ctx.child and e.get("type") == "CONCERNS" for _, b, e in g.out_edges(node, data=True)
    )


def describe(node: str) -> str:
    a = g.nodes[node]
    return f"{ctx.pz.value(a.get('name') or node)} ({a.get('date_text') or 'undated'}, {ctx.pz.value(node)})"


def by_date(node: str) -> date:
    return g.nodes[node].get("date_from") or date.min


def of_type(label: str) -> list[str]:
    return sorted((n for n, a in g.nodes(data=True) if a.get("label") == label and about_child(n)), key=by_date)


bounds = date_range(g) or (date(2000, 1, 1), date.today())
held = {r["item"] for r in ctx.rows("knowledge_horizon", by=bounds[1].isoformat())}
items, meetings = [i for i in of_type("InformationItem") if i in held], of_type("Meeting")
if not items:
    st.info("The case records nobody holding any information about this child on a known date.")
    st.stop()

item = st.selectbox(
    f"Information item ({len(items)} held by someone on a recorded date, oldest first)",
    items,
    key="hz_item",
    format_func=describe,
)
mode = st.radio("Horizon", ["By a date", "At a meeting"], horizontal=True, key="hz_mode")
meeting = None
if mode == "At a meeting" and meetings:
    after = [i for i, m in enumerate(meetings) if by_date(m) >= by_date(item)]
    meeting = st.selectbox(
        "Meeting (the first after the item arose is chosen first)",
        meetings,
        key="hz_meeting",
        index=after[0] if after else 0,
        format_func=describe,
    )
    when = g.nodes[meeting].get("date_to") or g.nodes[meeting].get("date_from") or date.max
else:
    if mode == "At a meeting":
        st.info("No meetings are recorded for this child; choose a date instead.")
    when = st.date_input("By", value=bounds[1], min_value=bounds[0], max_value=bounds[1], key="hz_date")

rows = ctx.rows("knowledge_horizon", item=item, by=when.isoformat())
holders = [r for r in rows if r["steps"] == 0]
reached = [r for r in rows if r["steps"] > 0]
st.subheader(f"Who held it by {when:%d %b %Y}")
if holders:
    ui.table(holders, ctx.pz, ["party", "party_name", "known_from", "evidence"], key="hz_holders")
else:
    st.info("Nobody is recorded as holding it by then.")
st.subheader("Who else could have known it, through recorded sharing")
if reached:
    ui.table(reached, ctx.pz, ["party", "party_name", "steps", "known_from", "how", "evidence"], key="hz_reached")
else:
    st.info("No recorded flow carried it any further by then.")

if meeting:
    st.subheader("Who was in the room")
    room_by: dict[str, dict] = {}
    for a, _, e in sorted(
        g.in_edges(meeting, data=True), key=lambda x: list(ROOM).index(x[2]["type"]) if x[2].get("type") in ROOM else 0
    ):
        if e.get("type") in ROOM:
            r = room_by.setdefault(
                a,
                {
                    "party": a,
                    "party_name": g.nodes[a].get("name"),
                    "type": g.nodes[a].get("label"),
                    "how": [],
                    "evidence": [],
                },
            )
            r["how"].append(ROOM[e["type"]] + (f" ({e['reason']})" if e.get("reason") else ""))
            r["evidence"] += [ref for ref in e.get("source") or [] if ref not in r["evidence"]]
    room = [{**r, "how": ", ".join(r["how"])} for r in room_by.values()]
    if room:
        ui.table(room, ctx.pz, key="hz_room")
    else:
        st.info("The review records nobody as invited to or present at this meeting.")
    present = {r["party"] for r in room if "did not attend" not in r["how"]}
    staff_of = {a: b for a, b, e in g.edges(data=True) if e.get("type") == "WORKS_FOR"}
    present |= {staff_of[p] for p in present if p in staff_of}
    knew = {r["party"] for r in rows if g.has_node(r["party"]) and g.nodes[r["party"]].get("label") != "Meeting"}
    absent = sorted(
        knew - present - {p for p in knew if staff_of.get(p) in present},
        key=lambda p: ctx.pz.sort_key(p, g.nodes[p].get("name")),
    )
    answer = ctx.rows("meeting_horizon", meeting=meeting)
    got_there = [r for r in answer if r["item"] == item]
    if got_there:
        verdict = "reached the meeting" if got_there[0]["reached"] else "did **not** reach the meeting"
        st.markdown(
            f"This item {verdict} (*What the room knew*, evidence {ui.md(', '.join(got_there[0]['evidence']))})."
        )
    if absent:
        names = ", ".join(str(ctx.pz.value(g.nodes[p].get("name") or p)) for p in absent)
        st.warning(f"Could have known it by then but were not in the room: {ui.md(names)}.")
