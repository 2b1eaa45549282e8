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


def test_cross_boundary_flow_failures_need_known_areas_that_share_nothing(cross):
    rows = run_query(cross, "cross_boundary_flow_failures", "cross")
    # Not reported: XF-2 (Force A covers X3 too), XF-4 and XF-7 (same area), XF-5 (the helpline has
    # no area), and every flow recorded as shared.
    assert pick(rows, "flow", "from_areas", "to_areas") == [
        ("XF-1", ["X3"], ["X2"]),
        ("XF-3", ["X2"], ["X1"]),  # the LAC review has no area of its own: its convener's counts
        ("XF-6", ["X2"], ["X1", "X3"]),  # police units sit in every area their force covers
        ("XF-8", ["X1"], ["X2"]),  # a professional sits where their agency does
        ("XF-9", ["X2"], ["X1"]),
    ]
    xf3 = next(r for r in rows if r["flow"] == "XF-3")
    assert xf3["evidence"] == ["¶5", "¶11", "¶35"] and xf3["status"] == "not_shared"


def test_cross_boundary_uninvited_keeps_only_parties_outside_the_responsible_area(cross):
    everyone = pick(run_query(cross, "uninvited_agencies", "cross"), "meeting", "party")
    rows = run_query(cross, "cross_boundary_uninvited", "cross")
    assert everyone == [("M1", "CAMX"), ("M1", "GPY"), ("M2", "GPY"), ("M2", "SCHY")]
    assert pick(rows, "meeting", "party", "party_areas") == [
        ("M1", "GPY", ["X2"]),
        ("M2", "GPY", ["X2"]),
        ("M2", "SCHY", ["X2"]),
    ]
    assert set(column(rows, "responsible_area")) == {"X1"}


def test_out_of_area_lost_sight_on_both_sides_of_the_boundary(cross):
    rows = run_query(cross, "out_of_area_lost_sight", "cross")
    # The X1 school and CAMHS were involved up to the move to X2 and dropped out; Force A's unit had
    # stopped in 2013, long before it. In X2 the home shared with social care; the school, the GP
    # and the Force B unit never exchanged anything with X1 (a failed flow is not an exchange).
    assert pick(rows, "placement", "side", "party") == [
        ("P1", "in the placement area", "GPY"),
        ("P1", "in the placement area", "POLB"),
        ("P1", "in the placement area", "SCHY"),
        ("P1", "left the responsible area", "CAMX"),
        ("P1", "left the responsible area", "SCHX"),
    ]
    schx = next(r for r in rows if r["party"] == "SCHX")
    assert schx["involved"] == "Sep 2011 – Apr 2014" and schx["placed"] == "May 2014 – Dec 2015"
    assert schx["evidence"] == ["¶6", "¶18"]


# --- Missed escalations ------------------------------------------------------------------------


def test_missed_escalations_count_the_harm_that_followed(cross):
    rows = run_query(cross, "missed_escalations", "cross")
    # XR-2 was actioned; XR-3 was never made but nothing is recorded after it.
    assert [(r["concern"], r["route"], r["harm_events"], r["harm_kinds"], r["first_harm"]) for r in rows] == [
        ("XR-1", "referral", 3, ["arrest", "missing_episode", "self_harm"], ["2015-07-03"]),
        ("XF-9", "information flow", 2, ["arrest", "self_harm"], ["Sep 2015"]),
    ]
    assert rows[0]["evidence"] == ["¶24", "¶25", "¶26", "¶43"]
    only_self_harm = run_query(cross, "missed_escalations", "cross", harm_kinds=["self_harm"])
    assert pick(only_self_harm, "concern", "harm_events", "first_harm") == [
        ("XF-9", 1, ["2015-09-12"]),
        ("XR-1", 1, ["2015-09-12"]),
    ]


def test_unreferred_events_against_the_referral_expectations(cross):
    rows = run_query(cross, "unreferred_events", "cross")
    # EV-SH1: the hospital told the GP, which is health but not CAMHS. EV-D1: the school referred to
    # social care, not the police. EV-M1 had the police taking part; EV-M2 was shared with them; in
    # EV-SH2 CAMHS took part; EV-D2 has no recorded participant, so it is not judged.
    assert pick(rows, "event", "expected_sector", "expected_services") == [
        ("EV-D1", "police", []),
        ("EV-SH1", "health", ["camhs", "mental health"]),
    ]
    guidance = {r["event"]: r["guidance"] for r in rows}
    assert "NICE" in guidance["EV-SH1"] and "Working Together" in guidance["EV-D1"]


def test_referral_expectations_are_rows_with_a_citation():
    rows = _data("referral_expectations")
    assert {r["kind"] for r in rows} == {"self_harm", "disclosure", "missing_episode"}
    for r in rows:
        assert r["sectors"] and r["citation"] and "\n" not in r["citation"]
        assert all(w == w.lower() for w in r["services"])


# --- Offender contact --------------------------------------------------------------------------


