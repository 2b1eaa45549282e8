"""Cypher console: ask the graph anything, read-only, starting from the library's questions."""

from __future__ import annotations

import json

import networkx as nx
import streamlit as st

from graph.backend import BackendError
from graph.cypher import QueryRefused
from queries.library import normalise_row, parameters_for, registry
from views import store, ui

QUERY, PARAMS, TEMPLATE, RESULT = "console_query", "console_params", "console_template", "console_result"
ROW_LIMIT = 5_000

ctx = ui.context()
st.title("Cypher console")
st.caption(
    "Read-only: both backends refuse writes, procedure calls and more than one statement. Start from a "
    "question in the library or write your own; parameters are JSON and must match the $names exactly."
)


def use_template() -> None:
    qid = st.session_state[TEMPLATE]
    if not qid:
        return
    spec = registry()[qid]
    st.session_state[QUERY] = spec.text
    given = {k: v for k, v in (("child", ctx.child), ("case_id", ctx.case_id)) if k in spec.parameters}
    st.session_state[PARAMS] = json.dumps(parameters_for(spec, given), indent=1, ensure_ascii=False)


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
        st.session_state[RESULT] = [normalise_row(r) for r in store.read(st.session_state[QUERY], params)]
    except (QueryRefused, BackendError, ValueError) as exc:
        st.session_state[RESULT] = None
        st.error(f"Refused: {exc}")

rows = st.session_state.get(RESULT)
if rows is not None:
    st.markdown(f"**{len(rows):,} rows**" + (f" (the first {ROW_LIMIT:,} shown)" if len(rows) > ROW_LIMIT else ""))
    if rows:
        ui.table(rows[:ROW_LIMIT], ctx.pz, key="console_table")
    g = store.case_graph(ctx.case_id) if ctx.case_id else nx.MultiDiGraph()
    view = nx.MultiDiGraph()
    for i, row in enumerate(rows[:ROW_LIMIT]):
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
