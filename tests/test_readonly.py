"""The Cypher console cannot write, on either store, however the write is dressed up.

Backend.read is the only door the console, the pages and the query library have into a store.
A corpus of writes, procedure calls and administration, each in many disguises (case, comments,
unicode, wrappers, second statements, lexer tricks), must be refused with the store unchanged; a
generated search looks for text the guard passes but a database would run as a write. On Neo4j a
write that got past the text guard would meet a second wall, the READ access mode, proven here by
calling the driver directly. The start-up check for a read-only Neo4j user is tested here too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import neo4j
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j.exceptions import ClientError

from graph.access import ALLOW_WRITE_USER, require_read_only_user
from graph.backend import BackendError
from graph.cypher import QueryRefused, assert_read_only
from graph.embedded import EmbeddedBackend
from graph.load import counts, delete_case, load_case
from graph.neo4j_backend import Neo4jBackend
from loaders.validate import ValidatedCase, validate_path
from tests.conftest import MINI_CASE, renamed_rows
from tests.test_load import snapshot

REFUSED: Counter[str] = Counter()

WRITES = [
    # data
    "CREATE (:Child {id: 'ro-x', name: 'x'})",
    "MERGE (c:Child {id: 'ro-x'})",
    "MATCH (c:Child) SET c.name = 'changed'",
    "MATCH (c:Child) SET c:Flagged",
    "MATCH (c:Child) SET c += {name: 'x'}",
    "MATCH (c:Child) REMOVE c.name",
    "MATCH (c:Child) DELETE c",
    "MATCH (c:Child) DETACH DELETE c",
    "MATCH ()-[r:SENT]->() DELETE r",
    "MATCH (a:Agency), (c:Child) CREATE (a)-[:INVOLVED_WITH {id: 'ro-e'}]->(c)",
    "INSERT (:Child {id: 'ro-x'})",
    "FOREACH (x IN [1] | CREATE (:Child {id: 'ro-x'}))",
    "UNWIND [1] AS x CREATE (:Child {id: 'ro-x'})",
    "MATCH (c:Child) WITH c MERGE (c)-[:RELATED_TO]->(c)",
    # files and the network
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD CSV WITH HEADERS FROM 'http://127.0.0.1:1/x.csv' AS row CREATE (:Child {id: row.id})",
    "LOAD FROM 'x.csv' RETURN *",
    "COPY Child FROM 'x.csv'",
    "COPY (MATCH (n) RETURN n.id) TO '/tmp/joined-up-leak.csv'",
    "EXPORT DATABASE '/tmp/joined-up-export'",
    "IMPORT DATABASE '/tmp/joined-up-export'",
    # the embedded engine's catalogue, extensions and transactions
    "INSTALL json",
    "LOAD EXTENSION json",
    "UNINSTALL json",
    "UPDATE json",
    "ATTACH 'other.lbug' AS other",
    "DETACH other",
    "USE other",
    "DROP TABLE Child",
    "ALTER TABLE Child ADD age INT64",
    "COMMENT ON TABLE Child IS 'x'",
    "ANALYZE",
    "CHECKPOINT",
    "FORCE CHECKPOINT",
    "BEGIN TRANSACTION",
    "COMMIT",
    "ROLLBACK",
    "CREATE MACRO m(x) AS x",
    # schema and administration (Neo4j)
    "CREATE INDEX ro_idx FOR (n:Child) ON (n.name)",
    "DROP INDEX child_case",
    "CREATE CONSTRAINT ro_c FOR (n:Child) REQUIRE n.name IS UNIQUE",
    "DROP CONSTRAINT child_id",
    "CREATE USER mallory SET PASSWORD 'secret-pass' CHANGE NOT REQUIRED",
    "ALTER USER neo4j SET PASSWORD 'x'",
    "DROP USER neo4j",
    "RENAME USER neo4j TO mallory",
    "GRANT ROLE admin TO mallory",
    "REVOKE ROLE admin FROM neo4j",
    "DENY READ {*} ON GRAPH * TO PUBLIC",
    "CREATE DATABASE other",
    "START DATABASE neo4j",
    "STOP DATABASE neo4j",
    "ENABLE SERVER 'x'",
    "DEALLOCATE DATABASES FROM SERVER 'x'",
    "REALLOCATE DATABASES",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW USERS",
    "SHOW TRANSACTIONS",
    "USE system SHOW USERS",
    # procedures: write, admin, and read ones too (a procedure may do anything)
    "CALL dbms.security.createUser('mallory', 'x', false)",
    "CALL dbms.killQueries(['query-1'])",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "CALL dbms.listConfig() YIELD name RETURN name",
    "CALL db.createLabel('Mallory')",
    "CALL db.createIndex('x', ['Child'], ['name'], 'range-1.0')",
    "CALL db.clearQueryCaches()",
    "CALL db.index.fulltext.createNodeIndex('x', ['Child'], ['name'])",
    "CALL db.labels() YIELD label RETURN label",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "CALL apoc.create.node(['Child'], {id: 'ro-x'}) YIELD node RETURN node",
    "CALL apoc.cypher.runWrite('MATCH (n) DETACH DELETE n', {})",
    "CALL apoc.load.json('file:///etc/passwd')",
    "CALL apoc.export.csv.all('/tmp/x.csv', {})",
    "CALL apoc.trigger.add('t', 'MATCH (n) DELETE n', {})",
    "CALL show_tables() RETURN *",
    "CALL threads=1",
    # subquery wrappers
    "MATCH (c:Child) CALL { WITH c DETACH DELETE c } RETURN 1 AS x",
    "CALL { CREATE (:Child {id: 'ro-x'}) } RETURN 1 AS x",
    "MATCH (c:Child) CALL (c) { SET c.name = 'x' } RETURN 1 AS x",
    "MATCH (c:Child) CALL { WITH c SET c.name = 'x' } IN TRANSACTIONS OF 1 ROW RETURN 1 AS x",
    "CALL { MATCH (c:Child) RETURN c } RETURN c.id AS id",
]

# Disguises for each write: the guard must see through every one.
DISGUISES = {
    "plain": lambda q: q,
    "lower": str.lower,
    "swapcase": str.swapcase,
    "mixed": lambda q: "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(q)),
    "block-comment-before": lambda q: "/* just a read, honestly */ " + q,
    "line-comment-before": lambda q: "// MATCH (n) RETURN n\n" + q,
    "comment-inside": lambda q: q.replace(" ", " /* RETURN 1 */ ", 1),
    "comment-after": lambda q: q + " // RETURN 1",
    "read-first": lambda q: "MATCH (n:Child) WITH n LIMIT 1\n" + q,
    "second-statement": lambda q: "MATCH (n) RETURN count(n) AS n; " + q,
    "second-after": lambda q: q + "; MATCH (n) RETURN count(n) AS n",
    "tabs": lambda q: q.replace(" ", "\t"),
    "crlf": lambda q: q.replace(" ", "\r\n"),
    "nbsp": lambda q: q.replace(" ", "\u00a0"),
    "line-separator": lambda q: q.replace(" ", "\u2028"),
    "explain": lambda q: "EXPLAIN " + q,
    "profile": lambda q: "PROFILE " + q,
    "string-before": lambda q: "WITH 'it''s a \\' read' AS s " + q,
    "backtick-backslash": lambda q: "MATCH (n) WITH n AS `x\\` " + q + " //`",
    "cr-ends-comment": lambda q: "MATCH (n) RETURN n // a note\r" + q,
    "quote-in-comment": lambda q: "// it's fine\n" + q + " // '",
}

# Text that resembles a write but that no engine reads as one: refused by the guard or by the database.
LOOKALIKES = [
    "\u0421REATE (:Child {id: 'ro-x'})",  # Cyrillic Es
    "\uff23\uff32\uff25\uff21\uff34\uff25 (:Child {id: 'ro-x'})",  # fullwidth
    "CRE\u200bATE (:Child {id: 'ro-x'})",  # zero-width space
    "C\u0336REATE (:Child {id: 'ro-x'})",  # combining overlay
    "MATCH (c:Child) \u017fET c.name = 'x'",  # long s
    "\u202eETAERC (:Child {id: 'ro-x'})",  # right-to-left override
    "CRE/**/ATE (:Child {id: 'ro-x'})",
]

CORPUS = [(f"{i}:{name}", disguise(q)) for i, q in enumerate(WRITES) for name, disguise in DISGUISES.items()]


def mini_as(case_id: str, prefix: str) -> ValidatedCase:
    """The mini case under another case id with prefixed ids, so it can share a store with other cases."""
    case = validate_path(MINI_CASE)
    case.case_id = case_id
    case.nodes, case.edges = renamed_rows(case, case_id, lambda node: prefix + node, prefix)
    return case


@pytest.fixture(scope="module")
def embedded_store(mini_case) -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(":memory:")
    load_case(backend, mini_case)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def neo4j_store(neo4j_server) -> Iterator[Neo4jBackend]:
    """The shared Neo4j with a probe case added, so deletes and updates would have something to hit."""
    load_case(neo4j_server, mini_as("readonly-probe", "ro-"))
    yield neo4j_server
    delete_case(neo4j_server, "readonly-probe")


@pytest.fixture(scope="module", autouse=True)
def tally() -> Iterator[None]:
    yield
    print(f"\nread-only: {sum(REFUSED.values())} console write attempts refused: {dict(REFUSED)}")


def _every_attempt_refused(backend) -> None:
    before = snapshot(backend)
    leaked = []
    for label, query in CORPUS:
        try:
            backend.read(query)
        except QueryRefused:
            REFUSED[backend.name] += 1
            continue
        leaked.append(label)
    assert not leaked, f"not refused by the guard: {leaked}"
    for query in LOOKALIKES:
        with pytest.raises((QueryRefused, BackendError)):
            backend.read(query)
        REFUSED[backend.name] += 1
    assert snapshot(backend) == before


def test_corpus_is_large_and_refused_by_the_guard_itself():
    assert len(CORPUS) >= 1_000
    for label, query in CORPUS:
        with pytest.raises(QueryRefused):
            assert_read_only(query)
        assert label


def test_every_write_is_refused_on_the_embedded_store(embedded_store):
    _every_attempt_refused(embedded_store)


@pytest.mark.neo4j
def test_every_write_is_refused_on_neo4j(neo4j_store):
    _every_attempt_refused(neo4j_store)


def test_ordinary_reads_still_pass(embedded_store):
    """The guard is not so strict that the questions people ask are refused."""
    rows = embedded_store.read(
        "MATCH (c:Child) WHERE c.name CONTAINS 'DELETE' OR c.id = $id "
        "RETURN c.id AS id, c.name AS `CREATE` // SET nothing",
        {"id": "C1"},
    )
    assert rows == [{"id": "C1", "CREATE": "Child O'Neil {x}"}]


# ---------------------------------------------------------------------------------------------
# A generated search for text the guard passes but an engine runs as a write.

FRAGMENTS = [
    "'",
    '"',
    "`",
    "\\",
    "//",
    "/*",
    "*/",
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\u0085",
    " ",
    "x",
    "''",
    "``",
    "\\'",
    '\\"',
    "\\`",
    ";",
    "1",
    "(",
    ")",
    "{",
    "}",
    "$",
    ".",
    "a.",
    "AS `y",
    "'a'",
    "// '",
    "/* ' */",
]
HIDDEN_WRITES = [
    "CREATE (:Area {uid: 'bp', id: 'bp', name: 'bp'})",
    "MERGE (:Area {uid: 'bp'})",
    "SET n.name = 'bp'",
    "DETACH DELETE n",
    "REMOVE n.name",
    "INSERT (:Area {uid: 'bp', id: 'bp'})",
]
HIDING = st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join)
PROBE = st.builds(
    lambda a, w, b: f"MATCH (n:Area) WITH n {a} {w} {b} RETURN count(n) AS c",
    HIDING,
    st.sampled_from(HIDDEN_WRITES),
    HIDING,
)


@pytest.fixture(scope="module")
def probe_store() -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(":memory:")
    backend.ensure_schema()
    backend.write([("CREATE (:Area {uid: 't/a', id: 'a', case_id: 't', name: 'a'})", {})])
    yield backend
    backend.close()


def _passes_guard(query: str) -> bool:
    try:
        assert_read_only(query)
    except QueryRefused:
        REFUSED["generated"] += 1
        return False
    return True


@settings(max_examples=600, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=PROBE)
def test_no_hidden_write_runs_on_the_embedded_store(probe_store, query):
    if not _passes_guard(query):
        return
    try:
        probe_store.read(query)
    except (BackendError, QueryRefused):
        pass  # not valid Cypher to the engine, or a stray $name: nothing ran
    assert probe_store.read("MATCH (a:Area) RETURN count(a) AS n, collect(a.name) AS names") == [
        {"n": 1, "names": ["a"]}
    ], f"the guard passed a write: {query!r}"


@pytest.mark.neo4j
@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=PROBE)
def test_no_hidden_write_is_parsed_by_neo4j(neo4j_store, query):
    """Anything the guard passes must be, to Neo4j, a read or a syntax error, never a refused write."""
    if not _passes_guard(query):
        return
    try:
        neo4j_store.read(query)
    except QueryRefused:
        pass  # a stray $name
    except BackendError as exc:
        assert "read-only transaction" not in str(exc), f"the guard passed a write: {query!r}"


# ---------------------------------------------------------------------------------------------
# Neo4j's second wall: the READ access mode.

SERVER_REFUSES = [
    "CREATE (:Child {id: 'ro-x'})",
    "MERGE (:Child {id: 'ro-x'})",
    "MATCH (c:Child) SET c.name = 'x'",
    "MATCH (c:Child) DETACH DELETE c",
    "INSERT (:Child {id: 'ro-x'})",
    "FOREACH (x IN [1] | CREATE (:Child {id: 'ro-x'}))",
    "CALL db.createLabel('Mallory')",
    "CREATE INDEX ro_idx IF NOT EXISTS FOR (n:Child) ON (n.name)",
    "MATCH (c:Child) CALL (c) { DETACH DELETE c } RETURN 1 AS x",
]


@pytest.mark.neo4j
@pytest.mark.parametrize("query", SERVER_REFUSES)
def test_neo4j_refuses_writes_in_a_read_session(neo4j_store, query):
    """Driver called directly, no guard: the server refuses the write with AccessMode, and rolls back."""
    before = counts(neo4j_store)
    driver = neo4j_store._driver
    with driver.session(database=neo4j_store.database, default_access_mode=neo4j.READ_ACCESS) as session:
        with pytest.raises(ClientError) as info:
            session.run(query).consume()
    assert info.value.code == "Neo.ClientError.Statement.AccessMode"
    assert counts(neo4j_store) == before


@pytest.mark.neo4j
def test_neo4j_refuses_administration_in_a_read_session(neo4j_store):
    with neo4j_store._driver.session(database="system", default_access_mode=neo4j.READ_ACCESS) as session:
        with pytest.raises(ClientError) as info:
            session.run("CREATE USER mallory SET PASSWORD 'secret-pass-1' CHANGE NOT REQUIRED").consume()
    assert info.value.code == "Neo.ClientError.Statement.AccessMode"


@pytest.mark.neo4j
def test_a_write_past_the_guard_is_still_refused_by_backend_read(neo4j_store, monkeypatch):
    """Were the text guard ever bypassed, Neo4jBackend.read's READ transaction still refuses the write."""
    monkeypatch.setattr("graph.neo4j_backend.assert_read_only", lambda query: None)
    before = snapshot(neo4j_store)
    for query in SERVER_REFUSES[:5]:
        with pytest.raises(BackendError, match="^Neo4j refused a write in a read-only transaction$"):
            neo4j_store.read(query)
    assert snapshot(neo4j_store) == before


