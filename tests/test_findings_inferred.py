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
from findings.model import Finding
from findings.rules.decisions import drift
from loaders.evidence import resolver

CASE = Path(__file__).resolve().parents[1] / "data" / "cases" / "child-q-s"
# A collective party's name carries the flag itself ("Cross-boundary areas (as the review speaks of them)").
COLLECTIVE = ("as the review speaks of", "not named by the review")


@pytest.fixture(scope="module")
def ctx(embedded_qs) -> RuleContext:
    return RuleContext(embedded_qs, "child-q-s")


@pytest.fixture(scope="module")
def findings(embedded_qs) -> list[Finding]:
    return run_findings(embedded_qs, "child-q-s").findings


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


def _records(ctx: RuleContext) -> list[tuple[str, str, list[str], str, list[str], tuple[str, ...], str | None]]:
    """(kind, record id, parties, inferred, refs, rules that state it, subject that must be in the finding) for every
    record whose parties a finding names: failed flows, what a party did not know, recorded absences, omissions."""
    out = []
    for f in ctx.rows("child_flows"):
        if f["status"] not in ("shared", "unclear"):
            rules = ("flow_failures", "information_missing_from_meeting")
            parties = [str(f["from_party"])] + ([str(f["to_party"])] if f["to_kind"] == "party" else [])
            out.append(("flow", str(f["flow"]), parties, str(f["inferred"]), f["evidence"], rules, None))
    for u in ctx.rows("unaware_of"):
        out.append(
            (
                "unaware",
                str(u["party"]),
                [str(u["party"])],
                str(u["inferred"]),
                u["evidence"],
                ("never_knew",),
                str(u["item"]),
            )
        )
    for d in ctx.rows("did_not_attend"):
        org = ctx.facts.organisation(str(d["party"]))
        parties = [str(d["party"])]
        out.append(
            ("absence", str(d["meeting"]), parties, str(d["inferred"]), d["absence_evidence"], ("did_not_attend",), org)
        )
    for o in ctx.rows("omissions"):
        parties = [str(p) for p in o["expected_of"]]
        out.append(("omission", str(o["omission"]), parties, str(o["inferred"]), o["evidence"], ("omission",), None))
    for m in ctx.rows("child_meetings"):
        out.append(("meeting", str(m["meeting"]), [], str(m["inferred"]), m["evidence"], ("meeting_not_held",), None))
    return out


def test_no_finding_names_a_party_its_record_does_not_without_the_inference(ctx, findings, names_in_source):
    """The class test: every party a finding names for a record is named in that record's own paragraphs, or the
    record carries ``inferred`` and every finding built on it shows it after "Inferred:"."""
    checked, flagged = 0, 0
    for kind, record, parties, inferred, refs, rules, subject in _records(ctx):
        built = _built_on(findings, record, rules, subject)
        if not built:
            continue
        checked += 1
        unnamed = [p for p in parties if not names_in_source(p, refs)]
        assert not unnamed or inferred, f"{kind} {record}: {unnamed} not named at {refs} and not marked inferred"
        if inferred:
            flagged += 1
            for f in built:
                assert f"({INFERRED} {inferred.rstrip('.')}.)" in f.statement, (record, f.id, f.statement)
    assert checked > 40 and flagged >= 10, (checked, flagged)


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("¶131", "the review does not say who cancelled it"),  # "the CIN meeting was cancelled"
        ("¶15", "the review does not say who was unaware"),  # "It was not known at that point"
        ("¶81", "the review does not say which area's School Nursing Service"),
        ("¶82", "the review does not say which General Practice"),
        ("¶167", "the review does not say whose General Practice"),
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


def test_a_drift_period_names_the_statutory_records_inside_it(ctx):
    """¶119's CIN meeting (Feb 2014) and ¶126's section 47 (Nov 2014) fall inside Child S's early-help run: the
    statement names them and calls the period the tool's, never "stayed at or below early help"."""
    (finding,) = [f for f in drift(RuleContext(ctx.backend, "child-q-s", "S")) if "S" in f.children]
    assert "stayed at or below" not in finding.statement
    assert "CIN meeting (Concern 1) (Feb 2014, ¶119)" in finding.statement
    assert "Section 47 investigation" in finding.statement and "the period too is the tool's" in finding.statement
