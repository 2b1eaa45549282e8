"""A caseload: children linked by persons of concern or places within one case, as rows and as text;
and the caseload summary (children × themes, the engine's findings counted: ``findings.sweep``).

The three answers come from registered queries (``caseload_persons``, ``linked_children``,
``child_network``); this module gathers them and words them for the command line, so cli.py only
parses arguments and the same answers can be written as JSON or as tables.
"""

from __future__ import annotations

import json

from findings.sweep import SUMMARY_COLUMNS, Summary
from graph.backend import Backend
from loaders.safety import printable
from queries.library import run_query

PERSON_COLUMNS = ["person", "children", "first_contact", "last_contact", "evidence"]
LINK_COLUMNS = ["child_a", "child_b", "link", "via", "contacts", "evidence"]
NETWORK_COLUMNS = ["step", "kind", "id", "via", "date", "evidence"]


def caseload_answers(
    backend: Backend, case_id: str, child: str | None, top: int
) -> dict[str, list[dict[str, object]]] | None:
    """The caseload view's three answers from the store, or None when the child is not in the case."""
    answers = {"persons": run_query(backend, "caseload_persons", case_id)[:top]}
    if child:
        answers["linked_children"] = run_query(backend, "linked_children", case_id, child=child)
        answers["network"] = run_query(backend, "child_network", case_id, child=child)
        if not answers["network"] and child not in {r["child"] for r in run_query(backend, "children", case_id)}:
            return None
    return answers


def _table(title: str, rows: list[dict[str, object]], columns: list[str], header: bool = False) -> list[str]:
    """A titled table, one printable line a row, list cells joined with commas (evidence included);
    ``header``: the column names first."""
    lines = [f"\n{title} ({len(rows):,})"] + (["  " + " | ".join(columns)] if header else [])
    for r in rows:
        cells = [", ".join(map(str, v)) if isinstance(v, list) else str(v) for v in (r[c] for c in columns)]
        lines.append("  " + " | ".join(printable(c) for c in cells))
    return lines


def caseload_report(
    answers: dict[str, list[dict[str, object]]], case_id: str, child: str | None, top: int, fmt: str
) -> str:
    """The answers as JSON (``fmt == "json"``) or as the tables a reader scans, with their evidence."""
    if fmt == "json":
        return json.dumps({"case": case_id, "child": child, **answers}, indent=2, default=str)
    lines = [f"caseload of case {printable(case_id)}"]
    lines += _table(f"persons of concern linked to most children (top {top})", answers["persons"], PERSON_COLUMNS)
    if child:
        shown = printable(child)
        lines += _table(f"children linked to {shown} by a person or a place", answers["linked_children"], LINK_COLUMNS)
        lines += _table(f"two-step network of {shown}", answers["network"], NETWORK_COLUMNS)
    return "\n".join(lines)


def summary_report(summary: Summary, kept: bool, fmt: str) -> str:
    """The caseload summary, most findings first: JSON (``fmt == "json"``) or the table a team lead scans."""
    rows = summary.rows()
    if fmt == "json":
        doc = {"case": summary.case_id, "computed": summary.computed, "engine_seconds": summary.engine_seconds}
        # no indent: json's C encoder writes 20,000 rows in a fraction of a second, its indenting one in seconds
        return json.dumps({**doc, "kept": kept, "columns": SUMMARY_COLUMNS, "children": rows})
    how = "kept from" if kept else "computed"
    lines = [
        f"caseload summary of case {printable(summary.case_id)}: findings per child and theme "
        f"({len(rows):,} children; {how} {summary.computed}, the engine took {summary.engine_seconds:.1f} s)"
    ]
    lines += _table("children, most findings first", rows, SUMMARY_COLUMNS, header=True)
    return "\n".join(lines)
