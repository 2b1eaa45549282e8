"""Parties and periods the review does not name are flagged where a finding names them (issue 12, fourth audit,
problem 2). A reviewer signs "cancelled by Children's Social Care" only where the review says so (¶118), or where
the statement marks it as the curation's reading (¶131 is in the passive). Run against the curated Child Q & S case.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from findings.compose import INFERRED, flag_inferred
from findings.context import RuleContext
from findings.engine import run_findings
from findings.model import Finding, Question
from findings.rules.decision_patterns import drift
from loaders.evidence import resolver

CASE = Path(__file__).resolve().parents[1] / "data" / "cases" / "child-q-s"
# A collective party's name carries the flag itself ("Cross-boundary areas (as the review speaks of them)").
COLLECTIVE = ("as the review speaks of", "not named by the review")


@pytest.fixture(scope="module")
def ctx(embedded_qs) -> RuleContext:
    return RuleContext(embedded_qs, "child-q-s")


@pytest.fixture(scope="module")
def findings(embedded_qs) -> list[Finding | Question]:
    report = run_findings(embedded_qs, "child-q-s")
    return [*report.findings, *report.questions]  # a question names parties too (¶49's General Practitioner)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).casefold().replace("la 5", "la5").replace("la 2", "la2")


@pytest.fixture(scope="module")
def names_in_source(embedded_qs):
    """party id, refs → whether the source text at those refs names the party (its name, an alias, or its name
    without the curation's parenthesised qualifiers), or the party is a collective one named as such."""
    rows = embedded_qs.read(
        "MATCH (a:Agency) WHERE a.case_id = 'child-q-s' RETURN a.id AS id, a.name AS name, a.aliases AS aliases"
    )
    names = {r["id"]: [str(r["name"]), *(r["aliases"] or [])] for r in rows}
    text = resolver(CASE)

    def named(party: str, refs: list[str]) -> bool:
        if party not in names or any(c in names[party][0] for c in COLLECTIVE):
            return True  # a person, family or collective party: not an agency the curation could have chosen
        source = _norm(" ".join(text(r) or "" for r in refs))
        forms = {_norm(f) for n in names[party] for f in (n, re.sub(r"\s*\([^)]*\)", "", n)) if f.strip()}
        return any(f in source for f in forms)

    return named


def _built_on(findings: list[Finding], record: str, rules: tuple[str, ...], subject: str | None = None):
    return [
        f
        for f in findings
        if f.rule in rules
        and record in {o.record for o in f.occurrences}
        and (subject is None or subject in f.subjects)
    ]


MONTHS = "january february march april may june july august september october november december".split()


def _date_in(words: str, source: str) -> bool:
    """Whether every end of a date as the curation writes it ("Dec 2014", "May 2013 – Feb 2015", "2013") is in
    the source text, a month abbreviated or in full ("December 2014")."""
    for end in (e for e in re.split(r"\s+–\s+|^(?:from|until|before) ", words) if e.strip()):
        found = re.search(r"([A-Za-z]{3})?[a-z]*\s*(\d{4})", end)
        if not found:
            continue  # "early", "summer": only a year or a month can be checked
        month, year = found.group(1), found.group(2)
        full = next((m for m in MONTHS if month and m.startswith(month.casefold())), None)
        if not any(f in source for f in ([f"{full} {year}", f"{month.casefold()} {year}"] if full else [year])):
            return False
    return True


def _records(ctx: RuleContext) -> list[tuple[str, str, list[str], str, list[str], tuple[str, ...], str | None, str]]:
    """(kind, record id, parties, inferred, refs, rules that state it, subject that must be in the finding, date)
    for every record whose parties or dates a finding names: failed flows, what a party did not know, recorded
    absences, omissions, referrals, judged decisions, meetings not held and offender contacts."""
    out = []
    for f in ctx.rows("child_flows"):
        if f["status"] != "shared":
            rules = ("flow_failures", "information_missing_from_meeting", "unclear_flows")
            parties = [str(f["from_party"])] + ([str(f["to_party"])] if f["to_kind"] == "party" else [])
            out.append(("flow", str(f["flow"]), parties, str(f["inferred"]), f["evidence"], rules, None, f["date"]))
    for u in ctx.rows("unaware_of"):
        party, item = str(u["party"]), str(u["item"])
        out.append(("unaware", party, [party], str(u["inferred"]), u["evidence"], ("never_knew",), item, u["period"]))
    for d in ctx.rows("did_not_attend"):
        org, rules = ctx.facts.organisation(str(d["party"])), ("did_not_attend",)
        row = (
            "absence",
            str(d["meeting"]),
            [str(d["party"])],
            str(d["inferred"]),
            d["absence_evidence"],
            rules,
            org,
            "",
        )
        out.append(row)  # its dates are the meeting's: a cut to the party's time is flagged by the rule itself
    for o in ctx.rows("omissions"):
        parties = [str(p) for p in o["expected_of"]]
        out.append(
            ("omission", str(o["omission"]), parties, str(o["inferred"]), o["evidence"], ("omission",), None, o["date"])
        )
    for m in ctx.rows("child_meetings"):
        rules = ("meeting_not_held", "did_not_attend")  # an absence is dated by its meetings
        out.append(("meeting", str(m["meeting"]), [], str(m["inferred"]), m["evidence"], rules, None, m["date"]))
    for r in ctx.rows("child_referrals"):
        rules, parties = ("missed_escalation", "judged_decision"), [*map(str, r["senders"]), *map(str, r["recipients"])]
        out.append(("referral", str(r["referral"]), parties, str(r["inferred"]), r["evidence"], rules, None, r["date"]))
    for k in ctx.rows("offender_contact"):
        out.append(
            ("contact", str(k["contact"]), [], str(k["inferred"]), k["evidence"], ("contacts",), None, k["date"])
        )
    for d in ctx.rows("child_decisions"):
        rules = ("judged_decision",)
        out.append(("decision", str(d["decision"]), [], str(d["inferred"]), d["evidence"], rules, None, d["date"]))
    return out


def test_no_finding_names_a_party_or_period_its_record_does_not_without_the_inference(ctx, findings, names_in_source):
    """The class test: every party and date a finding names for a record is in that record's own paragraphs, or
    the record carries ``inferred`` and every finding built on it shows it after "Inferred:"."""
    text = resolver(CASE)
    checked, flagged = 0, 0
    for kind, record, parties, inferred, refs, rules, subject, when in _records(ctx):
        built = _built_on(findings, record, rules, subject)
        if not built:
            continue
        checked += 1
        unnamed = [p for p in parties if not names_in_source(p, refs)]
        assert not unnamed or inferred, f"{kind} {record}: {unnamed} not named at {refs} and not marked inferred"
        source = _norm(" ".join(text(r) or "" for r in refs))
        assert _date_in(str(when or ""), source) or inferred, f"{kind} {record}: {when} is not at {refs}, not inferred"
        if inferred:
            flagged += 1
            for f in built:
                assert INFERRED in f.statement and inferred.rstrip(".") in f.statement, (record, f.id, f.statement)
    assert checked > 40 and flagged >= 10, (checked, flagged)


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("¶131", "the review does not say who cancelled it"),  # "the CIN meeting was cancelled"
        ("¶15", "the review does not say who was unaware"),  # "It was not known at that point"
        ("¶81", "the review does not say which area's School Nursing Service"),
        ("¶82", "the review does not say which General Practice"),
        ("¶167", "the review does not say whose General Practice"),
        ("¶81", "the review does not date the absence; the dates are the meetings' within"),  # cut to a party's time
        ("¶23", "¶23 gives no dates"),  # Child Q's time in LA5 is the curation's period
    ],
)
def test_the_audits_impersonal_paragraphs_are_flagged(findings, ref, words):
    """The fourth audit's examples: each finding on these paragraphs says which of its parties is the curation's."""
    found = [f for f in findings if ref in f.evidence and words in f.statement]
    assert found, f"no finding on {ref} flags: {words}"


