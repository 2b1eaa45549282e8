"""A Neo4j first load commits in staged batches yet stays all-or-nothing (graph/neo4j_staging.py):
what a failed load staged is neither counted nor listed, is swept, and touches no other case."""

from __future__ import annotations

import dataclasses

import pytest

from graph.backend import BackendError, Creation
from graph.load import counts, load_case, load_steps, loaded_cases
from graph.neo4j_staging import STAGING, _batches, _commit_batches
from graph.records import EdgeRow, ValidatedCase

pytestmark = pytest.mark.neo4j

STAGED = f"MATCH (n:{STAGING}) RETURN count(n) AS n"


def renamed(case: ValidatedCase, case_id: str) -> ValidatedCase:
    """The same records under another case id."""
    return dataclasses.replace(
        case,
        case_id=case_id,
        nodes=[dataclasses.replace(n, props={**n.props, "case_id": case_id}) for n in case.nodes],
        edges=[dataclasses.replace(e, props={**e.props, "case_id": case_id}) for e in case.edges],
    )


def staged_only(backend, case: ValidatedCase) -> None:
    """Stage every batch of a first load of ``case`` and stop before the switch (a load cut short)."""
    creations = [s for s in load_steps(case) if isinstance(s, Creation)]
    nodes = [c for c in creations if c.pair is None]
    edges = [c for c in creations if c.pair is not None]
    _commit_batches(backend._driver, backend.database, _batches(nodes), None)
    _commit_batches(backend._driver, backend.database, _batches(edges), None)


def test_a_load_cut_short_is_unseen_and_the_next_load_sweeps_it(neo4j, mini_case):
    load_case(neo4j, renamed(mini_case, "other"), batch_size=7)
    before, other_before = counts(neo4j), counts(neo4j, "other")
    staged_only(neo4j, mini_case)
    assert neo4j.read(STAGED)[0]["n"] == len(mini_case.nodes)
    assert counts(neo4j) == before, "staged records were counted as the case's"
    assert loaded_cases(neo4j) == ["other"]
    report = load_case(neo4j, mini_case, batch_size=7)
    assert neo4j.read(STAGED)[0]["n"] == 0
    loaded = counts(neo4j, mini_case.case_id)
    assert (
        (sum(loaded["nodes"].values()), sum(loaded["relationships"].values()))
        == (
            report.nodes,
            report.relationships,
        )
        == (len(mini_case.nodes), len(mini_case.edges))
    )
    assert counts(neo4j, "other") == other_before


def test_a_load_that_fails_at_the_switch_after_committed_batches_leaves_nothing(neo4j, mini_case):
    other = renamed(mini_case, "other")
    load_case(neo4j, other)
    before = counts(neo4j)
    bad = renamed(mini_case, "bad")
    bad.nodes.append(bad.nodes[0])  # staged twice without complaint; the key's constraint refuses it at the switch
    with pytest.raises(BackendError, match="already exists") as caught:
        load_case(neo4j, bad, batch_size=5)
    assert "\n" not in str(caught.value)
    assert counts(neo4j) == before
    assert neo4j.read(STAGED)[0]["n"] == 0, "the failed load's staging was left behind"
    assert loaded_cases(neo4j) == ["other"]


def test_an_edge_to_a_missing_end_is_refused_not_dropped(neo4j, mini_case):
    """Not staged (the edge joins a node the load does not create), so one transaction: still refused."""
    bad = renamed(mini_case, "bad")
    edge = bad.edges[-1]
    bad.edges.append(
        EdgeRow(edge.type, edge.src, edge.src_label, "no-such-node", edge.dst_label, {**edge.props, "id": "e-dangling"})
    )
    with pytest.raises(BackendError, match="names an end that is not in the store") as caught:
        load_case(neo4j, bad, batch_size=5)
    assert "\n" not in str(caught.value)
    assert loaded_cases(neo4j) == []


def test_a_reload_that_only_adds_records_links_them_to_stored_ones(neo4j, mini_case):
    load_case(neo4j, mini_case)
    node = next(n for n in mini_case.nodes if n.label == "Event")
    edge = next(e for e in mini_case.edges if e.src == node.props["id"])
    added = dataclasses.replace(
        mini_case,
        nodes=[*mini_case.nodes, dataclasses.replace(node, props={**node.props, "id": "EV-added"})],
        edges=[*mini_case.edges, dataclasses.replace(edge, src="EV-added", props={**edge.props, "id": "e-added"})],
    )
    report = load_case(neo4j, added, replace=True)
    assert (report.diff.nodes_added, report.diff.relationships_added) == (1, 1)
    assert sum(counts(neo4j, mini_case.case_id)["relationships"].values()) == len(mini_case.edges) + 1
    assert neo4j.read(STAGED)[0]["n"] == 0
