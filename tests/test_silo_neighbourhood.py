"""Silo analytics on a child's neighbourhood (``findings.silo.child_graph``, issue 17 item 3): every
measure, period comparison and what-if gives the same answer from the bounded export as from the
whole case's export, on Child Q & S and on a 1,000-child synthetic caseload, from a real store."""

import json
import random
from collections.abc import Iterator
from datetime import date

import networkx as nx
import pytest

from findings import silo as an
from graph.embedded import EmbeddedBackend
from graph.export import to_networkx
from graph.load import load_case
from loaders.synthetic import generate
from loaders.validate import validate_path

SYNTHETIC_CHILDREN = 1000
SAMPLED_CHILDREN = 5


def as_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def network_as_data(net: nx.Graph) -> str:
    """A flow network with its order: parties, ties (with their records) and the flows kept."""
    return as_json([list(net.nodes(data=True)), list(net.edges(data=True)), net.graph])


def assert_same_analytics(whole: nx.MultiDiGraph, around: nx.MultiDiGraph, child: str) -> None:
    assert network_as_data(an.flow_network(around, child)) == network_as_data(an.flow_network(whole, child))
    assert as_json(an.analyse(around, child)) == as_json(an.analyse(whole, child))


def assert_same_what_if(backend: EmbeddedBackend, case_id: str, whole: nx.MultiDiGraph, child: str, **change) -> dict:
    around = an.child_graph(backend, case_id, child, an.named_records(**change))
    result, after = an.what_if_with_network(around, child, **change)
    expected, expected_after = an.what_if_with_network(whole, child, **change)
    assert as_json(result) == as_json(expected)
    assert network_as_data(after) == network_as_data(expected_after)
    return result


# --- Child Q & S ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def qs(embedded_qs) -> nx.MultiDiGraph:
    return to_networkx(embedded_qs, "child-q-s")


@pytest.mark.parametrize("child", ["Q", "S"])
def test_q_and_s_measures_are_the_whole_cases(embedded_qs, qs, child):
    around = an.child_graph(embedded_qs, "child-q-s", child)
    assert around.number_of_nodes() < qs.number_of_nodes()
    assert_same_analytics(qs, around, child)
    periods = (an.Window(None, date(2012, 11, 30), "before"), an.Window(date(2012, 12, 1), None, "after"))
    assert as_json(an.compare_periods(around, child, *periods)) == as_json(an.compare_periods(qs, child, *periods))
    summary = an.silo_summary(embedded_qs, "child-q-s", child)
    assert as_json(summary) == as_json({k: an.analyse(qs, child)[k] for k in summary})


def test_q_what_ifs_are_the_whole_cases(embedded_qs, qs):
    assert_same_what_if(embedded_qs, "child-q-s", qs, "Q", remove=["AG05"])
    result = assert_same_what_if(embedded_qs, "child-q-s", qs, "Q", add=[an.NewEdge("ATTENDED", "AG45", "MQ02")])
    assert result["meetings"], "the change reached a meeting: the horizon queries ran on the neighbourhood"
    flow = an.NewEdge(
        "Flow", "AG45", "AG05", {"child": "Q", "item": "IQ-UTI", "date": "2014", "status": "shared", "information": "x"}
    )
    assert_same_what_if(embedded_qs, "child-q-s", qs, "Q", add=[flow])


@pytest.mark.neo4j
def test_the_neighbourhood_reads_run_unchanged_on_neo4j(neo4j_qs, qs):
    """The walk's reads are the project's portable Cypher: Neo4j gives the same neighbourhood answers."""
    for child in ("Q", "S"):
        assert_same_analytics(qs, an.child_graph(neo4j_qs, "child-q-s", child), child)
    change = {"add": [an.NewEdge("ATTENDED", "AG45", "MQ02")]}
    around = an.child_graph(neo4j_qs, "child-q-s", "Q", an.named_records(**change))
    assert as_json(an.what_if(around, "Q", **change)) == as_json(an.what_if(qs, "Q", **change))


def test_the_network_does_not_depend_on_the_order_records_were_read(qs):
    backwards = nx.MultiDiGraph()
    backwards.add_nodes_from(reversed(list(qs.nodes(data=True))))
    backwards.add_edges_from(reversed(list(qs.edges(keys=True, data=True))))
    assert_same_analytics(qs, backwards, "Q")


def test_only_a_child_has_a_neighbourhood(embedded_qs):
    for record in ("no-such-record", "AG05"):
        with pytest.raises(ValueError, match=f"no child '{record}' in case 'child-q-s'"):
            an.child_graph(embedded_qs, "child-q-s", record)
    with pytest.raises(ValueError, match="no child 'Q' in case 'other-case'"):
        an.silo_summary(embedded_qs, "other-case", "Q")


# --- a 1,000-child synthetic caseload -------------------------------------------------------------------


@pytest.fixture(scope="module")
def caseload(tmp_path_factory) -> Iterator[tuple[EmbeddedBackend, str, nx.MultiDiGraph]]:
    case = validate_path(generate(SYNTHETIC_CHILDREN, 7, tmp_path_factory.mktemp("caseload")))
    backend = EmbeddedBackend(":memory:")
    load_case(backend, case)
    yield backend, case.case_id, to_networkx(backend, case.case_id)
    backend.close()


def children_of(g: nx.MultiDiGraph) -> list[str]:
    return sorted(n for n, a in g.nodes(data=True) if a["label"] == "Child")


def test_caseload_measures_are_the_whole_cases(caseload):
    backend, case_id, whole = caseload
    for child in random.Random(17).sample(children_of(whole), SAMPLED_CHILDREN):
        around = an.child_graph(backend, case_id, child)
        assert around.number_of_nodes() < whole.number_of_nodes() / 50, "a neighbourhood, not the caseload"
        assert_same_analytics(whole, around, child)


def test_caseload_what_ifs_are_the_whole_cases(caseload):
    backend, case_id, whole = caseload
    child = random.Random(18).choice(children_of(whole))
    net = an.flow_network(whole, child)
    broker = an.analyse_network(net)["centrality"]["parties"][0]["id"]
    # Its broker taken out, and a party from outside its neighbourhood brought into one of its
    # meetings: the change's records come into the neighbourhood (named_records), with their
    # organisations and areas. One what-if, since the whole case's copy is the slow side.
    meeting = next(m for m, _, d in whole.in_edges(child, data=True) if whole.nodes[m]["label"] == "Meeting")
    outsider = next(n for n, a in whole.nodes(data=True) if a["label"] == "Professional" and n not in net)
    change = {"remove": [broker], "add": [an.NewEdge("ATTENDED", outsider, meeting)]}
    result = assert_same_what_if(backend, case_id, whole, child, **change)
    assert outsider in {t["a"] for t in result["ties_gained"]} | {t["b"] for t in result["ties_gained"]}
    assert result["ties_lost"], "the broker's ties went"