# ---------------------------------------------------------------------------------------------
# The start-up check: no app against Neo4j as a user that can write, unless allowed.


def test_embedded_store_needs_no_user_check(embedded_store):
    require_read_only_user(embedded_store)


def test_a_read_only_user_passes(monkeypatch):
    """No server needed: a backend whose user cannot write (as with the `reader` role)."""
    monkeypatch.delenv(ALLOW_WRITE_USER, raising=False)
    backend = Neo4jBackend("bolt://127.0.0.1:1", "reader", "unused")
    monkeypatch.setattr(backend, "verify", lambda: None)
    monkeypatch.setattr(backend, "can_write", lambda: False)
    require_read_only_user(backend)
    backend.close()


@pytest.mark.neo4j
def test_the_test_user_can_write_so_the_app_refuses_to_start(neo4j_server, monkeypatch):
    monkeypatch.delenv(ALLOW_WRITE_USER, raising=False)
    with pytest.raises(BackendError) as info:
        require_read_only_user(neo4j_server)
    message = str(info.value)
    assert "\n" not in message and ALLOW_WRITE_USER in message and "docs/deployment.md" in message


@pytest.mark.neo4j
@pytest.mark.parametrize("value", ["0", "yes", "true", ""])
def test_only_exactly_1_allows_a_write_user(neo4j_server, monkeypatch, value):
    monkeypatch.setenv(ALLOW_WRITE_USER, value)
    with pytest.raises(BackendError):
        require_read_only_user(neo4j_server)


@pytest.mark.neo4j
def test_allowing_a_write_user_is_explicit_and_logged(neo4j_server, monkeypatch, caplog):
    monkeypatch.setenv(ALLOW_WRITE_USER, "1")
    require_read_only_user(neo4j_server)
    assert any(ALLOW_WRITE_USER in r.getMessage() for r in caplog.records)


def test_an_unreachable_server_is_one_clear_line(monkeypatch):
    monkeypatch.delenv(ALLOW_WRITE_USER, raising=False)
    backend = Neo4jBackend("bolt://127.0.0.1:1", "neo4j", "unused")
    with pytest.raises(BackendError, match="unreachable or stopped"):
        require_read_only_user(backend)
    backend.close()
