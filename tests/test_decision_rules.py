"""The decision_making and escalation rules (issue 13): on a made-up case whose answers were worked
out by hand (tests/fixtures/decisions-case, answers in its header), and on the Child Q & S case,
where each assertion is something the review itself says."""

from __future__ import annotations

import json

import pytest

from findings.context import RuleContext
from findings.model import Finding, Question
from findings.rules import decisions, escalation
from findings.rules.decisions import DecisionParams
from graph.embedded import EmbeddedBackend
from graph.load import load_case
from loaders.validate import validate_path
from queries.library import run_query
from tests.conftest import ROOT

DEC_CASE = ROOT / "tests" / "fixtures" / "decisions-case"
MY_QUERIES = ("child_decisions", "child_referrals", "risk_assessments", "challenges")


@pytest.fixture(scope="module")
def dec_case():
    return validate_path(DEC_CASE)


@pytest.fixture(scope="module")
def dec(dec_case):
    backend = EmbeddedBackend(":memory:")
    load_case(backend, dec_case)
    yield backend
    backend.close()


def run(rule, backend, child="C1", case="decisions", **params) -> list[Finding | Question]:
    ctx = RuleContext(backend, case, child)
    return list(rule(ctx, DecisionParams(**params)) if params else rule(ctx))


def claims(found, kind=Finding, n=1) -> dict[tuple[str, ...], Finding | Question]:
    """Claims by their first ``n`` subjects: the record (then the parties it names)."""
    return {f.subjects[:n]: f for f in found if isinstance(f, kind)}


# --- Recorded: what the review judges -----------------------------------------------------------


def test_judged_decisions_are_recorded_with_the_paragraph_that_judges_them(dec):
    found = claims(run(decisions.judged_decisions, dec))
    assert set(found) == {("D1",), ("D2",), ("R4",)}  # D4 is judged reasonable; D9 is the other child's
    assert all(f.basis == "recorded" and f.theme == "decision_making" for f in found.values())
    assert found[("D2",)].evidence == ["¶11"]
    # the review's own words with their ¶, hedge kept; never a label the review does not use
    assert "The review (¶11): “The case was possibly closed too soon”." in found[("D2",)].statement
    assert not any(label in f.statement for f in found.values() for label in ("prematurely", "as the case records"))
    # later harm is not an occurrence (nor evidence) of the closure: the review does not link them
    assert "Missing overnight" not in found[("D2",)].statement
    assert [o.record for o in found[("D2",)].occurrences] == ["D2"]
    assert "The review judges it: see ¶" in found[("D1",)].statement  # no words curated: pointed at the ¶
    assert found[("R4",)].statement.startswith("Force 1 CSE team (on a referral), May 2015")


def test_closed_then_harmed_is_a_question_showing_what_the_decider_held(dec):
    found = run(decisions.closed_then_harmed, dec)
    assert all(isinstance(q, Question) for q in found)
    q = claims(found, Question)
    assert set(q) == {("D3",)}  # D2 is judged wrong by the review, so it is a finding, not asked again
    assert "Neglect at home" in q[("D3",)].statement  # held by CSC, the duty team's organisation, by then
    assert "Disclosed neglect" in q[("D3",)].statement


def test_omissions_are_recorded_and_information_not_sought_is_information_sharing(dec):
    found = claims(run(decisions.omissions, dec))
    themes = {s: f.theme for s, f in found.items()}
    assert themes == {
        ("O1",): "decision_making",
        ("O2",): "decision_making",
        ("O3",): "information_sharing",
        ("O4",): "escalation",  # a challenge not made
    }
    assert "a challenge not made, expected of" in found[("O4",)].statement
    assert "expected of Social care A1" in found[("O1",)].statement and found[("O1",)].evidence == ["¶60"]
    assert found[("O1",)].subjects == ("O1", "CSC")  # the record, then who it was expected of


def test_meetings_cancelled_or_never_convened_are_recorded_for_their_child_only(dec):
    assert set(claims(run(decisions.meetings_not_held, dec))) == {("M2",), ("M3",)}
    assert set(claims(run(decisions.meetings_not_held, dec, child="C2"))) == {("M4",)}


# --- Derived patterns, with their parameters as data ---------------------------------------------


def test_drift_is_a_run_without_a_step_up_while_concerns_recur(dec):
    found = claims(run(decisions.drift, dec))
    assert set(found) == {("D1",)}
    f = found[("D1",)]
    assert f.basis == "recorded"  # D1 itself says the threshold was met and not applied
    assert [o.record for o in f.occurrences] == ["D1", "D2", "D3", "D4"]
    assert "until Jun 2014 (child in need), about 29 months, while 5 concerns recurred" in f.statement
    other = claims(run(decisions.drift, dec, child="C2"))
    assert [f.basis for f in other.values()] == ["inferred"] and "2 concerns" in other[("D10",)].statement


