"""The Neo4j backend against a real server: load, idempotent reload, read-only reads, faults."""

import pytest

from graph.backend import BackendError
from graph.cypher import QueryRefused
from graph.load import counts, load_case
from graph.neo4j_backend import Neo4jBackend
from tests.test_load import snapshot

pytestmark = pytest.mark.neo4j


def test_load_and_reload_changes_nothing(neo4j, mini_case):
    report = load_case(neo4j, mini_case)
    assert (report.nodes, report.relationships) == (26, 58)  # the contact: a node and three links
    before = snapshot(neo4j)
    assert load_case(neo4j, mini_case, replace=True).mode == "replace"
    assert snapshot(neo4j) == before
    assert counts(neo4j, "mini")["nodes"]["Flow"] == 5


def test_dates_come_back_as_python_dates(neo4j, mini_case):
    load_case(neo4j, mini_case)
    rows = neo4j.read("MATCH (m:Meeting {id: 'M1'}) RETURN m.date_from AS d, m.date_text AS t")
    assert str(rows[0]["d"]) == "2015-03-01" and rows[0]["t"] == "Mar 2015"


def test_reads_cannot_write(neo4j):
    with pytest.raises(QueryRefused):
        neo4j.read("CREATE (n:Child {id: 'x'})")
    assert neo4j.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


def test_failed_load_rolls_back(neo4j, mini_case, tmp_path):
    from graph.load import load_steps
    from loaders.validate import validate_path

    load_case(neo4j, mini_case)
    before = snapshot(neo4j)
    other = tmp_path / "other"
    other.mkdir()
    (other / "case.yaml").write_text(
        "case: other\ndocument: o\nnodes:\n"
        "  - {type: SourceDocument, id: o, name: O, source: 'Title page'}\n"
        "  - {type: Child, id: C1, name: Clash, source: '¶1'}\n",
        encoding="utf-8",
    )
    # The other case (reusing C1, as cases may) is written, then the server refuses the last step.
    steps = [*load_steps(validate_path(other)), ("RETURN no_such_function(1) AS x", {})]
    with pytest.raises(BackendError):
        neo4j.write(steps)
    assert snapshot(neo4j) == before


def test_wrong_password_is_one_clear_line(neo4j_server):
    bad = Neo4jBackend(neo4j_server.uri, "neo4j", "not-the-password")
    with pytest.raises(BackendError, match="refused the user or password: check NEO4J_USER and NEO4J_PASSWORD"):
        bad.verify()
    bad.close()


def test_unreachable_server_is_one_clear_line(neo4j_server):
    gone = Neo4jBackend("bolt://127.0.0.1:1", "neo4j", "x")
    with pytest.raises(BackendError, match="unreachable or stopped"):
        gone.read("MATCH (n) RETURN count(n) AS n")
    gone.close()
