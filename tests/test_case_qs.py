"""The curated Child Q & Child S case covers the review, not a sample, and every record cites it."""

from collections import Counter

import pytest

from graph.load import counts
from loaders.evidence import document_index
from tests.conftest import QS_CASE


@pytest.fixture(scope="module")
def tally(qs_case):
    nodes = Counter(n.label for n in qs_case.nodes)
    edges = Counter(e.type for e in qs_case.edges)
    return nodes, edges


def test_coverage_matches_the_review(tally):
    nodes, edges = tally
    assert nodes["Area"] == 6 and nodes["PoliceForce"] == 4
    assert edges["COVERS"] == 6
    assert nodes["Agency"] >= 60
    assert nodes["Child"] == 2
    assert nodes["LearningPoint"] == 38 and nodes["GoodPracticePoint"] == 25
    assert nodes["Event"] >= 110
    assert nodes["Meeting"] >= 28
    assert edges["SHARED"] >= 90
    assert nodes["Placement"] >= 19
    assert nodes["PersonOfConcern"] >= 12
    assert edges["CONTACTED"] >= 12
    assert nodes["Professional"] >= 30


def test_every_node_and_edge_has_a_source_that_resolves(qs_case):
    index = document_index(QS_CASE)
    unresolved = set()
    for row in [*(n.props for n in qs_case.nodes), *(e.props for e in qs_case.edges)]:
        assert row["source"], row["id"]
        for ref in row["source"]:
            if ref not in ("Title page",) and not index.resolve(ref):
                unresolved.add(ref)
    assert not unresolved, sorted(unresolved)


def test_store_counts_equal_the_files(embedded_qs, tally):
    nodes, edges = tally
    c = counts(embedded_qs, "child-q-s")
    assert {k: v for k, v in c["nodes"].items() if v} == dict(nodes)
    assert {k: v for k, v in c["relationships"].items() if v} == dict(edges)
