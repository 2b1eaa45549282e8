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


def test_did_not_attend_with_reason(mini):
    assert pick(run_query(mini, "did_not_attend", "mini"), "party", "reason") == [("SCH", "exams")]


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
