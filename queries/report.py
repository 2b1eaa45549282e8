"""The gaps report: every finding query, grouped by question, each row with its evidence.

Written for a review panel: the Markdown and HTML read as a paper (question in plain words,
then the rows, then the cited paragraphs' text); JSON and CSV are for other tools. Cells that
a spreadsheet would run as formulas are neutralised, and HTML is escaped throughout.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from graph.backend import Backend
from queries.library import QuerySpec, ref_sort_key, registry, run_query

FORMATS = ("md", "csv", "json", "html")
SILO_INTRO = (
    "Who exchanged information about the child with whom, from recorded flows, referrals, shared "
    "meetings and organisation (docs/analytics.md). Every row cites the paragraphs its ties come from."
)
# What makes a spreadsheet read a cell as a formula, also after leading spaces or line breaks.
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")
EvidenceText = Callable[[str], str | None]


@dataclass
class Report:
    case_id: str
    backend: str
    children: list[dict[str, object]]
    findings: list[dict[str, object]] = field(default_factory=list)
    silo: dict[str, object] = field(default_factory=dict)

    def by_query(self) -> dict[str, list[dict[str, object]]]:
        out: dict[str, list[dict[str, object]]] = {q: [] for q, s in registry().items() if s.finding}
        for f in self.findings:
            out[str(f["query"])].append(f)
        return out

    def cited_refs(self) -> list[str]:
        """Every paragraph the report shows as evidence, so each can be read at the end of it."""
        refs = {r for f in self.findings for r in f["evidence"]}
        refs.update(
            r for tables in self.silo_tables().values() for t in tables for row in t.rows for r in row["evidence"]
        )
        return sorted(refs, key=ref_sort_key)

    def silo_tables(self) -> dict[str, list[SiloTable]]:
        return {child: silo_tables(summary) for child, summary in self.silo.items()}


@dataclass
class SiloTable:
    """One silo measure as rows, shared by the Markdown and HTML writers so both show (and cite)
    the same thing; every row carries its ``evidence``, the last column."""

    title: str
    note: str
    columns: list[str]
    rows: list[dict[str, object]]


def _party_label(party: dict[str, object]) -> str:
    return f"{party.get('name') or party.get('id')} ({party.get('id')})"


def _share_row(measure: str, share: dict[str, object], what: str) -> dict[str, object]:
    value = "unknown" if share.get("share") is None else f"{float(share['share']):.0%}"
    detail = (
        f"{share.get('crossing', 0)} of {share.get('known', 0)} flows whose {what} are recorded "
        f"({share.get('unknown', 0)} not recorded)"
    )
    if share.get("crossing_flows"):
        detail += ": " + ", ".join(map(str, share["crossing_flows"]))
    return {"measure": measure, "value": value, "detail": detail, "evidence": list(share.get("evidence") or [])}


def silo_tables(summary: dict[str, object]) -> list[SiloTable]:
    """The report's silo section for one child (``graph.analytics.silo_summary``) as tables.

    Parties appear as "name (id)": ids alone mean nothing to a panel, names alone can repeat.
    """
    names: dict[str, str] = {}
    for comp in summary.get("components") or []:
        for m in comp.get("members") or []:
            names[str(m["id"])] = _party_label(m)

    def named(ids: list[object]) -> list[str]:
        return [names.get(str(i), str(i)) for i in ids]

    tables = []
    overview = []
    if density := summary.get("density"):
        kinds = ", ".join(f"{n} {k}" for k, n in (density.get("ties_by_kind") or {}).items())
        overview.append(
            {
                "measure": "density",
                "value": density.get("value"),
                "detail": f"{density.get('parties')} parties, {density.get('ties')} ties ({kinds})",
                "evidence": list(density.get("evidence") or []),
            }
        )
    if share := summary.get("cross_sector"):
        overview.append(_share_row("flows crossing a sector line", share, "sectors"))
    if share := summary.get("cross_boundary"):
        overview.append(_share_row("flows crossing an area boundary", share, "areas"))
    if overview:
        tables.append(
            SiloTable(
                "Network",
                "Ties present out of all possible pairs of parties, and the share of "
                "recorded flows that crossed a sector line or an area boundary.",
                ["measure", "value", "detail", "evidence"],
                overview,
            )
        )
    tables.append(
        SiloTable(
            "Separate groups (silos)",
            "Groups of parties with no tie between them; the largest first.",
            ["group", "size", "members", "sectors", "areas", "evidence"],
            [
                {
                    "group": i,
                    "size": c.get("size"),
                    "members": [_party_label(m) for m in c.get("members") or []],
                    "sectors": c.get("sectors"),
                    "areas": c.get("areas"),
                    "evidence": list(c.get("evidence") or []),
                }
                for i, c in enumerate(summary.get("components") or [], start=1)
            ],
        )
    )
    tables.append(
        SiloTable(
            "Brokers",
            "The parties most often on the shortest route between others.",
            ["party", "sector", "areas", "betweenness", "degree", "evidence"],
            [
                {
                    "party": _party_label(b),
                    "sector": b.get("sector"),
                    "areas": b.get("areas"),
                    "betweenness": b.get("betweenness"),
                    "degree": b.get("degree"),
                    "evidence": list(b.get("evidence") or []),
                }
                for b in summary.get("brokers") or []
            ],
        )
    )
    tables.append(
        SiloTable(
            "Single points of failure",
            "Parties whose loss would split their group, and who would be cut off.",
            ["party", "sector", "cuts off", "tie kinds", "evidence"],
            [
                {
                    "party": _party_label(p),
                    "sector": p.get("sector"),
                    "cuts off": named([i for piece in p.get("cuts_off") or [] for i in piece]),
                    "tie kinds": p.get("kinds"),
                    "evidence": list(p.get("evidence") or []),
                }
                for p in summary.get("articulation_points") or []
            ],
        )
    )
    tables.append(
        SiloTable(
            "Bridges",
            "Ties that are the only link between two sets of parties.",
            ["tie", "kinds", "strength", "cuts off", "evidence"],
            [
                {
                    "tie": f"{_party_label(b['a'])} — {_party_label(b['b'])}",
                    "kinds": b.get("kinds"),
                    "strength": b.get("strength"),
                    "cuts off": named(b.get("cuts_off") or []),
                    "evidence": list(b.get("evidence") or []),
                }
                for b in summary.get("bridges") or []
            ],
        )
    )
    return tables


def build_report(
    backend: Backend, case_id: str, child: str = "", silo: Callable[[Backend, str, str], dict] | None = None
) -> Report:
    """Run every finding query for the case's children (or one child)."""
    children = run_query(backend, "children", case_id)
    if child:
        children = [c for c in children if c["child"] == child]
    report = Report(case_id, backend.name, children)
    for spec in (s for s in registry().values() if s.finding):
        for c in children:
            for row in run_query(backend, spec.id, case_id, child=c["child"]):
                report.findings.append({"query": spec.id, **row})
    if silo is not None:
        report.silo = {str(c["child"]): silo(backend, case_id, str(c["child"])) for c in children}
    return report


