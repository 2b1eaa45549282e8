"""The read path refuses writes, procedures and hidden statements on both backends, before the
database sees them; parameters must match the query exactly."""

import pytest

from graph.cypher import QueryRefused, assert_read_only, check_parameters

WRITES = [
    "CREATE (n:Child {id: 'x'})",
    "MATCH (n) MERGE (m:Agency {id: 'x'})",
    "MATCH (n:Child) SET n.name = 'x'",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Child) REMOVE n.name",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "CALL dbms.security.createUser('x', 'y', false)",
    "CALL db.clearQueryCaches()",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "MATCH (n) CALL { WITH n DETACH DELETE n } RETURN 1 AS x",
    "MATCH (n) CALL (n) { DETACH DELETE n } RETURN 1 AS x",
    "match (n) detach delete n",
    "MATCH (n) dEtAcH dElEtE n",
    "MATCH (n) /* harmless? */ DELETE n",
    "MATCH (n) // comment\nDELETE n",
    "MATCH (n) RETURN n.id AS id; MATCH (m) DELETE m",
    "MATCH (n) RETURN n.id AS id;CREATE (x:Child)",
    "FOREACH (x IN [1] | CREATE (:Child))",
    "COPY Child FROM 'x.csv'",
    "DROP TABLE Child",
    "CREATE INDEX x FOR (n:Child) ON (n.id)",
    "USE system SHOW USERS",
    "MATCH (n) WITH n SET n:Other",
    "",
    "   // only a comment",
]
READS = [
    "MATCH (n:Child) RETURN n.id AS id",
    "MATCH (n:Child) WHERE n.name = 'CREATE (x)' RETURN n.id AS id",
    'MATCH (n:Child) WHERE n.name CONTAINS "DELETE" RETURN n.name AS name',
    "MATCH (n:Child) RETURN n.set AS s, n.start AS st // a note about DELETE",
    "MATCH (n:Agency) WHERE n.name STARTS WITH 'Set' RETURN n.name AS name;",
    "MATCH (n:Meeting) WHERE n.kind = $create RETURN n.id AS id",
]


@pytest.mark.parametrize("query", WRITES)
def test_writes_and_admin_are_refused(query):
    with pytest.raises(QueryRefused):
        assert_read_only(query)


@pytest.mark.parametrize("query", READS)
def test_reads_pass_even_with_keywords_in_data(query):
    assert_read_only(query)


def test_parameters_must_match_exactly():
    q = "MATCH (c:Child) WHERE c.id = $child AND c.name <> '$notaparam' RETURN c.id AS id"
    check_parameters(q, {"child": "Q"})
    with pytest.raises(QueryRefused, match=r"missing parameter\(s\): \$child"):
        check_parameters(q, {})
    with pytest.raises(QueryRefused, match="not used by the query: extra"):
        check_parameters(q, {"child": "Q", "extra": 1})


def test_embedded_read_path_refuses_before_executing(embedded):
    embedded.ensure_schema()
    for q in WRITES[:6]:
        with pytest.raises(QueryRefused):
            embedded.read(q)
    assert embedded.read("MATCH (n:Child) RETURN count(n) AS n") == [{"n": 0}]


def test_values_with_quotes_and_braces_are_parameters_not_text(embedded, mini_case):
    from graph.load import load_case

    load_case(embedded, mini_case)
    rows = embedded.read("MATCH (c:Child) WHERE c.name = $name RETURN c.id AS id", {"name": "Child O'Neil {x}"})
    assert rows == [{"id": "C1"}]
