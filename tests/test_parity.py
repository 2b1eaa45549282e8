"""One query, one text: every registered query gives the same rows on Neo4j and on the
embedded engine, for every child of the Child Q & Child S case and for all children."""

import json

import pytest

from queries.library import registry, run_query

pytestmark = pytest.mark.neo4j


def canonical(rows):
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


@pytest.mark.parametrize("child", ["", "Q", "S"])
@pytest.mark.parametrize("qid", sorted(registry()))
def test_same_rows_on_both_backends(qid, child, neo4j_qs, embedded_qs):
    params = {"child": child} if "child" in registry()[qid].parameters else {}
    embedded_rows = run_query(embedded_qs, qid, "child-q-s", **params)
    neo4j_rows = run_query(neo4j_qs, qid, "child-q-s", **params)
    assert canonical(neo4j_rows) == canonical(embedded_rows)


@pytest.mark.parametrize("child", [None, "Q", "S"])
def test_same_findings_on_both_backends(child, neo4j_qs, embedded_qs):
    """The findings engine's whole output (ids, statements, occurrences, ranks) is the same on both stores."""
    from findings.engine import run_findings
    from findings.report import to_json

    def comparable(backend):
        doc = json.loads(to_json(run_findings(backend, "child-q-s", child)))
        return {k: doc[k] for k in ("findings", "questions", "counts")}

    assert comparable(neo4j_qs) == comparable(embedded_qs)


CASELOAD = ("caseload_persons", "linked_children", "child_network", "person_children")


def test_caseload_queries_agree_on_a_heavy_tailed_synthetic_caseload(neo4j, tmp_path):
    """The caseload view's questions on a 60-child synthetic case, where a few persons and places link
    many children (Child Q & S has one person of concern per child)."""
    from graph.embedded import EmbeddedBackend
    from graph.load import load_case
    from loaders.synthetic import generate
    from loaders.validate import validate_path

    case = validate_path(generate(60, 7, tmp_path / "synthetic"))
    embedded = EmbeddedBackend(":memory:")
    load_case(embedded, case)
    load_case(neo4j, case)
    children = sorted(n.props["id"] for n in case.nodes if n.label == "Child")[:4]
    persons = run_query(embedded, "caseload_persons", case.case_id)
    assert persons[0]["children"] > 2, "the generator's hubs link several children"
    for qid in CASELOAD:
        spec = registry()[qid]
        for child in [""] + children:
            params = {"child": child} if "child" in spec.parameters else {}
            assert canonical(run_query(neo4j, qid, case.case_id, **params)) == canonical(
                run_query(embedded, qid, case.case_id, **params)
            ), (qid, child)
    embedded.close()
