"""Neo4j through the official driver: a single server, a cluster or Aura.

Settings come only from the environment (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,
NEO4J_DATABASE), so no secret ever sits in the repository. Reads run in READ transactions
(the server itself refuses writes there) after the same checks the embedded store applies.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from itertools import chain, islice

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConnectionAcquisitionTimeoutError,
    DatabaseUnavailable,
    Forbidden,
    ForbiddenOnReadOnlyDatabase,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph import statements as st
from graph.backend import BackendError, Creation, Progress, Statement, Step, rows_in, self_contained, timed_out
from graph.cypher import assert_read_only, check_parameters
from graph.neo4j_staging import check_created, kind_name, staged_write, staging_ddl
from graph.schema import Schema, load_schema

# The driver's defaults (30 s connect, 60 s pool wait, 30 s of retries with back-off) made a query
# against a stopped server hang 30-60 s before failing. A server that answers does so well within
# these; retries still cover a cluster's leader switch (a couple of seconds), not a dead server.
DRIVER_SETTINGS: dict[str, float] = {
    "connection_timeout": 5.0,  # TCP connect + TLS + Bolt handshake, per address
    "connection_acquisition_timeout": 10.0,  # waiting for the pool, including a new connection
    "max_transaction_retry_time": 2.0,  # retrying execute_query/managed transactions
}
# At DEBUG the driver logs every RUN message with its parameters (names, dates of birth, addresses
# of the children in a case). Pinning the driver's logger keeps that out of any log, even when an
# application or a test turns the root logger to DEBUG; its warnings (retries) still get through.
DRIVER_LOG_LEVEL = logging.WARNING
logging.getLogger("neo4j").setLevel(DRIVER_LOG_LEVEL)

# How a failure ends, by what was attempted: only a write can promise that nothing was written.
WRITE_OUTCOME = "nothing was written"
READ_OUTCOME = "the query failed"
UNREACHABLE = (ServiceUnavailable, SessionExpired, DatabaseUnavailable, ConnectionAcquisitionTimeoutError, OSError)
# A server's refusal to let this user write (a read-only role, Aura's read-only user, a database
# set read-only): the answer can_write exists to find, as opposed to a failure to ask.
WRITE_REFUSED = (Forbidden, ForbiddenOnReadOnlyDatabase)


def constraint_ddl(schema: Schema) -> list[str]:
    """Uniqueness of the generated ``uid`` (case and id) per label, and indexes the queries and
    loads look up by. A store made before 2026-12 had ``id`` unique per label, which would refuse
    a second case reusing an id: those constraints are dropped first."""
    ddl = [f"DROP CONSTRAINT {n.label.lower()}_id IF EXISTS" for n in schema.nodes.values()]
    ddl += [f"DROP INDEX {e.type.lower()}_id IF EXISTS" for e in schema.edges.values()]
    ddl += [
        f"CREATE CONSTRAINT {n.label.lower()}_uid IF NOT EXISTS FOR (n:{n.label}) REQUIRE n.uid IS UNIQUE"
        for n in schema.nodes.values()
    ]
    ddl += [
        f"CREATE INDEX {n.label.lower()}_case IF NOT EXISTS FOR (n:{n.label}) ON (n.case_id)"
        for n in schema.nodes.values()
    ]
    ddl += [
        f"CREATE INDEX {e.type.lower()}_uid IF NOT EXISTS FOR ()-[r:{e.type}]-() ON (r.uid)"
        for e in schema.edges.values()
    ]
    ddl += [
        f"CREATE INDEX {e.type.lower()}_case IF NOT EXISTS FOR ()-[r:{e.type}]-() ON (r.case_id)"
        for e in schema.edges.values()
    ]
    return ddl


def _plain(value: object) -> object:
    """Neo4j temporal values to ``datetime`` values, so both backends return the same rows."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class Neo4jBackend:
    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None) -> None:
        self.uri = uri
        self.database = database or None
        # Warnings about property keys absent from a store are expected (sparse optional properties).
        self._driver = GraphDatabase.driver(
            uri, auth=(user, password), notifications_min_severity="OFF", **DRIVER_SETTINGS
        )
        self._schema_ready = False

    @classmethod
    def from_environment(cls) -> Neo4jBackend:
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            raise BackendError("NEO4J_URI is not set: e.g. bolt://127.0.0.1:7687 (see docs/neo4j.md)")
        password = os.environ.get("NEO4J_PASSWORD")
        if password is None:
            raise BackendError("NEO4J_PASSWORD is not set: Joined-Up reads credentials only from the environment")
        return cls(uri, os.environ.get("NEO4J_USER", "neo4j"), password, os.environ.get("NEO4J_DATABASE"))

    def _fail(self, exc: Exception, outcome: str = WRITE_OUTCOME) -> BackendError:
        """One line the user can act on; ``outcome`` says what the failure means for the store.

        The default is the write wording so that ``write()`` needs no change to say it.
        """
        if isinstance(exc, AuthError):
            return BackendError(
                f"Neo4j at {self.uri} refused the user or password: check NEO4J_USER and NEO4J_PASSWORD"
            )
        if isinstance(exc, UNREACHABLE):
            return BackendError(
                f"Neo4j at {self.uri} (NEO4J_URI) is unreachable or stopped: start one with "
                f"scripts/neo4j-local start (docs/neo4j.md) or fix NEO4J_URI; {outcome}"
            )
        if isinstance(exc, ClientError) and "AccessMode" in (exc.code or ""):
            return BackendError("Neo4j refused a write in a read-only transaction")
        if isinstance(exc, Neo4jError):
            return BackendError(f"Neo4j refused the request ({exc.code}): {exc.message}")
        return BackendError(f"Neo4j error: {exc}")

    def verify(self) -> None:
        try:
            self._driver.verify_connectivity()
        except Exception as exc:  # noqa: BLE001 - every driver failure becomes one clear line
            raise self._fail(exc, "nothing was read or written") from None

    def ensure_schema(self) -> None:
        if self._schema_ready:
            return
        try:
            for stmt in constraint_ddl(load_schema()) + staging_ddl():
                self._driver.execute_query(stmt, database_=self.database)
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None
        self._schema_ready = True

    def read(
        self,
        query: str,
        params: dict[str, object] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> list[dict[str, object]]:
        """Rows of a read in a READ transaction (the server refuses writes there). With a timeout or
        a row cap (the console), an explicit transaction the server ends after ``timeout`` seconds,
        rolled back after at most ``max_rows`` rows are fetched, so the rest is never sent."""
        params = params or {}
        assert_read_only(query)
        check_parameters(query, params)
        try:
            if timeout is None and max_rows is None:
                records, _, keys = self._driver.execute_query(
                    query, params, database_=self.database, routing_=RoutingControl.READ
                )
                return [{k: _plain(r[k]) for k in keys} for r in records]
            return self._read_limited(query, params, timeout, max_rows)
        except Exception as exc:  # noqa: BLE001
            if timeout and isinstance(exc, ClientError) and "TransactionTimedOut" in (exc.code or ""):
                raise BackendError(timed_out(timeout)) from None
            raise self._fail(exc, READ_OUTCOME) from None

    def _read_limited(
        self, query: str, params: dict[str, object], timeout: float | None, max_rows: int | None
    ) -> list[dict[str, object]]:
        with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            with session.begin_transaction(timeout=timeout) as tx:
                result = tx.run(query, params)
                keys = result.keys()
                records = islice(result, max_rows) if max_rows is not None else result
                rows = [{k: _plain(r[k]) for k in keys} for r in records]
                tx.rollback()
        return rows

    def read_many(self, statements: list[Statement]) -> list[list[dict[str, object]]]:
        for query, params in statements:
            assert_read_only(query)
            check_parameters(query, params)
        try:
            with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                with session.begin_transaction() as tx:
                    answers = []
                    for query, params in statements:
                        result = tx.run(query, params)
                        keys = result.keys()
                        answers.append([{k: _plain(r[k]) for k in keys} for r in result])
                    tx.rollback()
            return answers
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc, READ_OUTCOME) from None

    def write(self, steps: Iterable[Step], progress: Progress | None = None) -> None:
        """All of ``steps`` or none. Creations only whose edges join only nodes they create (a first
        load) are staged in batches and switched in one transaction (graph/neo4j_staging.py); anything
        else (a re-load, even one that only adds records) runs in one transaction."""
        self.ensure_schema()
        rest = iter(steps)
        first = next(rest, None)
        if first is None:
            return
        pending: Iterable[Step] = chain([first], rest)
        if isinstance(first, Creation):
            pending = [first, *rest]
            creations = [c for c in pending if isinstance(c, Creation)]
            if len(creations) == len(pending) and self_contained(creations):
                self._guarded(lambda: staged_write(self._driver, self.database, creations, progress))
                return
        self._guarded(lambda: self._write_one_transaction(pending, progress))

    def _guarded(self, run: Callable[[], None]) -> None:
        """A write's failure as one line (BackendError) that says nothing was written."""
        try:
            run()
        except BackendError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None

    def _write_one_transaction(self, steps: Iterable[Step], progress: Progress | None) -> None:
        with self._driver.session(database=self.database, default_access_mode=neo4j.WRITE_ACCESS) as session:
            with session.begin_transaction() as tx:
                for step in steps:
                    for query, params in st.create_batches(step) if isinstance(step, Creation) else [step]:
                        check_parameters(query, params)
                        counters = tx.run(query, params).consume().counters
                        if isinstance(step, Creation):
                            check_created(counters, rows_in((query, params)), kind_name(step))
                        if progress:
                            progress(rows_in((query, params)))
                tx.commit()

    def can_write(self) -> bool:
        """Whether the configured user may write: a probe write in a transaction rolled back.

        Only the server's refusal means "cannot write". Any other failure (stopped server, wrong
        password) raises BackendError: read as False it would pass a deployment as read-only when
        nobody checked.
        """
        try:
            with self._driver.session(database=self.database) as session:
                with session.begin_transaction() as tx:
                    tx.run("CREATE (p:JoinedUpWriteProbe) RETURN count(p) AS n").consume()
                    tx.rollback()
            return True
        except WRITE_REFUSED:
            return False
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc, "nothing was written (the write probe is always rolled back)") from None

    def close(self) -> None:
        self._driver.close()
