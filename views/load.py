"""Load data: validate an uploaded case or chronology, list every problem, load all or nothing.

Off unless JOINED_UP_ALLOW_UPLOAD=1 (docs/app.md): the app is read-only by default, because
whoever can reach it could otherwise change the graph everyone else is reading.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import streamlit as st

from graph.load import load_case
from loaders.archive import upload_target
from loaders.records import MAX_SHOWN, InputError, Problem
from loaders.safety import UnsafeInput, printable
from loaders.validate import SPREADSHEETS, STRUCTURED, validate_path
from views import store

ALLOWED = os.environ.get("JOINED_UP_ALLOW_UPLOAD") == "1"

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
files = st.file_uploader(
    "Case files",
    type=[s.lstrip(".") for s in (*STRUCTURED, *SPREADSHEETS, ".zip")],
    accept_multiple_files=True,
    key="load_files",
)
if not files:
    st.stop()


def _problem_rows(problems: list[Problem], tmp: str) -> list[dict[str, str]]:
    """The first MAX_SHOWN problems as table rows, every cell escaped (a file name can hold a newline)."""
    return [
        {
            "where": printable(str(p.where).replace(f"{tmp}/", "")),
            "field": printable(p.field),
            "got": printable(repr(p.value)[:120]),
            "expected": printable(p.expected),
        }
        for p in problems[:MAX_SHOWN]
    ]


with tempfile.TemporaryDirectory(prefix="joined-up-upload-") as tmp:
    folder = Path(tmp)
    try:
        target = upload_target(folder, [(f.name, f.getvalue()) for f in files])
        case = validate_path(target)
    except UnsafeInput as exc:
        st.error(f"The upload was refused; nothing was loaded. Expected {printable(str(exc))}.")
        st.stop()
    except InputError as exc:
        more = f" (the first {MAX_SHOWN} are shown)" if len(exc.problems) > MAX_SHOWN else ""
        st.error(f"{len(exc.problems):,} problem(s){more}; nothing was loaded.")
        st.dataframe(_problem_rows(exc.problems, tmp), hide_index=True, key="load_problems")
        st.stop()
    if case.warnings:
        st.warning(f"{len(case.warnings):,} warning(s): unlikely values that do not stop the load.")
        st.dataframe(_problem_rows(case.warnings, tmp), hide_index=True, key="load_warnings")

st.success(f"Valid: case '{case.case_id}' with {len(case.nodes):,} nodes and {len(case.edges):,} relationships.")
if case.case_id in store.cases():
    st.warning(f"Case '{case.case_id}' is already loaded; loading replaces it with these files.")
if st.button(f"Load into the {store.store().backend.name} store", key="load_go", type="primary"):
    bar = st.progress(0.0, text="Loading…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"Loading: {done:,} of {total:,} records")

    report = load_case(store.store().backend, case, progress=progress)
    bar.progress(
        1.0, text=f"Loaded {report.nodes:,} nodes and {report.relationships:,} relationships in {report.seconds:.1f} s"
    )
    store.LOG.info(
        "uploaded case %s loaded: %d nodes, %d relationships", report.case_id, report.nodes, report.relationships
    )
    store.invalidate()
    st.success(f"Case '{report.case_id}' loaded ({report.mode}). Choose it in the sidebar.")
