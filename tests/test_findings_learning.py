"""The review's learning beside the engine's findings (findings/learning.py): a learning point is set
beside a finding about an agency it names, that agency's teams, units or staff, for the children it is
about; only the engine's findings are linked, and every surface of the report carries the link."""

from __future__ import annotations

import json

import pytest

from findings.engine import run_findings
from findings.facts import Facts
from findings.learning import addresses, agencies_about, findings_by_point, learning_points, mark_learning
from findings.model import Finding
from findings.report import LEARNING_TITLE, render


def party(pid: str, target: str | None) -> dict[str, object]:
    return {
        "party": pid,
        "name": pid,
        "label": "Agency",
        "sector": "",
        "link": "member_of",
        "target": target,
        "evidence": [],
    }


# A police force with a CSE team and a detective in it; a GP practice apart.
FACTS = Facts.from_rows([party("FORCE", None), party("CSE", "FORCE"), party("DET", "CSE"), party("GP", None)], [], [])


def point_row(point: str, agency: str, children: list[str], refs: list[str], kind: str = "learning point") -> dict:
    return {
        "point_kind": kind,
        "point": point,
        "number": int(point[2:]),
        "point_name": f"{point} text",
        "agency": agency,
        "agency_name": agency,
        "sector": "",
        "children": children,
        "evidence": refs,
    }


POINTS = learning_points(
    [
        point_row("LP2", "GP", ["S"], ["LP2", "¶9"]),
        point_row("LP1", "FORCE", [], ["LP1", "¶3"]),
        point_row("LP1", "GP", [], ["LP1", "¶4"]),
        point_row("GP1", "FORCE", [], ["GP1"], kind="good practice"),
    ]
)


def finding(subjects: tuple[str, ...], child: str, evidence: tuple[str, ...] = ("¶4",)) -> Finding:
    return Finding("information_sharing", "r", "recorded", "s", (child,), subjects, evidence=list(evidence))


def sets_beside(point, f: Finding) -> bool:
    return addresses(point, f, agencies_about(f, FACTS))


def test_learning_points_are_read_once_each_with_every_agency_they_name():
    assert [(p.id, p.agencies, sorted(p.children), p.evidence) for p in POINTS] == [
        ("LP1", ("FORCE", "GP"), [], ("LP1", "¶3", "¶4")),
        ("LP2", ("GP",), ["S"], ("LP2", "¶9")),
    ]  # good practice is praise, not learning: it is not set beside a failing


def test_a_point_naming_an_agency_is_about_its_teams_and_staff_too():
    lp1 = POINTS[0]
    assert sets_beside(lp1, finding(("DET",), "Q"))  # the detective works in the force's CSE team
    assert sets_beside(lp1, finding(("CSE", "ITEM"), "Q"))
    assert not sets_beside(lp1, finding(("ITEM",), "Q"))


def test_a_point_about_a_child_is_set_beside_findings_about_that_child_only():
    lp2 = POINTS[1]
    assert sets_beside(lp2, finding(("GP",), "S", ("¶10",)))
    assert not sets_beside(lp2, finding(("GP",), "Q", ("¶10",)))


def test_a_point_is_set_beside_findings_from_its_own_part_of_the_review_only():
    lp1 = POINTS[0]  # arises from ¶3 and ¶4
    assert sets_beside(lp1, finding(("DET",), "Q", ("¶5",)))  # the next paragraph
    assert sets_beside(lp1, finding(("DET",), "Q", ("LP1",)))  # a finding citing the point itself
    assert not sets_beside(lp1, finding(("DET",), "Q", ("¶40",)))  # the same agency, elsewhere in the review


def test_every_point_is_listed_with_its_findings_even_when_none():
    found = [finding(("DET",), "Q"), finding(("GP",), "S", ("¶4", "¶9"))]
    mark_learning(found, POINTS, FACTS)
    assert [f.learning for f in found] == [["LP1"], ["LP1", "LP2"]]
    assert {p: [f.subjects for f in fs] for p, fs in findings_by_point(found, POINTS).items()} == {
        "LP1": [("DET",), ("GP",)],
        "LP2": [("GP",)],
    }
    assert findings_by_point([], POINTS) == {"LP1": [], "LP2": []}


# --- Child Q & S ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(embedded_qs):
    return run_findings(embedded_qs, "child-q-s")


def test_every_learning_point_of_the_review_is_listed_and_links_only_engine_findings(report):
    assert len(report.learning) == 38
    ids = {p.id for p in report.learning}
    assert all(set(f.learning) <= ids for f in report.findings)
    # Far fewer links than the Cypher re-derivation it replaced (531 gaps beside 37 points), and than by agency
    # alone (303): 53, each from the part of the review the point comes from.
    assert sum(len(f.learning) for f in report.findings) <= 60
    assert all(len(fs) <= 4 for fs in findings_by_point(report.findings, report.learning).values())


def test_the_reviews_learning_meets_the_findings_it_is_about(report):
    by_point = findings_by_point(report.findings, report.learning)
    # LP4: invite health professionals for looked-after children to care planning; the engine finds Health
    # professionals (LA5) not in the room at Child Q's planning meetings.
    assert any(f.theme == "not_in_room" and "AG43" in f.subjects for f in by_point["LP4"])
    # LP29: the primary school's missed opportunities to refer Child S; the engine's finding of what was
    # expected of the school (OMS8). A point about Child S is never beside a finding about Child Q alone.
    assert any("OMS8" in f.subjects for f in by_point["LP29"])
    assert all("S" in f.children for f in by_point["LP29"])


def test_every_report_format_carries_the_learning(report):
    doc = json.loads(render(report, "json"))
    lp4 = next(p for p in doc["learning"] if p["id"] == "LP4")
    assert lp4["children"] == ["Q"] and lp4["findings"]
    shown = {x["id"] for x in doc["findings"]}
    assert all(set(p["findings"]) <= shown for p in doc["learning"])
    assert f"## {LEARNING_TITLE} (38)" in render(report, "md")
    assert LEARNING_TITLE.replace("'", "&#x27;") in render(report, "html")
    assert "LP4" in render(report, "csv")
