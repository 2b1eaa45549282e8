"""One fact of the review is counted once (issue 12, audit 4 problem 3b): a sentence of the review, or one
curated record (a concern, a flow, a decision), is the primary evidence of at most one finding, so the
count of failings per party is not inflated. On the curated Child Q & S case in the embedded store, and on
hand-made findings for the precedence rule.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date

import pytest

from findings.context import RuleContext
from findings.engine import _about_the_same, _quoted_runs, _taken_on, one_claim_per_sentence, run_findings
from findings.model import Finding, Occurrence
from loaders.evidence import case_folder, resolver

CASE = "child-q-s"


@pytest.fixture(scope="module")
def report(embedded_qs):
    return run_findings(embedded_qs, CASE)


@pytest.fixture(scope="module")
def organisation(embedded_qs):
    return RuleContext(embedded_qs, CASE, "Q").facts.organisation


def test_no_sentence_of_the_review_grounds_two_findings(report, organisation):
    """No two findings about the same child and organisation quote a common run of the review's own words, in
    any themes (an absence and a flow included): ¶82's GP sentence, ¶135's "worked under early intervention" and
    ¶125's police non-referral are each one finding; ¶121's two sentences (the EDT's advice; the MASH) are one
    finding's, the advice shown as "also: …" (one call to one door: ``_taken_on``)."""
    text_of = resolver(case_folder(CASE))
    runs = {f.id: _quoted_runs(f, text_of) for f in report.findings}
    for a, b in itertools.combinations(report.findings, 2):
        assert not (_about_the_same(a, b, organisation) and runs[a.id] & runs[b.id]), (a.id, b.id)
    for words in (
        "was not invited to attend partnership meetings",
        "The case was worked under early intervention",
        "the Constabulary in attendance at the shoplifting",
        "processed through the MASH",
        "asked for information",  # ¶123: the Omission OMS3, no longer also a flow "not requested"
        "not consistently invited",  # ¶23: AG43's recorded absence, no longer also a flow of invitations
    ):
        assert len([f for f in report.findings if words in f.statement]) == 1, words
    (mash,) = [f for f in report.findings if "processed through the MASH" in f.statement]
    assert [o.what for o in mash.occurrences if "advised to inform the Constabulary" in o.what] == [
        "also: Concern 3: the child seen shoplifting with the mother; the school was advised to inform the "
        "Constabulary — outcome: redirected"
    ]


def test_no_record_is_the_primary_evidence_of_two_findings(report, organisation):
    """A record listed as an occurrence (cross-references excepted) belongs to one finding per child and party
    blamed: the ¶135 CAF record, the CSE team's three closures. A decision and the unescalated challenge of it
    blame different parties (the decider, the challenger: ¶126) and stay two."""
    owners: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        for record in {o.record for o in f.occurrences if o.record}:
            owners[record].append(f)
    for record, findings in owners.items():
        for a, b in itertools.combinations(findings, 2):
            assert not _about_the_same(a, b, organisation), (record, a.id, b.id)
    assert not [f for f in report.findings if f.rule == "repeated_closures" and "PF1" in f.subjects]
    # the section 47 (¶126) is the school's unescalated challenge only: the review does not judge the decision
    assert len([f for f in report.findings if "DS05" in f.subjects]) == 1


def test_a_pattern_lists_a_record_judged_on_its_own_as_a_cross_reference(report):
    """The drift keeps the ¶135 record it quotes and shows the Apr 2014 closure (¶120) and the Jul 2014
    assessment (¶123), each judged in a finding of its own, as "see also <that finding>"."""
    ids = {f.id for f in report.findings}
    (drift,) = [f for f in report.findings if f.rule == "drift" and "S" in f.children]
    also = [o for o in drift.occurrences if o.what.startswith("see also ")]
    assert len(also) == 2 and all(o.record is None and o.what.split()[2].rstrip(":") in ids for o in also)
    assert "DS02" in {o.record for o in drift.occurrences}
    judged = {o.record for f in report.findings if f.rule == "judged_decision" for o in f.occurrences}
    assert {"DS03", "DS04"} <= judged and "DS02" not in judged


def test_a_childs_online_groups_are_one_finding(report):
    """Child Q's collectively described online groups (¶17, ¶73, Table 2) are one finding, their contacts its
    occurrences; a named offender met online (¶64) stays his own, and Child S's one group keeps its finding."""
    contacts = [f for f in report.findings if f.rule == "contacts"]
    (groups,) = [f for f in contacts if "OF6" in f.subjects]
    assert set(groups.subjects) == {"OF4", "OF5", "OF6"} and len(groups.occurrences) == 3
    assert "does not tell apart" in groups.statement
    assert [f.subjects for f in contacts if "OF3" in f.subjects] == [("OF3",)]
    assert [f.subjects for f in contacts if "OF10" in f.subjects] == [("OF10",)]


def _finding(theme: str, rule: str, statement: str, records: list[str], **more) -> Finding:
    return Finding(
        theme=theme,
        rule=rule,
        basis=more.pop("basis", "recorded"),
        statement=statement,
        children=("Q",),
        subjects=("GP",),
        occurrences=[Occurrence(what=r, record=r) for r in records],
        evidence=more.pop("evidence", ["¶1"]),
        **more,
    )


SENTENCE = "“did not contribute to multi-agency information sharing and was not invited to partnership meetings”"


def test_a_recorded_absence_keeps_the_sentence_and_a_folded_finding_keeps_its_but_see():
    """Precedence: a "but see" is never dropped (the finding carrying it keeps the claim); else a recorded
    absence over the flow read from the same words, and the folded finding's refs stay with the claim."""
    absence = _finding("not_in_room", "did_not_attend", f"GP at meetings: {SENTENCE}.", ["M1"])
    flow = _finding("information_sharing", "flow_failures", f"GP and CSC: {SENTENCE}.", ["F1"], evidence=["¶2"])
    (kept,) = one_claim_per_sentence([flow, absence])
    assert kept is absence and kept.evidence == ["¶1", "¶2"]
    absence = _finding("not_in_room", "did_not_attend", f"GP at meetings: {SENTENCE}.", ["M1"])
    answered = _finding("information_sharing", "flow_failures", f"GP: {SENTENCE}.", ["F1"], counter_evidence=["GP9"])
    (kept,) = one_claim_per_sentence([absence, answered])
    assert kept is answered and kept.counter_evidence == ["GP9"]


def test_a_count_inside_a_recorded_pattern_is_folded_into_it():
    """Three closures the tool counts (inferred) that a recorded threshold pattern lists are that pattern's."""
    closures = _finding("decision_making", "repeated_closures", "Joined-Up counts 3.", ["R1", "R2", "R3"])
    closures.basis = "inferred"
    pattern = _finding("decision_making", "threshold_closes_before_harm", "Assessed low.", ["A1", "R1", "R2", "R3"])
    assert one_claim_per_sentence([closures, pattern]) == [pattern]
    other_party = _finding("decision_making", "judged_decision", "Closed.", ["R1"], responsible=("DOOR",))
    assert len(one_claim_per_sentence([pattern, other_party])) == 2


def test_one_sentence_naming_two_recipients_is_one_finding_blaming_its_sender(report):
    """¶142: the family "may not have notified or delayed notification to Children's Social Care or the
    Constabulary": one finding naming both recipients (not one per recipient), blaming the family only — the
    senders ¶105 names, "Child S's mother and other family members" (FS1 and FS9), one sentence and one finding."""
    (finding,) = [f for f in report.findings if "delayed notification" in f.statement]
    assert {"AG05", "PF1"} <= set(finding.subjects) and finding.at_fault == ("FS1", "FS9")


def test_a_message_and_the_decision_taken_on_it_are_one_finding(report, organisation):
    """No message not shared or acted on is also, as a decision of the same party on the same child at the same
    time, a second finding on the same paragraphs (audit 5, problem 3): the expert psychologist's concerns that
    "did not impact on the placement decision" (¶42) are the placement decision's (¶39, ¶42, ¶50 within its
    refs), shown there as "also: …"; Concern 3's call to the duty team (¶121) is the MASH finding's."""
    for a, b in itertools.permutations(report.findings, 2):
        assert not _taken_on(a, b, organisation), (a.id, b.id)
    (placement,) = [f for f in report.findings if "DQ06" in _records_of(f)]
    assert placement.theme == "decision_making" and not [f for f in report.findings if "IQ12" in _records_of(f)]
    (also,) = [o for o in placement.occurrences if o.what.startswith("also: ")]
    assert also.record is None and "did not impact on the placement decision" in also.what
    assert not [f for f in report.findings if "RS05" in _records_of(f)]


def _records_of(finding: Finding) -> set[str]:
    return {o.record for o in finding.occurrences if o.record}


def _dated(finding: Finding, when: date) -> Finding:
    finding.occurrences = [
        Occurrence(what=o.what, record=o.record, refs=tuple(finding.evidence), date_from=when, date_to=when)
        for o in finding.occurrences
    ]
    return finding


def test_the_narrower_of_a_message_and_its_decision_folds_into_the_wider_whatever_the_theme_order():
    """The message's paragraphs within the decision's: the decision keeps it, though information_sharing comes
    first in theme order; the message's occurrence is shown as "also: …", no record of its own. Another period,
    or a pattern of decisions, is not the decision taken on it."""
    may = date(2013, 5, 1)
    message = _dated(
        _finding("information_sharing", "flow_failures", "Not acted on.", ["F1"], evidence=["¶39", "¶42"]), may
    )
    decision = _dated(
        _finding("decision_making", "judged_decision", "Moved.", ["D1"], evidence=["¶39", "¶42", "¶50"]), may
    )
    (kept,) = one_claim_per_sentence([message, decision])
    assert kept is decision and [(o.what, o.record) for o in kept.occurrences][-1] == ("also: F1", None)
    later = _dated(_finding("decision_making", "judged_decision", "Moved.", ["D2"], evidence=["¶42"]), date(2015, 1, 1))
    message = _dated(_finding("information_sharing", "flow_failures", "Not acted on.", ["F1"], evidence=["¶42"]), may)
    assert len(one_claim_per_sentence([message, later])) == 2
    drift = _dated(_finding("decision_making", "drift", "A run.", ["D3", "D4"], evidence=["¶39", "¶42"]), may)
    message = _dated(_finding("information_sharing", "flow_failures", "Not acted on.", ["F1"], evidence=["¶42"]), may)
    assert len(one_claim_per_sentence([message, drift])) == 2


def test_one_transfer_told_in_two_paragraphs_is_one_finding_naming_both_senders(report):
    """The 2013 delay in Child Q's health records is one transfer: ¶24 "delay in receiving the information from
    the NHS (LA2)", ¶80 "the school nursing service held onto the records" (same item, recipient, time and
    failure). One finding names both senders and shows both paragraphs, ¶80's reason included."""
    delays = [f for f in report.findings if {"¶24", "¶80"} & set(f.evidence) and f.rule == "flow_failures"]
    assert len(delays) == 1, [f.id for f in delays]
    (delay,) = delays
    assert {"AG39", "AG40", "AG42"} <= set(delay.subjects) and {"AG39", "AG40"} <= set(delay.at_fault)
    assert {"IQ05", "IQ06"} == {o.record for o in delay.occurrences}
    assert "held onto the records" in delay.statement and "shared information late with" in delay.statement


# -- Adult Services' exclusion (¶129, ¶135, ¶141, ¶144, ¶184, LP33): one finding a theme, charged as the review does --

ADULT_SERVICES = "AG60"
IMPERSONAL_EXCLUSION = ("not fully included", "were not included")


def test_adult_services_exclusion_is_one_finding_per_child_and_theme(report):
    """¶129, ¶135, ¶144 and ¶184 state one conclusion about Adult Services; each theme the review reads it in
    (not_in_room: the processes; information_sharing: "so often they were not aware") carries it once."""
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in report.findings:
        if ADULT_SERVICES in f.subjects:
            for child in f.children:
                seen[(child, f.theme)].append(f.id)
    assert seen, "no Adult Services finding"
    assert all(len(ids) == 1 for ids in seen.values()), dict(seen)


def test_an_impersonal_exclusion_is_not_charged_to_one_named_agency(report):
    """ "were not fully included" (¶144) names no one who excluded: the finding names the parties the review puts
    the gap between (¶141 "multi-agency partners and Children's Social Care", ¶175), never one agency alone."""
    excluding = [f for f in report.findings if any(words in f.statement for words in IMPERSONAL_EXCLUSION)]
    assert excluding
    for f in excluding:
        if f.theme != "information_sharing":
            continue
        blamed = set(f.at_fault) - {ADULT_SERVICES}
        assert len(blamed) > 1, (f.id, sorted(blamed))
        assert "multi-agency partners" in f.statement, f.id  # the note quotes the review's own parties


def test_praise_of_the_stage_the_review_names_is_the_but_see(report):
    """¶144 names "the child protection, or CAF processes"; ¶140 and ¶178 praise the child protection stage
    (Jan 2015): every finding spanning it on ¶144's words is downgraded by that praise, and the conference the
    curation pins "the child protection … processes" to is flagged as the curation's."""
    on_144 = [
        f
        for f in report.findings
        if "child protection, or CAF processes" in f.statement
        and any((o.date_to or o.date_from or date.min) >= date(2015, 1, 1) for o in f.occurrences)
    ]
    assert len(on_144) == 2, [f.id for f in on_144]
    for f in on_144:
        assert any(ref.split(":")[0].strip() in {"¶140", "¶178"} for ref in f.counter_evidence), (
            f.id,
            f.counter_evidence,
        )
    (absence,) = [f for f in on_144 if f.theme == "not_in_room"]
    assert "not which meeting" in absence.statement
