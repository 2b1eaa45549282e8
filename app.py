"""Joined-Up explorer: ``python -m streamlit run app.py``.

The entry script opens the store, draws the sidebar every page shares (case, child,
pseudonymised mode) and hands over to the chosen page in ``views/``. Works with no
configuration on the embedded store; ``NEO4J_URI`` switches to Neo4j; uploads are off unless
``JOINED_UP_ALLOW_UPLOAD=1`` (docs/app.md).
"""

from __future__ import annotations

import logging

import streamlit as st

from graph.backend import BackendError
from views import store, ui

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
st.set_page_config(page_title="Joined-Up", page_icon=":material/hub:", layout="wide")

try:
    current = store.store()
except BackendError as exc:
    st.error(f"Cannot open the graph store: {exc}")
    st.stop()

if current.note:
    st.warning(current.note)

PAGES = {
    "Case": [
        st.Page("views/overview.py", title="Case overview", icon=":material/summarize:", default=True),
        st.Page("views/network.py", title="Network", icon=":material/hub:", url_path="network"),
        st.Page("views/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    ],
    "Questions": [
        st.Page("views/gaps.py", title="Gaps", icon=":material/report:", url_path="gaps"),
        st.Page("views/horizon.py", title="Knowledge horizon", icon=":material/visibility:", url_path="horizon"),
        st.Page("views/offenders.py", title="Offender map", icon=":material/person_alert:", url_path="offenders"),
        st.Page("views/silo.py", title="Silo analytics", icon=":material/account_tree:", url_path="silo"),
    ],
    "Tools": [
        st.Page("views/console.py", title="Cypher console", icon=":material/terminal:", url_path="console"),
        st.Page("views/export.py", title="Export", icon=":material/download:", url_path="export"),
        st.Page("views/load.py", title="Load data", icon=":material/upload:", url_path="load"),
    ],
}
page = st.navigation(PAGES)

cases = store.cases()
with st.sidebar:
    if not cases:
        st.info("The store holds no case yet. Load one on the Load data page or with `python cli.py load`.")
        st.session_state[ui.CASE] = ""
    else:
        preferred = store.case_id_of(store.bundled_case())
        if st.session_state.get(ui.CASE) not in cases:
            st.session_state[ui.CASE] = preferred if preferred in cases else cases[0]
        st.selectbox("Case", cases, key=ui.CASE, disabled=len(cases) == 1)
    st.toggle("Pseudonymised (training)", key=ui.PSEUDO,
              help="Replace every person's name with a stable role code, on every page and in every export.")
    ctx = ui.context()
    children = [""] + [str(r["child"]) for r in store.query("children", case_id=ctx.case_id)] if cases else [""]
    if st.session_state.get(ui.CHILD) not in children:
        st.session_state[ui.CHILD] = ""
    st.selectbox("Child", children, key=ui.CHILD, format_func=ctx.child_label)
    st.caption(f"Data: {current.where}")

page.run()
