"""The Load page's section for agency chronologies (issue 16): upload the returns, see the
composite chronology and the cross-checks, then load through the page's own confirmation.

A function the Load page calls (views/load.py), so the page keeps one upload flow and one
replace confirmation; this section only adds what a set of returns needs before loading: a case
id, the composite chronology (sortable by any column, filtered by agency) and the lines of enquiry.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from findings.crosscheck import cross_check
from loaders.archive import upload_target
from loaders.chronologies import composite, import_set
from loaders.chronologies.build import write_case
from loaders.validate import CASE_RE, ValidatedCase, validate_path
from views.uploads import READABLE, refusal

ATTEMPT, VALID = "chron_attempt", "chron_outcome"
TYPES = ["csv", "xlsx", "docx", "yaml", "yml", "zip"]


def _read(files: list[UploadedFile], case_id: str) -> dict:
    """The returns as ``{"case", "composite", "lines", "merges"}`` or ``{"error", "problems"}``."""
    with tempfile.TemporaryDirectory(prefix="joined-up-upload-") as tmp:
        try:
            (Path(tmp) / "in").mkdir()
            target = upload_target(Path(tmp) / "in", [(f.name, f.getvalue()) for f in files])
            imported = import_set(target if target.is_dir() else target.parent, case_id)
            found = cross_check(imported)
            write_case(Path(tmp) / "case", imported.files, imported.chron, imported.review)
            case = validate_path(Path(tmp) / "case")
        except READABLE as exc:
            return refusal(exc, f"{tmp}/in", "the chronologies", "upload the returns again")
    lines = [
        {
            "kind": "finding" if hasattr(f, "basis") else "question",
            "statement": f.statement,
            "cites": ", ".join(f.evidence),
        }
        for f in found
    ]
    merges = [
        {"record": r.id, "rows": ", ".join(r.merge_key), "conflicts": "; ".join(r.conflicts)}
        for r in imported.records
        if len(r.accounts) > 1
    ]
    return {"case": case, "composite": composite(imported.records), "lines": lines, "merges": merges}


def _show(outcome: dict) -> None:
    rows = outcome["composite"]
    agencies = sorted({str(r["agency"]) for r in rows})
    chosen = st.multiselect("Agencies", agencies, default=agencies, key="chron_agencies")
    st.caption("The composite chronology: every row of every return, in date order (click a heading to sort).")
    st.dataframe([r for r in rows if r["agency"] in chosen], hide_index=True, key="chron_composite")
    st.caption(f"{len(outcome['merges'])} merge(s) proposed across agencies, with any conflicts:")
    st.dataframe(outcome["merges"], hide_index=True, key="chron_merges")
    st.caption(f"{len(outcome['lines'])} cross-check line(s) of enquiry:")
    st.dataframe(outcome["lines"], hide_index=True, key="chron_lines")


def chronology_section(offer: Callable[[ValidatedCase, str, str], None]) -> None:
    """Upload a set of agency returns (files or one .zip), review it, and ``offer`` it for loading."""
    st.subheader("Agency chronologies")
    st.caption(
        "Each agency's return (CSV, XLSX or a Word table) with an optional chronologies.yaml, as files or one "
        ".zip (docs/chronologies.md). Nothing is loaded until you have seen the composite chronology."
    )
    case_id = st.text_input("Case id for the chronologies", key="chron_case", placeholder="child-a").strip()
    attempt = st.session_state.setdefault(ATTEMPT, 0)
    files = st.file_uploader("Agency returns", type=TYPES, accept_multiple_files=True, key=f"chron_files_{attempt}")
    if files and not CASE_RE.match(case_id):
        st.info("Give the case an id (lower-case letters, digits and dashes) to read these returns.")
        return
    if files:
        st.session_state[ATTEMPT] = attempt + 1
        st.session_state[VALID] = _read(files, case_id)
        st.rerun()
    outcome = st.session_state.get(VALID) or {}
    if "error" in outcome:
        st.error(outcome["error"])
        if outcome.get("problems"):
            st.dataframe(outcome["problems"], hide_index=True, key="chron_problems")
    elif "case" in outcome:
        _show(outcome)
        offer(outcome["case"], "chron", VALID)
