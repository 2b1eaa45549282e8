"""Information-sharing findings a reviewer can sign (issue 12, precision): each statement says no more
than the review's words, praise is counter-evidence and never evidence, and "but see" cites the praise
that fits the finding's subject, aspect and time. Run against the curated Child Q & S case."""

from __future__ import annotations

from datetime import date

import pytest

from findings.engine import run_findings
from findings.model import Finding
from findings.rules.information_sharing import HEDGES, hedged

THEME = "information_sharing"


@pytest.fixture(scope="module")
def sharing(embedded_qs) -> list[Finding]:
    return [f for f in run_findings(embedded_qs, "child-q-s").findings if f.theme == THEME]


def _with(findings: list[Finding], ref: str, rule: str = "flow_failures") -> list[Finding]:
    found = [f for f in findings if f.rule == rule and ref in f.evidence]
    assert found, f"no {rule} finding cites {ref}"
    return found


def test_hedges_are_the_reviews_words():
    assert hedged("No evidence that the Constabulary in attendance at the shoplifting made a referral to CSC")
    assert hedged("Deficit in communication with Housing Services")
    assert not hedged("Recurrent urinary tract infections not shared with multi-agency professionals")
    assert all(h == h.casefold() for h in HEDGES)


def test_praise_is_never_evidence_and_but_see_cites_no_appendix(sharing):
    """A good-practice point supports no failure; "but see" cites the praising paragraphs, not
    Appendix 5 (the collated copy of every point)."""
    for f in sharing:
        assert not [r for r in f.evidence if r.startswith("GP") or r == "App5"], f
        assert "App5" not in f.counter_evidence, f


def test_a_hedged_or_two_way_record_is_not_turned_into_a_one_sided_failure(sharing):
    """¶116's "deficit in communication between the Statutory Services and the Voluntary/Independent
    Agencies" and ¶142's "may not have notified" name both parties and keep the review's words."""
    for ref, words in (("¶116", "eficit in communication"), ("¶142", "may not have notified")):
        for f in _with(sharing, ref):
            if all(hedged(o.what) for o in f.occurrences):
                assert f.statement.startswith("Between ") and words in f.statement, f.statement
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
    assert "did not know at the time" in finding.statement
    assert "no one is recorded as holding it" in finding.statement


def test_a_holder_is_named_where_a_flow_carries_the_item(sharing):
    """¶142: the family "may not have notified" CSC or the force of the child's whereabouts, so the
    family, not nobody, held them."""
    (finding,) = [f for f in sharing if "IS-WHEREABOUTS" in f.subjects]
    assert "family" in finding.statement and finding.statement.endswith("held it.")


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
