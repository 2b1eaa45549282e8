"""Shared fixtures: the curated case, the embedded store, and a real Neo4j when one is configured.

Unit tests need no server. Integration tests take the ``neo4j`` fixture; with REQUIRE_NEO4J=1
(as in CI) a missing or unreachable server fails them instead of skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedBackend
from graph.load import load_case
from graph.records import EdgeRow, NodeRow
from loaders.validate import ValidatedCase, validate_path

ROOT = Path(__file__).resolve().parent.parent
QS_CASE = ROOT / "data" / "cases" / "child-q-s"
MINI_CASE = ROOT / "tests" / "fixtures" / "mini-case"
REQUIRE_NEO4J = os.environ.get("REQUIRE_NEO4J") == "1"
# Each embedded store's page cache defaults to most of the machine's memory and keeps what it
# touched; a suite that opens hundreds of stores then grows past the machine (measured: killed at
# 21 GB on 24). Tests hold small cases, so each store gets a bounded cache (issue 17's setting).
# Not less than 2 GB: an in-memory store keeps all its data in that cache, and the engine gives every
# table it fills whole column chunks, so Child Q & S alone holds ~1.1 GB and its 37 queries ~0.5 GB
# more (measured; at 512 MB the queries ran out of memory in CI).
os.environ.setdefault("JOINED_UP_BUFFER_POOL_MB", "2048")


def renamed_rows(
    case: ValidatedCase, case_id: str, node_id: Callable[[str], str], prefix: str
) -> tuple[list[NodeRow], list[EdgeRow]]:
    """A case's rows as another case's: ``case_id``, each node's id through ``node_id`` (its edges' ends
    too), each edge's id prefixed, so the copy can share a store with the case it was made from."""
    nodes = [NodeRow(n.label, {**n.props, "id": node_id(str(n.props["id"])), "case_id": case_id}) for n in case.nodes]
    edges = [
        EdgeRow(
            e.type,
            node_id(e.src),
            e.src_label,
            node_id(e.dst),
            e.dst_label,
            {**e.props, "id": prefix + str(e.props["id"]), "case_id": case_id},
        )
        for e in case.edges
    ]
    return nodes, edges


@pytest.fixture(scope="session")
def qs_case() -> ValidatedCase:
    return validate_path(QS_CASE)


@pytest.fixture(scope="session")
def mini_case() -> ValidatedCase:
    return validate_path(MINI_CASE)


@pytest.fixture(scope="session")
def embedded_qs(qs_case: ValidatedCase) -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(":memory:")
    load_case(backend, qs_case)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def mini_store(mini_case: ValidatedCase) -> Iterator[EmbeddedBackend]:
    """The mini case in an embedded store, shared by one module's read-only tests."""
    backend = EmbeddedBackend(":memory:")
    load_case(backend, mini_case)
    yield backend
    backend.close()


@pytest.fixture
def embedded() -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(":memory:")
    yield backend
    backend.close()


def _neo4j_unavailable(reason: str) -> None:
    if REQUIRE_NEO4J:
        pytest.fail(f"REQUIRE_NEO4J=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_server():
    """The Neo4j named by NEO4J_URI (started by scripts/neo4j-local in scripts/test)."""
    if not os.environ.get("NEO4J_URI"):
        _neo4j_unavailable('NEO4J_URI is not set (run scripts/neo4j-local start; eval "$(scripts/neo4j-local env)")')
    from graph.backend import BackendError
    from graph.neo4j_backend import Neo4jBackend

    backend = Neo4jBackend.from_environment()
    try:
        backend.verify()
    except BackendError as exc:
        _neo4j_unavailable(str(exc))
    yield backend
    backend.close()


def wipe(backend) -> None:
    backend.write([("MATCH (n) DETACH DELETE n", {})])


_QS_LOADED = {"loaded": False}


@pytest.fixture
def neo4j(neo4j_server):
    """An empty Neo4j for one test (the next neo4j_qs user reloads the case)."""
    _QS_LOADED["loaded"] = False
    wipe(neo4j_server)
    yield neo4j_server


@pytest.fixture
def neo4j_qs(neo4j_server, qs_case):
    """Neo4j holding the Child Q & S case; tests using it must not write. Loaded once, and again
    only after a test emptied the store, so test modules can run in any order."""
    if not _QS_LOADED["loaded"]:
        wipe(neo4j_server)
        load_case(neo4j_server, qs_case)
        _QS_LOADED["loaded"] = True
    return neo4j_server


SERVER_FIXTURES = {"neo4j", "neo4j_server", "neo4j_qs"}


def pytest_itemcollected(item: pytest.Item) -> None:
    """With two workers (scripts/test runs ``-n 2 --dist loadgroup``), every test that talks to the one
    Neo4j server (which some stop and start again) or drives a browser runs in one worker, in turn;
    the rest run beside them in the other. Marked as each test is collected: pytest-xdist reads the
    groups in its own ``pytest_collection_modifyitems``, before a conftest's."""
    if (
        item.get_closest_marker("browser")
        or item.get_closest_marker("neo4j")
        or SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))
    ):
        item.add_marker(pytest.mark.xdist_group("servers"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skipped Neo4j test is a failure, however it came to be skipped."""
    if not REQUIRE_NEO4J:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    neo_skips = [r for r in skipped if "neo4j" in getattr(r, "keywords", {})]
    if neo_skips:
        reporter.write_line(f"REQUIRE_NEO4J=1: {len(neo_skips)} Neo4j test(s) were skipped", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
