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
from loaders.records import InputError
from loaders.validate import SPREADSHEETS, STRUCTURED, validate_path
from views import store

ALLOWED = os.environ.get("JOINED_UP_ALLOW_UPLOAD") == "1"

st.title("Load data")
if not ALLOWED:
    st.info("Uploads are off: this app is read-only. Whoever runs it can allow uploads by starting it with "
            "`JOINED_UP_ALLOW_UPLOAD=1`, or load cases with `python cli.py load PATH` (docs/app.md).")
    st.stop()

st.caption("Upload one case file (YAML or JSON), a chronology spreadsheet (CSV or XLSX), or a whole case folder's "
           "files (case.yaml and the rest). Everything is checked first; if anything is wrong, nothing is loaded.")
files = st.file_uploader("Case files", type=[s.lstrip(".") for s in STRUCTURED + SPREADSHEETS],
                         accept_multiple_files=True, key="load_files")
if not files:
    st.stop()

with tempfile.TemporaryDirectory(prefix="joined-up-upload-") as tmp:
    folder = Path(tmp)
    for f in files:
        (folder / Path(f.name).name).write_bytes(f.getvalue())
    target = folder if len(files) > 1 else folder / Path(files[0].name).name
    try:
        case = validate_path(target)
    except InputError as exc:
        st.error(f"{len(exc.problems)} problem(s); nothing was loaded.")
        st.dataframe([{"where": str(p.where).replace(f"{tmp}/", ""), "field": p.field, "got": repr(p.value)[:120],
                       "expected": p.expected} for p in exc.problems], hide_index=True, key="load_problems")
        st.stop()

st.success(f"Valid: case '{case.case_id}' with {len(case.nodes):,} nodes and {len(case.edges):,} relationships.")
replace = case.case_id in store.cases()
if replace:
    st.warning(f"Case '{case.case_id}' is already loaded; loading replaces it with these files.")
if st.button(f"Load into the {store.store().backend.name} store", key="load_go", type="primary"):
    bar = st.progress(0.0, text="Loading…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0, text=f"Loading: {done:,} of {total:,} records")

    report = load_case(store.store().backend, case, progress=progress, replace=replace)
    bar.progress(1.0, text=f"Loaded {report.nodes:,} nodes and {report.relationships:,} relationships "
                           f"in {report.seconds:.1f} s")
    store.LOG.info("uploaded case %s loaded: %d nodes, %d relationships", report.case_id, report.nodes,
                   report.relationships)
    store.invalidate()
    st.success(f"Case '{report.case_id}' loaded ({report.mode}). Choose it in the sidebar.")
