"""The Gaps page's triage: a reviewer marks a finding *accepted / rejected / needs checking* with a
note, filters the list by mark, and sees marks whose finding no longer exists (*orphaned*).

Marks are stored by ``findings.marks`` (a JSON file per case outside the graph store); this module
is only their controls. The file is read on every run, not cached, so a colleague's marks show on
the next click. Who marks: the signed-in user, else the name typed in the sidebar (prefilled from
``JOINED_UP_REVIEWER``); the name is stored with the mark and never logged.
"""

from __future__ import annotations

import streamlit as st

from findings.engine import Report
from findings.marks import STATUSES, Mark, clear_mark, default_reviewer, load_marks, orphaned, set_mark
from findings.model import Finding, Question
from views import ui
from views.pseudonym import Pseudonymiser

UNMARKED = "unmarked"
MARK_CHOICES = {UNMARKED: "Not marked", **STATUSES}


def case_marks(case_id: str) -> dict[str, Mark]:
    """This case's marks; a damaged marks file is one plain message, and the page goes on without marks."""
    try:
        return load_marks(case_id)
    except ValueError as exc:
        st.error(f"The marks could not be read: {exc}. Nothing was changed; fix or move the file.")
        return {}


def reviewer() -> str:
    """The signed-in user's name when the app has sign-in, else the sidebar's name (session-wide)."""
    user = getattr(st, "user", None)
    if user is not None and user.get("is_logged_in"):
        return str(user.get("name") or user.get("email") or "")
    if "reviewer" not in st.session_state:
        st.session_state["reviewer"] = default_reviewer()
    return st.sidebar.text_input("Your name (recorded with your marks)", key="reviewer").strip()


def mark_filter(container) -> list[str]:
    """The statuses to list (every one by default); ``unmarked`` stands for findings with no mark."""
    return container.multiselect(
        "Mark", list(MARK_CHOICES), default=list(MARK_CHOICES), key="gaps_mark", format_func=MARK_CHOICES.get
    )


def status_of(item: Finding | Question, marks: dict[str, Mark]) -> str:
    mark = marks.get(item.id)
    return mark.status if mark else UNMARKED


def chosen(listed: list[Finding], rows: list[int]) -> Finding | None:
    """The finding selected in the list, else the one the address names (``?finding=F-…``), so a
    link opens the same finding; the address follows the selection."""
    if rows:
        ui.set_param("finding", listed[rows[0]].id)
        return listed[rows[0]]
    wanted = st.query_params.get("finding", "")
    return next((f for f in listed if f.id == wanted), None)


def mark_control(case_id: str, item: Finding | Question, marks: dict[str, Mark], pz: Pseudonymiser, who: str) -> None:
    """The selected finding's mark: what it is now, and a form to set, change or clear it."""
    st.markdown("**Your triage**")
    current = marks.get(item.id)
    if current:
        st.info(f"Marked: {ui.md(pz.text(current.line))}")
    with st.form(key=f"mark_form_{item.id}", border=True):
        status = st.radio(
            "Mark",
            list(STATUSES),
            index=list(STATUSES).index(current.status) if current else 0,
            format_func=STATUSES.get,
            horizontal=True,
            key=f"mark_status_{item.id}",
        )
        note = st.text_area("Note", value=current.note if current else "", key=f"mark_note_{item.id}")
        save = st.form_submit_button("Save mark")
    if save:
        set_mark(case_id, item, status, note, who)
        st.rerun()
    if current and st.button("Clear mark", key=f"mark_clear_{item.id}"):
        clear_mark(case_id, item.id)
        st.rerun()


def orphaned_list(report: Report, marks: dict[str, Mark], pz: Pseudonymiser) -> None:
    """Marks whose finding this run no longer returns: shown, kept in the file, never dropped unasked."""
    children = {str(c["child"]) for c in report.children}
    found = orphaned(marks, [*report.findings, *report.questions], children)
    if not found:
        return
    st.header(f"Orphaned marks ({len(found)})")
    st.caption(
        "Marks whose finding no longer exists (the data or the rules changed since it was marked). "
        "They stay in the marks file and in the report export."
    )
    ui.table(
        [{"finding": m.finding, "statement": pz.text(m.statement), "mark": pz.text(m.line)} for m in found],
        Pseudonymiser(),
        key="gaps_orphaned",
    )
