"""Each class of bad input names file, line/row, field, value and expectation; nothing loads."""

from pathlib import Path

import pytest

from graph.load import counts, load_case
from loaders.records import InputError
from loaders.validate import validate_path

CASE_HEADER = "case: t\ndocument: d\nnodes:\n  - {type: SourceDocument, id: d, name: Doc, source: 'Title page'}\n"
GOOD = """nodes:
  - {type: Agency, id: A, name: Agency A, sector: health, source: "¶1"}
  - {type: Child, id: C, name: Child C, source: "¶2"}
edges:
  - {type: INVOLVED_WITH, from: A, to: C, period: "2014 – 2015", source: "¶3"}
"""


def make_case(tmp_path: Path, records: str, name: str = "records.yaml") -> Path:
    (tmp_path / "case.yaml").write_text(CASE_HEADER, encoding="utf-8")
    (tmp_path / name).write_text(records, encoding="utf-8")
    return tmp_path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        validate_path(path)
    return [str(p) for p in info.value.problems]


def test_good_case_validates(tmp_path):
    case = validate_path(make_case(tmp_path, GOOD))
    assert (len(case.nodes), len(case.edges)) == (3, 1)
    edge = case.edges[0].props
    assert edge["source"] == ["¶3"] and edge["period_text"] == "2014 – 2015"


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ("nodes: [ {type: Agency, id: A\n", "records.yaml: line 2: field '(syntax)'"),
        (
            "nodes:\n  - {type: Agnecy, id: A, name: X, source: '¶1'}\n",
            "line 2: field 'type': got 'Agnecy'; expected a node type",
        ),
        (
            "nodes:\n  - {type: Agency, id: A, name: X, sector: health, colour: red, source: '¶1'}\n",
            "line 2: field 'colour': got 'red'; expected one of the declared properties",
        ),
        (
            "nodes:\n  - {type: Agency, id: A, name: X, source: '¶1'}\n",
            "field 'sector': got None; expected a value (required",
        ),
        (
            "nodes:\n  - {type: Agency, id: A, name: X, sector: health}\n",
            "field 'source': got None; expected paragraph refs",
        ),
        (
            "nodes:\n  - {type: Agency, id: A, name: X, sector: hospital, source: '¶1'}\n",
            "field 'sector': got 'hospital'; expected one of social_care, police",
        ),
        (
            "nodes:\n  - {type: Child, id: C, name: C, source: '¶1'}\nedges:\n"
            "  - {type: INVOLVED_WITH, from: Z, to: C, period: '2014', source: '¶1'}\n",
            "line 4: field 'from': got 'Z'; expected the id of a Agency or Professional in this case",
        ),
        (
            "nodes:\n  - {type: Child, id: C, name: C, source: '¶1'}\n  - {type: Child, id: C, name: D, source: '¶2'}\n",
            "line 3: field 'id': got 'C'; expected a unique id",
        ),
        (
            "nodes:\n  - {type: Meeting, id: M, name: M, kind: lac_review, date: 'soonish', source: '¶1'}\n",
            "line 2: field 'date': got 'soonish'; expected YYYY-MM-DD",
        ),
        (
            "nodes:\n  - {type: Meeting, id: M, name: M, kind: lac_review, date: 'May 2016 – Jan 2015', source: '¶1'}\n",
            "field 'date': got 'May 2016 – Jan 2015'",
        ),
        (
            "nodes:\n  - {type: Child, id: C, name: C, source: '¶1'}\nedges:\n"
            "  - {type: INVOLVED_WITH, from: C, to: C, period: '2014', source: '¶1'}\n",
            "field 'from': got 'C'; expected a Agency or Professional (it is a Child)",
        ),
        (
            "nodes:\n  - {type: Event, id: E, name: E, kind: other, date: '2014', duration_hours: lots, source: '¶1'}\n",
            "field 'duration_hours': got 'lots'; expected a number",
        ),
        ("", "records.yaml: field '(file)': got ''; expected a non-empty file"),
        ("- just\n- a list\n", "field '(document)'"),
        ("nodes:\n  - {type: Child, id: C, name: C, source: '¶1', name: D}\n", "duplicate key 'name'"),
    ],
    ids=[
        "malformed",
        "unknown-type",
        "unknown-property",
        "missing-required",
        "missing-source",
        "bad-enum",
        "dangling-ref",
        "duplicate-id",
        "bad-date",
        "reversed-interval",
        "wrong-end-type",
        "wrong-type",
        "empty",
        "not-a-mapping",
        "duplicate-key",
    ],
)
def test_bad_input_is_named_precisely(tmp_path, records, expected):
    found = problems(make_case(tmp_path, records))
    assert any(expected in p for p in found), found


