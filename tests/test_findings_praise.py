"""Praise and mitigation the review states in a paragraph, not only in a good-practice point (issue 12,
fourth pass): curated as Praise the review document GAVE with the review's own words, and read by the
findings engine with the same subject, aspect, child and time rules as a point's praise. Run against the
curated Child Q & S case."""

from __future__ import annotations

import pytest

from findings.engine import run_findings
from findings.model import Finding
from loaders.evidence import document_index
from tests.test_fidelity import CASE_DIR, misquoted


@pytest.fixture(scope="module")
def findings(embedded_qs) -> list[Finding]:
    return run_findings(embedded_qs, "child-q-s").findings


def _about(findings: list[Finding], record: str) -> list[Finding]:
    """The findings with this record among their subjects or occurrences."""
    found = [f for f in findings if record in f.subjects or record in {o.record for o in f.occurrences}]
    assert found, f"no finding about {record}"
    return found


def test_paragraph_praise_quotes_the_review_at_its_own_ref(qs_case):
    """A link from the review document carries the review's words, verbatim, at a ¶ of its own source:
    "but see" can only cite what the review says there."""
    index = document_index(CASE_DIR)
    documents = {str(n.props["id"]) for n in qs_case.nodes if n.label == "SourceDocument"}
    given = {e.dst for e in qs_case.edges if e.type == "GAVE" and e.src in documents}
    links = [n for n in qs_case.nodes if n.label == "Praise" and n.props["id"] in given]
    assert len(links) >= 10
    problems = []
    for link in links:
        words = str(link.props.get("review_words") or "")
        problems += misquoted(str(link.props["id"]), words, link.props.get("source", []), index)
    assert not problems, "\n".join(problems)


def test_praise_in_the_same_paragraph_downgrades_the_finding_it_weighs(findings):
    """The review's own counterweight beside a criticism is its "but see": ¶134's "clearly child centred"
    in the sentence that finds the missed escalation; ¶125's school referral of the episode the police did
    not refer; ¶83's LA5 General Practice "more involved" against ¶82's "did not contribute"."""
    # ¶125's police non-referral is one sentence curated as a referral (RS10) and a flow (IS20): one finding, the
    # flow's, which the referral's "but see" follows (tests/test_findings_once.py)
    expected = {"OMS8": "¶134", "IS20": "¶125", "AG45": "¶83", "IS53": "¶167", "IQ37": "¶166"}
    for subject, ref in expected.items():
        for f in _about(findings, subject):
            assert ref in f.counter_evidence, f


def test_paragraph_praise_of_another_aspect_or_child_is_no_but_see(findings):
    """Same rule as a point's praise: ¶15's "offender disruption strategies were underway" does not answer
    what was not known (information sharing), and ¶82's quick reply about Child Q's records does not answer
    the review's failure to secure Child S's (¶167)."""
    for f in _about(findings, "IQ-RSOSTAY"):
        assert "¶15" not in f.counter_evidence, f
    for f in _about(findings, "IS53"):
        assert "¶82" not in f.counter_evidence and "S" in f.children, f


def test_a_mitigation_never_drops_a_finding(findings):
    """Counter-evidence only downgrades: each mitigated subject still has its finding, at its stable id."""
    ids = {f.id for f in findings}
    # F-eeae4f6fa89f holds ¶125's police non-referral (the referral's finding is folded into it: one sentence);
    # F-e7bcfab2c098 is ¶81's School Nursing absence, of the service as the review names it (no area; u-frame)
    assert {"F-a6439872c6c3", "F-eeae4f6fa89f", "F-a430b91bf279", "F-a7d673e75024", "F-e7bcfab2c098"} <= ids


def test_praise_nearby_of_another_aspect_is_shown_as_context(findings):
    """¶15's "Offender disruption strategies were underway at the time of this event" (and GP13) sits beside
    what Police Force 4 did not know: shown "see also", not a downgrade. A mitigation of another aspect is not
    context (¶81's "invited but could not attend" is no answer to ¶80's late records)."""
    for f in _about(findings, "IQ-RSOSTAY"):
        assert {"¶15", "GP13"} <= set(f.context) and not f.downgraded, f
    for f in findings:
        assert not set(f.context) & set(f.counter_evidence), f
    for f in _about(findings, "AG40"):
        if "¶80" in f.evidence:
            assert "¶81" not in f.context, f


