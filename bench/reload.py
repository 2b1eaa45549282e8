"""The re-load rows of ``bench/run.py``: one review added to a big store, then re-loaded (issue 17).

A re-load writes only what the files change (``graph/diff.py``), so two re-loads are timed: the same
files (nothing to write: the cost is reading the stored case) and files with one record renamed and
one added (a typical correction). Each is the median of ``RUNS``; the edited re-load alternates
between the edited and the original files, so each run has the same two changes to write.

On the embedded store these run in a process of their own (``python -m bench.reload STORE CASE_FOLDER
LABEL``, printing the rows and each phase's peak memory as JSON), as ``cli.py load`` adds a review to a
store: the benchmark's own process has validated, loaded and queried the big case by then, and its peaks
include that, so they cannot say what adding a review needs.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.reader import peak_mb, reset_peak, run_apart  # noqa: E402
from graph.backend import Backend  # noqa: E402
from graph.load import load_case  # noqa: E402
from graph.records import NodeRow, ValidatedCase  # noqa: E402

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


def measure(store: Path, case_folder: Path, label: str) -> dict[str, list]:
    """Run ``time_reload`` on the embedded ``store`` (closed by the caller) in a new process, with the store's
    default page cache; its rows (``put``'s arguments) and its phases' peak memory."""
    return run_apart("bench.reload", [str(store), str(case_folder), label], "the re-load process")


def main(argv: list[str]) -> int:
    from graph.embedded import EmbeddedBackend
    from loaders.validate import validate_path

    store, case_folder, label = Path(argv[0]), Path(argv[1]), argv[2]
    case = validate_path(case_folder)
    rows: list[list] = []
    peaks: list[list] = []
    backend = EmbeddedBackend(store)
    try:
        reset_peak()
        time_reload(
            lambda *row: rows.append(list(row)),
            backend,
            case,
            label,
            lambda message: print(message, file=sys.stderr, flush=True),
            lambda phase: (peaks.append([phase, peak_mb()]), reset_peak()),
        )
    finally:
        backend.close()
    print(json.dumps({"rows": rows, "peaks_mb": peaks}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
