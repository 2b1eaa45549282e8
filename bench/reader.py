"""A reader's time and memory: the one-child questions and the caseload view in a fresh process that opens
the embedded store read-only, as the app and every reading command do (issue 17's 2 GB bound).

The benchmark's own process loaded the case and keeps what the load took (the engine's and the allocator's
memory are not given back), so its peaks cannot say what a reader needs. This module runs as its own
process (``python -m bench.reader STORE CASE CHILD…``), with the store's default page cache unless
``JOINED_UP_BUFFER_POOL_MB`` is set, and prints one JSON object: per query the seconds for each child
(the first child is a warm-up and not reported), and the process's peak resident memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.embedded import EmbeddedBackend  # noqa: E402
from queries.library import registry, run_query  # noqa: E402


def child_questions() -> list[str]:
    """The registry queries asked of one child (the caseload view's two among them)."""
    return [qid for qid, spec in registry().items() if "child" in spec.parameters]


def measure(store: Path, case_id: str, children: list[str]) -> dict[str, object]:
    """Run this module on ``store`` in a new process; its JSON answer (``seconds`` per query, ``peak_mb``)."""
    env = {k: v for k, v in os.environ.items() if k != "JOINED_UP_BUFFER_POOL_MB"}  # the reader's default
    done = subprocess.run(
        [sys.executable, "-m", "bench.reader", str(store), case_id, *children],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"the read-only reader failed: {last}")
    return json.loads(done.stdout)


def peak_mb() -> float:
    """This process's peak resident memory: Linux ``VmHWM`` (its own address space). Not ``ru_maxrss``,
    which a process started by fork and exec inherits from the parent it was forked from."""
    status = Path("/proc/self/status")
    if not status.exists():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def main(argv: list[str]) -> int:
    store, case_id, children = Path(argv[0]), argv[1], argv[2:]
    backend = EmbeddedBackend(store, read_only=True)
    seconds: dict[str, list[float]] = {}
    try:
        for qid in child_questions():
            times = []
            for child in children:
                start = time.perf_counter()
                run_query(backend, qid, case_id, child=child)
                times.append(time.perf_counter() - start)
            seconds[qid] = times[1:] or times
        run_query(backend, "caseload_persons", case_id)
    finally:
        backend.close()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
