"""Information-sharing findings a reviewer can sign (issue 12, precision): each statement says no more
than the review's words, praise is counter-evidence and never evidence, and "but see" cites the praise
that fits the finding's subject, aspect and time. Run against the curated Child Q & S case."""

from __future__ import annotations

from datetime import date

import pytest

from findings.engine import run_findings
from findings.model import Finding

THEME = "information_sharing"


@pytest.fixture(scope="module")
def sharing(embedded_qs) -> list[Finding]:
    return [f for f in run_findings(embedded_qs, "child-q-s").findings if f.theme == THEME]


def _with(findings: list[Finding], ref: str, rule: str = "flow_failures") -> list[Finding]:
    found = [f for f in findings if f.rule == rule and ref in f.evidence]
    assert found, f"no {rule} finding cites {ref}"
    return found


def test_praise_is_never_evidence_and_but_see_cites_no_appendix(sharing):
    """A good-practice point supports no failure; "but see" cites the praising paragraphs, not
    Appendix 5 (the collated copy of every point)."""
    for f in sharing:
        assert not [r for r in f.evidence if r.startswith("GP") or r == "App5"], f
        assert "App5" not in f.counter_evidence, f


def test_a_hedged_or_two_way_record_is_not_turned_into_a_one_sided_failure(sharing):
    """¶116's "deficit in communication between the Statutory Services and the Voluntary/Independent
    Agencies" and "information sharing could have been stronger", and ¶142's "may not have notified" name
    both parties and keep the review's words (each of these flows is curated hedged or two-way: see
    tests/test_findings_hedges.py)."""
    cases = (("¶116", ("eficit in communication", "could have been stronger")), ("¶142", ("may not have notified",)))
    for ref, words in cases:
        for f in _with(sharing, ref):
            assert f.statement.startswith("Between ") and any(w in f.statement for w in words), f.statement
            assert "did not share" not in f.statement, f.statement


def test_a_system_gap_is_a_gap_between_two_parties_not_a_failed_instance(sharing):
    """¶70 says the local force "were only able to access local data" and that it is "conceivable"
    services were unaware: a capability gap, not information that failed to arrive."""
    (finding,) = _with(sharing, "¶70")
    assert finding.statement.startswith("The review records a gap in systems between")
    assert "did not reach" not in finding.statement


def test_praise_of_the_same_item_by_the_same_party_is_its_but_see(sharing):
    """The force-tracking gap (¶70) is shown with ¶70's praise of the same missing-episode reports
    (GP14), by the same force and in the same period, as its "but see"."""
    (finding,) = _with(sharing, "¶70")
    assert {"GP14", "¶70"} <= set(finding.counter_evidence)


def test_an_item_nobody_held_is_not_information_withheld(sharing):
    """¶15: "It was not known at that point the child had stayed at the home of a registered sex
    offender" — nobody held it, so it is a gap in what was known, not a failure to pass it on."""
    (finding,) = [f for f in sharing if "IQ-RSOSTAY" in f.subjects]
    assert "knew at the time" in finding.statement and "did not know" not in finding.statement
    assert "no one is recorded as holding it" in finding.statement


def test_a_holder_is_named_where_a_flow_carries_the_item(sharing):
    """¶142: the family "may not have notified" CSC or the force of the child's whereabouts, so the
    family, not nobody, held them."""
    (finding,) = [f for f in sharing if "IS-WHEREABOUTS" in f.subjects]
    assert "family" in finding.statement and 'family") may have held it' in finding.statement


def test_shared_responsibility_is_quoted_whole(sharing):
    """¶23 puts it on "the local authority and health organisations from the placing authority":
    no finding cuts either party out with an ellipsis."""
    for f in _with(sharing, "¶23"):
        assert "..." not in f.statement
        assert "the local authority and health organisations from the placing authority" in f.statement, f.statement


def test_the_la5_flows_start_when_child_q_was_placed_in_la5(sharing):
    """Child Q moved to LA5 in May 2013 (¶40): ¶23 and ¶25's cross-boundary flows start then."""
    for ref in ("¶23", "¶25"):
        for f in _with(sharing, ref):
            assert all(o.date_from is None or o.date_from >= date(2013, 5, 1) for o in f.occurrences), f


def test_the_reviews_own_evidence_gathering_is_not_practice(sharing):
    """¶82's late request by the named doctor and ¶83's "provided information for the review on
    request" are the serious case review's own data gathering in 2016 (and ¶83 is praise)."""
    assert not [f for f in sharing if "¶83" in f.evidence]
    assert not [f for f in sharing if "AG41" in f.subjects]


