"""A Neo4j first load commits in staged batches yet stays all-or-nothing (graph/neo4j_staging.py):
what a failed load staged is neither counted nor listed, is swept, and touches no other case."""

from __future__ import annotations

import dataclasses

import pytest

from graph.backend import BackendError, Creation
from graph.load import counts, load_case, load_steps, loaded_cases
from graph.neo4j_staging import STAGING, _batches, _commit_batches
from loaders.validate import EdgeRow, ValidatedCase

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
    creations = [s for s in load_steps(case, replace=False) if isinstance(s, Creation)]
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


def test_a_load_that_fails_after_committed_batches_leaves_nothing(neo4j, mini_case):
    other = renamed(mini_case, "other")
    load_case(neo4j, other)
    before = counts(neo4j)
    bad = renamed(mini_case, "bad")
    edge = bad.edges[-1]
    bad.edges.append(
        EdgeRow(edge.type, edge.src, edge.src_label, "no-such-node", edge.dst_label, {**edge.props, "id": "e-dangling"})
    )
    with pytest.raises(BackendError, match="names an end this load does not create") as caught:
        load_case(neo4j, bad, batch_size=5)
    assert "\n" not in str(caught.value)
    assert counts(neo4j) == before
    assert neo4j.read(STAGED)[0]["n"] == 0, "the failed load's staging was left behind"
    assert loaded_cases(neo4j) == ["other"]
