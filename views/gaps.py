"""Gaps: the findings engine's findings for this case or child, to triage, and the questions the
record leaves open. The list, its counts and the exports come from ``findings.engine.run_findings``
(through views/store.py), so this page, the CLI's ``gaps`` and every download agree."""

from __future__ import annotations

from datetime import date

import streamlit as st

from findings.learning import findings_by_point
from findings.model import THEMES
from findings.report import CONTEXT, LEARNING_LINE, LEARNING_NOTE, LEARNING_TITLE, NONE_BESIDE, THEME_TITLES
from views import marks as triage
from views import ui
from views.downloads import pseudonymised
from views.store import gap_report

ctx = ui.context()
st.title("Gaps")
st.caption(
    "Findings the review records (recorded) or that the graph shows where the record is complete "
    "(inferred), one per claim, ranked; then what the record leaves open. Select a finding to read "
    "exactly the paragraphs that ground it."
)
if not ctx.case_id:
    st.info("No case loaded yet.")
    st.stop()

report = gap_report(ctx.case_id, ctx.child)
findings = [pseudonymised(f, ctx.pz) for f in report.findings]
questions = [pseudonymised(q, ctx.pz) for q in report.questions]
points = {p.id: p for p in report.learning}
marks, reviewer = triage.case_marks(ctx.case_id), triage.reviewer()

c1, c2, c3, c4 = st.columns(4)
themes = c1.multiselect("Theme", THEMES, default=list(THEMES), key="gaps_theme", format_func=lambda t: THEME_TITLES[t])
bases = c2.multiselect("Basis", ["recorded", "inferred"], default=["recorded", "inferred"], key="gaps_basis")
all_tags = sorted({t for f in findings for t in f.tags})
tags = c3.multiselect("Tag", all_tags, key="gaps_tags")
parties = sorted({s for f in [*findings, *questions] for s in f.subjects})
agency = c4.selectbox("Agency or subject", ["(any)", *parties], key="gaps_agency")
dated = [o.date_from for f in [*findings, *questions] for o in f.occurrences if o.date_from]
window = (
    st.slider("Date window", min(dated), max(dated), (min(dated), max(dated)), format="MMM YYYY", key="gaps_window")
    if dated and min(dated) < max(dated)
    else None
)
search = st.text_input("Search (filters the list: every word must appear)", key="gaps_search").lower().split()
marked = triage.mark_filter(st)


def in_window(item) -> bool:
    if window is None:
        return True
    return any(
        (o.date_from or date.min) <= window[1] and (o.date_to or o.date_from or date.max) >= window[0]
        for o in item.occurrences
    ) or not any(o.date_from for o in item.occurrences)


def shown(item) -> bool:
    words = " ".join([item.statement, *item.tags, *item.subjects, *(o.what for o in item.occurrences)]).lower()
    return (
        item.theme in themes
        and getattr(item, "basis", "inferred") in bases
        and set(tags) <= set(item.tags)
        and (agency == "(any)" or agency in item.subjects)
        and in_window(item)
        and all(w in words for w in search)
        and triage.status_of(item, marks) in marked
    )


listed = [f for f in findings if shown(f)]
st.markdown(
    f"**{len(listed)} of {len(report.findings)} findings** (ranked: recorded first, then more "
    f"occurrences and later harm; a finding with counter-evidence is marked ⚖)"
)
rows = [
    {
        "statement": f.statement,
        "theme": THEME_TITLES[f.theme],
        "basis": f.basis,
        "tags": ", ".join(f.tags),
        "child": ", ".join(str(ctx.pz.value(c)) for c in f.children),
        "occurrences": len(f.occurrences),
        "⚖": "but see" if f.downgraded else "",
        "mark": triage.MARK_CHOICES[triage.status_of(f, marks)],
        "id": f.id,
    }
    for f in listed
]
picked = st.dataframe(
    rows,
    hide_index=True,
    key="gaps_list",
    on_select="rerun",
    selection_mode="single-row",
    column_config={"statement": st.column_config.TextColumn(width="large")},
)
selected = picked.selection.rows if picked and picked.selection else []


def details(item) -> None:
    """Occurrences, the text of exactly the paragraphs that ground it, and counter-evidence."""
    st.subheader(ui.md(item.statement))
    st.caption(
        f"{item.id} · {THEME_TITLES[item.theme]} · {getattr(item, 'basis', 'question')}"
        + (f" · {', '.join(item.tags)}" if item.tags else "")
    )
    st.markdown("**Occurrences**")
    for o in item.occurrences:
        st.markdown(f"- {ui.md(o.what)} ({ui.md(o.date_text or 'date not recorded')}) — {ui.md(', '.join(o.refs))}")
    st.markdown("**The review's words**")
    ui.evidence(item.evidence, ctx.case_id, ctx.pz)
    if getattr(item, "counter_evidence", None):
        st.warning("But see: the review praises, mitigates or records the opposite for this subject and time.")
        ui.evidence(item.counter_evidence, ctx.case_id, ctx.pz)
    if getattr(item, "context", None):
        st.info(f"See also: the review's praise of this subject nearby ({CONTEXT}).")
        ui.evidence(item.context, ctx.case_id, ctx.pz)
    if getattr(item, "learning", None):
        st.markdown(f"**{LEARNING_LINE}**")
        for point in (points[p] for p in item.learning):
            st.markdown(f"- **{point.id}** {ui.md(ctx.pz.text(point.name))} ({', '.join(point.evidence)})")
    triage.mark_control(ctx.case_id, item, marks, ctx.pz, reviewer)


chosen = triage.chosen(listed, selected)
if chosen:
    details(chosen)

st.header(f"Questions the record leaves open ({len(questions)})")
st.caption(
    "Not findings: the review does not record who was at these meetings, so absence cannot be "
    "concluded. These are what a reviewer would take to the panel."
)
for q in (q for q in questions if shown(q)):
    with st.expander(ui.md(q.statement)):
        details(q)

if report.learning:
    st.header(f"{LEARNING_TITLE} ({len(report.learning)})")
    st.caption(LEARNING_NOTE)
    by_point = findings_by_point(findings, report.learning)
    for point in report.learning:
        with st.expander(f"{point.id}: {ui.md(ctx.pz.text(point.name))} ({len(by_point[point.id])})"):
            st.caption(", ".join(point.evidence))
            for f in by_point[point.id]:
                st.markdown(f"- {ui.md(f.statement)} (`{f.id}`)")
            if not by_point[point.id]:
                st.markdown(NONE_BESIDE.capitalize() + ".")

triage.orphaned_list(report, marks, ctx.pz)