def test_praise_of_one_practitioner_is_not_praise_of_their_organisation(sharing):
    """GP17 praises the LAC social worker's family communications from May 2015; it is no "but see" for
    ¶116's deficit in communication between the statutory and voluntary services."""
    for f in _with(sharing, "¶116"):
        assert "GP17" not in f.counter_evidence, f


def test_a_party_the_review_does_not_name_is_not_made_up(sharing):
    """¶201's "key multi-agency professionals were unaware of missing episodes" names none of them:
    the finding is about the collective party, not School Nursing (which ¶169 says kept track)."""
    for f in _with(sharing, "¶201"):
        assert "AG40" not in f.subjects and "not named by the review" in f.statement, f


def test_praise_of_the_sender_is_no_answer_to_the_receivers_failure(embedded_qs):
    """GP18 praises the Primary School that raised concerns 3 and 4; the findings blame the Duty Team and
    EDT that received them (¶121, ¶122), so the school's praise is not their "but see" — in any theme."""
    findings = [f for f in run_findings(embedded_qs, "child-q-s").findings if {"¶121", "¶122"} & set(f.evidence)]
    assert findings
    for f in findings:
        assert "AG30" not in f.at_fault, f
        assert "GP18" not in f.counter_evidence, f


def test_a_flow_failure_blames_the_end_it_is_on(sharing):
    """Who did not share is at fault for "not shared"; a two-way "deficit in communication" blames both;
    a hedge ("may not have notified") doubts the failure, not whose it is."""
    family = _with(sharing, "¶142")  # the senders only: ¶105's "Child S's mother and other family members"
    assert family and all(set(f.at_fault) == {"FS1", "FS9"} for f in family), family
    deficit = _with(sharing, "¶116")
    assert all(set(f.at_fault) == set(f.subjects) for f in deficit), deficit


def test_a_shared_flow_of_another_item_is_no_but_see(sharing):
    """The family's concern about the mother's drug use (¶129) does not answer the family's not notifying
    the child's whereabouts; the family's intelligence that led to the recovery (¶142) does."""
    for f in _with(sharing, "¶142"):
        assert "¶129" not in f.counter_evidence, f
        assert "¶142" in f.counter_evidence, f


def test_restraint_assurance_is_no_answer_to_what_was_shared(sharing):
    """GP11 praises the home's assurance of restrictive practice (a decision-making praise, as the fidelity
    file reads it): no "but see" on what A&E or the force knew or were told."""
    for f in sharing:
        assert "GP11" not in f.counter_evidence, f


def test_the_local_authoritys_cross_boundary_sharing_answers_what_health_was_not_told(sharing):
    """¶23's "not always made aware" is shown with ¶22/GP2 ("relevant information was shared effectively
    with most key local agencies" in the transition to LA5), the praise that answers it directly."""
    for f in _with(sharing, "¶23"):
        if "AG05" in f.at_fault:
            assert {"GP2", "¶22"} <= set(f.counter_evidence), f


def test_one_sentence_naming_two_senders_is_one_finding_naming_both(sharing):
    """¶23: "Cross boundary NHS professionals were not always made aware of relevant information by the local
    authority and health organisations from the placing authority" — one sentence, curated once per sender
    (IQ03 from CSC, IQ40 from NHS (LA2)): one finding naming both, never the same words charged to each."""
    sentence = "not always made aware of relevant information by the local authority and health organisations"
    (finding,) = [f for f in sharing if sentence in f.statement]
    assert {"AG05", "AG39", "AG43"} <= set(finding.subjects)
    assert "Children's Social Care (LA2)" in finding.statement and "NHS (LA2)" in finding.statement
    assert [o.record for o in finding.occurrences].count("IQ40") == 0  # the second copy is no occurrence


def test_how_many_times_counts_dates_not_records(sharing):
    """LP35 restates ¶147 (the same missing-intelligence gap, Aug – Dec 2015): not "2 times"."""
    (finding,) = _with(sharing, "LP35")
    assert "times" not in finding.statement
    # "cross boundary Police Forces": the review names no force, so neither does the finding
    assert "Police Force 2" not in finding.statement and "AG-PF2" not in finding.subjects


