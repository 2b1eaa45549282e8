"""The network's findings overlay: one edge per finding of ``findings.engine.run_findings``, so the
Network page draws exactly the findings the Gaps page lists and the report prints."""

from __future__ import annotations

import networkx as nx

from findings.model import Finding
from findings.report import THEME_TITLES

AS_LINKS = ("Flow", "Referral")  # the network draws these as sender → recipient links, not nodes


def _drawn(g: nx.MultiDiGraph, node: str | None) -> bool:
    return node is not None and node in g and g.nodes[node].get("label") not in AS_LINKS


def _ends(f: Finding, g: nx.MultiDiGraph) -> tuple[str, str] | None:
    """Two drawn ends: its subjects where two are nodes; else its subject and the first meeting,
    flow end or contact it occurred at; else its subject and the child."""
    drawn = [n for n in (*f.subjects, *(o.record for o in f.occurrences), *f.children) if _drawn(g, n)]
    nodes = list(dict.fromkeys(drawn))
    return (nodes[0], nodes[1]) if len(nodes) >= 2 else None


def finding_links(findings: list[Finding], g: nx.MultiDiGraph) -> list[dict]:
    """Overlay links in the shape ``views.graph_view.build_view`` draws (``ViewFilter.gaps``)."""
    links = []
    for f in findings:
        if ends := _ends(f, g):
            links.append(
                {
                    "from": ends[0],
                    "to": ends[1],
                    "gaps": [THEME_TITLES[f.theme]],
                    "lines": [f"{f.statement} ({len(f.occurrences)} occurrence(s); {f.id})"],
                    "evidence": list(f.evidence),
                    "theme": f.theme,
                    "finding": f.id,
                }
            )
    return links
