"""The findings report: Markdown, HTML, CSV and JSON from the same ``Report`` objects.

It reads like a review's findings section: a summary table of findings by theme and child
(recorded vs inferred); each theme with its findings in rank order (statement, occurrences,
evidence with the cited paragraphs' text, counter-evidence shown as "but see …"); then the
questions the record leaves open; then the review's learning points, each beside the findings about the
agencies it names (``findings.learning``). A reviewer's marks (``findings.marks``), when given, sit beside their
finding in every format (one line, ``Mark.line``), and marks whose finding no longer exists close the
report as *orphaned marks*. HTML is escaped throughout, Markdown escapes HTML and pipes,
and CSV cells go through the project's one formula guard (``queries.report.safe_cell``).
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import date

from findings.engine import Report
from findings.learning import findings_by_point
from findings.marks import Mark, orphaned
from findings.model import THEMES, Finding, Question
from queries.report import safe_cell

FORMATS = ("md", "csv", "json", "html")
EvidenceText = Callable[[str], str | None]
Marks = dict[str, Mark]
THEME_TITLES = {
    "information_sharing": "Information sharing",
    "not_in_room": "Who was not in the room",
    "decision_making": "Decision making: thresholds, drift and closures",
    "escalation": "Professional challenge and escalation",
    "offender_contact": "Contact with offenders and persons of concern",  # concerns too, not only offenders
}
# "see also": praise of the subject nearby that is not counter-evidence (findings.counter.nearby)
CONTEXT = "another aspect, or the party's practice as a whole: context, not a downgrade"
# What "recorded" means, beside the summary table: the review records it, hedges and all (findings/certainty.py).
BASIS_NOTE = (
    "*Recorded*: the review records it, in its own words; where the review hedges (“no evidence that”, “may”, "
    "“not always”, a concern it reports), so does the finding. *Inferred*: a pattern in the graph, made only "
    "where the review's record is complete. Every finding cites the paragraphs that ground it."
)
LEARNING_TITLE = "The review's learning and the findings about the agencies it names"
LEARNING_NOTE = (
    "Each learning point beside the findings about an agency it names (or its teams, units and staff) that rest on "
    "the paragraphs it comes from, for the children it is about. The review does not say which failing a point "
    "answers: this is where to look, not proof."
)
LEARNING_LINE = "The review's learning for these agencies"  # beside a finding, in every format and on the Gaps page
NONE_BESIDE = "none of the engine's findings is about an agency it names and rests on its paragraphs"
CSV_COLUMNS = (
    "kind",
    "id",
    "theme",
    "rule",
    "basis",
    "tags",
    "children",
    "subjects",
    "statement",
    "occurrences",
    "date_from",
    "date_to",
    "evidence",
    "counter_evidence",
    "context",
    "learning",
    "rank",
    "mark",
)


def as_dict(item: Finding | Question) -> dict[str, object]:
    """Every field of the model, plus the id, for JSON and the app."""
    out = asdict(item)
    out = {"id": item.id, **out}
    if isinstance(item, Finding):
        out["downgraded"] = item.downgraded
    return json.loads(json.dumps(out, default=str))


def _orphans(report: Report, marks: Marks | None) -> list[Mark]:
    children = {str(c["child"]) for c in report.children}
    return orphaned(marks, [*report.findings, *report.questions], children) if marks else []


def _mark(item: Finding | Question, marks: Marks | None) -> str:
    mark = (marks or {}).get(item.id)
    return mark.line if mark else ""


def to_json(report: Report, marks: Marks | None = None) -> str:
    doc = {
        "case": report.case_id,
        "generated": date.today().isoformat(),
        "backend": report.backend,
        "children": report.children,
        "counts": _count_rows(report),
        "findings": [as_dict(f) | {"mark": _mark(f, marks)} for f in report.findings],
        "questions": [as_dict(q) | {"mark": _mark(q, marks)} for q in report.questions],
        "learning": _learning_rows(report),
        "orphaned_marks": [asdict(m) for m in _orphans(report, marks)],
    }
    return json.dumps(doc, indent=2, default=str, ensure_ascii=False)


def _learning_rows(report: Report) -> list[dict[str, object]]:
    """The learning points with the ids of the findings beside them (findings carry the points too)."""
    by_point = findings_by_point(report.findings, report.learning)
    return [
        {**asdict(p), "children": sorted(p.children), "findings": [f.id for f in by_point[p.id]]}
        for p in report.learning
    ]


def _count_rows(report: Report) -> list[dict[str, object]]:
    return [{"theme": t, "basis": b, "child": c, "findings": n} for (t, b, c), n in sorted(report.counts().items())]


def _when(date_text: str) -> str:
    """An occurrence's date as shown: a forward-looking learning point the review does not date says so, rather
    than an empty "()" a reader takes for a slip (audit 6, problem 1)."""
    return date_text or "the review gives no date"


def to_csv(report: Report, marks: Marks | None = None) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for item in [*report.findings, *report.questions]:
        row = {"kind": "finding" if isinstance(item, Finding) else "question", **as_dict(item)}
        row["occurrences"] = [f"{o['what']} ({_when(o['date_text'])})" for o in item_occurrences(row)]
        dates = [o.date_from for o in item.occurrences if o.date_from]
        row["date_from"] = min(dates).isoformat() if dates else ""
        row["date_to"] = max((o.date_to or o.date_from for o in item.occurrences if o.date_from), default="")
        row["mark"] = _mark(item, marks)
        writer.writerow([safe_cell(row.get(c, "")) for c in CSV_COLUMNS])
    for m in _orphans(report, marks):
        row = {"kind": "orphaned mark", "id": m.finding, "statement": m.statement, "mark": m.line}
        writer.writerow([safe_cell(row.get(c, "")) for c in CSV_COLUMNS])
    return buf.getvalue()


def item_occurrences(row: dict[str, object]) -> list[dict[str, object]]:
    return list(row.get("occurrences") or [])  # type: ignore[arg-type]


def _md(value: object) -> str:
    """One Markdown line: pipes and HTML escaped (renderers pass raw HTML through)."""
    text = "; ".join(map(str, value)) if isinstance(value, list | tuple) else str(value or "")
    return html.escape(text.replace("|", "\\|").replace("\r", " ").replace("\n", " "), quote=False)


def _summary(report: Report) -> tuple[list[str], list[list[str]]]:
    """Rows theme × child with recorded / inferred counts, and a total row."""
    counts = report.counts()
    children = [str(c["child"]) for c in report.children]
    header = ["theme", *[f"Child {c}: recorded / inferred" for c in children]]
    rows = [
        [
            THEME_TITLES[t],
            *[f"{counts.get((t, 'recorded', c), 0)} / {counts.get((t, 'inferred', c), 0)}" for c in children],
        ]
        for t in THEMES
    ]
    return header, rows


def _finding_lines(item: Finding | Question, evidence_text: EvidenceText | None, marks: Marks | None) -> list[str]:
    tags = f" · tags: {_md(', '.join(item.tags))}" if item.tags else ""
    basis = f" · {item.basis}" if isinstance(item, Finding) else ""
    lines = [
        f"#### {_md(item.statement)}",
        "",
        f"`{item.id}`{basis}{tags} · children: {_md(', '.join(item.children))}",
        "",
    ]
    if _mark(item, marks):
        lines += [f"**Mark:** {_md(_mark(item, marks))}", ""]
    lines += [f"- {_md(o.what)} ({_md(_when(o.date_text))}) — {_md(', '.join(o.refs))}" for o in item.occurrences]
    lines.append("")
    if isinstance(item, Finding) and item.counter_evidence:
        lines += [
            f"**But see {_md(', '.join(item.counter_evidence))}** (the review praises, mitigates or records "
            "the opposite for this subject and time).",
            "",
        ]
    if isinstance(item, Finding) and item.context:
        lines += [
            f"See also {_md(', '.join(item.context))} (the review's praise of this subject nearby, {CONTEXT}).",
            "",
        ]
    if isinstance(item, Finding) and item.learning:
        lines += [f"{LEARNING_LINE}: {_md(', '.join(item.learning))}.", ""]
    for ref in item.evidence:
        text = evidence_text(ref) if evidence_text else None
        lines.append(f"> **{_md(ref)}** {_md(text[:600] + ('…' if len(text) > 600 else '')) if text else ''}")
    lines.append("")
    return lines


def _learning_lines(report: Report) -> list[str]:
    if not report.learning:
        return []
    by_point = findings_by_point(report.findings, report.learning)
    lines = [f"## {LEARNING_TITLE} ({len(report.learning)})", "", LEARNING_NOTE, ""]
    for p in report.learning:
        found = ", ".join(f"`{f.id}`" for f in by_point[p.id]) or NONE_BESIDE
        lines.append(f"- **{_md(p.id)}** {_md(p.name)} ({_md(', '.join(p.evidence))}): {found}")
    return lines + [""]


def _orphan_lines(report: Report, marks: Marks | None) -> list[str]:
    found = _orphans(report, marks)
    if not found:
        return []
    lines = [f"## Orphaned marks ({len(found)})", "", "Marks whose finding this run no longer returns:", ""]
    return lines + [f"- `{m.finding}` {_md(m.statement)} — **{_md(m.line)}**" for m in found] + [""]


def to_markdown(report: Report, evidence_text: EvidenceText | None = None, marks: Marks | None = None) -> str:
    names = ", ".join(f"{_md(c['name'])} (`{c['child']}`)" for c in report.children)
    lines = [
        f"# Joined-Up findings — case `{_md(report.case_id)}`",
        "",
        f"Generated {date.today().isoformat()} from the `{report.backend}` store. Children: {names}. "
        f"{len(report.findings)} findings, {len(report.questions)} questions.",
        "",
        BASIS_NOTE,
        "",
    ]
    header, rows = _summary(report)
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows] + [""]
    for theme, items in report.by_theme().items():
        lines += [f"## {THEME_TITLES[theme]} ({len(items)})", ""]
        for f in items:
            lines += _finding_lines(f, evidence_text, marks)
        if not items:
            lines += ["No findings.", ""]
    lines += [f"## Questions the record leaves open ({len(report.questions)})", ""]
    for q in report.questions:
        lines += _finding_lines(q, evidence_text, marks)
    return "\n".join(lines + _learning_lines(report) + _orphan_lines(report, marks))


def _html_item(item: Finding | Question, evidence_text: EvidenceText | None, marks: Marks | None) -> str:
    e = html.escape
    down = isinstance(item, Finding) and item.downgraded
    parts = [
        f"<section class='{'down' if down else 'item'}' id='{e(item.id)}'><h4>{e(item.statement)}</h4>",
        f"<p class='meta'>{e(item.id)} · {e(getattr(item, 'basis', 'question'))} · {e(', '.join(item.tags))} · "
        f"children: {e(', '.join(item.children))}</p><ul>",
    ]
    if _mark(item, marks):
        parts.insert(2, f"<p class='mark'><b>Mark:</b> {e(_mark(item, marks))}</p>")
    parts += [f"<li>{e(o.what)} ({e(_when(o.date_text))}) — {e(', '.join(o.refs))}</li>" for o in item.occurrences]
    parts.append("</ul>")
    if down:
        parts.append(f"<p><b>But see {e(', '.join(item.counter_evidence))}</b></p>")
    if isinstance(item, Finding) and item.context:
        parts.append(f"<p>See also {e(', '.join(item.context))} ({e(CONTEXT)})</p>")
    if isinstance(item, Finding) and item.learning:
        parts.append(f"<p>{e(LEARNING_LINE)}: {e(', '.join(item.learning))}</p>")
    parts.append("<dl>")
    for ref in item.evidence:
        text = evidence_text(ref) if evidence_text else None
        parts.append(f"<dt>{e(ref)}</dt><dd>{e(text or '')}</dd>")
    parts.append("</dl></section>")
    return "".join(parts)


def to_html(report: Report, evidence_text: EvidenceText | None = None, marks: Marks | None = None) -> str:
    e = html.escape
    header, rows = _summary(report)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Joined-Up findings — {e(report.case_id)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em}.meta{color:#555}"
        ".down{opacity:.75;border-left:4px solid #c90;padding-left:.5em}dd{color:#333;font-size:.9em}"
        "</style></head><body>",
        f"<h1>Joined-Up findings — case {e(report.case_id)}</h1>",
        f"<p>Generated {date.today().isoformat()} from the {e(report.backend)} store. {len(report.findings)} "
        f"findings, {len(report.questions)} questions.</p><p>{e(BASIS_NOTE.replace('*', ''))}</p><table><tr>"
        + "".join(f"<th>{e(h)}</th>" for h in header)
        + "</tr>",
    ]
    parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows]
    parts.append("</table>")
    for theme, items in report.by_theme().items():
        parts.append(f"<h2>{e(THEME_TITLES[theme])} ({len(items)})</h2>")
        parts += [_html_item(f, evidence_text, marks) for f in items] or ["<p>No findings.</p>"]
    parts.append(f"<h2>Questions the record leaves open ({len(report.questions)})</h2>")
    parts += [_html_item(q, evidence_text, marks) for q in report.questions]
    parts += _learning_html(report)
    found = _orphans(report, marks)
    if found:
        parts.append(f"<h2>Orphaned marks ({len(found)})</h2><ul>")
        parts += [f"<li><code>{e(m.finding)}</code> {e(m.statement)} — <b>{e(m.line)}</b></li>" for m in found]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _learning_html(report: Report) -> list[str]:
    if not report.learning:
        return []
    e = html.escape
    by_point = findings_by_point(report.findings, report.learning)
    parts = [f"<h2>{e(LEARNING_TITLE)} ({len(report.learning)})</h2><p>{e(LEARNING_NOTE)}</p><ul>"]
    for p in report.learning:
        found = ", ".join(f"<a href='#{e(f.id)}'>{e(f.id)}</a>" for f in by_point[p.id]) or e(NONE_BESIDE)
        parts.append(f"<li><b>{e(p.id)}</b> {e(p.name)} ({e(', '.join(p.evidence))}): {found}</li>")
    return [*parts, "</ul>"]


def render(report: Report, fmt: str, evidence_text: EvidenceText | None = None, marks: Marks | None = None) -> str:
    """The report in ``fmt``; ``marks`` (finding id → Mark) are shown beside their findings."""
    if fmt == "json":
        return to_json(report, marks)
    if fmt == "csv":
        return to_csv(report, marks)
    if fmt == "html":
        return to_html(report, evidence_text, marks)
    return to_markdown(report, evidence_text, marks)