def test_a_sentence_naming_statutory_services_keeps_the_party_the_review_names(sharing):
    """¶116: "a deficit in communication between the Statutory Services and the Voluntary/Independent Agencies
    (Drug and Alcohol Services, Criminal Justice Rehabilitation Services and National Probation Services, Housing
    Services)" — one finding naming the four, charged to the Statutory Services (AG68), not to CSC."""
    (finding,) = [f for f in sharing if "deficit in communication between the Statutory Services" in f.statement]
    assert {"AG68", "AG56", "AG57", "AG58", "AG59"} <= set(finding.subjects) and "AG05" not in finding.subjects
    assert finding.statement.startswith("Between Statutory Services (as the review speaks of them) and ")


def test_a_dispute_is_worded_in_the_reviews_words(sharing):
    """¶74 as printed: "However, the residential home care workers had recollection of this request" — the
    statement lets the review's words speak ("the review records"), never "recollection differs"."""
    (finding,) = [f for f in sharing if "had recollection of this request" in f.statement]
    assert "the review records" in finding.statement and "recollection differs" not in finding.statement


def test_general_praise_of_a_party_is_no_but_see(embedded_qs):
    """GP20/¶139 (Social Work stability, "a positive impact on current frontline ... practice") and GP15's
    general praise of Police Force 4 weigh a party's practice as a whole: context, not an answer to a specific
    failure, so no finding of any theme is downgraded by them (third audit: #1, #2, #21, #22)."""
    for f in run_findings(embedded_qs, "child-q-s").findings:
        assert not {"GP20", "¶139"} & set(f.counter_evidence), f
        if "¶75" not in f.evidence:
            assert "GP15" not in f.counter_evidence and "¶75" not in f.counter_evidence, f


def test_general_praise_of_the_same_record_is_its_but_see(sharing):
    """¶75 weighs the care workers' commendation of the Constabulary's "expertise and support" against the
    legal challenges "not fully understood by the Constabulary" in the same paragraph: praise of that record."""
    (finding,) = [f for f in sharing if "¶75" in f.evidence and "LP17" in f.evidence]
    assert "¶75" in finding.counter_evidence


def test_an_item_not_known_blames_no_holder(sharing):
    """¶79: "no evidence that the impact of the regular physical restraint ... was a consideration or known to
    the urgent care assessment" records what was not known, not that the homes withheld it: the finding names
    the holders but blames none, so praise of their sharing with the schools (¶85, ¶86) is no "but see"."""
    for f in [f for f in sharing if f.rule == "never_knew"]:
        assert f.at_fault == (f.subjects[0],), f
    (restraint,) = [f for f in sharing if "IQ-RESTRAINT" in f.subjects]
    assert not restraint.counter_evidence


def test_a_hedged_holding_is_not_held(sharing):
    """¶142: "it appeared the family may not have notified or delayed notification" of the whereabouts: the family
    may have held them, as the review hedges it, and no line says anyone "did not know" (¶79's "no evidence ...
    known" is not that either)."""
    (finding,) = [f for f in sharing if "IS-WHEREABOUTS" in f.subjects]
    assert "may have held it" in finding.statement and not finding.statement.endswith(" held it.")
    for f in [f for f in sharing if f.rule == "never_knew"]:
        assert all("did not know" not in o.what for o in f.occurrences), f


def test_a_collective_party_keeps_the_reviews_scope(sharing):
    """¶194's "professionals in universal services" and ¶34's "cross boundary areas" name no school or area: the
    findings name the collective party the review speaks of, not the Local Secondary School or LA5."""
    (referral_status,) = [f for f in sharing if "IS-REFERRAL-STATUS" in f.subjects]
    assert "Professionals in universal services" in referral_status.statement
    assert "Local Secondary School" not in referral_status.statement
    (cse_data,) = _with(sharing, "¶34")
    assert "AG71" in cse_data.subjects and "AG20" not in cse_data.subjects


def test_an_unattributed_assessment_is_not_charged_to_one_agency(embedded_qs):
    """¶144's "The evidence provided limited assessment of the mother's parenting style" names no agency; LP33
    asks for a "single assessment process" in "early intervention processes": the CAF process, not CSC alone."""
    decisions = [f for f in run_findings(embedded_qs, "child-q-s").findings if f.theme == "decision_making"]
    (finding,) = [f for f in decisions if "¶144" in f.evidence and "LP33" in f.evidence]
    assert "MS04" in finding.subjects and "AG05" not in finding.subjects, finding.subjects


def test_expressed_concerns_are_not_an_objection(embedded_qs):
    """¶39: the psychologist "expressed concerns about the proposed placement move"; no finding hardens it."""
    for f in run_findings(embedded_qs, "child-q-s").findings:
        assert "objection" not in f.statement and all("objection" not in o.what for o in f.occurrences), f
