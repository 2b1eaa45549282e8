"""Putting a validated case into a store: all or nothing, batched, idempotent.

A first load only creates (``Creation`` steps: the embedded engine bulk-copies them, a table per
transaction under a marker, and Neo4j stages them and switches them in one transaction; both remove a
load that failed part-way); loading a case that is already present writes only its differences
(``graph/diff.py``: new records, changed columns, removed records), all in one transaction, so the
store ends exactly as the files say and an unchanged re-load writes nothing. Every write and delete
is bounded by the case (records are keyed by case and id), so a load never touches another case;
and a case already present is replaced only when the caller asks (``replace=True``), never by accident.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graph import statements as st
from graph.backend import Backend, BackendError, Step
from graph.diff import CaseDiff, creations, plan_reload, reload_steps
from graph.records import ValidatedCase
from graph.schema import load_schema

DEFAULT_BATCH = 5_000


@dataclass
class LoadReport:
    case_id: str
    nodes: int
    relationships: int
    seconds: float
    mode: str

    diff: CaseDiff | None = None  # what a replace changed; None for a first load

    @property
    def rate(self) -> float:
        return self.relationships / self.seconds if self.seconds else 0.0

    def text(self, store: str) -> str:
        """What changed (a replace) and what was loaded, how fast: the line a loader reads after a load."""
        loaded = (
            f"loaded case '{self.case_id}' into {store} ({self.mode}): {self.nodes:,} nodes, "
            f"{self.relationships:,} relationships in {self.seconds:.2f} s ({self.rate:,.0f} relationships/s)"
        )
        return loaded if self.diff is None else f"replacing case '{self.case_id}': {self.diff}\n{loaded}"


class CaseExistsError(BackendError):
    """The case is already loaded and the caller did not ask to replace it (one line, with the diff)."""


def case_present(backend: Backend, case_id: str) -> bool:
    schema = load_schema()
    return any(backend.read(st.node_count(n, True), {"case_id": case_id})[0]["n"] for n in schema.nodes.values())


def loaded_cases(backend: Backend) -> list[str]:
    """Every case id the store holds a record of."""
    found: set[str] = set()
    for ntype in load_schema().nodes.values():
        found.update(str(r["case_id"]) for r in backend.read(st.node_cases(ntype)))
    return sorted(found)


def case_diff(backend: Backend, case: ValidatedCase) -> CaseDiff:
    """What loading ``case`` would change in the store: ids per label and type, and changed records."""
    plan = plan_reload(backend, case)
    if plan is None:
        return CaseDiff(len(case.nodes), 0, len(case.edges), 0, 0, 0)
    return plan.diff


def _refusal(case: ValidatedCase, diff: CaseDiff, replace: bool) -> str | None:
    """Why loading ``case`` over the stored case of the same id must not go ahead, if it must not."""
    if case.derived_from is not None:
        return (
            f"case id '{case.case_id}' was derived from the file name {case.derived_from!r} and a case with "
            f"that id is loaded; name the case with --case (a new id, or '{case.case_id}' with --replace, "
            f"which would change {diff}); nothing was written"
        )
    if not replace:
        return (
            f"case '{case.case_id}' is already loaded; loading would change {diff}; "
            "load with --replace to replace it; nothing was written"
        )
    return None


def load_steps(case: ValidatedCase, batch_size: int = DEFAULT_BATCH) -> Iterator[Step]:
    """What a first load of ``case`` writes, in order: its nodes, then the edges between them."""
    return creations(case.nodes, case.edges, batch_size)


def load_case(
    backend: Backend,
    case: ValidatedCase,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int, int], None] | None = None,
    replace: bool = False,
) -> LoadReport:
    """Load ``case``, all or nothing; ``progress(done, total)`` is called per batch of rows.

    A case id already in the store is refused (``CaseExistsError``, saying what would change)
    unless ``replace``; one derived from a file name is refused even then, since nobody named it.
    """
    backend.ensure_schema()
    plan = plan_reload(backend, case)
    if plan is not None and (refusal := _refusal(case, plan.diff, replace)):
        raise CaseExistsError(refusal)
    steps = load_steps(case, batch_size) if plan is None else reload_steps(plan, batch_size)
    total = len(case.nodes) + len(case.edges) if plan is None else plan.rows()
    done = 0

    def step(n: int) -> None:
        nonlocal done
        if n and progress:
            done = min(total, done + n)
            progress(done, total)

    start = time.perf_counter()
    if plan is None or not plan.is_empty():
        backend.write(steps, progress=step)
    return LoadReport(
        case.case_id,
        len(case.nodes),
        len(case.edges),
        time.perf_counter() - start,
        "create" if plan is None else "replace",
        None if plan is None else plan.diff,
    )


def counts(backend: Backend, case_id: str | None = None) -> dict[str, dict[str, int]]:
    """Nodes per label and relationships per type, for one case or the whole store."""
    schema = load_schema()
    params = {"case_id": case_id} if case_id else {}
    nodes = {n.label: backend.read(st.node_count(n, bool(case_id)), params)[0]["n"] for n in schema.nodes.values()}
    edges: dict[str, int] = {}
    for e in schema.edges.values():
        edges[e.type] = backend.read(st.edge_count(e, bool(case_id)), params)[0]["n"]
    return {"nodes": nodes, "relationships": edges}


def counts_report(result: dict[str, dict[str, int]], case_id: str | None, store: str, fmt: str = "text") -> str:
    """``counts`` as JSON (``fmt == "json"``), or as a reader scans them: per section, the largest
    first, with the section's total."""
    if fmt == "json":
        return json.dumps({"case": case_id, **result}, indent=2)
    lines = [f"case {case_id or '(all)'} on {store}"]
    for section in ("nodes", "relationships"):
        lines.append(f"\n{section} ({sum(result[section].values()):,})")
        for name, n in sorted(result[section].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {name:<20} {n:>8,}")
    return "\n".join(lines)


def delete_case(backend: Backend, case_id: str) -> None:
    """Remove one case in one transaction: the reload's own statements with no id kept."""
    backend.write(st.case_delete(load_schema(), [case_id]))