def test_offender_contact_in_date_order(cross):
    rows = run_query(cross, "offender_contact", "cross", child="K1")
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
    assert run_query(cross, "linked_children", "cross", child="K2") == rows


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
    # Each UNION ALL branch is ordered; the engine may return the branches in either order.
    assert sorted((r["point_kind"], r["point"], r["agency"]) for r in rows) == [
        ("good practice", "GP1", "HOMEY"),
        ("learning point", "LP1", "POLA"),
        ("learning point", "LP1", "SCX"),
        ("learning point", "LP2", "GPY"),
    ]
    assert pick(run_query(cross, "learning_by_agency", "cross", agency="GPY"), "point") == [("LP2",)]


def test_learning_with_findings_touch_the_agency_its_staff_and_units(cross):
    rows = run_query(cross, "learning_with_findings", "cross")
    assert pick(rows, "point", "agency", "finding_kind", "finding") == [
        ("LP1", "POLA", "flow failure", "XF-2"),
        ("LP1", "POLA", "flow failure", "XF-6"),
        ("LP1", "SCX", "flow failure", "XF-5"),
        ("LP1", "SCX", "flow failure", "XF-7"),  # sent by the key social worker, who works for SCX
        ("LP1", "SCX", "flow failure", "XF-8"),
        ("LP1", "SCX", "flow failure", "XF-9"),
        ("LP2", "GPY", "flow failure", "XF-3"),
        ("LP2", "GPY", "not invited", "M1 / GPY"),
        ("LP2", "GPY", "not invited", "M2 / GPY"),
    ]
    assert pick(run_query(cross, "learning_with_findings", "cross", point="LP2"), "finding") == [
        ("M1 / GPY",),
        ("M2 / GPY",),
        ("XF-3",),
    ]


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


def test_qs_missing_intelligence_does_not_cross_into_police_force_1(embedded_qs):
    """LP35 and ¶147: Police Force 1 did not receive missing-episode intelligence from the
    cross-boundary force while Child S was placed in LA3."""
    rows = {r["flow"]: r for r in run_query(embedded_qs, "cross_boundary_flow_failures", "child-q-s", child="S")}
    lp35 = rows["IS77"]
    assert (lp35["from_party"], lp35["to_party"], lp35["status"]) == ("AG-PF2", "AG-PF1", "system_gap")
    assert lp35["from_areas"] == ["LA3"] and lp35["to_areas"] == ["LA1", "LA2", "LA6"]
    assert {"LP35", "¶147"} <= set(lp35["evidence"])
    assert rows["IS39"]["to_party"] == "AG33"  # the local Missing from Care Coordinator
    learning = run_query(embedded_qs, "learning_with_findings", "child-q-s", point="LP35")
    assert ("AG-PF1", "flow failure", "IS77") in pick(learning, "agency", "finding_kind", "finding")


def test_qs_child_q_information_stopped_at_the_la5_boundary(embedded_qs):
    """¶82 and ¶70/LP16: the LA5 GP's recurrent-UTI findings never reached the LAC reviews, and
    Police Force 1 could see only local data while Police Force 4 tracked children across areas."""
    rows = {r["flow"]: r for r in run_query(embedded_qs, "cross_boundary_flow_failures", "child-q-s", child="Q")}
    assert (rows["IQ19"]["from_party"], rows["IQ19"]["to_party"]) == ("AG45", "MQ02")
    assert rows["IQ19"]["from_areas"] == ["LA5"] and rows["IQ19"]["to_areas"] == ["LA2"]
    assert (rows["IQ28"]["from_party"], rows["IQ28"]["to_party"]) == ("AG-PF4", "AG-PF1")
    assert "LP16" in rows["IQ28"]["evidence"]


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


def test_qs_child_q_self_harm_at_school_never_reached_camhs(embedded_qs):
    """¶86: self-harm at the LA5 school (Sep – Dec 2013); the first CAMHS referral is Sep 2014 (¶48)."""
    rows = run_query(embedded_qs, "unreferred_events", "child-q-s", child="Q")
    assert ("EQ68", "health") in pick(rows, "event", "expected_sector")


def test_qs_child_s_overdose_never_reached_camhs(embedded_qs):
    """¶128, ¶170: the hospital did not refer Child S (aged 11) to CAMHS after the overdose."""
    rows = run_query(embedded_qs, "unreferred_events", "child-q-s", child="S")
    assert ("ES25", "health") in pick(rows, "event", "expected_sector")


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


def test_qs_child_q_lost_from_sight_in_la5(embedded_qs):
    """¶24, ¶80: LA2 health records were held back by the school nursing service when Child Q moved
    to LA5; ¶82: the LA5 GP did not share; ¶23: LA5 health professionals were not kept informed."""
    rows = run_query(embedded_qs, "out_of_area_lost_sight", "child-q-s", child="Q")
    got = pick([r for r in rows if r["placement"] == "PQ5"], "side", "party")
    assert {("left the responsible area", "AG40"), ("left the responsible area", "AG44")} <= set(got)
    assert {("in the placement area", "AG45"), ("in the placement area", "AG43")} <= set(got)


def test_qs_la5_general_practice_not_invited(embedded_qs):
    """¶82–83 and App3: the LA5 General Practice was not invited to the partnership meetings."""
    rows = run_query(embedded_qs, "cross_boundary_uninvited", "child-q-s", child="Q")
    assert ("MQ05", "AG45") in pick(rows, "meeting", "party")
