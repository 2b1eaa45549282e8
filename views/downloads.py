"""The files the Export page offers, as plain functions (testable without a browser).

Pseudonymised mode applies to every file: the report's rows and cited paragraphs, and the
graph's names and person ids, so a training pack made from the app never carries a name.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace

import networkx as nx

from graph.export import for_file_export
from queries.report import Report, render
from views.pseudonym import Pseudonymiser

REPORT_FORMATS = {
    "md": ("Markdown", "text/markdown"),
    "html": ("HTML", "text/html"),
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
}
GRAPH_FORMATS = {"graphml": ("GraphML", "application/xml"), "gexf": ("GEXF", "application/xml")}


def report_text(report: Report, fmt: str, evidence_text: Callable[[str], str | None], pz: Pseudonymiser) -> str:
    shown = replace(
        report,
        children=pz.rows(report.children),
        findings=pz.rows(report.findings),
        silo={str(pz.value(c)): pz.data(v) for c, v in report.silo.items()},
    )

    def text(ref: str) -> str | None:
        found = evidence_text(ref)
        return pz.text(found) if found else found

    return render(shown, fmt, text)


def graph_bytes(g: nx.MultiDiGraph, fmt: str, pz: Pseudonymiser) -> bytes:
    safe = for_file_export(pz.graph(g))
    buf = io.BytesIO()
    if fmt == "gexf":
        nx.write_gexf(safe, buf)
    else:
        nx.write_graphml(safe, buf)
    return buf.getvalue()
