"""Neo4j stopped or unreachable: a one-line error within seconds, worded for what was attempted.

No server is needed (so these run with the unit tests): the backend is pointed at a local port
that nothing listens on, which is exactly what a stopped ``scripts/neo4j-local`` leaves behind.
Per the project rule, no test asserts a wall-clock time: the settings that bound the wait are
asserted, and the real failures run under a generous pytest-timeout.
"""

from __future__ import annotations

import logging
import socket

import pytest
from neo4j.exceptions import AuthError, Forbidden, ForbiddenOnReadOnlyDatabase, ServiceUnavailable

from graph import neo4j_backend
from graph.access import ALLOW_WRITE_USER, require_read_only_user
from graph.backend import BackendError
from graph.neo4j_backend import DRIVER_SETTINGS, Neo4jBackend

# The driver's own defaults, which made a stopped server take 30-60 s to report.
DRIVER_DEFAULTS = {
    "connection_timeout": 30.0,
    "connection_acquisition_timeout": 60.0,
    "max_transaction_retry_time": 30.0,
}


def closed_port() -> int:
    """A local port nothing listens on: bound by the OS, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def stopped() -> Neo4jBackend:
    backend = Neo4jBackend(f"bolt://127.0.0.1:{closed_port()}", "neo4j", "unused")
    yield backend
    backend.close()


def test_the_driver_is_built_to_give_up_within_seconds(monkeypatch):
    seen: dict[str, object] = {}

    def fake_driver(uri, auth, **kwargs):
        seen.update(kwargs)
        return type("Driver", (), {"close": lambda self: None})()

    monkeypatch.setattr("graph.neo4j_backend.GraphDatabase.driver", fake_driver)
    Neo4jBackend("bolt://127.0.0.1:7687", "neo4j", "unused").close()
    for key, default in DRIVER_DEFAULTS.items():
        assert seen[key] == DRIVER_SETTINGS[key] < default / 4, key
    # the pool wait includes opening a connection, so it must outlast one connection attempt
    assert seen["connection_acquisition_timeout"] > seen["connection_timeout"]


def test_the_settings_reach_the_real_driver(stopped):
    """The names are the driver's own (a misspelt one would raise ConfigurationError at construction)."""
    assert (
        stopped._driver._default_workspace_config.max_transaction_retry_time
        == DRIVER_SETTINGS["max_transaction_retry_time"]
    )
    assert (
        stopped._driver._default_workspace_config.connection_acquisition_timeout
        == DRIVER_SETTINGS["connection_acquisition_timeout"]
    )


def _one_line_naming_the_fix(exc: BackendError, uri: str) -> str:
    message = str(exc)
    assert "\n" not in message
    assert uri in message and "NEO4J_URI" in message and "unreachable or stopped" in message
    assert "scripts/neo4j-local start" in message and "docs/neo4j.md" in message
    return message


@pytest.mark.timeout(60)
def test_a_read_against_a_stopped_server_says_the_query_failed(stopped):
    with pytest.raises(BackendError) as info:
        stopped.read("MATCH (n) RETURN count(n) AS n")
    message = _one_line_naming_the_fix(info.value, stopped.uri)
    assert message.endswith("the query failed") and "written" not in message


@pytest.mark.timeout(60)
def test_verify_against_a_stopped_server_is_one_line(stopped):
    with pytest.raises(BackendError) as info:
        stopped.verify()
    _one_line_naming_the_fix(info.value, stopped.uri)


@pytest.mark.timeout(60)
def test_a_write_against_a_stopped_server_says_nothing_was_written(stopped):
    with pytest.raises(BackendError) as info:
        stopped.write([("CREATE (n:JoinedUpProbe)", {})])
    assert _one_line_naming_the_fix(info.value, stopped.uri).endswith("nothing was written")


@pytest.mark.timeout(60)
def test_can_write_against_a_stopped_server_raises_instead_of_answering_no(stopped):
    with pytest.raises(BackendError) as info:
        stopped.can_write()
    _one_line_naming_the_fix(info.value, stopped.uri)


@pytest.mark.timeout(60)
def test_the_start_up_check_passes_the_stopped_server_line_through(stopped, monkeypatch):
    monkeypatch.delenv(ALLOW_WRITE_USER, raising=False)
    monkeypatch.setattr(stopped, "verify", lambda: None)  # as if the server stopped between the two calls
    with pytest.raises(BackendError) as info:
        require_read_only_user(stopped)
    _one_line_naming_the_fix(info.value, stopped.uri)


class _Probe:
    """A driver whose write probe ends with ``error``: stands in for a server's answer."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def session(self, **_: object):
        error = self.error

        class Session:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def begin_transaction(self):
                raise error

        return Session()

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    "refusal",
    [
        Forbidden("Create node with labels 'JoinedUpWriteProbe' is not allowed"),
        ForbiddenOnReadOnlyDatabase("database is read only"),
    ],
)
def test_can_write_is_false_only_when_the_server_refuses(stopped, refusal):
    stopped._driver.close()
    stopped._driver = _Probe(refusal)
    assert stopped.can_write() is False


@pytest.mark.parametrize(
    "failure", [ServiceUnavailable("Couldn't connect"), AuthError("unauthorized"), OSError("network is unreachable")]
)
def test_can_write_raises_when_it_could_not_ask(stopped, failure):
    stopped._driver.close()
    stopped._driver = _Probe(failure)
    with pytest.raises(BackendError):
        stopped.can_write()


def test_the_driver_logger_never_debugs_even_when_the_root_logger_does(caplog):
    """At DEBUG the driver logs each query's parameters (names, dates of birth): never let it."""
    caplog.set_level(logging.DEBUG)
    assert logging.getLogger().isEnabledFor(logging.DEBUG)
    for name in ("neo4j", "neo4j.io", "neo4j.pool", "neo4j.session"):
        assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
    assert logging.getLogger("neo4j").level == neo4j_backend.DRIVER_LOG_LEVEL
