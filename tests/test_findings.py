"""The findings engine: derived facts (closure, in the room, time), aggregation, open-world
questions, and the Child Q & S report's shape (issue 12's "done when")."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date

import pytest

from findings.compose import overlaps
from findings.context import RuleContext
from findings.engine import _merge, run_findings
from findings.facts import Facts
from findings.model import Finding, Occurrence
from findings.report import render
from graph.embedded import EmbeddedBackend
from graph.load import load_case
from loaders.validate import validate_path
from queries.library import registry, run_query

PARTIES = [
    {
        "party": "AG1",
        "name": "Police Force",
        "label": "PoliceForce",
        "sector": "police",
        "link": "member_of",
        "target": "AG1",
        "evidence": ["¶1"],
    },
    {
        "party": "AG2",
        "name": "CSE team",
        "label": "Agency",
        "sector": "police",
        "link": "member_of",
        "target": "AG1",
        "evidence": ["¶2"],
    },
    {
        "party": "PR1",
        "name": "Detective",
        "label": "Professional",
        "sector": "",
        "link": "member_of",
        "target": "AG2",
        "evidence": ["¶3"],
    },
    {
        "party": "AG3",
        "name": "GP",
        "label": "Agency",
        "sector": "health",
        "link": "member_of",
        "target": None,
        "evidence": ["¶4"],
    },
    {
        "party": "AG1",
        "name": "Police Force",
        "label": "",
        "sector": "",
        "link": "located_in",
        "target": "LA1",
        "evidence": ["¶1"],
    },
]
HOLDINGS = [{"item": "I1", "item_name": "Phone", "party": "PR1", "date_from": date(2015, 2, 1), "evidence": ["¶9"]}]


@pytest.fixture
def facts() -> Facts:
    return Facts.from_rows(PARTIES, HOLDINGS, [])


def test_a_team_and_its_staff_count_for_their_agency(facts):
    assert facts.organisation("PR1") == facts.organisation("AG2") == "AG1"
    assert facts.same_organisation("PR1", "AG1") and not facts.same_organisation("AG3", "AG1")
    assert facts.sector("PR1") == "police" and facts.areas("PR1") == {"LA1"}


def test_a_units_parent_is_in_the_room_when_the_unit_is(facts):
    meeting = {"invited": [], "attended": [], "convened": ["AG2"]}
    assert "AG1" in facts.in_room(meeting) and "AG3" not in facts.in_room(meeting)


def test_informed_by_respects_time(facts):
    assert facts.first_held("I1") == date(2015, 2, 1)
    assert facts.informed_by("AG1", date(2015, 1, 31)) == set()
    assert facts.informed_by("AG1", date(2015, 3, 1)) == {"I1"}


def test_an_overlap_needs_more_than_a_shared_boundary_month():
    assert not overlaps(date(2010, 1, 1), date(2015, 2, 28), date(2015, 2, 1), date(2015, 6, 30))
    assert overlaps(date(2010, 1, 1), date(2015, 6, 30), date(2015, 2, 1), date(2015, 6, 30))
    assert overlaps(None, None, date(2015, 2, 1), date(2015, 6, 30))
    assert overlaps(date(2014, 1, 1), date(2015, 12, 31), date(2015, 3, 1), date(2015, 3, 31))  # a March meeting
    assert not overlaps(date(2015, 3, 1), date(2015, 12, 31), date(2010, 1, 1), date(2015, 3, 31))


def _finding(what: str, record: str) -> Finding:
    return Finding(
        "not_in_room",
        "r",
        "recorded",
        "s",
        ("Q",),
        ("AG1",),
        [Occurrence(what, "2014", date(2014, 1, 1), date(2014, 12, 31), ("¶1",), record)],
        ["¶1"],
    )


def test_one_finding_per_claim_merges_occurrences():
    found: dict = {}
    _merge(found, _finding("a", "M1"))
    _merge(found, _finding("b", "M2"))
    _merge(found, _finding("a", "M1"))
    (only,) = found.values()
    assert [o.record for o in only.occurrences] == ["M1", "M2"]


@pytest.fixture(scope="module")
def report(embedded_qs):
    return run_findings(embedded_qs, "child-q-s")


def test_child_q_and_s_report_is_few_and_complete(report):
    assert 0 < len(report.findings) <= 250 and len(report.questions) <= 60
    ids = [i.id for i in [*report.findings, *report.questions]]
    assert len(ids) == len(set(ids))
    claims = [(f.theme, f.children, f.subjects) for f in report.findings]
    assert len(claims) == len(set(claims)), "two findings make the same claim"
    for f in report.findings:
        assert f.id and f.theme and f.basis and f.statement and f.evidence, f
        assert all(o.refs for o in f.occurrences), f
    assert any(f.theme == "offender_contact" for f in report.findings)


def test_no_absence_finding_on_a_meeting_whose_record_is_not_complete(report, embedded_qs):
    meetings = {m["meeting"]: m for m in run_query(embedded_qs, "child_meetings", case_id="child-q-s")}
    for f in report.findings:
        if f.theme == "not_in_room" and f.basis == "inferred":
            assert all(meetings[o.record]["attendance"] == "complete" for o in f.occurrences), f


def test_ranked_recorded_before_inferred(report):
    ranks = [f.rank for f in report.findings]
    assert ranks == sorted(ranks, reverse=True)
    bases = [f.basis for f in report.findings]
    assert "recorded" not in bases[bases.index("inferred") :] if "inferred" in bases else True


def test_one_child_is_the_whole_reports_findings_about_that_child(report, embedded_qs):
    q_only = run_findings(embedded_qs, "child-q-s", "Q")
    assert {f.id for f in q_only.findings} == {f.id for f in report.findings if "Q" in f.children}


def test_a_child_querys_rows_for_every_child_split_by_child_are_each_childs_rows(embedded_qs):
    """What the engine relies on to read a child query once for every child (RuleContext.rows)."""
    children = [c["child"] for c in run_query(embedded_qs, "children", "child-q-s")]
    for query_id, spec in registry().items():
        if "child" not in spec.parameters or "child" not in spec.columns:
            continue
        every = run_query(embedded_qs, query_id, "child-q-s", child="")
        for child in children:
            one = run_query(embedded_qs, query_id, "child-q-s", child=child)
            assert _as_set(one) == _as_set([r for r in every if r["child"] == child]), (query_id, child)


def _as_set(rows: list[dict]) -> Counter:
    return Counter(json.dumps(r, sort_keys=True, default=str) for r in rows)


class _CountingReads:
    """The real store, counting each query text it is asked to read with the same parameters
    apart from the child."""

    def __init__(self, backend: EmbeddedBackend) -> None:
        self.inner, self.name, self.texts = backend, backend.name, Counter()

    def read(self, query: str, params: dict | None = None, **kwargs) -> list[dict]:
        others = {k: v for k, v in (params or {}).items() if k != "child"}
        self.texts[(query, json.dumps(others, sort_keys=True, default=str))] += 1
        return self.inner.read(query, params, **kwargs)


def test_the_engine_reads_each_child_query_once_for_every_child(report, embedded_qs):
    counting = _CountingReads(embedded_qs)
    again = run_findings(counting, "child-q-s")
    assert [f.id for f in again.findings] == [f.id for f in report.findings]
    child_queries = {s.text for s in registry().values() if "child" in s.parameters and "child" in s.columns}
    assert {t: n for t, n in counting.texts.items() if t[0] in child_queries and n > 1} == {}


def test_every_format_carries_the_same_findings(report):
    doc = json.loads(render(report, "json"))
    assert [f["id"] for f in doc["findings"]] == [f.id for f in report.findings]
    assert [q["id"] for q in doc["questions"]] == [q.id for q in report.questions]
    assert set(doc["findings"][0]) >= {
        "id",
        "theme",
        "tags",
        "basis",
        "statement",
        "children",
        "subjects",
        "occurrences",
        "evidence",
        "counter_evidence",
        "rank",
    }
    csv_text = render(report, "csv")
    assert all(f.id in csv_text for f in report.findings)
    md, page = render(report, "md"), render(report, "html")
    assert all(f.id in md and f.id in page for f in report.findings)
    assert "Questions the record leaves open" in md


def test_child_q_information_stopped_at_the_la5_boundary_is_a_tagged_recorded_finding(report):
    """Kept from the retired cross_boundary_flow_failures test: the review's ¶23 finding that
    health professionals in LA5 were not told, now one recorded finding tagged cross_boundary."""
    found = [
        f
        for f in report.findings
        if f.theme == "information_sharing" and "Q" in f.children and "cross_boundary" in f.tags and "¶23" in f.evidence
    ]
    assert found and all(f.basis == "recorded" for f in found)


def _mini_with(tmp_path, mini_case, *edits: tuple[str, str]):
    """The mini case with text edits to its records, loaded into a fresh in-memory store."""
    folder = tmp_path / "mini"
    shutil.copytree(mini_case.folder, folder)
    records = folder / "records.yaml"
    text = records.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    records.write_text(text, encoding="utf-8")
    backend = EmbeddedBackend(":memory:")
    load_case(backend, validate_path(folder))
    return backend


COMPLETE_M1 = ("kind: lac_review, date: Mar 2015,", "kind: lac_review, date: Mar 2015, attendance: complete,")


def test_absence_is_inferred_only_where_the_record_is_complete(tmp_path, mini_case):
    """M1's participants listed in full: the GP, involved then and of a sector expected at LAC
    reviews, becomes an inferred finding; M2 (not recorded) stays a question."""
    backend = _mini_with(tmp_path, mini_case, COMPLETE_M1)
    try:
        report = run_findings(backend, "mini")
    finally:
        backend.close()
    inferred = [f for f in report.findings if f.theme == "not_in_room" and f.basis == "inferred"]
    assert [(f.subjects, [o.record for o in f.occurrences]) for f in inferred] == [(("GP", "lac_review"), ["M1"])]
    assert all("M1" not in [o.record for o in q.occurrences] for q in report.questions)
    assert any("M2" in [o.record for o in q.occurrences] for q in report.questions)


def test_a_missing_flow_is_never_a_finding(tmp_path, mini_case):
    """Without the recorded failed flow of the infection to the LAC review, nothing about it is
    claimed, even though M1's participants are listed in full: absence of an edge is not a finding."""
    flow = (
        '  - {type: Flow, id: F-1, date: Mar 2015, information: Recurrent infections, status: not_shared, source: "¶12"}\n',
        '  - {type: SENT, id: F-1-from, from: GP, to: F-1, source: "¶12"}\n',
        '  - {type: SENT_TO, id: F-1-to, from: F-1, to: M1, source: "¶12"}\n',
        '  - {type: CONCERNS, id: F-1-child, from: F-1, to: C1, source: "¶12"}\n',
        '  - {type: CARRIES, id: F-1-item, from: F-1, to: UTI, source: "¶12"}\n',
    )
    for edits, expected in (((COMPLETE_M1,), 1), ((COMPLETE_M1, *((line, "") for line in flow)), 0)):
        backend = _mini_with(tmp_path / str(expected), mini_case, *edits)
        try:
            about_m1 = [
                f
                for f in run_findings(backend, "mini").findings
                if f.theme == "information_sharing" or f.rule == "information_missing_from_meeting"
            ]
        finally:
            backend.close()
        assert len(about_m1) == expected, (edits, about_m1)


def test_no_finding_puts_information_at_a_meeting_before_it_was_held(report, embedded_qs):
    facts = RuleContext(embedded_qs, "child-q-s").facts
    meetings = {m["meeting"] for m in run_query(embedded_qs, "child_meetings", "child-q-s")}
    for f in report.findings:
        for item in (s for s in f.subjects if s in facts.holdings):
            held = facts.first_held(item)
            for o in f.occurrences:
                if o.record in meetings and held and o.date_to:
                    assert held <= o.date_to, (f.id, item, o)
