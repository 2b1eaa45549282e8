"""A reviewer's marks on findings (findings/marks.py): stored outside the graph store, kept across
re-loads of edited data, orphaned when their finding goes, and carried by every report format."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from findings.engine import run_findings
from findings.marks import clear_mark, load_marks, marks_file, orphaned, set_mark
from findings.report import render
from graph.embedded import EmbeddedBackend
from graph.load import load_case
from loaders.validate import validate_path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini-case"
EXAMS = "School A2 at LAC review (Mar 2015) — the review records: “exams”."
NO_SHOW = '  - {type: DID_NOT_ATTEND, from: SCH, to: M1, reason: exams, source: "¶10"}\n'


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "edited"
    shutil.copytree(MINI, folder, dirs_exist_ok=True)
    records = folder / "records.yaml"
    text = records.read_text(encoding="utf-8")
    assert old in text
    records.write_text(text.replace(old, new), encoding="utf-8")
    return folder


@pytest.fixture
def store(tmp_path) -> EmbeddedBackend:
    backend = EmbeddedBackend(tmp_path / "store.lbug")
    load_case(backend, validate_path(MINI))
    yield backend
    backend.close()


def test_a_mark_records_status_note_who_and_when_in_a_file_outside_the_store(store, tmp_path, monkeypatch):
    monkeypatch.setenv("JOINED_UP_MARKS_DIR", str(tmp_path / "marks"))
    finding = run_findings(store, "mini").findings[0]
    mark = set_mark("mini", finding, "accepted", "  agreed at panel ", "Reviewer A")
    assert marks_file("mini") == tmp_path / "marks" / "mini.json"
    assert load_marks("mini") == {finding.id: mark}
    assert (mark.status, mark.note, mark.who, mark.children) == ("accepted", "agreed at panel", "Reviewer A", ("C1",))
    assert mark.when.endswith("+00:00") and mark.line.startswith("Accepted by Reviewer A on 20")
    set_mark("mini", finding, "needs_checking", "", "Reviewer B")  # a second mark replaces the first
    assert load_marks("mini")[finding.id].status == "needs_checking"
    assert [p.name for p in (tmp_path / "marks").iterdir()] == ["mini.json"]  # the temporary file was renamed
    clear_mark("mini", finding.id)
    assert load_marks("mini") == {}


def test_bad_status_case_id_or_file_is_one_clear_error(store, tmp_path, monkeypatch):
    monkeypatch.setenv("JOINED_UP_MARKS_DIR", str(tmp_path))
    finding = run_findings(store, "mini").findings[0]
    with pytest.raises(ValueError, match="mark status 'maybe' is not one of"):
        set_mark("mini", finding, "maybe", "", "")
    with pytest.raises(ValueError, match="cannot name a marks file"):
        marks_file("../etc/passwd")
    (tmp_path / "mini.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="mini.json: not a marks file"):
        load_marks("mini")
    assert (tmp_path / "mini.json").read_text(encoding="utf-8") == "{not json"  # nothing overwritten


def test_marks_survive_a_reload_of_edited_data_and_orphans_are_kept(store, tmp_path):
    before = run_findings(store, "mini")
    exams = next(f for f in before.findings if f.statement == EXAMS)
    kept = next(f for f in before.findings if f.id != exams.id)
    set_mark("mini", exams, "accepted", "school confirmed", "R", tmp_path)
    set_mark("mini", kept, "rejected", "", "R", tmp_path)
    load_case(store, validate_path(_edited(tmp_path, NO_SHOW, "")), replace=True)
    after = run_findings(store, "mini")
    marks = load_marks("mini", tmp_path)
    assert set(marks) == {exams.id, kept.id}  # the re-load touched no mark
    assert [m.finding for m in orphaned(marks, [*after.findings, *after.questions])] == [exams.id]
    assert kept.id in {f.id for f in after.findings}
    assert orphaned(marks, after.findings, {"C9"}) == []  # a report about another child lists none


def test_every_format_shows_the_mark_beside_its_finding_and_the_orphans(store, tmp_path):
    report = run_findings(store, "mini")
    first = report.findings[0]
    set_mark("mini", first, "accepted", "agreed =1+1", "R", tmp_path)
    gone = report.findings[1]
    set_mark("mini", gone, "rejected", "not ours", "R", tmp_path)
    marks = load_marks("mini", tmp_path)
    report.findings.remove(gone)  # as if the rules no longer found it
    doc = json.loads(render(report, "json", marks=marks))
    assert doc["findings"][0]["mark"].startswith("Accepted by R on ") and doc["findings"][1]["mark"] == ""
    assert [m["finding"] for m in doc["orphaned_marks"]] == [gone.id]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(render(report, "csv", marks=marks)))}
    assert rows[first.id]["mark"].endswith(": agreed =1+1") and rows[gone.id]["kind"] == "orphaned mark"
    md, page = render(report, "md", marks=marks), render(report, "html", marks=marks)
    assert "**Mark:** Accepted by R on " in md and "## Orphaned marks (1)" in md and gone.id in md.split("Orphaned")[1]
    assert "<b>Mark:</b> Accepted by R on " in page and "<h2>Orphaned marks (1)</h2>" in page
    assert "Orphaned" not in render(report, "md")  # no marks given: the report as before


def test_the_gaps_page_marks_filters_by_mark_and_lists_orphans(tmp_path, monkeypatch):
    monkeypatch.setenv("JOINED_UP_DB", str(tmp_path / "app.lbug"))
    monkeypatch.setenv("JOINED_UP_CASE", str(MINI))
    monkeypatch.setenv("JOINED_UP_MARKS_DIR", str(tmp_path / "marks"))
    monkeypatch.setenv("JOINED_UP_REVIEWER", "Reviewer A")
    for var in ("NEO4J_URI", "JOINED_UP_BACKEND"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "marks").mkdir()
    orphan = {"finding": "F-000000000000", "status": "rejected", "note": "", "who": "R", "when": "2026-01-02T00:00:00"}
    (tmp_path / "marks" / "mini.json").write_text(json.dumps({"case": "mini", "marks": [orphan]}), encoding="utf-8")
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/gaps.py").run()
    assert at.sidebar.text_input(key="reviewer").value == "Reviewer A"
    assert "F-000000000000" in list(at.dataframe[-1].value["finding"])  # the orphaned list
    listed = at.dataframe[0].value
    row = list(listed["statement"]).index(EXAMS)
    fid = listed["id"][row]
    at.query_params["finding"] = fid  # as a shared link, or a click on the row, selects it
    at.run()
    at.radio(key=f"mark_status_{fid}").set_value("accepted")
    at.text_area(key=f"mark_note_{fid}").set_value("school confirmed")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, [e.value for e in at.exception]
    assert load_marks("mini")[fid].who == "Reviewer A"
    at.multiselect(key="gaps_mark").set_value(["accepted"]).run()
    assert list(at.dataframe[0].value["id"]) == [fid] and list(at.dataframe[0].value["mark"]) == ["Accepted"]
    st.cache_resource.clear()
