"""A reader's time and memory: the one-child questions and the caseload view, then every question about
every child, then the caseload sweep, in a fresh process that opens the embedded store read-only, as the app
and every reading command (``cli.py caseload --summary`` among them) do (issue 17's 2 GB bound).

The benchmark's own process validated and loaded the case, and still holds the engine's memory from the
load (0.6 GB resident at 20,000 children once the validated case is given back), so its peaks cannot say
what a reader needs. This module runs as its own process (``python -m bench.reader STORE CASE SUMMARIES
CHILD…``), with the store's default page cache unless ``JOINED_UP_BUFFER_POOL_MB`` is set, and prints one
JSON object: per query the seconds for each child (the first child is a warm-up and not reported), the
sweep's seconds and children and the kept summary's read time (median of three), and the peak resident
memory of each of the three phases.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from findings.sweep import caseload_summary  # noqa: E402
from graph.embedded import EmbeddedBackend  # noqa: E402
from queries.library import registry, run_query  # noqa: E402


def child_questions() -> list[str]:
    """The registry queries asked of one child (the caseload view's two among them)."""
    return [qid for qid, spec in registry().items() if "child" in spec.parameters]


def measure(store: Path, case_id: str, summaries: Path, children: list[str]) -> dict[str, object]:
    """Run this module on ``store`` in a new process, keeping the caseload summary in ``summaries``; its JSON
    answer (``main``)."""
    return run_apart("bench.reader", [str(store), case_id, str(summaries), *children], "the read-only reader")


def run_apart(module: str, args: list[str], what: str) -> dict:
    """``python -m module args`` in a new process with the store's default page cache; its JSON answer, or
    RuntimeError with the last line it wrote to stderr."""
    env = {k: v for k, v in os.environ.items() if k != "JOINED_UP_BUFFER_POOL_MB"}  # the store's default
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"{what} failed: {last}")
    return json.loads(done.stdout)


def peak_mb() -> float:
    """This process's peak resident memory: Linux ``VmHWM`` (its own address space). Not ``ru_maxrss``,
    which a process started by fork and exec inherits from the parent it was forked from."""
    status = Path("/proc/self/status")
    if not status.exists():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def reset_peak() -> None:
    """Start a new phase's peak: writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0)."""
    clear = Path("/proc/self/clear_refs")
    if clear.exists():
        clear.write_text("5")


def one_child(backend: EmbeddedBackend, case_id: str, children: list[str]) -> dict[str, list[float]]:
    """Seconds of each one-child question for each child but the first (a warm-up), and caseload persons."""
    seconds = {}
    for qid in child_questions():
        times = []
        for child in children:
            start = time.perf_counter()
            run_query(backend, qid, case_id, child=child)
            times.append(time.perf_counter() - start)
        seconds[qid] = times[1:] or times
    run_query(backend, "caseload_persons", case_id)
    return seconds


def sweep(backend: EmbeddedBackend, case_id: str, summaries: Path) -> dict[str, float]:
    """The caseload sweep once (the findings engine over every child, counted and kept), then the kept
    summary read back three times (median)."""
    start = time.perf_counter()
    summary, _ = caseload_summary(backend, case_id, summaries, recompute=True)
    seconds = time.perf_counter() - start
    reads = []
    for _ in range(3):
        start = time.perf_counter()
        caseload_summary(backend, case_id, summaries)[0].rows()
        reads.append(time.perf_counter() - start)
    return {"seconds": seconds, "children": len(summary.counts), "read_seconds": statistics.median(reads)}


def main(argv: list[str]) -> int:
    store, case_id, summaries, children = Path(argv[0]), argv[1], Path(argv[2]), argv[3:]
    backend = EmbeddedBackend(store, read_only=True)
    try:
        seconds = one_child(backend, case_id, children)
        peaks = {"one child": peak_mb()}
        reset_peak()
        for qid in registry():
            run_query(backend, qid, case_id)
        peaks["every query, all children"] = peak_mb()
        reset_peak()
        swept = sweep(backend, case_id, summaries)
        peaks["caseload sweep"] = peak_mb()
    finally:
        backend.close()
    print(json.dumps({"seconds": seconds, "sweep": swept, "peaks_mb": peaks}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
