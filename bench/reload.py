"""The re-load rows of ``bench/run.py``: one review added to a big store, then re-loaded (issue 17).

A re-load writes only what the files change (``graph/diff.py``), so two re-loads are timed: the same
files (nothing to write: the cost is reading the stored case) and files with one record renamed and
one added (a typical correction). Each is the median of ``RUNS``; the edited re-load alternates
between the edited and the original files, so each run has the same two changes to write.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable

from graph.backend import Backend
from graph.load import load_case
from graph.records import NodeRow, ValidatedCase

RUNS = 3
TARGET = (1.0, 1.0)  # seconds, embedded and Neo4j (issue 17: re-load of one review in a big store ≤ 1 s)


def edited(case: ValidatedCase) -> ValidatedCase:
    """The case with its first node renamed and one node added: a correction a reviewer might load."""
    first, *rest = case.nodes
    renamed = NodeRow(first.label, {**first.props, "name": f"{first.props.get('name')} (corrected)"})
    added = NodeRow(first.label, {**renamed.props, "id": f"{first.props['id']}-bench-added"})
    return dataclasses.replace(case, nodes=[renamed, *rest, added], warnings=list(case.warnings))


def seconds_of(load: Callable[[], object]) -> float:
    start = time.perf_counter()
    load()
    return time.perf_counter() - start


def time_reload(
    put: Callable[..., None],
    backend: Backend,
    case: ValidatedCase,
    label: str,
    log: Callable[[str], None],
    phase_done: Callable[[str], None],
) -> None:
    """Add ``case`` to the big store, then re-load it unchanged and edited; ``put(measure, backend, cell,
    number, target)`` records a row of the bench's table, ``phase_done(phase)`` the peak memory of the
    add, then of the re-loads."""
    log(f"adding and re-loading {case.case_id} in the big store")
    seconds = seconds_of(lambda: load_case(backend, case))
    put(f"{label}: add the {case.case_id} case to the big store (s)", backend.name, f"{seconds:,.2f}", seconds)
    phase_done("add")
    same = [seconds_of(lambda: load_case(backend, case, replace=True)) for _ in range(RUNS)]
    median = statistics.median(same)
    cell = f"{median:,.2f} (median of {RUNS})"
    put(f"{label}: re-load the {case.case_id} case unchanged in the big store (s)", backend.name, cell, median, TARGET)
    versions = [edited(case), case] * RUNS
    changed = [seconds_of(lambda v=v: load_case(backend, v, replace=True)) for v in versions]
    median = statistics.median(changed)
    cell = f"{median:,.2f} (median of {len(changed)})"
    measure = f"{label}: re-load the {case.case_id} case with 1 record renamed and 1 added (or back) (s)"
    put(measure, backend.name, cell, median, TARGET)
    phase_done("re-load")
