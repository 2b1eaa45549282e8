"""Boundaries, escalations, offenders, chronology and learning: on a made-up case whose answers
were worked out by hand (tests/fixtures/cross-case), and on the Child Q & Child S case, where
each assertion is something the review itself says."""

import datetime

import pytest

from graph.embedded import EmbeddedBackend
from graph.load import load_case
from loaders.validate import validate_path
from queries.library import _data, run_query
from tests.conftest import ROOT

CROSS_CASE = ROOT / "tests" / "fixtures" / "cross-case"
CROSS = "cross"


@pytest.fixture(scope="module")
def cross():
    backend = EmbeddedBackend(":memory:")
    load_case(backend, validate_path(CROSS_CASE))
    yield backend
    backend.close()


def pick(rows, *cols):
    return sorted(tuple(r[c] for c in cols) for r in rows)


def column(rows, col):
    return [r[col] for r in rows]


# --- Across boundaries -------------------------------------------------------------------------


def test_missed_escalations_count_the_harm_that_followed(cross):
    # The query is a UNION ALL of referrals and flows: the order between its branches is the
    # engine's, so rows are compared by concern.
    rows = sorted(run_query(cross, "missed_escalations", CROSS), key=lambda r: r["concern"])
    # XR-2 was actioned; XR-3 was never made but nothing is recorded after it.
    assert [(r["concern"], r["route"], r["harm_events"], r["harm_kinds"], r["first_harm"]) for r in rows] == [
        ("XF-9", "information flow", 2, ["arrest", "self_harm"], ["Sep 2015"]),
        ("XR-1", "referral", 3, ["arrest", "missing_episode", "self_harm"], ["2015-07-03"]),
    ]
    assert rows[1]["evidence"] == ["¶24", "¶25", "¶26", "¶43"]
    only_self_harm = run_query(cross, "missed_escalations", CROSS, harm_kinds=["self_harm"])
    assert pick(only_self_harm, "concern", "harm_events", "first_harm") == [
        ("XF-9", 1, ["2015-09-12"]),
        ("XR-1", 1, ["2015-09-12"]),
    ]


def test_referral_expectations_are_rows_with_a_citation():
    rows = _data("referral_expectations")
    assert {r["kind"] for r in rows} == {"self_harm", "disclosure", "missing_episode"}
    for r in rows:
        assert r["sectors"] and r["citation"] and "\n" not in r["citation"]
        assert all(w == w.lower() for w in r["services"])


# --- Offender contact --------------------------------------------------------------------------


def test_offender_contact_in_date_order(cross):
    rows = run_query(cross, "offender_contact", CROSS, child="K1")
    assert [(r["contact"], r["person"], r["person_kind"], r["channel"], r["place"]) for r in rows] == [
        ("XC-5", "FM1", "uncle", "phone", None),
        ("XC-1", "OFFX", "offender", "hidden_device", "His flat"),
        ("XC-2", "OFFX", "offender", "in_person", "His flat"),
    ]


def test_person_children_lists_every_link(cross):
    rows = run_query(cross, "person_children", "cross", person="OFFX")
    assert pick(rows, "child", "link", "detail") == [
        ("K1", "contact", "hidden_device"),
        ("K1", "contact", "in_person"),
        ("K1", "event about both", "Older male arrested"),
        ("K1", "took part in an event: harboured the child", "Missing overnight"),
        ("K2", "contact", "in_person"),
        ("K2", "information about both", "Older male known to K2's carers"),
    ]


def test_linked_children_through_a_person_and_a_place(cross):
    rows = run_query(cross, "linked_children", "cross")
    assert pick(rows, "child_a", "child_b", "link", "via") == [
        ("K1", "K2", "same person", "OFFX"),
        ("K1", "K2", "same place", "FLAT"),
    ]
    person = next(r for r in rows if r["link"] == "same person")
    assert person["contacts"] == [
        "K1: 2015-07-03 (in_person)",
        "K1: Jun 2015 (hidden_device)",
        "K2: Aug 2015 (in_person)",
    ]
    by_k2 = run_query(cross, "linked_children", "cross", child="K2")
    assert sorted(by_k2, key=repr) == sorted(rows, key=repr)


# --- Chronology --------------------------------------------------------------------------------


def test_chronology_in_date_order_with_who_was_notified(cross):
    rows = run_query(cross, "chronology", "cross", child="K1")
    assert [(r["event"], r["date"], r["notified"]) for r in rows] == [
        ("EV-M1", "Mar 2015", ["Force B CSE unit"]),
        ("EV-M2", "2015-07-03", []),
        ("EV-ARR", "Sep 2015", []),  # a month sorts by its first day, before the 12th
        ("EV-SH1", "2015-09-12", []),
    ]
    assert rows[0]["participants"] == ["Children's home X2 (reported)", "Force B CSE unit (notified)"]


