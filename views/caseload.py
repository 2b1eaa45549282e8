"""Caseload (exploitation teams and their leads): first the engine's findings counted per child and
theme, most first, with a picker that opens one child's findings; then, within one case, the persons
of concern linked to most children, and for the child chosen in the sidebar the children linked to it
by a person or a place and its two-step network. Thin: the counts are ``findings.sweep``'s summary
(computed once per case and kept) and a child opened is the engine for that child, both read through
views/store.py, as is every registry query (anchored on the case and the child)."""

from __future__ import annotations

import streamlit as st

from findings.report import THEME_TITLES
from findings.sweep import SUMMARY_COLUMNS
from queries.library import registry
from views import ui
from views.downloads import pseudonymised
from views.store import caseload_summary, gap_report

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


def summary_section() -> None:
    """Children × themes, most findings first, and the findings of the child picked from it."""
    summary = caseload_summary(ctx.case_id)
    rows = summary.rows()
    st.subheader("Findings per child and theme")
    st.caption(
        f"The findings engine's findings counted per child ({len(rows):,} children; a finding about two children "
        f"counts for each), computed {summary.computed} in {summary.engine_seconds:.1f} s and kept until the store "
        "changes."
    )
    ui.table(rows, ctx.pz, SUMMARY_COLUMNS, key="cl_summary")
    totals = {str(r["child"]): r["total"] for r in rows}
    picked = st.selectbox(
        "Open a child's findings",
        ["", *totals],
        index=1 + list(totals).index(ctx.child) if ctx.child in totals else 0,
        format_func=lambda c: f"{ctx.child_label(c)}: {totals[c]} findings" if c else "(choose a child)",
        key="cl_open",
    )
    if picked:
        found = [pseudonymised(f, ctx.pz) for f in gap_report(ctx.case_id, picked).findings]
        opened = [
            {"theme": THEME_TITLES[f.theme], "basis": f.basis, "finding": f.statement, "evidence": f.evidence}
            for f in found
        ]
        ui.table(opened, ctx.pz, key="cl_opened")


summary_section()
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
