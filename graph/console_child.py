"""A console query on an embedded store file, run in a child process that can be killed.

Inside one process the embedded engine cannot always be stopped: measured with ladybug 0.22,
``WITH 'xxxxxxxxxxxxxxxx' AS s`` followed by thirty ``WITH s + s AS s`` (each doubling one value)
or a list doubled the same way ran past the 10 s timeout and grew by gigabytes, since the
engine checks for interruption between chunks of rows and this is one row. A child process that
opens the file read-only (its own ``Database``, always current, beside the app's) is watched
from here: killed when it outlives the timeout or its memory passes the cap, and the app's store
is untouched either way. Started as ``python -m graph.console_child REQUEST ANSWER`` (pickles).
"""

from __future__ import annotations

import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.backend import BackendError, timed_out

ROOT = Path(__file__).resolve().parent.parent
STARTUP = 10.0  # seconds for the child to import and open the store (1-3 s measured), on top of the timeout
POLL = 0.05


def read_in_child(
    path: str, query: str, params: dict[str, object], timeout: float, max_rows: int, memory_mb: int
) -> list[dict[str, object]]:
    """Rows of a read run by ``EmbeddedBackend(path, read_only=True).read`` in a child process."""
    with tempfile.TemporaryDirectory(prefix="joined-up-console-") as tmp:
        request, answer, errors = (Path(tmp) / name for name in ("request.pickle", "answer.pickle", "stderr.txt"))
        request.write_bytes(pickle.dumps((path, query, params, timeout, max_rows)))
        with errors.open("wb") as stderr:
            child = subprocess.Popen(  # noqa: S603 - our own module, no shell, no user text in argv
                [sys.executable, "-m", "graph.console_child", str(request), str(answer)],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
            _watch(child, timeout, memory_mb)
        if not answer.exists():
            raise BackendError(f"the console's query process failed: {_last_line(errors, child.returncode)}")
        kind, value = pickle.loads(answer.read_bytes())  # noqa: S301 - written by our own child
    if kind == "error":
        raise BackendError(value)
    return value


def _watch(child: subprocess.Popen, timeout: float, memory_mb: int) -> None:
    deadline = time.monotonic() + timeout + STARTUP
    while child.poll() is None:
        if (used := _resident_mb(child.pid)) > memory_mb:
            _kill(child)
            raise BackendError(f"the query used more than {memory_mb:,} MB and was stopped; nothing was changed")
        if time.monotonic() > deadline:
            _kill(child)
            raise BackendError(timed_out(timeout))
        time.sleep(POLL if used else POLL / 5)


def _kill(child: subprocess.Popen) -> None:
    child.kill()
    child.wait()


def _resident_mb(pid: int) -> float:
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * resource.getpagesize() / 1024**2


def _last_line(errors: Path, returncode: int | None) -> str:
    lines = errors.read_text(errors="replace").strip().splitlines()
    return lines[-1] if lines else f"exit status {returncode}"


def _main(request: Path, answer: Path) -> None:
    from graph.embedded import EmbeddedBackend

    path, query, params, timeout, max_rows = pickle.loads(request.read_bytes())  # noqa: S301
    try:
        backend = EmbeddedBackend(path, read_only=True)
        try:
            result = ("rows", backend.read(query, params, timeout=timeout, max_rows=max_rows))
        finally:
            backend.close()
    except (BackendError, ValueError) as exc:
        result = ("error", str(exc))
    answer.write_bytes(pickle.dumps(result))


if __name__ == "__main__":
    _main(Path(sys.argv[1]), Path(sys.argv[2]))
