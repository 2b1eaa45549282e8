"""Joined-Up explorer: ``python -m streamlit run app.py``.

The entry script opens the store, draws the sidebar every page shares (case, child,
pseudonymised mode) and hands over to the chosen page in ``views/``. Works with no
configuration on the embedded store; ``NEO4J_URI`` switches to Neo4j; uploads are off unless
``JOINED_UP_ALLOW_UPLOAD=1`` (docs/app.md).
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from graph.backend import BackendError
from views import store, ui

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
# No page icons: Streamlit fetches a Material-icon favicon from Google, and the app must work offline.
st.set_page_config(page_title="Joined-Up", layout="wide")
st.set_option("client.toolbarMode", "viewer")  # no "Deploy" button or developer menu for reviewers


def _sign_in_required() -> bool:
    """Sign-in (OIDC, ``st.login``) is on when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError:
        return False


if _sign_in_required() and not st.user.get("is_logged_in"):
    st.title("Joined-Up")
    st.info("This explorer holds safeguarding case data. Sign in to continue.")
    st.button("Sign in", on_click=st.login, key="sign_in")
    st.stop()

try:
    current = store.store()
except BackendError as exc:
    st.error(f"Cannot open the graph store: {exc}")
    st.stop()

if current.note:
    st.warning(current.note)

PAGES = {
    "Case": [
        st.Page("views/overview.py", title="Case overview", default=True),
        st.Page("views/network.py", title="Network", url_path="network"),
        st.Page("views/timeline.py", title="Timeline", url_path="timeline"),
    ],
    "Questions": [
        st.Page("views/gaps.py", title="Gaps", url_path="gaps"),
        st.Page("views/horizon.py", title="Knowledge horizon", url_path="horizon"),
        st.Page("views/offenders.py", title="Offender map", url_path="offenders"),
        st.Page("views/caseload.py", title="Caseload", url_path="caseload"),
        st.Page("views/silo.py", title="Silo analytics", url_path="silo"),
    ],
    "Tools": [
        st.Page("views/console.py", title="Cypher console", url_path="console"),
        st.Page("views/export.py", title="Export", url_path="export"),
        st.Page("views/load.py", title="Load data", url_path="load"),
    ],
}
page = st.navigation(PAGES)

cases = store.cases()
with st.sidebar:
    ui.pseudonymised_toggle()
    if not cases:
        st.info("The store holds no case yet. Load one on the Load data page or with `python cli.py load`.")
        st.session_state[ui.CASE] = ""
    else:
        preferred = store.case_id_of(store.bundled_case())
        if st.session_state.get(ui.CASE) not in cases:
            st.session_state[ui.CASE] = preferred if preferred in cases else cases[0]
        st.selectbox(
            "Case",
            cases,
            key=ui.CASE,
            disabled=len(cases) == 1,
            format_func=ui.case_labeller(bool(st.session_state.get(ui.PSEUDO)), cases),
        )
    ctx = ui.context()
    ui.child_selector(ctx, [str(r["child"]) for r in store.query("children", case_id=ctx.case_id)] if cases else [])
    st.caption(f"Data: {current.where}")
    if st.user.get("is_logged_in"):
        st.button("Sign out", on_click=st.logout, key="sign_out")

page.run()