def safe_cell(value: object) -> str:
    """Text for a spreadsheet cell that cannot run as a formula (CSV/XLSX injection): the one guard
    for every CSV the project writes. " =1+1" is a formula to some spreadsheet programs too."""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) or text.lstrip().startswith(_FORMULA) else text


def to_json(report: Report) -> str:
    doc = {
        "case": report.case_id,
        "generated": date.today().isoformat(),
        "backend": report.backend,
        "children": report.children,
        "queries": {
            q: {"title": s.title, "question": s.question, "audience": list(s.audience)}
            for q, s in registry().items()
            if s.finding
        },
        "findings": report.findings,
        "silo": report.silo,
    }
    return json.dumps(doc, indent=2, default=str, ensure_ascii=False)


def to_csv(report: Report) -> str:
    columns = ["query", "child"]
    for f in report.findings:
        for k in f:
            if k not in columns and k != "evidence":
                columns.append(k)
    columns.append("evidence")
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for f in report.findings:
        writer.writerow([safe_cell(f.get(c)) for c in columns])
    return buf.getvalue()


def _text(value: object) -> str:
    """A cell's plain text: lists joined, nothing escaped (each writer escapes for its format)."""
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    return "" if value is None else str(value)


def _md(value: object, limit: int | None = None) -> str:
    """A Markdown table cell or line: one line, pipes escaped, and HTML escaped (Markdown renderers
    pass raw HTML through, so a name such as <script> would run where the report is viewed)."""
    text = _text(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    text = text[: limit - 1] + "…" if limit and len(text) > limit else text
    return html.escape(text, quote=False)


def _columns(spec: QuerySpec) -> list[str]:
    return [c for c in spec.columns if c not in ("child",)]


def to_markdown(report: Report, evidence_text: EvidenceText | None = None) -> str:
    specs = registry()
    names = ", ".join(f"{_md(c['name'])} (`{c['child']}`)" for c in report.children)
    lines = [
        f"# Joined-Up gap report — case `{report.case_id or 'all'}`",
        "",
        f"Generated {date.today().isoformat()} from the `{report.backend}` store. Children: {names}.",
        "",
        "Each finding is derived from the recorded structure of the case (who was involved, invited, "
        "informed), not from conclusions written into the data. Every row cites the paragraphs that "
        "make it true; check them before relying on a finding.",
        "",
    ]
    grouped = report.by_query()
    lines += ["| question | findings |", "|---|---|"]
    lines += [f"| {specs[q].title} | {len(rows)} |" for q, rows in grouped.items()]
    lines.append("")
    section = None
    for qid, rows in grouped.items():
        spec = specs[qid]
        if spec.section != section:
            section = spec.section
            lines += [f"## {section}", ""]
        lines += [f"### {spec.title} ({len(rows)})", "", f"*{spec.question}*", "", spec.finds, ""]
        if not rows:
            lines += ["No findings.", ""]
            continue
        cols = ["child", *_columns(spec)]
        lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        # Long free-text cells are cut in the table; JSON, CSV and HTML keep them whole.
        lines += ["| " + " | ".join(_md(r.get(c), None if c == "evidence" else 90) for c in cols) + " |" for r in rows]
        lines.append("")
    if report.silo:
        lines += ["## Silo analytics", "", SILO_INTRO, ""]
        for child, tables in report.silo_tables().items():
            window = (report.silo[child].get("window") or {}).get("label", "whole case")
            lines += [f"### Child `{child}` — {_md(window)}", ""]
            for t in tables:
                lines += [f"#### {t.title} ({len(t.rows)})", "", t.note, ""]
                if not t.rows:
                    lines += ["None.", ""]
                    continue
                lines += ["| " + " | ".join(t.columns) + " |", "|" + "---|" * len(t.columns)]
                lines += ["| " + " | ".join(_md(r.get(c)) for c in t.columns) + " |" for r in t.rows]
                lines.append("")
    if evidence_text:
        lines += ["## Evidence cited", ""]
        for ref in report.cited_refs():
            text = evidence_text(ref)
            if text:
                lines += [f"- **{_md(ref)}** — {_md(text[:400])}{'…' if len(text) > 400 else ''}"]
        lines.append("")
    return "\n".join(lines)


def to_html(report: Report, evidence_text: EvidenceText | None = None) -> str:
    e = html.escape
    specs = registry()
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Joined-Up gap report — {e(report.case_id)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;width:100%;font-size:.9em;margin-bottom:1.5em}"
        "td,th{border:1px solid #ccc;padding:.3em;vertical-align:top;text-align:left}"
        "th{background:#f0f0f0}.q{color:#444;font-style:italic}</style></head><body>",
        f"<h1>Joined-Up gap report — case {e(report.case_id or 'all')}</h1>",
        f"<p>Generated {date.today().isoformat()} from the {e(report.backend)} store.</p>",
    ]
    for qid, rows in report.by_query().items():
        spec = specs[qid]
        cols = ["child", *_columns(spec)]
        parts += [
            f"<h2>{e(spec.title)} ({len(rows)})</h2>",
            f"<p class='q'>{e(spec.question)}</p>",
            f"<p>{e(spec.finds)}</p>",
        ]
        if not rows:
            parts.append("<p>No findings.</p>")
            continue
        parts.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr>")
        for r in rows:
            parts.append("<tr>" + "".join(f"<td>{e(_text(r.get(c)))}</td>" for c in cols) + "</tr>")
        parts.append("</table>")
    if report.silo:
        parts += ["<h2>Silo analytics</h2>", f"<p>{e(SILO_INTRO)}</p>"]
        for child, tables in report.silo_tables().items():
            window = (report.silo[child].get("window") or {}).get("label", "whole case")
            parts.append(f"<h3>Child {e(str(child))} — {e(str(window))}</h3>")
            for t in tables:
                parts += [f"<h4>{e(t.title)} ({len(t.rows)})</h4>", f"<p class='q'>{e(t.note)}</p>"]
                if not t.rows:
                    parts.append("<p>None.</p>")
                    continue
                parts.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in t.columns) + "</tr>")
                parts += [
                    "<tr>" + "".join(f"<td>{e(_text(r.get(c)))}</td>" for c in t.columns) + "</tr>" for r in t.rows
                ]
                parts.append("</table>")
    if evidence_text:
        parts.append("<h2>Evidence cited</h2><dl>")
        for ref in report.cited_refs():
            if text := evidence_text(ref):
                parts.append(f"<dt><b>{e(ref)}</b></dt><dd>{e(text)}</dd>")
        parts.append("</dl>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render(report: Report, fmt: str, evidence_text: EvidenceText | None = None) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "html":
        return to_html(report, evidence_text)
    return to_markdown(report, evidence_text)
