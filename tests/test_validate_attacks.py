"""Validation knows what a case cannot be (issue 14, items 6 and 11): each kind of nonsense the
type checks let through is an error that names its file, line and field, or (a date after the
review's publication) a warning that is shown but does not block the load."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from loaders.validate import validate_path
from tests.test_validate import make_case, problems

HEADER = """case: t
document: d
nodes:
  - {type: SourceDocument, id: d, name: Doc, published: 2016-12-13, source: 'Title page'}
"""
BASE = """nodes:
  - {type: Agency, id: A, name: Agency A, sector: health, source: "¶1"}
  - {type: Agency, id: B, name: Agency B, sector: police, source: "¶1"}
  - {type: Child, id: C, name: Child C, born: 2005-03-01, source: "¶2"}
  - {type: Professional, id: P, name: Worker, role: social worker, source: "¶2"}
"""


def case_with(tmp_path: Path, nodes: str = "", edges: str = "") -> Path:
    folder = make_case(tmp_path, BASE + nodes + ("edges:\n" + edges if edges else ""))
    (folder / "case.yaml").write_text(HEADER, encoding="utf-8")
    return folder


def one_problem(path: Path, *fragments: str) -> str:
    found = problems(path)
    assert len(found) == 1 and all(f in found[0] for f in fragments), found
    return found[0]


def test_the_base_case_is_valid(tmp_path):
    case = validate_path(case_with(tmp_path))
    assert len(case.nodes) == 5 and not case.warnings


@pytest.mark.parametrize(
    ("date", "line"), [("0001-01-01", 6), ("1899-12-31", 6), ("2099-01-01", 6), ("from 1850", 6), ("2013 – 2099", 6)]
)
def test_impossible_dates_are_errors(tmp_path, date, line):
    folder = case_with(tmp_path, f"  - {{type: Event, id: E, name: e, kind: other, date: '{date}', source: x}}\n")
    one_problem(folder, f"records.yaml: line {line}: field 'date'", "a date between 1900 and")


def test_a_birth_in_2090_is_an_error(tmp_path):
    folder = case_with(tmp_path, "  - {type: Child, id: K, name: Child K, born: 2090, source: x}\n")
    one_problem(folder, "field 'born': got 2090")


@pytest.mark.parametrize(
    "record",
    [
        "{type: PersonOfConcern, id: X, name: x, kind: offender, age: -4, source: x}",
        "{type: Event, id: X, name: e, kind: missing_episode, date: 2015-01-01, duration_hours: -3.5, source: x}",
        "{type: LearningPoint, id: X, number: -1, name: n, text: t, source: x}",
    ],
)
def test_negative_quantities_are_errors(tmp_path, record):
    one_problem(case_with(tmp_path, f"  - {record}\n"), "of at least 0")


def test_an_event_before_the_childs_birth_is_an_error(tmp_path):
    folder = case_with(
        tmp_path,
        "  - {type: Event, id: E, name: e, kind: other, date: 2001-06-01, source: x}\n",
        "  - {type: CONCERNS, from: E, to: C, source: x}\n",
    )
    one_problem(folder, "line 8: field 'from': got 'E'", "C's birth (2005-03-01)", "at latest 2001-06-01")


def test_a_relationship_dated_before_the_childs_birth_is_an_error(tmp_path):
    folder = case_with(tmp_path, edges="  - {type: INVOLVED_WITH, from: A, to: C, period: 2001 – 2002, source: x}\n")
    one_problem(folder, "field 'period': got '2001 – 2002'", "C's birth")


def test_an_event_that_may_be_on_the_birthday_is_fine(tmp_path):
    folder = case_with(
        tmp_path,
        "  - {type: Event, id: E, name: e, kind: birth, date: March 2005, source: x}\n",
        "  - {type: CONCERNS, from: E, to: C, source: x}\n",
    )
    assert not validate_path(folder).warnings


def test_a_date_after_publication_is_a_warning_not_an_error(tmp_path):
    folder = case_with(tmp_path, "  - {type: Event, id: E, name: e, kind: other, date: 2019-01-01, source: x}\n")
    case = validate_path(folder)
    assert len(case.nodes) == 6
    assert [str(w) for w in case.warnings] == [
        f"{folder / 'records.yaml'}: line 6: field 'date': got '2019-01-01'; expected a date up to the "
        "publication of d (2016-12-13); this is after it"
    ]


def test_a_doc_naming_no_source_document_is_an_error(tmp_path):
    folder = case_with(tmp_path, "  - {type: Event, id: E, name: e, kind: other, date: 2010, doc: nodoc, source: x}\n")
    one_problem(folder, "field 'doc': got 'nodoc'", "the id of a SourceDocument in this case")


def test_a_doc_naming_a_source_document_is_fine(tmp_path):
    folder = case_with(
        tmp_path,
        "  - {type: SourceDocument, id: d2, name: Other, source: x}\n"
        "  - {type: Event, id: E, name: e, kind: other, date: 2010, doc: d2, source: x}\n",
    )
    assert validate_path(folder).nodes


def test_a_default_document_naming_no_source_document_is_an_error(tmp_path):
    folder = case_with(tmp_path)
    (folder / "case.yaml").write_text(HEADER.replace("document: d", "document: other"), encoding="utf-8")
    one_problem(folder, "case.yaml: line 2: field 'document': got 'other'", "SourceDocument")


@pytest.mark.parametrize("edge", ["{type: PART_OF, from: A, to: A, source: x}"])
def test_self_loops_are_errors(tmp_path, edge):
    one_problem(case_with(tmp_path, edges=f"  - {edge}\n"), "field 'to': got 'A'", "cannot join a node to itself")


@pytest.mark.parametrize(
    "name", ["Ev\\u202eil", "Ze\\u200bro", "Is\\u2066olate", "B\\ufeffOM", "\\nChild D", "\\rChild D", "Bell\\u0007"]
)
def test_invisible_and_control_characters_in_names_are_errors(tmp_path, name):
    folder = case_with(tmp_path, f'  - {{type: Child, id: K, name: "{name}", source: x}}\n')
    message = one_problem(folder, "line 6: field 'name'")
    assert "\n" not in message and "\u202e" not in message  # the message itself stays one honest line


@pytest.mark.parametrize(
    "file", ["../../../../etc/passwd", "/etc/passwd", "documents/../../x.txt", "C:/x.txt", "..\\\\x.txt"]
)
def test_a_document_file_outside_the_case_folder_is_an_error(tmp_path, file):
    folder = case_with(tmp_path, f"  - {{type: SourceDocument, id: d2, name: D, file: '{file}', source: x}}\n")
    one_problem(folder, "field 'file'", "a path inside the case folder")


@pytest.mark.parametrize(
    ("header", "cells"),
    [
        (["date", "agency", "what happened", "source", "child", "date"], ["2015-01-01"] * 6),
        (["date", "agency", "what happened", "description", "source", "child"], ["2015-01-01"] * 6),
    ],
)
def test_duplicate_chronology_columns_are_errors(tmp_path, header, cells):
    buf = io.StringIO()
    csv.writer(buf).writerows([header, cells])
    (tmp_path / "chron.csv").write_text(buf.getvalue(), encoding="utf-8")
    one_problem(tmp_path / "chron.csv", "row 1: field '(header)'", "the header names it 2 times")


def test_a_case_title_that_is_not_text_is_an_error(tmp_path):
    folder = case_with(tmp_path)
    (folder / "case.yaml").write_text(HEADER.replace("document: d", "document: d\ntitle: [a, b]"), encoding="utf-8")
    one_problem(folder, "case.yaml: line 3: field 'title'", "a text of at most")


def test_the_curated_case_has_no_errors():
    from tests.conftest import QS_CASE

    assert validate_path(QS_CASE).nodes
