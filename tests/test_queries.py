"""The core questions on a small made-up case whose answers were worked out by hand."""

import pytest

from graph.load import load_case
from queries.library import run_query


@pytest.fixture(scope="module")
def mini(mini_case):
    from graph.embedded import EmbeddedBackend

    backend = EmbeddedBackend(":memory:")
    load_case(backend, mini_case)
    yield backend
    backend.close()


def pick(rows, *cols):
    return sorted(tuple(r[c] for c in cols) for r in rows)


def test_uninvited_respects_periods_and_representation(mini):
    rows = run_query(mini, "uninvited_agencies", "mini", child="C1")
    # GP involved throughout, never invited. POL only involved from May 2015, so not expected at
    # the March LAC review. SW (a CSC professional) covers CSC at M1; CSC attended M2 itself.
    assert pick(rows, "meeting", "party") == [("M1", "GP"), ("M2", "GP"), ("M2", "HOME"), ("M2", "SCH")]
    gp = next(r for r in rows if (r["meeting"], r["party"]) == ("M1", "GP"))
    assert gp["evidence"] == ["¶4", "¶10"] and gp["sector"] == "health"


def test_expected_sectors_cite_guidance(mini):
    rows = run_query(mini, "expected_sectors_absent", "mini")
    assert pick(rows, "meeting", "missing_sector") == [("M1", "health"), ("M2", "health")]
    assert all("Working Together" in r["guidance"] or "Children Act 1989" in r["guidance"] for r in rows)


def test_did_not_attend_with_reason(mini):
    assert pick(run_query(mini, "did_not_attend", "mini"), "party", "reason") == [("SCH", "exams")]


def test_sharing_gaps_exclude_pairs_that_shared_or_met(mini):
    rows = run_query(mini, "sharing_gaps", "mini", child="C1")
    # CSC convened the LAC review SCH was invited to: they met, so that pair is not a gap.
    assert pick(rows, "agency_a", "agency_b") == [("CSC", "GP"), ("GP", "HOME"), ("GP", "POL"), ("POL", "SCH")]


def test_flow_failures(mini):
    rows = run_query(mini, "flow_failures", "mini")
    assert pick(rows, "flow", "status") == [("F-1", "not_shared")]


def test_never_informed_finds_the_infection_that_never_reached_the_review(mini):
    rows = run_query(mini, "never_informed", "mini", child="C1")
    assert [(r["item"], r["holder"], r["meeting_ids"], r["recorded_flows"]) for r in rows] == [
        ("UTI", "GP", ["M1", "M2"], ["not_shared"])
    ]


def test_knowledge_horizon_is_time_respecting(mini):
    rows = run_query(mini, "knowledge_horizon", "mini", item="UTI")
    # GP → SCH (Feb 2015) → HOME (Apr 2015); HOME → CSC happened in Jan 2015, before HOME knew,
    # so CSC could not have known; the flow to the LAC review was not shared, so it carries nothing.
    assert pick(rows, "party", "steps") == [("GP", 0), ("HOME", 2), ("SCH", 1)]
    assert pick(run_query(mini, "knowledge_horizon", "mini", item="UTI", by="2015-03-01"), "party") == [
        ("GP",),
        ("SCH",),
    ]


def test_meeting_horizon_says_what_the_room_knew(mini):
    rows = run_query(mini, "meeting_horizon", "mini", meeting="M1")
    assert [(r["item"], r["held_by"], r["reached"]) for r in rows] == [("UTI", ["GP practice A2"], False)]


def test_values_that_look_like_cypher_are_just_values(mini):
    assert [r["name"] for r in run_query(mini, "children", "mini")] == ["Child O'Neil {x}"]
