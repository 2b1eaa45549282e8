"""What-if on a copy of the child's neighbourhood: remove parties or add links, and report who would have known what.

Nothing is re-implemented: the neighbourhood is copied into an in-memory store, the change is written
there, and the registered knowledge-horizon queries and the silo measures run before and after.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import networkx as nx

from findings.silo.changes import case_from_graph, change_statements
from findings.silo.measures import analyse_network, headline, tie_changes
from findings.silo.network import WHOLE_CASE, NewEdge, Window, flow_network, iso_or_none, merged_refs
from graph.backend import Backend
from graph.embedded import EmbeddedBackend
from graph.export import to_networkx
from graph.load import load_case
from queries.library import run_query


def _horizon(backend: Backend, case_id: str, child: str, by: date | None) -> tuple[dict, dict]:
    meetings = {(r["meeting"], r["item"]): r for r in run_query(backend, "meeting_horizon", case_id, child=child)}
    known: dict[str, dict[str, dict]] = {}
    params = {"by": by.isoformat()} if by else {}
    for r in run_query(backend, "knowledge_horizon", case_id, child=child, **params):
        best = known.setdefault(r["item"], {})
        if r["party"] not in best or r["steps"] < best[r["party"]]["steps"]:
            best[r["party"]] = r
    return meetings, known


def _meeting_changes(before: dict, after: dict) -> list[dict[str, object]]:
    out = []
    for key in sorted(before.keys() | after.keys()):
        b, a = before.get(key), after.get(key)
        was, now = (b["reached"] if b else None), (a["reached"] if a else None)
        if was != now:
            ref = a or b
            out.append(
                {
                    "meeting": key[0],
                    "meeting_name": ref["meeting_name"],
                    "meeting_date": ref["meeting_date"],
                    "item": key[1],
                    "item_name": ref["item_name"],
                    "reached_before": was,
                    "reached_after": now,
                    "evidence": merged_refs(b and b["evidence"], a and a["evidence"]),
                }
            )
    return out


def _knowledge_changes(before: dict, after: dict, removed: set[str]) -> list[dict[str, object]]:
    out = []
    for item in sorted(before.keys() | after.keys()):
        b, a = before.get(item, {}), after.get(item, {})
        lost = sorted(set(b) - set(a) - removed)
        gained = sorted(set(a) - set(b))
        if lost or gained:
            ref = next(iter((a or b).values()))
            out.append(
                {
                    "item": item,
                    "item_name": ref["item_name"],
                    "lost": [{"party": p, "party_name": b[p]["party_name"], "steps": b[p]["steps"]} for p in lost],
                    "gained": [{"party": p, "party_name": a[p]["party_name"], "steps": a[p]["steps"]} for p in gained],
                    "evidence": merged_refs(*(b[p]["evidence"] for p in lost), *(a[p]["evidence"] for p in gained)),
                }
            )
    return out


def _regrouping(before: list[dict], after: list[dict], removed: set[str]) -> dict[str, list[dict[str, object]]]:
    """Groups that split (a before-component now in several pieces) or joined (the reverse)."""

    def ids(c: dict) -> frozenset[str]:
        return frozenset(m["id"] for m in c["members"])

    pre, post = [ids(c) for c in before], [ids(c) for c in after]
    split = []
    for i, c in enumerate(pre):
        pieces = [j for j, d in enumerate(post) if d & c]
        if len(pieces) > 1:
            split.append(
                {
                    "was": sorted(c),
                    "removed": sorted(c & removed),
                    "now": [
                        {"members": sorted(post[j]), "areas": after[j]["areas"], "sectors": after[j]["sectors"]}
                        for j in pieces
                    ],
                    "evidence": before[i]["evidence"],
                }
            )
    joined = []
    for j, d in enumerate(post):
        parts = [i for i, c in enumerate(pre) if c & d]
        if len(parts) > 1:
            joined.append({"now": sorted(d), "were": [sorted(pre[i]) for i in parts], "evidence": after[j]["evidence"]})
    return {"split": split, "joined": joined}


def what_if(
    g: nx.MultiDiGraph, child: str, remove: Iterable[str] = (), add: Iterable[NewEdge] = (), window: Window = WHOLE_CASE
) -> dict[str, object]:
    """Remove parties and/or add links on a copy of the case; report what changes, as plain
    JSON-ready data. ``what_if_with_network`` also returns the flow network after the change."""
    return what_if_with_network(g, child, remove, add, window)[0]


def what_if_with_network(
    g: nx.MultiDiGraph, child: str, remove: Iterable[str] = (), add: Iterable[NewEdge] = (), window: Window = WHOLE_CASE
) -> tuple[dict[str, object], nx.Graph]:
    """``what_if``'s report and the changed flow network it was measured on.

    The network comes back so that a caller drawing "after" uses the very copy the numbers came
    from, instead of loading and changing a second copy (the app did, doubling the work).

    ``g`` is the child's neighbourhood (``child_graph`` with ``also=named_records(remove, add)``) or
    the whole case: the answers are the same. The copy is a fresh in-memory store loaded from it
    (``case_from_graph``); the change is written there. Network measures are recomputed from the
    copy's own export before and after, and who-knew-what comes from the registered
    ``meeting_horizon`` and ``knowledge_horizon`` queries run on the copy before and after — the
    same questions the gap report asks.
    """
    remove, add = sorted(set(remove)), list(add)
    statements = change_statements(g, remove, add)
    case = case_from_graph(g)
    copy = EmbeddedBackend(":memory:")
    try:
        load_case(copy, case)
        before = flow_network(to_networkx(copy, case.case_id), child, window)
        meetings_before, known_before = _horizon(copy, case.case_id, child, window.end)
        copy.write(statements)
        after = flow_network(to_networkx(copy, case.case_id), child, window)
        meetings_after, known_after = _horizon(copy, case.case_id, child, window.end)
    finally:
        copy.close()
    before_result, after_result = analyse_network(before), analyse_network(after)
    ties_lost, ties_gained = tie_changes(before, after)
    result = {
        "child": child,
        "window": window.as_dict(),
        "change": {
            "removed": [{"id": n, "name": g.nodes[n].get("name"), "label": g.nodes[n]["label"]} for n in remove],
            "added": [
                {
                    "type": e.type,
                    "from": e.src,
                    "to": e.dst,
                    "props": {k: iso_or_none(v) if isinstance(v, date) else v for k, v in e.props.items()},
                }
                for e in add
            ],
        },
        "before": headline(before_result),
        "after": headline(after_result),
        **_regrouping(before_result["components"], after_result["components"], set(remove)),
        "ties_lost": ties_lost,
        "ties_gained": ties_gained,
        "meetings": _meeting_changes(meetings_before, meetings_after),
        "knowledge": _knowledge_changes(known_before, known_after, set(remove)),
    }
    return result, after
