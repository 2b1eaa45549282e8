"""Hedges kept in headlines and labels (issue 12, fourth pass): where the review hedges a record ("no evidence
that", "may not have", "not always", "concerns that a male had seen", "unable to secure"), the record carries
its ``certainty`` and no statement or bullet label the engine writes for it uses the hard form ("not shared",
"no action", "not known to", "records no referral", "had contact with", a plain "self harm"). Run against the
curated Child Q & S case in a real store."""

from __future__ import annotations

import pytest

from findings.certainty import QUALIFIER, STATED, no_record_of, not_done, qualified
from findings.engine import run_findings
from findings.model import Finding
from findings.report import BASIS_NOTE, to_markdown
from graph.schema import load_schema
from queries.library import run_query

CASE = "child-q-s"
HEDGED_TYPES = ("Flow", "Referral", "Event", "Contact", "UNAWARE_OF")
# The review's own hedging words: a failed flow or a referral not made or not acted on whose curated words carry
# one of these is one the review does not state as fact; a contact whose words carry one of ``REPORTED_WORDS`` is
# one it reports (a concern, an allegation, intelligence), not one it establishes.
HEDGE_WORDS = (
    "no evidence",
    "may not",
    "not always",
    "not consistently",
    "not fully",
    "on occasions",
    "not necessarily",
    "could have been",
    "possibly",
    "unable to",
    "deficit in",
    "no effective",
    "limited evidence",
)
REPORTED_WORDS = ("concerns that", "concern that", "alleged", "intelligence", "thought to", "suspected", "reported by")
FAILED = {"not_shared", "late", "no_action", "not_requested", "system_gap"}
# The hard forms a label or statement may use only for a record the review states.
HARD_LABELS = ("not shared:", "no action:", "not requested:", "late:", "system gap:", "not known to ")
HARD_STATEMENTS = ("did not share information", "did not act on information", "did not request information")


@pytest.fixture(scope="module")
def findings(embedded_qs) -> list[Finding]:
    return run_findings(embedded_qs, CASE).findings


@pytest.fixture(scope="module")
def certainty(embedded_qs) -> dict[str, str]:
    """Record id → certainty, for every record a finding's occurrence can be (an UNAWARE_OF link by party/item)."""
    rows = {
        **{str(r["flow"]): str(r["certainty"]) for r in run_query(embedded_qs, "child_flows", CASE)},
        **{str(r["contact"]): str(r["certainty"]) for r in run_query(embedded_qs, "offender_contact", CASE)},
        **{str(r["referral"]): str(r["certainty"]) for r in run_query(embedded_qs, "child_referrals", CASE)},
    }
    rows.update({f"{r['party']}/{r['item']}": str(r["certainty"]) for r in run_query(embedded_qs, "unaware_of", CASE)})
    return rows


def _hedges(words: object, vocabulary: tuple[str, ...] = HEDGE_WORDS) -> bool:
    return any(w in str(words).casefold() for w in vocabulary)


def test_certainty_is_one_enum_worded_once():
    """Decided once: the same levels on every type that carries them, each worded by findings.certainty."""
    schema = load_schema()
    for name in HEDGED_TYPES:
        spec = (schema.nodes.get(name) or schema.edges[name]).props["certainty"]
        assert list(spec.values) == list(QUALIFIER) and spec.default == STATED, name
    for level in QUALIFIER:
        if level != STATED:
            assert not_done("not shared", "shared", level) != "not shared"
            assert "records no referral" not in no_record_of("referral from A to B", level)
            assert qualified("self harm", level) != "self harm"


def test_the_curation_marks_what_the_review_hedges(embedded_qs):
    """Every failed flow, referral not made or not acted on, and contact whose curated words carry one of the
    review's hedges is curated as hedged (the engine words the data, so the data must say it)."""
    unmarked = [
        f"{r['flow']}: {r['information']}"
        for r in run_query(embedded_qs, "child_flows", CASE)
        if r["status"] in FAILED and _hedges(r["information"]) and r["certainty"] == STATED
    ]
    unmarked += [
        f"{r['referral']}: {r['reason']}"
        for r in run_query(embedded_qs, "child_referrals", CASE)
        if r["outcome"] in ("not_made", "no_action") and _hedges(r["reason"]) and r["certainty"] == STATED
    ]
    unmarked += [
        f"{r['contact']}: {r['outcome']}"
        for r in run_query(embedded_qs, "offender_contact", CASE)
        if _hedges(r["outcome"], REPORTED_WORDS) and r["certainty"] == STATED
    ]
    assert not unmarked, unmarked


def _record_key(finding: Finding, record: str | None) -> str | None:
    return f"{record}/{finding.subjects[0]}" if finding.rule == "never_knew" else record


def test_no_label_of_a_hedged_record_uses_the_hard_form(findings, certainty):
    """¶121–122's "no evidence that further action was taken" is no "no action"; ¶79's "no evidence ... known
    to" no "not known to"; ¶142's "may not have notified" no "not shared"; ¶167's "unable to secure" no
    "not shared"; a contact the review reports as a concern says so."""
    hedged = 0
    for f in findings:
        for o in f.occurrences:
            level = certainty.get(_record_key(f, o.record) or "", STATED)
            if level == STATED:
                continue
            hedged += 1
            assert not o.what.startswith(HARD_LABELS), (f.id, o.what)
            if f.rule == "contacts":
                assert QUALIFIER[level] in o.what, (f.id, o.what)
    assert hedged >= 25  # the class, not one finding: every hedged flow, contact and never-known item


