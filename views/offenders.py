"""Offender map (CSE view): who reached the children, how and where (``Place`` nodes, one per
venue, so a venue shared by two children is one node), and which children are linked through the
same person or place. Contacts are listed in date order and filtered by the shared date window;
the person picker opens on a person of concern, never a family member."""

from __future__ import annotations

import streamlit as st

from queries.library import registry
from views import store, ui
from views.graph_view import offender_graph
from views.offender_rows import by_date, in_window, persons_first

NEEDED = ("offender_contact", "linked_children", "person_children")

ctx = ui.context()
st.title("Offender map")
st.caption(
    "Persons of concern (black diamonds; relatives acting as such, brown triangles), the children they had "
    "contact with (stars), the channels they used (pink squares) and the places contact happened (blue "
    "hexagons). Children reached by the same person or at the same place are joined by a purple dashed line."
)
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()
missing = [q for q in NEEDED if not store.has_query(q)]
if missing:
    st.info(
        f"This view needs the question(s) {', '.join(missing)}, not in the query library yet; "
        "it shows what the available ones answer."
    )

g = store.case_graph(ctx.case_id)
contacts = by_date(ctx.rows("offender_contact")) if "offender_contact" not in missing else []
linked = ctx.rows("linked_children") if "linked_children" not in missing else []
if not contacts:
    st.info("The case records no contact between a person of concern and this child.")
    st.stop()
dated = [d for r in contacts for d in (r.get("date_from"), r.get("date_to")) if d]
if dated and min(dated) < max(dated):
    window = ui.window_slider("offenders", (min(dated), max(dated)))
    contacts = [r for r in contacts if in_window(r, window)]
    st.caption("Contacts the review does not date are always shown.")
persons = persons_first({r["person"] for r in contacts}, g, ctx.pz)
c1, c2, c3 = st.columns(3)
c1.metric("Persons of concern", len(persons))
c2.metric("Contacts", len(contacts))
c3.metric("Links between children", len(linked))

view = offender_graph(contacts, linked, g)
ui.draw(view, g, ctx.pz, height=560)
ui.network_downloads(
    view,
    g,
    ctx.pz,
    f"joined-up-{ui.case_label(ctx.case_id)}-offender-map",
    f"The offender map for {ctx.child_label(ctx.child)}",
    key="off_download",
)

st.subheader(registry()["offender_contact"].title)
ui.table(
    contacts,
    ctx.pz,
    ["date", "person", "person_name", "person_kind", "child", "channel", "certainty", "place", "outcome", "evidence"],
    key="off_contacts",
)
if "linked_children" not in missing:
    st.subheader(registry()["linked_children"].title)
    if linked:
        ui.table(linked, ctx.pz, key="off_linked")
    else:
        st.info("No two children in this view share a person of concern or a place of contact.")
if "person_children" not in missing:
    st.subheader(registry()["person_children"].title)
    person = st.selectbox(
        "Person",
        persons,
        key="off_person",
        format_func=lambda p: f"{ctx.pz.value(g.nodes[p].get('name') if p in g else p)}",
    )
    reached = ctx.rows("person_children", person=person) if person else []
    kids = sorted({str(ctx.pz.value(r["child_name"])) for r in reached})
    places = sorted({str(ctx.pz.value(r["place"])) for r in reached if r["place"]})
    st.markdown(
        ui.md(f"Linked to {len(kids)} child(ren): {', '.join(kids) or 'none'}; places: {', '.join(places) or 'none'}.")
    )
    ui.table(
        reached,
        ctx.pz,
        ["child", "child_name", "link", "detail", "place", "date", "evidence"],
        key="off_person_children",
    )