@pytest.mark.parametrize("params", [{"drift_months": 30}, {"drift_min_concerns": 6}])
def test_drift_spans_and_counts_are_parameters(dec, params):
    assert run(decisions.drift, dec, **params) == []


def test_repeated_closures_count_a_team_for_its_agency(dec):
    found = claims(run(decisions.repeated_closures, dec))
    assert set(found) == {("CSC",)}  # the duty team's D3 and R1 count for CSC; the CSE team closed only twice
    assert sorted(o.record for o in found[("CSC",)].occurrences) == ["D2", "D3", "R1"]
    assert found[("CSC",)].basis == "inferred"


@pytest.mark.parametrize("params", [{"closures_count": 4}, {"closures_window_months": 6}])
def test_repeated_closures_count_and_window_are_parameters(dec, params):
    assert run(decisions.repeated_closures, dec, **params) == []


def test_a_threshold_that_closes_before_harm_is_recorded_where_the_review_judges_a_closure(dec):
    found = claims(run(decisions.threshold_closes_before_harm, dec))
    assert set(found) == {("F1",)}  # the CSE team's force: RA1 + R3, RA2 + R4 (judged); RA3 is high
    f = found[("F1",)]
    assert f.subjects == ("F1", "RA1", "RA2")  # not the repeated-closures claim about the same force
    assert f.basis == "recorded" and "Disclosed sexual assault" in f.statement
    assert {"RA1", "R3", "RA2", "R4", "EV4"} <= {o.record for o in f.occurrences}
    assert run(decisions.threshold_closes_before_harm, dec, below_threshold=("medium",)) == []


# --- Escalation ------------------------------------------------------------------------------------


def test_challenge_not_escalated_is_a_finding_and_silence_a_question(dec):
    found = run(escalation.challenged_not_escalated, dec)
    assert set(claims(found, n=2)) == {("SCH", "D3")}
    assert set(claims(found, Question, n=2)) == {("POL", "D4")}  # SW's was resolved; SCH's on R1 went to a manager
    assert claims(found, n=2)[("SCH", "D3")].evidence == ["¶12", "¶70"]
    assert claims(found, n=2)[("SCH", "D3")].subjects == (
        "SCH",
        "D3",
        "DUTY",
    )  # the challenger, the decision, who made it


def test_rules_never_reach_another_case(dec):
    assert all(run(rule, dec, case="elsewhere") == [] for rule in (*decisions.RULES, *escalation.RULES))


# --- Both stores ---------------------------------------------------------------------------------


