"""Caseload (exploitation teams): within one case, the persons of concern linked to most children,
and for the child chosen in the sidebar the children linked to it by a person or a place and its
two-step network. Thin: every answer is a registry query read through views/store.py, so the page
stays quick at caseload scale (the queries are anchored on the case and the child)."""

from __future__ import annotations

import streamlit as st

from queries.library import registry
from views import ui

TOP = 20  # persons of concern listed: the ones a team disrupts first

ctx = ui.context()
st.title("Caseload")
st.caption(
    "Within this case only (records of other cases are never matched by name). Choose a child in the "
    "sidebar to see the children linked to it and its two-step network."
)
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()

persons = ctx.rows("caseload_persons")
st.subheader(registry()["caseload_persons"].title)
if persons:
    ui.table(
        persons[:TOP],
        ctx.pz,
        ["person", "person_name", "children", "first_contact", "last_contact", "evidence"],
        key="cl_persons",
    )
else:
    st.info("The case records no contact between a person of concern and a child.")

if not ctx.child:
    st.stop()
st.subheader(f"{registry()['linked_children'].title}: {ctx.child_label(ctx.child)}")
linked = ctx.rows("linked_children")
if linked:
    ui.table(linked, ctx.pz, key="cl_linked")
else:
    st.info("No other child of the case shares a person of concern or a place of contact with this child.")
st.subheader(f"{registry()['child_network'].title}: {ctx.child_label(ctx.child)}")
network = ctx.rows("child_network")
if network:
    ui.table(network, ctx.pz, key="cl_network")
else:
    st.info("The case records no person of concern or place of contact for this child.")
