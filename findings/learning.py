"""The review's learning beside the findings about the agencies it names.

A learning point names agencies (``NAMES``, citing the paragraphs it arises from) and may be about particular
children (``CONCERNS``). It is set beside a finding when one of the finding's subjects belongs to a named
agency (the agency itself, its teams and units, its staff: ``Facts.belongs_to``), the finding rests on the
same or a neighbouring paragraph as the point (``compose.beside``: the review sets each learning point after
the analysis it comes from), and, for a point about particular children, the finding is about one of them.
By agency alone, Child Q & S had 303 links (LP3, on practitioner events, beside 26 findings about the nine
agencies it names); with the paragraphs, 53. The review does not say which failing a learning point answers,
so the link is "learning for these agencies", never "this finding proves that point". Only the
engine's findings are linked, after open-world absence, time and counter-evidence, so a learning point is
never shown beside a gap the engine would not sign. This replaced the ``learning_with_findings`` query, which
re-derived failed flows and absences in Cypher and, on Child Q & S, set 531 of them beside 37 learning
points against the engine's 65 findings (docs/decisions.md, "The review's learning beside the engine's
findings").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from findings.compose import beside
from findings.facts import Facts
from findings.model import Finding
from queries.library import id_sort_key

POINT_KIND = "learning point"  # learning_by_agency's rows for learning points (the others are good practice)


@dataclass(frozen=True)
class LearningPoint:
    """One learning point as ``learning_by_agency`` gives it: the agencies it names, the children it is about
    (none: every child) and the refs for the point and each naming."""

    id: str
    number: object
    name: str
    agencies: tuple[str, ...]
    children: frozenset[str]
    evidence: tuple[str, ...]


def learning_points(rows: Iterable[dict[str, object]]) -> list[LearningPoint]:
    """The case's learning points from ``learning_by_agency`` rows (one row per point and agency named)."""
    named: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        if row["point_kind"] == POINT_KIND:
            named[str(row["point"])].append(row)
    points = [
        LearningPoint(
            point,
            its_rows[0]["number"],
            str(its_rows[0]["point_name"]),
            tuple(sorted({str(r["agency"]) for r in its_rows}, key=id_sort_key)),
            frozenset(str(c) for c in its_rows[0]["children"] or ()),
            tuple(dict.fromkeys(ref for r in its_rows for ref in r["evidence"])),
        )
        for point, its_rows in named.items()
    ]
    return sorted(points, key=lambda p: id_sort_key(p.id))


def agencies_about(finding: Finding, facts: Facts) -> set[str]:
    """Every party the finding's subjects are or belong to (its teams' units and agencies, its staff's employers)."""
    return set().union(*(facts.belongs_to(subject) for subject in finding.subjects))


def addresses(point: LearningPoint, finding: Finding, about: set[str]) -> bool:
    """Whether ``point`` names an agency the finding is ``about`` (``agencies_about``), arises from the paragraphs
    the finding rests on or their neighbours, and is about the finding's children (or every child)."""
    if point.children and not point.children & set(finding.children):
        return False
    return not about.isdisjoint(point.agencies) and beside(finding.evidence, point.evidence)


def mark_learning(findings: list[Finding], points: list[LearningPoint], facts: Facts) -> None:
    """Set each finding's ``learning`` to the learning points for the agencies it is about, in the review's order."""
    for finding in findings:
        about = agencies_about(finding, facts)
        finding.learning = [p.id for p in points if addresses(p, finding, about)]


def findings_by_point(findings: Iterable[Finding], points: list[LearningPoint]) -> dict[str, list[Finding]]:
    """Every learning point with the findings about the agencies it names (an empty list: none of the engine's)."""
    by_point: dict[str, list[Finding]] = {p.id: [] for p in points}
    for finding in findings:
        for point in finding.learning:
            by_point.setdefault(point, []).append(finding)
    return by_point
