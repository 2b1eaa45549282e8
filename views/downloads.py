"""The files the Export page offers, as plain functions (testable without a browser).

Pseudonymised mode applies to every file: the report's rows and cited paragraphs, and the
graph's names and person ids, so a training pack made from the app never carries a name.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace

import networkx as nx

from findings.engine import Report
from findings.marks import Mark
from findings.model import Finding, Question
from findings.report import render
from graph.export import for_file_export
from views.pseudonym import Pseudonymiser

REPORT_FORMATS = {
    "md": ("Markdown", "text/markdown"),
    "html": ("HTML", "text/html"),
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
}
GRAPH_FORMATS = {"graphml": ("GraphML", "application/xml"), "gexf": ("GEXF", "application/xml")}


def pseudonymised(item: Finding | Question, pz: Pseudonymiser) -> Finding | Question:
    """A finding or question with every name in its words replaced (ids and refs kept, so its
    stable id and its evidence are the same as in the named report)."""
    return replace(
        item,
        statement=pz.text(item.statement),
        occurrences=[replace(o, what=pz.text(o.what)) for o in item.occurrences],
    )


def report_text(
    report: Report,
    fmt: str,
    evidence_text: Callable[[str], str | None],
    pz: Pseudonymiser,
    marks: dict[str, Mark] | None = None,
) -> str:
    """The report as a file, with the reviewer's marks beside their findings (notes pseudonymised too)."""
    shown = replace(
        report,
        children=pz.rows(report.children),
        findings=[pseudonymised(f, pz) for f in report.findings],
        questions=[pseudonymised(q, pz) for q in report.questions],
        learning=[replace(p, name=pz.text(p.name)) for p in report.learning],
    )

    def text(ref: str) -> str | None:
        found = evidence_text(ref)
        return pz.text(found) if found else found

    shown_marks = {
        k: replace(m, note=pz.text(m.note), statement=pz.text(m.statement)) for k, m in (marks or {}).items()
    }
    return render(shown, fmt, text, shown_marks)


def graph_bytes(g: nx.MultiDiGraph, fmt: str, pz: Pseudonymiser) -> bytes:
    safe = for_file_export(pz.graph(g))
    buf = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(safe, buf)
    else:
        nx.write_graphml(safe, buf)
    return buf.getvalue()