def test_every_problem_is_reported_in_one_run(tmp_path):
    records = """nodes:
  - {type: Agency, id: A, name: X, sector: nope, source: "¶1"}
  - {type: Child, id: C, name: C}
  - {type: Meeting, id: M, name: M, kind: lac_review, date: never, source: "¶1"}
edges:
  - {type: CONCERNS, from: M, to: Q, source: "¶1"}
"""
    found = problems(make_case(tmp_path, records))
    assert len(found) == 4, found
    assert [p.split(": field ")[0].rsplit(": ", 1)[1] for p in found] == ["line 2", "line 3", "line 4", "line 6"]


def test_json_case_files_report_lines_too(tmp_path):
    bad = (
        '{"nodes": [\n  {"type": "Child", "id": "C", "name": "C", "source": "¶1"},\n  {"type": "Child", "id": "D"}\n]}'
    )
    found = problems(make_case(tmp_path, bad, "records.json"))
    assert any("records.json: line 3: field 'name'" in p for p in found), found


def test_invalid_utf8_is_a_clear_error(tmp_path):
    case = make_case(tmp_path, GOOD)
    (case / "records.yaml").write_bytes(b"nodes:\n  - {type: Child, id: C, name: \xff\xfe, source: x}\n")
    assert any("line 2: field '(encoding)'" in p and "expected UTF-8 text" in p for p in problems(case))


def test_yes_no_ids_stay_strings(tmp_path):
    case = validate_path(make_case(tmp_path, "nodes:\n  - {type: Child, id: NO, name: Child N, source: '¶1'}\n"))
    assert case.nodes[-1].props["id"] == "NO"


def test_bad_case_loads_nothing(tmp_path, embedded):
    with pytest.raises(InputError):
        load_case(
            embedded, validate_path(make_case(tmp_path, GOOD + "  - {type: CONCERNS, from: A, to: C, source: x}\n"))
        )
    assert sum(counts(embedded)["nodes"].values()) == 0


FLOW = """nodes:
  - {type: Agency, id: A, name: Agency A, sector: health, source: "¶1"}
  - {type: Agency, id: B, name: Agency B, sector: police, source: "¶1"}
  - {type: Child, id: C, name: Child C, source: "¶2"}
  - {type: Child, id: D, name: Child D, source: "¶2"}
  - {type: Flow, id: F1, date: "2015", information: Concern, status: shared, source: "¶3"}
edges:
  - {type: SENT, from: A, to: F1, source: "¶3"}
  - {type: SENT_TO, from: F1, to: B, source: "¶3"}
"""


@pytest.mark.parametrize(
    ("concerns", "found"),
    [
        ("", "0 for Flow F1"),
        (
            "  - {type: CONCERNS, from: F1, to: C, source: '¶3'}\n  - {type: CONCERNS, from: F1, to: D, source: '¶3'}\n",
            "2 for Flow F1",
        ),
    ],
)
def test_a_flow_concerns_exactly_one_child(tmp_path, concerns, found):
    """graph/schema/nodes/Flow.yaml `requires`: the problem is placed at the flow's own line."""
    messages = problems(make_case(tmp_path, FLOW + concerns))
    assert messages == [
        f"{tmp_path / 'records.yaml'}: line 6: field 'CONCERNS': got '{found}'; expected exactly 1 "
        "CONCERNS relationship(s) from the Flow to a Child"
    ], messages


def test_a_flow_about_one_child_validates(tmp_path):
    case = validate_path(make_case(tmp_path, FLOW + "  - {type: CONCERNS, from: F1, to: C, source: '¶3'}\n"))
    assert [n.props["id"] for n in case.nodes if n.label == "Flow"] == ["F1"]


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ("  - {type: Event, id: E, name: E, kind: other, date: '2015', place: A, source: '¶4'}\n", "place"),
        (
            "  - {type: SourceDocument, id: S2, name: Chronology, kind: agency_chronology, agency: C, source: '¶4'}\n",
            "agency",
        ),
    ],
)
def test_a_node_reference_names_a_record_of_its_label_in_the_case(tmp_path, record, field):
    """Event.place must be a Place and SourceDocument.agency an Agency of this case."""
    messages = problems(make_case(tmp_path, GOOD.replace("edges:\n", record + "edges:\n")))
    label = "Place" if field == "place" else "Agency"
    assert any(f"field '{field}'" in m and f"expected the id of a {label} in this case" in m for m in messages), (
        messages
    )
