"""Load data: validate an uploaded case or chronology, list every problem, load all or nothing.

Off unless JOINED_UP_ALLOW_UPLOAD=1 (docs/app.md): the app is read-only by default, because
whoever can reach it could otherwise change the graph everyone else is reading.

Every failure is one plain message (what, where, what to do), never a traceback, and never a
path of the temporary folder the upload is checked in. Each attempt gets a fresh uploader (its
key carries the attempt number), so the next attempt never validates the last one's files
alongside its own. A case id that is already loaded is replaced only after the reviewer ticks
the confirmation.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from graph.backend import BackendError
from loaders.archive import upload_target
from loaders.validate import SPREADSHEETS, STRUCTURED, ValidatedCase, validate_path
from views import store
from views.chronologies import chronology_section
from views.uploads import READABLE, problem_rows, refusal

ALLOWED = os.environ.get("JOINED_UP_ALLOW_UPLOAD") == "1"
ATTEMPT, VALID = "load_attempt", "load_outcome"  # the uploader's generation; what validation found
LOG = logging.getLogger("joined_up.app.load")


def _validate(files: list[UploadedFile]) -> dict[str, object]:
    """The uploaded files as ``{"case": ValidatedCase, "warnings": rows}``, or ``{"error": message,
    "problems": rows}``; a .zip is checked for bombs and escaping paths before anything is read."""
    with tempfile.TemporaryDirectory(prefix="joined-up-upload-") as tmp:
        try:
            target = upload_target(Path(tmp), [(f.name, f.getvalue()) for f in files])
            case = validate_path(target)
        except READABLE as exc:
            return refusal(exc, tmp, "the uploaded files", "upload them again")
        return {"case": case, "warnings": problem_rows(case.warnings, tmp)}


def _load(case: ValidatedCase, replace: bool) -> None:
    bar = st.progress(0.0, text="Loading…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"Loading: {done:,} of {total:,} records")

    try:
        report = store.load(case, progress, replace=replace)
    except BackendError as exc:
        bar.empty()
        st.error(
            f"The store refused the load of case '{case.case_id}', so nothing was written: {exc}. "
            "Correct the files, or close whatever else is using the store, and try again."
        )
        return
    bar.progress(
        1.0, text=f"Loaded {report.nodes:,} nodes and {report.relationships:,} relationships in {report.seconds:.1f} s"
    )
    LOG.info("uploaded case %s loaded: %d nodes, %d relationships", report.case_id, report.nodes, report.relationships)
    st.success(f"Case '{report.case_id}' loaded ({report.mode}). Choose it in the sidebar.")


def _offer(case: ValidatedCase, key: str = "load", outcome: str = VALID) -> None:
    """The validated case, the replace confirmation when its id is taken, and the Load button
    (``key`` prefixes the widgets, ``outcome`` is the state to clear: the chronology section's own)."""
    st.success(f"Valid: case '{case.case_id}' with {len(case.nodes):,} nodes and {len(case.edges):,} relationships.")
    exists = case.case_id in store.cases()
    confirmed = True
    if exists and case.derived_from is not None:  # nobody named this id: never replace on a file name's say-so
        st.error(
            f"The case id '{case.case_id}' comes from the file name {case.derived_from!r}, and a case with that "
            "id is already loaded; nothing was loaded. Give the case its own id (a case.yaml with "
            "`case: <id>`, or rename the file) and upload it again."
        )
        return
    if exists:
        st.warning(
            f"Case '{case.case_id}' is already loaded. Loading replaces it with these files: "
            f"{store.case_diff(case)}; whatever they no longer hold is removed from the store."
        )
        confirmed = st.checkbox(f"Replace the loaded case '{case.case_id}'", key=f"{key}_replace")
    if st.button(
        f"Load into the {store.store().backend.name} store", key=f"{key}_go", type="primary", disabled=not confirmed
    ):
        st.session_state.pop(outcome, None)
        _load(case, replace=exists)


st.title("Load data")
if not ALLOWED:
    st.info(
        "Uploads are off: this app is read-only. Whoever runs it can allow uploads by starting it with "
        "`JOINED_UP_ALLOW_UPLOAD=1`, or load cases with `python cli.py load PATH` (docs/app.md)."
    )
    st.stop()

st.caption(
    "Upload one case file (YAML or JSON), a chronology spreadsheet (CSV or XLSX), a whole case folder's "
    "files (case.yaml and the rest), or a case folder as one .zip. Everything is checked first; if anything is "
    "wrong, nothing is loaded."
)
attempt = st.session_state.setdefault(ATTEMPT, 0)
files = st.file_uploader(
    "Case files",
    type=[s.lstrip(".") for s in (*STRUCTURED, *SPREADSHEETS, ".zip")],
    accept_multiple_files=True,
    key=f"load_files_{attempt}",
)
if files:  # one attempt: validate, then draw a fresh, empty uploader for the next
    st.session_state[ATTEMPT] = attempt + 1
    st.session_state[VALID] = _validate(files)
    st.rerun()
outcome = st.session_state.get(VALID) or {}
if "error" in outcome:
    st.error(outcome["error"])
    if outcome.get("problems"):
        st.dataframe(outcome["problems"], hide_index=True, key="load_problems")
elif "case" in outcome:
    if outcome.get("warnings"):
        st.warning(f"{len(outcome['warnings']):,} warning(s): unlikely values that do not stop the load.")
        st.dataframe(outcome["warnings"], hide_index=True, key="load_warnings")
    _offer(outcome["case"])

# Agency chronologies (issue 16): their own section, loading through the same confirmation.
st.divider()
chronology_section(_offer)
