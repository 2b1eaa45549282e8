"""Putting a validated case into a store: one transaction, batched, idempotent.

A first load only creates (``Creation`` steps: the embedded engine bulk-copies them, and its node
MERGE slows as tables grow); loading a case that is already present MERGEs its nodes, removes
what the new files no longer hold and re-creates its edges, all in the same transaction, so the
store ends exactly as the files say. Every write and delete is bounded by the case (records are
keyed by case and id), so a load never touches another case; and a case already present is
replaced only when the caller asks (``replace=True``), never by accident.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graph import statements as st
from graph.backend import Backend, BackendError, Creation, Step
from graph.records import EdgeRow, ValidatedCase
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


@dataclass(frozen=True)
class CaseDiff:
    """What loading a case over the stored one changes, by record id per label and type."""

    nodes_added: int
    nodes_removed: int
    relationships_added: int
    relationships_removed: int
    nodes_kept: int
    relationships_kept: int

    def __str__(self) -> str:
        return (
            f"+{self.nodes_added}/−{self.nodes_removed} nodes, +{self.relationships_added}/"
            f"−{self.relationships_removed} relationships ({self.nodes_kept} nodes and "
            f"{self.relationships_kept} relationships kept, with the files' properties)"
        )


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
    """Compare the validated case with what the store holds of it: ids per label and per type."""
    schema = load_schema()
    params = {"case_id": case.case_id}
    stored_nodes = {(n.label, r["id"]) for n in schema.nodes.values() for r in backend.read(st.node_ids(n), params)}
    stored_edges = {(e.type, r["id"]) for e in schema.edges.values() for r in backend.read(st.edge_ids(e), params)}
    new_nodes = {(n.label, n.props["id"]) for n in case.nodes}
    new_edges = {(e.type, e.props["id"]) for e in case.edges}
    return CaseDiff(
        len(new_nodes - stored_nodes),
        len(stored_nodes - new_nodes),
        len(new_edges - stored_edges),
        len(stored_edges - new_edges),
        len(new_nodes & stored_nodes),
        len(new_edges & stored_edges),
    )


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


def load_steps(case: ValidatedCase, replace: bool, batch_size: int = DEFAULT_BATCH) -> Iterator[Step]:
    """What loading ``case`` writes, in order: nodes before the edges between them."""
    schema = load_schema()
    by_label: dict[str, list[dict]] = defaultdict(list)
    for n in case.nodes:
        by_label[n.label].append(n.props)
    by_edge: dict[tuple[str, str, str], list[EdgeRow]] = defaultdict(list)
    for e in case.edges:
        by_edge[(e.type, e.src_label, e.dst_label)].append(e)
    if replace:
        for etype in schema.edges.values():
            yield st.edge_delete_case(etype), {"case_id": case.case_id}
        for label, rows in by_label.items():
            yield from st.write_batches(schema.nodes[label], rows, batch_size, "MERGE")
        for ntype in schema.nodes.values():
            ids = [r["id"] for r in by_label.get(ntype.label, [])]
            yield st.node_prune(ntype), {"case_id": case.case_id, "ids": ids}
    else:
        for label, rows in by_label.items():
            yield Creation(schema.nodes[label], rows, batch=batch_size)
    for (etype, src, dst), rows in by_edge.items():
        yield Creation(
            schema.edges[etype], [e.props for e in rows], (src, dst), [(e.src, e.dst) for e in rows], batch_size
        )


def load_case(
    backend: Backend,
    case: ValidatedCase,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int, int], None] | None = None,
    replace: bool = False,
) -> LoadReport:
    """Load ``case`` in one transaction; ``progress(done, total)`` is called per batch of rows.

    A case id already in the store is refused (``CaseExistsError``, saying what would change)
    unless ``replace``; one derived from a file name is refused even then, since nobody named it.
    """
    backend.ensure_schema()
    diff = case_diff(backend, case) if case_present(backend, case.case_id) else None
    if diff is not None and (refusal := _refusal(case, diff, replace)):
        raise CaseExistsError(refusal)
    total = len(case.nodes) + len(case.edges)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        if n and progress:
            done = min(total, done + n)
            progress(done, total)

    start = time.perf_counter()
    backend.write(load_steps(case, diff is not None, batch_size), progress=step)
    return LoadReport(
        case.case_id,
        len(case.nodes),
        len(case.edges),
        time.perf_counter() - start,
        "replace" if diff is not None else "create",
        diff,
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
    schema = load_schema()
    backend.write(
        [(st.edge_delete_case(e), {"case_id": case_id}) for e in schema.edges.values()]
        + [(st.node_prune(n), {"case_id": case_id, "ids": []}) for n in schema.nodes.values()]
    )
