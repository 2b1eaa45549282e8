"""Gaps: every question in the query library, its answer for this case, and the evidence."""

from __future__ import annotations

import streamlit as st

from graph.backend import BackendError
from graph.cypher import QueryRefused
from queries.library import registry
from views import ui

ROW_LIMIT = 200  # rows that open to their evidence; the table above always has them all

ctx = ui.context()
st.title("Gaps")
st.caption(
    "Each question below is answered from the recorded structure of the case (who was involved, invited, "
    "informed), not from conclusions written into the data. Open a row to read the review paragraphs it "
    "rests on."
)
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()

answers: dict[str, list[dict] | str] = {}
for qid in registry():
    try:
        answers[qid] = ctx.rows(qid)
    except (BackendError, QueryRefused) as exc:  # a question being edited must not hide the others
        answers[qid] = str(exc)

specs = registry()
summary = [
    {
        "question": s.title,
        "rows": len(a) if isinstance(a, list) else "error",
        "section": s.section,
        "in plain words": s.question,
        "for": ", ".join(s.audience),
    }
    for s, a in ((specs[q], answers[q]) for q in specs)
]
st.dataframe(summary, hide_index=True, key="gaps_summary", height=35 * (len(summary) + 1) + 3)


def row_label(row: dict, columns: list[str]) -> str:
    named = {c.removesuffix("_name") for c in columns if c.endswith("_name")}
    parts = [
        str(v)
        for c in columns
        if c not in ("child", "evidence") and c not in named and (v := row.get(c)) not in (None, "", [])
    ]
    text = " · ".join(", ".join(map(str, p)) if isinstance(p, list) else p for p in parts[:4])
    return (text[:140] + "…" if len(text) > 140 else text) + " — " + ", ".join(row.get("evidence") or ["no evidence"])


counts = {q: len(a) if isinstance(a, list) else -1 for q, a in answers.items()}
qid = st.selectbox(
    "Open a question to read its rows and their evidence",
    list(specs),
    key="gaps_question",
    index=next((i for i, q in enumerate(specs) if specs[q].finding and counts[q] > 0), 0),
    format_func=lambda q: f"{specs[q].section} — {specs[q].title} ({counts[q] if counts[q] >= 0 else 'error'})",
)
spec, rows = specs[qid], answers[qid]
st.subheader(spec.title)
st.markdown(f"*{ui.md(spec.question)}*")
st.caption(spec.finds)
if isinstance(rows, str):
    st.error(f"This question could not be answered: {rows}")
elif not rows:
    st.success("No rows: nothing in the recorded case answers this question.")
else:
    ui.table(rows, ctx.pz, [c for c in spec.columns if c in rows[0]], key=f"gaps_{qid}")
    st.markdown("**Each row with the review's own words:**")
    for i, row in enumerate(ctx.pz.rows(rows[:ROW_LIMIT])):
        with st.expander(ui.md(row_label(row, list(spec.columns)))):
            ui.evidence(rows[i].get("evidence") or [], ctx.case_id, ctx.pz)
    if len(rows) > ROW_LIMIT:
        st.caption(
            f"The first {ROW_LIMIT} of {len(rows)} rows open to their evidence; the table above and the "
            "exported report have them all."
        )
