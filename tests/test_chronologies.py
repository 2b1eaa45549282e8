"""Agency chronologies (issue 16): mapping, reading, merging, cross-checking, loading."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

import cli
from findings.crosscheck import cross_check
from findings.model import Finding, Question
from graph.load import load_case
from loaders.chronologies import import_set
from loaders.chronologies.build import write_case
from loaders.chronologies.mapping import SetSpec, _columns, match_header, read_spec
from loaders.records import InputError, Location
from loaders.validate import validate_path
from queries.library import registry, run_query

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "chronologies-child-a"

AGENCIES = """
child: {id: child-x, name: Child X}
agencies:
  - {id: csc, name: Children's Social Care, sector: social_care, aliases: [CSC, social care], return: csc.csv, complete: "2015"}
  - {id: police, name: Police, sector: police, aliases: [Police], return: police.csv}
  - {id: school, name: School, sector: education, aliases: [School, DSL], return: school.csv}
"""


def _csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def _set(tmp_path: Path, files: dict[str, list[list[str]]], spec: str = AGENCIES) -> Path:
    (tmp_path / "chronologies.yaml").write_text(spec, encoding="utf-8")
    for name, rows in files.items():
        _csv(tmp_path / name, rows)
    return tmp_path


def _import(folder: Path):
    return import_set(folder, "case-x")


# --- mapping -----------------------------------------------------------------------------------

SYNONYMS = [(name, h) for name, headings in _columns()["fields"].items() for h in headings]


@pytest.mark.parametrize(("field", "heading"), SYNONYMS)
def test_every_declared_heading_maps_to_its_field(field, heading):
    header = [heading] + (["When"] if field != "date" else []) + (["Summary"] if field != "details" else [])
    columns, problems = match_header(header, SetSpec(), Location("x.csv", row=1))
    assert problems == []
    assert columns[field] == 0


def test_an_unknown_heading_names_the_nearest_known_ones():
    _, problems = match_header(["Date of contct", "Details"], SetSpec(), Location("x.csv", row=1))
    assert len(problems) == 2  # the unknown heading, and so no date column
    assert problems[0].field == "Date of contct" and "'date of contact'" in problems[0].expected
    assert "x.csv: row 1" in str(problems[0])


def test_a_mapping_file_adds_headings_and_refuses_unknown_fields(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("headings: {'Seen on': date, 'Plan': outcome, 'Junk': nonsense}\n", encoding="utf-8")
    spec, problems = read_spec(mapping)
    assert [p.value for p in problems] == ["nonsense"]
    columns, problems = match_header(["Seen on", "Entry", "Plan"], spec, Location("x.csv", row=1))
    assert problems == [] and columns == {"date": 0, "details": 1, "outcome": 2}


def test_a_set_with_other_headings_loads_without_a_mapping_file(tmp_path):
    header = ["Date of contact", "Organisation", "Summary", "Outcome", "Info shared with"]
    rows = [header, ["03/02/2015", "School", "Bruise seen; referral made to social care", "Referred", "CSC"]]
    imported = _import(_set(tmp_path, {"school.csv": rows}))
    (entry,) = imported.chron.entries
    assert (entry.agency, entry.kind, entry.counterparts, entry.row) == ("school", "referral", ("csc",), 2)


def test_odd_headings_load_with_a_two_line_mapping_file(tmp_path):
    folder = _set(tmp_path, {"school.csv": [["Seen on", "Entry", "Plan"], ["3 Feb 2015", "Seen in class", "None"]]})
    with pytest.raises(InputError, match="Seen on"):
        _import(folder)
    (tmp_path / "m.yaml").write_text("headings:\n  Seen on: date\n  Plan: outcome\n", encoding="utf-8")
    imported = import_set(folder, "case-x", tmp_path / "m.yaml")
    assert [e.cells["outcome"] for e in imported.chron.entries] == ["None"]


# --- the rule-based reader ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("details", "kind", "subkind", "direction", "extracted"),
    [
        ("Strategy discussion held. Present: CSC, Police", "meeting", "strategy_discussion", "attended", True),
        ("ICPC held; child made subject of a plan", "meeting", "child_protection_conference", "attended", True),
        ("Sent apologies for the core group", "meeting", "core_group", "discussed", True),
        ("Referral made to social care about bruising", "referral", "unknown", "sent", True),
        ("Referral received from Police; NFA", "referral", "no_action", "received", True),
        ("Letter received from Police about an incident", "flow", "other", "received", True),
        ("Phoned social care to share concerns", "flow", "other", "sent", True),
        ("Discussed with social care by phone", "flow", "other", "discussed", True),
        ("Child seen at home; all well", "event", "contact", "reported", False),
    ],
)
def test_the_reader_proposes_what_a_details_text_says(tmp_path, details, kind, subkind, direction, extracted):
    imported = _import(_set(tmp_path, {"school.csv": [["Date", "Details"], ["3 Feb 2015", details]]}))
    e = imported.chron.entries[0]
    assert (e.kind, e.subkind, e.direction, e.extracted) == (kind, subkind, direction, extracted)


def test_attendance_and_channel_are_read_and_columns_are_not_extracted(tmp_path):
    rows = [
        ["Date", "Type", "Details", "Attended by", "Shared with"],
        ["12/03/2015", "Strategy discussion", "Held at MASH", "CSC; Police; School", ""],
        ["14/03/2015", "Notification", "PPN about an incident", "", "CSC"],
    ]
    meeting, flow = _import(_set(tmp_path, {"police.csv": rows})).chron.entries
    assert meeting.attendees == ("csc", "police", "school") and not meeting.extracted
    assert (flow.kind, flow.channel, flow.counterparts, flow.extracted) == ("flow", "notification", ("csc",), False)


# --- merging -----------------------------------------------------------------------------------

MEETING_SET = {
    "csc.csv": [["Date", "Details", "Attended by"], ["12/03/2015", "Strategy discussion", "CSC, Police, School"]],
    "police.csv": [["Date", "Details"], ["2015-03-12", "Strategy meeting. Present: CSC, Police"]],
    "school.csv": [["Date", "Details"], ["?13 Mar 2015", "DSL attended a strategy meeting"]],
}


def test_one_meeting_three_accounts_merged_with_reasons_and_conflicts(tmp_path):
    imported = _import(_set(tmp_path, MEETING_SET))
    (meeting,) = [r for r in imported.records if r.kind == "meeting"]
    assert sorted(e.agency for e in meeting.accounts) == ["csc", "police", "school"]
    assert any("same kind" in r for r in meeting.reasons) and any("precision" in r for r in meeting.reasons)
    assert any(c.startswith("dates differ") and "?13 Mar 2015" in c for c in meeting.conflicts)
    assert any(c.startswith("attendance differs") for c in meeting.conflicts)


@pytest.mark.parametrize(
    ("school_row", "merged"),
    [
        (["w/c 9 Mar 2015", "DSL attended a strategy meeting"], True),  # within the week
        (["20 Mar 2015", "DSL attended a strategy meeting"], False),  # another day
        (["12 Mar 2015", "DSL attended a core group"], False),  # another kind
    ],
)
def test_meetings_merge_only_within_precision_and_kind(tmp_path, school_row, merged):
    files = {**MEETING_SET, "school.csv": [["Date", "Details"], school_row]}
    meetings = [r for r in _import(_set(tmp_path, files)).records if r.kind == "meeting"]
    school = next(r for r in meetings if "school" in r.agencies)
    assert (len(school.accounts) > 1) is merged


@pytest.mark.parametrize(("received", "merged"), [("22/03/2015", True), ("30/03/2015", False)])
def test_a_flow_pairs_with_its_receipt_within_the_channel_lag(tmp_path, received, merged):
    files = {
        "police.csv": [["Date", "Details", "Shared with"], ["14/03/2015", "PPN notification sent", "CSC"]],
        "csc.csv": [["Date", "Details"], [received, "PPN received from Police"]],
    }
    flows = [r for r in _import(_set(tmp_path, files)).records if r.kind == "flow"]
    assert len(flows) == (1 if merged else 2)


def test_a_reviewers_split_survives_re_import(tmp_path):
    folder = _set(tmp_path, MEETING_SET)
    first = _import(folder)
    proposal = first.review["reconcile.yaml"]["merges"][0]
    decisions = {"merges": [{"accounts": proposal["accounts"], "decision": "split"}]}
    (folder / "reconcile.yaml").write_text(yaml.safe_dump(decisions), encoding="utf-8")
    again = _import(folder)
    assert [len(r.accounts) for r in again.records if r.kind == "meeting"] == [1, 1, 1]
    assert again.review["reconcile.yaml"]["merges"] == [{"accounts": proposal["accounts"], "decision": "split"}]
    decisions["merges"][0]["decision"] = "confirmed"
    (folder / "reconcile.yaml").write_text(yaml.safe_dump(decisions), encoding="utf-8")
    (merged,) = [r for r in _import(folder).records if r.kind == "meeting"]
    assert merged.decision == "confirmed" and len(merged.accounts) == 3


# --- cross-checks ------------------------------------------------------------------------------


def test_cross_checks_are_questions_unless_the_silent_return_is_complete(tmp_path):
    files = {
        "police.csv": [
            ["Date", "Details", "Shared with"],
            ["14/03/2015", "PPN notification", "CSC"],
            ["14/03/2016", "PPN notification", "School"],
        ],
        "csc.csv": [["Date", "Details"], ["01/01/2015", "Case opened"], ["20/06/2015", "Letter received from School"]],
        "school.csv": [["Date", "Details"], ["01/09/2015", "Term starts"]],
    }
    found = {(f.rule, f.subjects[-1]): f for f in cross_check(_import(_set(tmp_path, files)))}
    to_csc = found[("sent_not_received", "csc")]
    assert isinstance(to_csc, Finding) and to_csc.basis == "inferred"  # CSC's return is complete for 2015
    assert to_csc.evidence[0] == "chron-police row 2" and "chron-csc row 2" in to_csc.evidence
    assert isinstance(found[("sent_not_received", "school")], Question)
    received = found[("received_not_sent", "school")]
    assert isinstance(received, Question) and received.evidence[:2] == ["chron-csc row 3", "chron-school row 2"]


def test_the_sample_raises_each_planted_mismatch_citing_both_rows():
    found = cross_check(import_set(SAMPLE, "child-a"))
    cited = {(f.rule, tuple(f.evidence[:1])): f for f in found}
    planted = {
        ("sent_not_received", "chron-police row 16"): "chron-csc",  # PPN of 14 Feb 2015 never logged by CSC
        ("sent_not_received", "chron-school row 40"): "chron-csc",  # school's phone call of 5 Nov 2015
        ("received_not_sent", "chron-csc row 39"): "chron-health",  # health's letter, never sent per health
        ("attended_not_mentioned", "chron-csc row 27"): "chron-health",  # the strategy discussion
        ("attended_not_mentioned", "chron-csc row 29"): "chron-police",  # the ICPC
        ("attended_not_mentioned", "chron-csc row 41"): "chron-school",  # the core group
        ("no_chronology_returned", "chron-csc row 41"): "chron-early-help",  # Housing
        ("referral_no_outcome", "chron-early-help row 6"): "chron-early-help",  # referral to Housing
        ("referral_no_outcome", "chron-csc row 58"): "chron-police",
    }
    for (rule, first), other in planted.items():
        finding = cited[(rule, (first,))]
        assert any(ref.startswith(other) for ref in finding.evidence[1:] or finding.evidence), (rule, first)
    assert len(found) == len(planted)


# --- bad input ---------------------------------------------------------------------------------


def test_bad_rows_are_all_reported_with_file_row_column_and_value_and_nothing_is_written(tmp_path, capsys):
    rows = [["Date", "Details", "Outcome"], ["32/01/2015", "x", ""], ["2015", "", ""], ["2015", "y", "=HYPERLINK(1)"]]
    folder = _set(tmp_path / "set", {"school.csv": rows}) if (tmp_path / "set").mkdir() is None else None
    out = tmp_path / "out"
    assert cli.main(["chronologies", str(folder), "--case", "x", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "school.csv: row 2: field 'Date': got '32/01/2015'; expected YYYY-MM-DD" in err
    assert "school.csv: row 3: field 'Details'" in err
    assert "school.csv: row 4: field 'Outcome': got '=HYPERLINK(1)'; expected plain text" in err
    assert not out.exists()


def test_a_row_with_control_characters_is_shown_escaped(tmp_path, capsys):
    folder = _set(tmp_path, {"school.csv": [["Date", "Details"], ["3 Feb 2015\x1b[31m", "x"]]})
    assert cli.main(["chronologies", str(folder), "--case", "x", "--load", "--db", str(tmp_path / "db")]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "row 2" in err
    assert not (tmp_path / "db").exists()  # nothing loaded: the store was never opened


def test_a_damaged_word_return_and_a_missing_mapping_file_are_problems_not_tracebacks(tmp_path):
    folder = _set(tmp_path, {})
    (folder / "csc.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError) as caught:
        import_set(folder, "x", tmp_path / "no-such-mapping.yaml")
    shown = "\n".join(caught.value.lines())
    assert "csc.docx: field '(file)'" in shown and "no-such-mapping.yaml: field '(file)'" in shown


# --- the sample, end to end --------------------------------------------------------------------


def _sample_case(tmp_path: Path):
    imported = import_set(SAMPLE, "child-a")
    write_case(tmp_path / "case", imported.files, imported.chron, imported.review)
    return validate_path(tmp_path / "case")


def test_the_sample_is_realistic_in_size_and_style():
    imported = import_set(SAMPLE, "child-a")
    assert 150 <= len(imported.chron.entries) <= 300
    suffixes = sorted(r.file.suffix for r in imported.chron.returns)
    assert suffixes == [".csv", ".csv", ".csv", ".docx", ".xlsx"]
    plain = [r for r in imported.chron.returns if r.file.name in ("school.csv", "early-help.csv", "health.csv")]
    assert sum(r.rows for r in plain) * 2 >= len(imported.chron.entries)  # half the rows: date, details, outcome


def test_the_sample_loads_in_one_command_with_the_merged_meeting_once(tmp_path, capsys):
    db = tmp_path / "store.lbug"
    args = ["chronologies", str(SAMPLE), "--case", "child-a", "--load", "--db", str(db), "--out", str(tmp_path / "c")]
    assert cli.main(args) == 0
    assert "loaded case 'child-a'" in capsys.readouterr().out
    assert cli.main(args[:-2] + ["--replace"]) == 0  # --out is not reused: an existing folder is refused
    assert cli.main(args[:-2]) == 2  # a loaded case is not replaced without --replace
    from graph.embedded import EmbeddedBackend

    backend = EmbeddedBackend(db)
    try:
        _assert_merged_meeting(backend)
    finally:
        backend.close()


def _assert_merged_meeting(backend) -> None:
    rows = backend.read(
        "MATCH (a:Account {case_id: $cid})-[:ACCOUNT_OF]->(m:Meeting {case_id: $cid, kind: 'strategy_discussion'}) "
        "MATCH (a)-[:GIVEN_BY]->(g:Agency) RETURN m.id AS meeting, g.id AS agency, a.source AS source",
        {"cid": "child-a"},
    )
    assert {r["meeting"] for r in rows} == {"mee-csc-r27"}
    assert sorted(r["agency"] for r in rows) == ["csc", "police", "school"]


CROSSCHECK_RULES = {
    "sent_not_received",
    "received_not_sent",
    "attended_not_mentioned",
    "no_chronology_returned",
    "referral_no_outcome",
}


class _StoreContext:
    """What the engine hands a rule: registered queries on the real store, for one case and child."""

    def __init__(self, backend, case_id: str, child: str) -> None:
        self.backend, self.case_id, self.child = backend, case_id, child

    def rows(self, query_id: str) -> list[dict[str, object]]:
        params = {"child": self.child} if "child" in registry()[query_id].parameters else {}
        return run_query(self.backend, query_id, self.case_id, **params)


def _lines(found) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(f.id, f.statement, tuple(f.evidence)) for f in found}


def _assert_rule_reads_the_store_as_the_files(backend) -> None:
    from findings.rules.crosscheck import chronology_cross_checks

    from_store = list(chronology_cross_checks(_StoreContext(backend, "child-a", "child-a")))
    assert len(from_store) == 9 and _lines(from_store) == _lines(cross_check(import_set(SAMPLE, "child-a")))


def test_the_engine_rule_finds_on_the_loaded_case_what_the_files_give(embedded, tmp_path):
    load_case(embedded, _sample_case(tmp_path))
    _assert_rule_reads_the_store_as_the_files(embedded)
    from findings.engine import run_findings

    report = run_findings(embedded, "child-a")  # registered with the engine's rules
    from_engine = [f for f in report.findings + report.questions if f.rule in CROSSCHECK_RULES]
    assert _lines(from_engine) == _lines(cross_check(import_set(SAMPLE, "child-a")))
    load_case(embedded, validate_path(ROOT / "tests" / "fixtures" / "mini-case"))
    from findings.rules.crosscheck import chronology_cross_checks

    assert list(chronology_cross_checks(_StoreContext(embedded, "mini", "C1"))) == []  # no chronologies, no lines


def test_the_sample_loads_the_same_into_neo4j(neo4j, tmp_path):
    case = _sample_case(tmp_path)
    load_case(neo4j, case)
    _assert_merged_meeting(neo4j)
    _assert_rule_reads_the_store_as_the_files(neo4j)
    docs = neo4j.read(
        "MATCH (d:SourceDocument {case_id: $cid, kind: 'agency_chronology'}) RETURN d.agency AS agency",
        {"cid": "child-a"},
    )
    assert sorted(r["agency"] for r in docs) == ["csc", "early-help", "health", "police", "school"]


def test_one_composite_file_with_an_agency_column_is_each_rows_agency(tmp_path):
    rows = [
        ["Date", "Agency", "Details", "Shared with"],
        ["14/03/2015", "Police", "PPN notification", "CSC"],
        ["16/03/2015", "CSC", "PPN received from Police", ""],
        ["17/03/2015", "Police", "Welfare check", ""],
    ]
    imported = _import(_set(tmp_path, {"composite.csv": rows}, spec=AGENCIES.replace("return: csc.csv, ", "")))
    assert [e.agency for e in imported.chron.entries] == ["police", "csc", "police"]
    assert imported.chron.returns[0].agencies == {"police", "csc"}
    (flow,) = [r for r in imported.records if r.kind == "flow"]
    assert sorted(e.agency for e in flow.accounts) == ["csc", "police"]


def test_a_set_file_is_checked_against_the_schema(tmp_path):
    spec = AGENCIES.replace("sector: police", "sector: constabulary").replace('complete: "2015"', "complete: soon")
    with pytest.raises(InputError) as caught:
        _import(_set(tmp_path, {"school.csv": [["Date", "Details"], ["2015", "x"]]}, spec=spec))
    shown = "\n".join(caught.value.lines())
    assert "chronologies.yaml: field 'agencies: police: sector': got 'constabulary'; expected one of" in shown
    assert "field 'agencies: csc: complete': got 'soon'" in shown
