"""Putting a validated case into a store: one transaction, batched, idempotent.

A first load only creates (``Creation`` steps: the embedded engine bulk-copies them, and its node
MERGE slows as tables grow); loading a case that is already present MERGEs its nodes, removes
what the new files no longer hold and re-creates its edges, all in the same transaction, so the
store ends exactly as the files say.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graph import statements as st
from graph.backend import Backend, Creation, Step
from graph.schema import load_schema
from loaders.validate import EdgeRow, ValidatedCase

DEFAULT_BATCH = 5_000


@dataclass
class LoadReport:
    case_id: str
    nodes: int
    relationships: int
    seconds: float
    mode: str

    @property
    def rate(self) -> float:
        return self.relationships / self.seconds if self.seconds else 0.0


def case_present(backend: Backend, case_id: str) -> bool:
    schema = load_schema()
    return any(backend.read(st.node_count(n, True), {"case_id": case_id})[0]["n"] for n in schema.nodes.values())


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
) -> LoadReport:
    """Load ``case`` in one transaction; ``progress(done, total)`` is called per batch of rows."""
    backend.ensure_schema()
    replace = case_present(backend, case.case_id)
    total = len(case.nodes) + len(case.edges)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        if n and progress:
            done = min(total, done + n)
            progress(done, total)

    start = time.perf_counter()
    backend.write(load_steps(case, replace, batch_size), progress=step)
    return LoadReport(
        case.case_id, len(case.nodes), len(case.edges), time.perf_counter() - start, "replace" if replace else "create"
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


def delete_case(backend: Backend, case_id: str) -> None:
    """Remove one case in one transaction: the reload's own statements with no id kept."""
    schema = load_schema()
    backend.write(
        [(st.edge_delete_case(e), {"case_id": case_id}) for e in schema.edges.values()]
        + [(st.node_prune(n), {"case_id": case_id, "ids": []}) for n in schema.nodes.values()]
    )