def test_context_is_rendered_apart_from_but_see(embedded_qs):
    from findings.report import CONTEXT, render

    report = run_findings(embedded_qs, "child-q-s")
    md = render(report, "md")
    assert f"See also ¶15, GP13 (the review's praise of this subject nearby, {CONTEXT})." in md
    assert "context" in render(report, "csv").splitlines()[0].split(",")


def test_praise_of_the_very_record_a_finding_is_about_is_not_left_out(findings):
    """Issue 12, fourth pass (u-juxta): praise or mitigation of the record a finding is about, one or two
    paragraphs away, reaches it. Of the same aspect it is its "but see": ¶41's well-managed transition to the LA5
    home beside App3's suitability meeting read against that placement (OMQ1); ¶42's "multi-factorial reasons"
    beside ¶43's placements "difficult to identify" (OMQ5); ¶157/GP24's placement "good practice at the time" beside
    ¶159's placements "that may not be ideal" in the same episodes (OMS9); ¶73's home workers raising the risk
    beside LP17's "(All)" call to challenge read against the home (OMQ6). Of another aspect, praise of a record the
    finding lists is context wherever the review states it: GP21/¶178 beside Adult Services'
    absence, whose occurrences list its conference (MS10), ¶140 (the process itself) its "but see". Each finding is
    kept at its id."""
    placements = (
        ("OMQ1", "¶41", "F-6a1e3a8def2e"),
        ("OMQ5", "¶42", "F-9d6265a9dee4"),
        ("OMS9", "¶157", "F-725f7aadcf8a"),
        ("OMQ6", "¶73", "F-3847ea1da2c2"),  # the home's "ongoing expressions of concern" beside LP17 (All)
    )
    for record, ref, fid in placements:
        (f,) = _about(findings, record)
        assert ref in f.counter_evidence and f.id == fid, f
    (absent,) = [f for f in _about(findings, "MS10") if f.theme == "not_in_room"]
    # ¶140 praises the child protection process itself, a stage ¶144's "not fully included in the child protection,
    # or CAF processes" names: its "but see" (v-adult); GP21 (decisions, assessment) and ¶178 stay context
    assert "¶140" in absent.counter_evidence and absent.id == "F-088951faab36", absent
    assert {"¶178", "GP21"} <= set(absent.context), absent


def test_the_familys_part_in_the_recovery_weighs_against_its_harbouring_and_non_notification(findings):
    """¶105 and ¶142 report the family harbouring the child and not notifying its whereabouts, and in the same
    sentences that "At times the family were instrumental in providing intelligence that led to the recovery"
    (Table 3: "On occasions family, would support recovery"). Every finding about the family's contact (PC1) or
    about what was not known of the whereabouts carries that as "but see", not another subject's praise."""
    family = [f for f in findings if f.theme == "offender_contact" and "PC1" in f.subjects]
    unknown = [f for f in findings if f.rule == "never_knew" and "IS-WHEREABOUTS" in f.subjects]
    assert family and unknown
    for f in family + unknown:
        assert {"¶105", "¶142", "Table 3"} <= set(f.counter_evidence), f
    for f in unknown:  # GP17/¶179/¶192 praise PF1's cross-boundary coordination, not the family's disclosure
        assert not {"GP17", "¶179", "¶192"} & set(f.counter_evidence), f
        # ¶105 names "Child S's mother and other family members" as who may not have disclosed the whereabouts
        assert "Child S's mother" in f.statement and "extended family" in f.statement, f.statement


def test_praise_of_a_party_listed_as_who_did_not_know_is_no_but_see(findings):
    """A never-known finding lists the unaware party as each occurrence's record: that is who, not what it is
    about, so praise of that party's sharing elsewhere never answers it (only praise of the item does)."""
    for f in (f for f in findings if f.rule == "never_knew"):
        assert not {"GP17", "¶179", "¶192", "GP19", "¶136"} & set(f.counter_evidence), f


def test_a_family_is_worded_a_person_of_concern_never_an_offender(findings):
    """The family harbouring the child is a person of concern of kind family (¶150: "concerned they were
    harbouring the child"): the statement says so and never calls them offenders."""
    family = [f for f in findings if f.theme == "offender_contact" and "PC1" in f.subjects]
    for f in family:
        assert "a person of concern (family)" in f.statement, f.statement
        assert "offender" not in f.statement.lower(), f.statement
