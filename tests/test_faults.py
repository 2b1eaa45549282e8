"""Neo4j stopped in the middle of a load and of a query: one clear line, no half-loaded case, and the
same Backend object works again once the server is back, with no restart of the app.

These tests stop and start the project's own server (scripts/neo4j-local), so they run only
against it. The session's other Neo4j fixtures are unaffected: the data lives on disk, the driver
reconnects by itself, and every test here ends with the server running, even when it fails.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from graph.backend import BackendError
from graph.load import counts, delete_case, load_case, load_steps
from graph.neo4j_backend import Neo4jBackend
from graph.records import ValidatedCase
from tests.conftest import ROOT, renamed_rows

pytestmark = pytest.mark.neo4j

SCRIPT = ROOT / "scripts" / "neo4j-local"
BIG_CASE = "fault-big"
SMALL_CASE = "fault-small"
# Relationships in the big case: five batches, so the stop lands between them (the load is held open a
# quarter of the way through, whatever its size; a bigger case only made CI slower).
BIG_EDGES = 10_000
SLOW_QUERY = "UNWIND range(1, 5000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"
SURVIVED: list[str] = []


def neo4j_local(command: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), command], capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def local_server(neo4j_server: Neo4jBackend) -> Iterator[Neo4jBackend]:
    """The session's backend, provided the server behind it is the one scripts/neo4j-local runs."""
    port_file = ROOT / ".neo4j" / "neo4j.port"
    ours = (
        neo4j_local("status").returncode == 0
        and port_file.exists()
        and str(urlparse(os.environ["NEO4J_URI"]).port or 7687) == port_file.read_text().strip()
    )
    if not ours:
        pytest.skip("NEO4J_URI is not the server scripts/neo4j-local runs; only that one may be stopped")
    yield neo4j_server
    neo4j_local("start")
    print(f"\nfaults survived: {len(SURVIVED)} ({', '.join(SURVIVED)})")


def big_case(mini_case: ValidatedCase, copies: int | None = None, case_id: str = BIG_CASE) -> ValidatedCase:
    """The mini case copied under new ids until it has about BIG_EDGES relationships (the copies follow
    the mini case's size, which grows with the model)."""
    case = ValidatedCase(case_id, "Fault test", "fault-doc", None)
    for k in range(copies or BIG_EDGES // len(mini_case.edges)):
        prefix = f"fb{k}-"
        nodes, edges = renamed_rows(mini_case, case_id, lambda node, p=prefix: p + node, prefix)
        case.nodes += nodes
        case.edges += edges
    return case


def _one_clear_line(exc: BaseException | None) -> str:
    assert isinstance(exc, BackendError), f"expected BackendError, got {exc!r}"
    message = str(exc)
    assert "\n" not in message and "unreachable or stopped" in message and "scripts/neo4j-local start" in message
    return message


def test_stopping_neo4j_mid_load_leaves_no_partial_case(local_server, mini_case):
    backend = local_server
    case = big_case(mini_case)
    assert BIG_EDGES - len(mini_case.edges) < len(case.edges) <= BIG_EDGES
    before = counts(backend)
    midway, resume = threading.Event(), threading.Event()
    outcome: dict[str, BaseException | None] = {}

    def progress(done: int, total: int) -> None:
        # Hold the transaction open a quarter of the way through, so the stop lands mid-load.
        if done >= total // 4 and not midway.is_set():
            midway.set()
            resume.wait(timeout=300)

    def run() -> None:
        try:
            load_case(backend, case, batch_size=2_000, progress=progress)
            outcome["error"] = None
        except BaseException as exc:  # the thread reports whatever happened
            outcome["error"] = exc

    loader = threading.Thread(target=run, daemon=True)
    loader.start()
    try:
        assert midway.wait(timeout=300), "the load never got a quarter of the way"
        stopped = neo4j_local("stop")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        resume.set()
        loader.join(timeout=300)
        assert not loader.is_alive()
        print(f"\nmid-load stop: {_one_clear_line(outcome.get('error'))}")
    finally:
        resume.set()
        started = neo4j_local("start")
        assert started.returncode == 0, started.stdout + started.stderr
    _write_first_after_restart(backend, mini_case)
    assert counts(backend) == before, "a partial case was left in the store"
    assert counts(backend, BIG_CASE) == {k: dict.fromkeys(v, 0) for k, v in before.items()}
    SURVIVED.append("stop mid-load")
    try:
        t0 = time.perf_counter()
        report = load_case(backend, case, batch_size=2_000)
        print(f"reload after restart: {report.relationships:,} relationships in {time.perf_counter() - t0:.1f} s")
        loaded = counts(backend, BIG_CASE)
        assert (sum(loaded["nodes"].values()), sum(loaded["relationships"].values())) == (
            len(case.nodes),
            len(case.edges),
        )
    finally:
        delete_case(backend, BIG_CASE)
    assert counts(backend) == before


def _running(backend: Neo4jBackend, text: str) -> bool:
    with backend._driver.session(database=backend.database) as session:
        return any(
            text in (r["currentQuery"] or "")
            for r in session.run("SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery")
        )


def test_stopping_neo4j_mid_query_then_the_same_backend_recovers(local_server):
    backend = local_server
    driver = backend._driver
    outcome: dict[str, BaseException | None] = {}

    def run() -> None:
        try:
            backend.read(SLOW_QUERY)
            outcome["error"] = None
        except BaseException as exc:  # the thread reports whatever happened
            outcome["error"] = exc

    query = threading.Thread(target=run, daemon=True)
    query.start()
    try:
        deadline = time.monotonic() + 60
        while not _running(backend, "range(1, 5000000000)"):
            assert time.monotonic() < deadline and query.is_alive(), f"the query never ran: {outcome}"
            time.sleep(0.2)
        stopped = neo4j_local("stop")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        t0 = time.perf_counter()
        query.join(timeout=300)
        assert not query.is_alive()
        print(
            f"\nmid-query stop, answered after {time.perf_counter() - t0:.0f} s: {_one_clear_line(outcome.get('error'))}"
        )
    finally:
        started = neo4j_local("start")
        assert started.returncode == 0, started.stdout + started.stderr
    assert backend.read("MATCH (n) RETURN count(n) >= 0 AS ok") == [{"ok": True}]
    assert backend._driver is driver, "recovered by making a new driver, not by reconnecting"
    SURVIVED.append("stop mid-query")


def _write_first_after_restart(backend: Neo4jBackend, mini_case: ValidatedCase) -> None:
    """The first thing after a restart may be a load, not a read: the pool's dead connections must not
    fail it (checked inside the mid-load test, so the suite stops and starts the server once for both)."""
    small = big_case(mini_case, copies=1, case_id=SMALL_CASE)
    try:
        backend.write(load_steps(small))  # a write first, with no read to refresh the pool
        assert sum(counts(backend, SMALL_CASE)["relationships"].values()) == len(mini_case.edges)
    finally:
        delete_case(backend, SMALL_CASE)
    SURVIVED.append("restart then write")
