"""Cypher console: ask the graph anything, read-only, starting from the library's questions."""

from __future__ import annotations

import json

import networkx as nx
import streamlit as st

from graph.backend import BackendError
from graph.console import ACCEPTED, Limits
from graph.cypher import QueryRefused
from queries.library import normalise_row, registry
from views import store, ui

QUERY, PARAMS, TEMPLATE, RESULT = "console_query", "console_params", "console_template", "console_result"
PSEUDONYMISED_OFF = (
    "The console is off in pseudonymised mode: a query can rebuild a name the pseudonyms hide "
    "(toUpper, substring, a property no page shows). Switch pseudonymised mode off to use it."
)

ctx = ui.context()
st.title("Cypher console")
if ctx.pz.active:
    st.info(PSEUDONYMISED_OFF)
    st.stop()
try:
    limits = Limits.from_environment()
except BackendError as exc:
    st.error(str(exc))
    st.stop()
st.caption(
    f"Read-only: the console accepts {ACCEPTED} and a list of functions; no writes, procedures or files. "
    f"A query stops after {limits.timeout:g} s and shows at most {limits.rows:,} rows. Start from a "
    "question in the library or write your own; parameters are JSON and must match the $names exactly."
)


def use_template() -> None:
    qid = st.session_state[TEMPLATE]
    if not qid:
        return
    spec = registry()[qid]
    st.session_state[QUERY] = spec.text
    given = {k: v for k, v in (("child", ctx.child), ("case_id", ctx.case_id)) if k in spec.parameters}
    st.session_state[PARAMS] = json.dumps(store.query_parameters(qid, given), indent=1, ensure_ascii=False)


st.session_state.setdefault(QUERY, "MATCH (c:Child) RETURN c.id AS child, c.name AS name, c.source AS evidence")
st.session_state.setdefault(PARAMS, "{}")
st.selectbox(
    "Start from a question in the library",
    [""] + list(registry()),
    key=TEMPLATE,
    on_change=use_template,
    format_func=lambda q: registry()[q].title if q else "(your own query)",
)
st.text_area("Cypher", key=QUERY, height=220)
st.text_area("Parameters (JSON)", key=PARAMS, height=90)

if st.button("Run (read-only)", key="console_run", type="primary"):
    try:
        params = json.loads(st.session_state[PARAMS] or "{}")
        if not isinstance(params, dict):
            raise ValueError("parameters must be a JSON object")
        answer = store.console(st.session_state[QUERY], params)
        st.session_state[RESULT] = ([normalise_row(r) for r in answer.rows], answer.cut)
    except (QueryRefused, BackendError, ValueError) as exc:
        st.session_state[RESULT] = None
        st.error(f"Refused: {exc}")

if (result := st.session_state.get(RESULT)) is not None:
    rows, cut = result
    st.markdown(
        f"**{len(rows):,} rows**"
        + (f" — cut at the console's limit of {limits.rows:,} rows: narrow the query or add LIMIT" if cut else "")
    )
    if rows:
        ui.table(rows, ctx.pz, key="console_table")
    g = store.case_graph(ctx.case_id) if ctx.case_id else nx.MultiDiGraph()
    view = nx.MultiDiGraph()
    for i, row in enumerate(rows):
        ids = [v for v in row.values() if isinstance(v, str) and v in g]
        for n in ids:
            view.add_node(n, **g.nodes[n])
        for j, (a, b) in enumerate(zip(ids, ids[1:], strict=False)):
            view.add_edge(
                a,
                b,
                key=f"row{i}-{j}",
                type="ROW",
                information=f"row {i + 1}",
                source=row.get("evidence") if isinstance(row.get("evidence"), list) else [],
            )
    if view.number_of_nodes() >= 2:
        st.caption("The ids in the result as a network: each row links the ids it holds, in column order.")
        ui.draw(view, g, ctx.pz, height=480)
