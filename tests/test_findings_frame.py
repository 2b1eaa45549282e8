"""A flagged inference does not set the frame (issue 12, fifth audit, problem 1). Where the review is impersonal
the headline stays impersonal: the curation's guess lives only in the ``Inferred:`` note, and a guess that goes
against the very paragraph cited is not made. Run against the curated Child Q & S case.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from findings.compose import INFERRED
from findings.engine import run_findings
from findings.model import Finding
from findings.report import to_markdown
from graph.records import ValidatedCase
from loaders.evidence import resolver

CASE = Path(__file__).resolve().parents[1] / "data" / "cases" / "child-q-s"
AREA = re.compile(r"\(LA\s?\d\)")


@pytest.fixture(scope="module")
def findings(embedded_qs) -> list[Finding]:
    return list(run_findings(embedded_qs, "child-q-s").findings)


def _headline(finding: Finding) -> str:
    return finding.statement.split(f"({INFERRED}")[0]


def _names(case: ValidatedCase) -> dict[str, str]:
    return {str(n.props["id"]): str(n.props.get("name") or "") for n in case.nodes}


def test_an_area_the_review_does_not_give_is_not_in_the_headline(findings, qs_case: ValidatedCase) -> None:
    """¶81's School Nursing Service names no area and puts the health absences "especially when the child moved
    into a cross boundary area (LA5)": a note saying the review does not say which area's service keeps every
    area qualifier out of the party the headline names."""
    names = _names(qs_case)
    checked = 0
    for f in findings:
        if "does not say which area's" not in f.statement:
            continue
        party = next((names[s] for s in f.subjects if "School Nursing" in names.get(s, "")), "")
        if party:
            checked += 1
            assert party in _headline(f) and not AREA.search(party), f.statement
    assert checked, "¶81's School Nursing absence is no longer a finding"


def test_an_omission_read_from_a_learning_point_names_that_points_addressee(qs_case: ValidatedCase) -> None:
    """A learning point addressed to "the Local Authority" (LP10) is not given to a team that does not hold the
    duty (a placement team); one addressed to all partners ("(All)", LP17) records no one party's failure. So an
    omission whose EXPECTED_OF cites a learning point is expected of parties that point names (NAMES), and one
    that rests on an "(All)" point is the review's learning (its ``learning`` is that point) for the partners as
    the review speaks of them, never for a party it names alone (audit 6 extended u-frame's "more than one")."""
    named = {(e.src, e.dst) for e in qs_case.edges if e.type == "NAMES"}
    expected: dict[tuple[str, str], list[str]] = {}
    for e in qs_case.edges:
        if e.type == "EXPECTED_OF" and e.dst_label == "Agency":
            points = re.findall(r"LP\d+", str(e.props.get("source") or ""))
            for lp in points:
                expected.setdefault((e.src, lp), []).append(e.dst)
    bad = [(om, lp, ag) for (om, lp), parties in expected.items() for ag in parties if (lp, ag) not in named]
    assert not bad, f"omissions expected of a party their learning point does not name: {bad}"
    text, names = resolver(CASE), _names(qs_case)
    learning = {str(n.props["id"]): str(n.props.get("learning") or "") for n in qs_case.nodes if n.label == "Omission"}
    held = _held_by_learning_only(
        qs_case
    )  # a paragraph holding a named party (¶75: "the Constabulary") is its own ground
    to_all = {
        key: parties
        for key, parties in expected.items()
        if key[0] in held and str(text(key[1]) or "").endswith("(All)")
    }
    assert to_all, "no omission rests on a learning point addressed to all partners (LP17)"
    named_alone = [
        (om, lp, names[ag]) for (om, lp), parties in to_all.items() for ag in parties if not _collective(names[ag])
    ]
    assert not named_alone, f"a learning point addressed to all partners is charged to a named party: {named_alone}"
    assert all(learning.get(om) == lp for om, lp in to_all), f"an '(All)' point not worded as learning: {to_all}"


def _collective(name: str) -> bool:
    """A party the review speaks of only as a group ("Multi-agency partners (as the review speaks of them)")."""
    return name.endswith(("(as the review speaks of them)", "(not named by the review)"))


def _held_by_learning_only(qs_case: ValidatedCase) -> set[str]:
    """Omissions whose every party is held to them by a learning point or an agency's own recommendation (App3)
    alone, no paragraph of the review's account: the class of audit 6, problem 1, read from the curation."""
    sources: dict[str, list[str]] = {}
    for e in qs_case.edges:
        if e.type == "EXPECTED_OF" and e.dst_label == "Agency":
            sources.setdefault(e.src, []).extend(e.props.get("source") or [""])
    return {om for om, cited in sources.items() if all(re.fullmatch(r"LP\d+|App\d+", str(s)) for s in cited)}


def test_a_learning_point_is_the_reviews_learning_not_a_dated_failure(findings, qs_case: ValidatedCase) -> None:
    """LP17 "(All)", LP31 (a sector, with ¶136's "other agencies") and LP36 ("considers the development of 'trigger
    plans'") record no named party's failure; the review records those parties acting or praised (¶75, GP7; ¶123,
    GP18, ¶169; ¶155, ¶158, GP25). An omission held to its parties by a learning point alone is worded as the
    review's learning for those it addresses ("The review's learning (LP36) for …"), never "what was expected
    of", is dated only where the record is (a forward-looking point is undated), and carries the praise the
    review records as "but see"."""
    omissions = {str(n.props["id"]): n.props for n in qs_case.nodes if n.label == "Omission"}
    held = _held_by_learning_only(qs_case)
    assert held, "no omission is held to its parties by a learning point alone"
    unworded = [om for om in held if not omissions[om].get("learning")]
    assert not unworded, f"omissions held by a learning point alone but not worded as learning: {unworded}"
    by_record = {o.record: f for f in findings for o in f.occurrences if f.subjects and f.subjects[0] == o.record}
    for om, props in omissions.items():
        if not props.get("learning"):
            continue
        f = by_record[om]
        lead = f"The review's learning ({props['learning']}) for "
        assert f.statement.startswith(lead) and "expected of" not in f.statement, f.statement
        assert f.counter_evidence, f"{f.id}: the praise the review records beside {props['learning']} is not 'but see'"
        if not props.get("date_text"):
            assert all(o.date_from is None and o.date_to is None for o in f.occurrences), f.statement


def test_no_person_is_made_from_the_purpose_of_a_check(findings) -> None:
    """¶149 reports intelligence that Child S was at a hotel and a CCTV check "to identify possible
    offences/perpetrators": no person. The finding says where the child was reported and names no one."""
    hotel = [f for f in findings if f.theme == "offender_contact" and "¶149" in f.evidence]
    assert hotel, "¶149 no longer grounds an offender-contact finding"
    for f in hotel:
        assert "names no one" in f.statement and "had contact" not in f.statement, f.statement
        assert "perpetrators" not in _headline(f), f.statement


def test_a_label_does_not_contradict_its_own_caveat(qs_case: ValidatedCase) -> None:
    """A flow labelled ``disputed`` does not say, in its own words, that the text states no other account
    (¶74's "However, … had recollection" was labelled a dispute while its caveat denied one)."""
    for n in qs_case.nodes:
        if n.label == "Flow" and n.props.get("status") == "disputed":
            assert "does not state" not in str(n.props.get("information")), n.props["id"]


def test_an_undated_learning_point_says_the_review_gives_no_date(embedded_qs) -> None:
    """A forward-looking point is undated (LP36); the report says so rather than print an empty "()"."""
    text = to_markdown(run_findings(embedded_qs, "child-q-s"))
    assert "trigger plans" in text and " () " not in text and "(the review gives no date)" in text