def test_placement_moves_return_dates_for_counting_moves(cross):
    rows = run_query(cross, "placement_moves", "cross", child="K1")
    assert [(r["placement"], r["out_of_area"], r["period_from"], r["period_to"]) for r in rows] == [
        ("P0", False, datetime.date(2002, 1, 1), datetime.date(2014, 4, 30)),
        ("P1", True, datetime.date(2014, 5, 1), datetime.date(2015, 12, 31)),
        ("P2", False, datetime.date(2016, 1, 1), None),
    ]
    assert rows[1]["providers"] == ["Children's home X2"] and rows[1]["ended"] == "returned to X1"


def test_missing_episodes_with_duration(cross):
    rows = run_query(cross, "missing_episodes", "cross")
    assert [(r["event"], r["duration_hours"], r["notified"]) for r in rows] == [
        ("EV-M1", 5.0, ["Force B CSE unit"]),
        ("EV-M2", 30.5, []),
    ]


# --- Learning ----------------------------------------------------------------------------------


def test_learning_by_agency(cross):
    rows = run_query(cross, "learning_by_agency", "cross")
    assert [(r["point_kind"], r["point"], r["agency"]) for r in rows] == [  # the registry's order
        ("good practice", "GP1", "HOMEY"),
        ("learning point", "LP1", "POLA"),
        ("learning point", "LP1", "SCX"),
        ("learning point", "LP2", "GPY"),
    ]
    assert pick(run_query(cross, "learning_by_agency", "cross", agency="GPY"), "point") == [("LP2",)]
    assert {r["point"]: r["children"] for r in rows} == {"GP1": [], "LP1": ["K1"], "LP2": ["K1"]}


# --- The Child Q & Child S case ----------------------------------------------------------------


def test_qs_child_q_and_the_registered_sex_offender(embedded_qs):
    """¶15–17: Child Q stayed two nights at the home of a registered sex offender, and a second,
    unknown mobile device led to his arrest."""
    rows = [r for r in run_query(embedded_qs, "offender_contact", "child-q-s", child="Q") if r["person"] == "OF1"]
    assert {r["channel"] for r in rows} == {"in_person", "hidden_device"}
    assert all("Registered sex offender" in r["person_name"] for r in rows)
    assert all("home" in r["place"] for r in rows if r["channel"] == "in_person")
    hidden = next(r for r in rows if r["channel"] == "hidden_device")
    assert hidden["place"] is None and "mobile device" in hidden["outcome"]  # a device is a channel, not a place
    assert {"¶15", "¶16", "¶17"} <= {ref for r in rows for ref in r["evidence"]}
    assert {r["child"] for r in run_query(embedded_qs, "person_children", "child-q-s", person="OF1")} == {"Q"}


def test_qs_concerns_closed_before_child_s_came_to_harm(embedded_qs):
    """¶107, ¶162: CSE referrals assessed as low risk and closed; ¶128, ¶170: no CAMHS referral after
    the overdose at 11. Missing episodes followed."""
    rows = {r["concern"]: r for r in run_query(embedded_qs, "missed_escalations", "child-q-s", child="S")}
    for concern in ("RS14", "RS18", "RS22"):
        assert rows[concern]["outcome"] == "closed_low_risk" and rows[concern]["to_party"] == "AG34"
        assert "missing_episode" in rows[concern]["harm_kinds"]
    overdose = rows["RS16"]
    assert (overdose["from_party"], overdose["to_party"], overdose["outcome"]) == ("AG50", "AG48", "not_made")
    assert {"¶128", "¶170"} <= set(overdose["evidence"])


def test_qs_missing_episodes_the_review_times(embedded_qs):
    """¶17: 42 hours 45 minutes; ¶156: 10 days, then a further 8 days."""
    q = {r["event"]: r for r in run_query(embedded_qs, "missing_episodes", "child-q-s", child="Q")}
    s = {r["event"]: r for r in run_query(embedded_qs, "missing_episodes", "child-q-s", child="S")}
    assert q["EQ48"]["duration_hours"] == 42.75
    assert (s["ES55"]["duration_hours"], s["ES90"]["duration_hours"]) == (240.0, 192.0)


def test_qs_chronology_and_placements_are_in_date_order(embedded_qs):
    for child in ("Q", "S"):
        events = run_query(embedded_qs, "chronology", "child-q-s", child=child)
        assert len(events) > 50 and all(r["evidence"] for r in events)
        places = run_query(embedded_qs, "placement_moves", "child-q-s", child=child)
        starts = [r["period_from"] for r in places if r["period_from"]]
        assert starts == sorted(starts)
    pq5 = next(r for r in run_query(embedded_qs, "placement_moves", "child-q-s", child="Q") if r["placement"] == "PQ5")
    assert (pq5["areas"], pq5["period"]) == (["LA5"], "May 2013 – Feb 2015")  # ¶14, ¶40


def test_qs_no_person_of_concern_links_the_two_children(embedded_qs):
    """¶7: different offenders (older adult males for Q, younger males for S); nothing in the
    review links a person of concern, or a place of contact, to both children."""
    assert run_query(embedded_qs, "linked_children", "child-q-s") == []