def test_no_statement_of_hedged_records_only_uses_the_hard_form(findings, certainty):
    """A finding all of whose records the review hedges states none of them as fact: no "X did not share", no
    "records no referral", no "X had contact with"."""
    for f in findings:
        levels = {certainty.get(_record_key(f, o.record) or "", STATED) for o in f.occurrences}
        if STATED in levels or not f.occurrences:
            continue
        assert not any(h in f.statement for h in HARD_STATEMENTS), f.statement
        assert "records no referral" not in f.statement, f.statement
        if f.rule == "contacts":
            assert "had contact with" not in f.statement and "without establishing it" in f.statement, f.statement


def test_a_referral_the_review_finds_no_evidence_of_is_not_recorded_as_not_made(findings):
    """¶125: "There is no evidence that the Constabulary in attendance ... made a referral". The sentence is
    curated as a referral and as a flow: one finding (tests/test_findings_once.py), which keeps the hedge."""
    (police,) = [f for f in findings if "in attendance at the shoplifting" in f.statement]
    assert "records no referral" not in police.statement and "no evidence" in police.statement.casefold()
    if police.rule == "missed_escalation":
        assert police.statement.startswith("The review found no evidence of a referral from Police Force 1")


def test_harm_the_review_qualifies_keeps_its_qualification(findings, embedded_qs):
    """¶128's "accidental overdose", which the child later said was made up (¶170), is no plain "self harm": in
    every finding that names it, and in the harm clause read on the event itself (the police non-referral that
    named it is one finding with the flow of its sentence now, which names no later harm)."""
    from findings.rules.decision_terms import harm_clause, harm_kinds

    events = run_query(embedded_qs, "child_events", case_id=CASE, child="S", kinds=harm_kinds())
    concern9 = [e for e in events if "Concern 9" in str(e["name"])]
    assert concern9
    with_harm = [f.statement for f in findings if "came to harm" in f.statement and "Concern 9" in f.statement]
    for text in [harm_clause(concern9), *with_harm]:
        assert "self harm (as reported, not established)" in text, text
        assert "first recorded: self harm," not in text


def test_a_male_the_review_does_not_identify_is_no_suspected_offender(findings):
    """¶108: "concerns that a male had seen Child S whilst knowing the child was missing from care"; the review
    speaks only of "potential offenders"."""
    (male,) = [f for f in findings if f.rule == "contacts" and "¶108" in f.evidence]
    assert "suspected offender" not in male.statement and "the review does not identify him" in male.statement
    assert "without establishing it" in male.statement
    assert "concerns that a male had seen Child S" in male.occurrences[0].what


def test_the_report_says_recorded_findings_keep_the_reviews_hedges(embedded_qs):
    report = run_findings(embedded_qs, CASE)
    text = to_markdown(report)
    assert BASIS_NOTE in text and "records the failure" not in text
    assert "Contact with offenders and persons of concern" in text


def test_a_curated_summary_keeps_the_reviews_hedge(findings):
    """Words the engine quotes for an omission or decision are the review's, hedge included: ¶129's "no evidence
    that Adult Services were included" and ¶144's "not fully included" are no "not included"; ¶123's "no evidence
    that other agencies were asked" no "not asked"; ¶75's "not fully understood ... or made clear" no "not made
    clear"; ¶123's "no evidence to indicate that any other intervention" no "only 1:1 work"."""
    words = {o.record: o.what for f in findings for o in f.occurrences}
    # ¶144's sentence is the omission OMS6 and the flow IS58: one finding (tests/test_findings_once.py)
    adult = [words[r] for r in ("OMS6", "IS58") if r in words]
    assert len(adult) == 1 and "not fully included" in adult[0] and " not included" not in adult[0]
    if "OMS6" in words:
        assert "no evidence that Adult Services were included" in words["OMS6"]
    assert "no evidence that other agencies were asked" in words["OMS3"]
    # ¶75's sentence is the omission OMQ3 and the flow IQ18: one finding (tests/test_findings_once.py)
    legal = [words[r] for r in ("OMQ3", "IQ18") if r in words]
    assert len(legal) == 1 and "not fully understood by the Constabulary or made clear" in legal[0]
    assert "no evidence to indicate that any other intervention" in words["DS04"] and "only 1:1" not in words["DS04"]
    assert "'for part of the time'" in words["DS02"]  # ¶135: worked under early intervention "for part of the time"


def test_information_at_a_meeting_the_review_hedges_is_not_said_not_to_have_passed(findings):
    """¶119: "There was no effective communication with the Services who were working with Child S's mother"
    is no "information did not pass between them"."""
    (cin,) = [f for f in findings if f.rule == "information_missing_from_meeting" and "¶119" in f.evidence]
    assert "information did not pass" not in cin.statement
    assert "the review records, about what passed between them (at times or in part)" in cin.statement