def canonical(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


@pytest.mark.neo4j
def test_decision_queries_give_the_same_rows_on_both_stores(dec, dec_case, neo4j):
    load_case(neo4j, dec_case)
    for qid in MY_QUERIES:
        for child in ("", "C1", "C2"):
            same = [canonical(run_query(b, qid, case_id="decisions", child=child)) for b in (dec, neo4j)]
            assert same[0] == same[1] and (same[0] or child == "C2"), (qid, child)
    events = [canonical(run_query(b, "child_events", case_id="decisions", kinds=["disclosure"])) for b in (dec, neo4j)]
    assert events[0] == events[1] and len(events[0]) == 2


# --- The Child Q & S case: what the review says --------------------------------------------------


def qs(rule, embedded_qs, child):
    return claims(run(rule, embedded_qs, child=child, case="child-q-s"))


def test_qs_judged_decisions(embedded_qs):
    s = qs(decisions.judged_decisions, embedded_qs, "S")
    assert {("DS02",), ("DS03",), ("DS04",), ("DS05",)} <= set(s)  # ¶135, ¶120, ¶123, ¶126/¶138
    assert "¶120" in s[("DS03",)].evidence
    assert (
        "The review (¶120): “It is recorded that the case was closed by Children’s Social Care"
        in s[("DS03",)].statement
    )
    q = qs(decisions.judged_decisions, embedded_qs, "Q")
    assert ("DQ06",) in q and "¶42" in q[("DQ06",)].evidence  # the move against the expert's advice
    assert ("DQ09",) not in q  # the roller-rink decision: the review does not call it wrong (¶96, ¶99)


def test_qs_school_challenged_the_section_47_closure_and_did_not_escalate(embedded_qs):
    found = claims(run(escalation.challenged_not_escalated, embedded_qs, child="S", case="child-q-s"), n=2)
    f = found[("AG31", "DS05")]
    assert f.basis == "recorded" and "¶126" in f.evidence and "did not escalate" in f.statement
    assert "AG05" in f.subjects and "¶194" in f.evidence  # the disagreement was with CSC's threshold (¶194)


def test_qs_child_s_drifted_under_early_help(embedded_qs):
    found = qs(decisions.drift, embedded_qs, "S")
    f = found[("DS01",)]
    assert f.basis == "recorded" and "until Dec 2014 (child in need)" in f.statement
    assert {"¶135", "¶175"} <= set(f.evidence)
    assert qs(decisions.drift, embedded_qs, "Q") == {}  # Child Q was looked after: no higher level to step to


def test_qs_cancelled_meetings_and_omissions(embedded_qs):
    assert {("MS01",), ("MS08",)} <= set(qs(decisions.meetings_not_held, embedded_qs, "S"))
    s = qs(decisions.omissions, embedded_qs, "S")
    assert "no lead professional" in s[("OMS1",)].statement and "¶135" in s[("OMS1",)].evidence
    # ¶175: "a reliance at times on Children's Social Care to lead the CAF process, when multi-agency partners
    # could have undertaken the function": the lead is not pinned on CSC
    assert s[("OMS1",)].subjects == ("OMS1", "MS04") and "expected of" not in s[("OMS1",)].statement
    # a process is where it should have happened, never a party it was expected of (issue 12, class 3)
    assert "in the CAF (early intervention) process (2014)" in s[("OMS2",)].statement
    assert not any("expected of CAF" in f.statement for f in s.values())
    assert {"AG30", "AG40"} <= set(s[("OMS10",)].subjects)  # LP31: "LA2 primary education, health", both
    q = qs(decisions.omissions, embedded_qs, "Q")
    assert ("OMQ1",) in q  # no suitability meeting (App3)
    assert q[("OMQ5",)].theme == "decision_making" and "¶43" in q[("OMQ5",)].evidence  # no specialist foster carers
    # a resource that "was not available" (¶43) is the commissioner's gap (LP10), not the decider's failure
    assert q[("OMQ5",)].subjects == ("OMQ5", "AG11") and "were not available" in q[("OMQ5",)].statement
    assert q[("OMQ6",)].theme == "escalation" and "LP17" in q[("OMQ6",)].evidence  # the plan's expectation unchallenged


def test_qs_missed_escalations_keep_the_audited_query(embedded_qs):
    found = claims(run(escalation.missed_escalations, embedded_qs, child="S", case="child-q-s"))
    sarc = found[("RS26",)]  # "a missed opportunity to escalate the case" (¶168)
    assert sarc.theme == "escalation" and sarc.basis == "recorded" and "¶168" in sarc.evidence
    assert "AG52" in sarc.subjects  # the SARC, which did not escalate
    # no CAMHS referral (¶128) is a decision the review judges ("a missed opportunity at the time"): one
    # finding, the judged decision with the review's words, not a second one here
    assert ("RS16",) not in found
    # the CSE team's closures as low risk (¶107) are the door's decisions: claimed once, by the decision theme
    assert not {("RS07",), ("RS14",), ("RS18",), ("RS20",), ("RS22",)} & set(found)
    # counter-evidence looks at every party the finding names: the Primary School that raised Concern 3
    # is praised for the same months (GP18, ¶133), so the finding shows "but see" rather than contradict it
    assert "GP18" in found[("IS14",)].counter_evidence


def test_qs_front_door_and_cse_threshold_closures(embedded_qs):
    judged = qs(decisions.judged_decisions, embedded_qs, "S")
    assert {("RS05",), ("RS16",)} <= set(judged)  # ¶121, ¶128
    # ¶168: the SARC's own learning review calls it "a missed opportunity to escalate": an escalation
    # (missed_escalations), not a threshold judgement the review makes
    assert ("RS26",) not in judged
    # the specialist CSE team's closures (¶107, ¶162): the review judges the tool's threshold (¶165), not
    # each closure, so they are not judged decisions ("closed prematurely" is not the review's)
    assert not {("RS14",), ("RS18",), ("RS22",)} & set(judged)
    closures = qs(decisions.repeated_closures, embedded_qs, "S")
    assert sorted(o.record for o in closures[("AG05",)].occurrences) == ["DS03", "DS05", "RS05", "RS07"]
    assert sorted(o.record for o in closures[("PF1",)].occurrences) == ["RS14", "RS18", "RS22"]
    threshold = qs(decisions.threshold_closes_before_harm, embedded_qs, "S")[("PF1",)]
    assert threshold.basis == "recorded" and {"¶162", "¶165"} <= set(threshold.evidence)  # LP38: before the first harm
    assert "The review (¶165): “A significant challenge for the specialist CSE team" in threshold.statement


# --- Issue 12, classes 1 and 2: the review's words, and no harm chain the review does not draw ------


def test_qs_review_words_are_the_reviews_own_at_the_ref_they_cite(qs_case):
    """Every judged record carries the review's words, and those words are at the ¶ they name, which
    is one of the record's own sources: a finding can only quote what the review says there."""
    from loaders.evidence import document_index
    from tests.test_fidelity import CASE_DIR, ELLIPSIS, _normalised

    index = document_index(CASE_DIR)
    problems = []
    for node in qs_case.nodes:
        props = node.props
        if node.label not in ("Decision", "Referral", "RiskAssessment"):
            continue
        if props.get("review_says") in decisions.WRONG and not props.get("review_words"):
            problems.append(f"{props['id']}: judged {props['review_says']} without the review's words")
        if not props.get("review_words"):
            continue
        at = decisions.QUOTED_AT.match(props["review_words"])
        if not at or at["ref"] not in str(props.get("source")):
            problems.append(f"{props['id']}: review_words must start with one of its own source refs")
            continue
        text = _normalised(" ".join(p.text for p in index.resolve(at["ref"])))
        problems += [
            f"{props['id']}: {fragment.strip()[:50]!r} is not in {at['ref']}"
            for fragment in at["words"].split(ELLIPSIS)
            if _normalised(fragment) not in text
        ]
    assert not problems, "\n".join(problems)


def test_qs_findings_quote_the_review_and_carry_no_later_harm(embedded_qs):
    judged = [*qs(decisions.judged_decisions, embedded_qs, "S").values()]
    judged += qs(decisions.judged_decisions, embedded_qs, "Q").values()
    for f in judged:
        assert "The review (¶" in f.statement and "as the case records it" not in f.statement, f.statement
        assert [o.record for o in f.occurrences] == [f.subjects[0]]  # the decision only: no later events
    missed = run(escalation.missed_escalations, embedded_qs, child="S", case="child-q-s")
    for f in missed:
        # the concern's own paragraphs: not ¶7 (offender profiles) or App1 §1 (the review's process)
        assert not {"¶7", "App1 §1"} & set(f.evidence) and [o.record for o in f.occurrences] == [f.subjects[0]]
        assert "the review does not say one caused the other" in f.statement
    found = claims(missed)
    # a referral never made: what the review records, never "raised a concern" (¶125 "no evidence … made")
    assert found[("RS10",)].statement.startswith("The review records no referral from Police Force 1 (Constabulary)")
    assert found[("RS26",)].statement.startswith("The review records no referral from Sexual Assault Referral Centre")
    assert found[("IS15",)].statement.startswith("Primary School (LA2) (Child S) passed information to")
    assert "the review records no action on it" in found[("IS15",)].statement  # ¶122 "no evidence of further action"


def test_qs_placement_move_is_shared_and_shown_against_the_praised_strategic_planning(embedded_qs):
    """The move to LA5 was a multi-agency strategic plan (¶37, ¶42), not Children's Social Care's alone,
    and the review praises that planning's leadership (GP4, ¶42): the finding names both and says "but see"."""
    move = qs(decisions.judged_decisions, embedded_qs, "Q")[("DQ06",)]
    assert {"AG05", "MQ01"} <= set(move.subjects)
    assert "High-level multi-agency strategic planning meetings" in move.statement
    assert {"GP4", "¶42"} <= set(move.counter_evidence)
    # a praise is shown by the refs that praise this subject, never the appendix collating every point
    every = [f for child in ("Q", "S") for rule in decisions.RULES for f in run(rule, embedded_qs, child, "child-q-s")]
    assert not any("App5" in f.counter_evidence for f in every if isinstance(f, Finding))


def test_qs_words_quoted_in_an_omission_are_at_its_paragraphs(qs_case):
    """An omission's description may paraphrase, but whatever it puts in quotation marks is the review's
    own words at the record's sources (a finding prints the description as "the review records")."""
    import re

    from loaders.evidence import document_index
    from tests.test_fidelity import CASE_DIR, _normalised

    index = document_index(CASE_DIR)
    problems = []
    for node in (n for n in qs_case.nodes if n.label == "Omission"):
        refs_ = list(node.props.get("source") or [])
        text = _normalised(" ".join(p.text for r in refs_ for p in index.resolve(r) or []))
        for quoted in re.findall(r'"([^"]+)"', str(node.props["description"])):
            problems += [
                f"{node.props['id']}: {part.strip()[:50]!r} is not at {refs_}"
                for part in re.split(r"\.\.\.|…", quoted)
                if part.strip() and _normalised(part) not in text
            ]
    assert not problems, "\n".join(problems)