def test_the_flag_is_one_wording_shown_once():
    rows = [
        {"inferred": "the review does not say who; read as X (¶1)."},
        {"inferred": "the review does not say who; read as X (¶1)"},
    ]
    assert flag_inferred("A did B.", rows) == "A did B. (Inferred: the review does not say who; read as X (¶1).)"
    assert flag_inferred("A did B.", [{"inferred": ""}, {}]) == "A did B."
    two = [{"inferred": "the review does not say who; read as X (¶1)"}, {"inferred": "¶2 gives no date"}]
    assert (
        flag_inferred("A did B.", two)
        == "A did B. (Inferred: the review does not say who; read as X (¶1); ¶2 gives no date.)"
    )


def test_a_drift_period_names_the_statutory_records_inside_it(ctx):
    """¶119's CIN meeting (Feb 2014) and ¶126's section 47 (Nov 2014) fall inside Child S's early-help run: the
    statement names them beside the review's own words, never "stayed at or below early help"."""
    (finding,) = [f for f in drift(RuleContext(ctx.backend, "child-q-s", "S")) if "S" in f.children]
    assert "stayed at or below" not in finding.statement
    assert "CIN meeting (Concern 1) (Feb 2014, ¶119)" in finding.statement
    assert "Section 47 investigation" in finding.statement
    assert "kept the case at" not in finding.statement  # the tool's reading of levels never sits beside the steps
