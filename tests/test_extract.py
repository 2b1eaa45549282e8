"""Draft-case extraction: names, dates and meetings read from a review, written as a case folder
the validator accepts, every record citing a paragraph that resolves."""

import importlib.util
from pathlib import Path

import docx
import pytest
import yaml
from fpdf import FPDF

from loaders.dates import parse_date
from loaders.extract import AgencyMatcher, extract_case, find_ages, find_dates, load_gazetteer, print_summary, sentences
from loaders.paragraphs import DocumentIndex
from loaders.validate import validate_path

ROOT = Path(__file__).resolve().parent.parent
QS_TEXT = ROOT / "data" / "cases" / "child-q-s" / "documents" / "scr-2016.txt"

# Anonymised as LA1/Police Force 1, abbreviations in a table.
REVIEW_LA = """\
Serious Case Review: Child A and Child B

Abbreviations.

Police Force 1\tcovers LA1 and LA2.
Police Force 2\tcovers LA3.
CSC\tChildren's Social Care.

SECTION 1: CHILD A

1. *Background.*

In 2005, Child A was born in LA1. The family moved to LA2 in early 2010, when Child A was aged 5.

2. In March 2015 the Primary School (LA2) made a referral to Children's Social Care (LA2) because Child A had \
been missing overnight. A strategy meeting was held a week later with the Constabulary (Police Force 1) and the \
school nurse; the GP was not invited.

3. Late in February 2016, Child A was placed with foster carers in LA3. In late December Child A went missing again.

Learning Point 1: The LSCB should be assured that General Practice is invited to strategy meetings.

Good Practice Point 1: The Primary School (LA2) shared information promptly with CAMHS.

SECTION 2: CHILD B

4. In November 2014, when Child B was aged 11 years, the school nurse made a referral to CAMHS.

5. In June 2015 Child B was excluded from school. Child B (aged 12 years) was arrested for shoplifting.

6. Barnardo's worked with Child B from September 2015; a CIN meeting was cancelled by Children's Social Care.

SECTION 3: RECOMMENDATIONS

1. Review the threshold document.
"""

# Named outright: "Area A", a named force defined inline, a council, "Finding N", "1.1" numbering.
REVIEW_NAMED = """\
1 Introduction

1.1 This review concerns Child C. Police Force A (PFA) covers Area A and Area B. Lancashire Constabulary \
also took part, as did Leeds City Council.

1.2 In early 2016 the health visitor and the midwife (Area B) visited the family.

Finding 1: The Youth Offending Team in Area A did not share information with the Health Visitor.

1.3 Between August 2012 and February 2015 Child C was known to Early Help services.
"""


def run_bench():
    spec = importlib.util.spec_from_file_location("extract_accuracy", ROOT / "bench" / "extract_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def draft(out: Path) -> dict:
    return yaml.safe_load((out / "draft.yaml").read_text(encoding="utf-8"))


def by_type(records: list[dict], label: str) -> list[dict]:
    return [r for r in records if r["type"] == label]


def assert_refs_resolve(out: Path) -> None:
    case = yaml.safe_load((out / "case.yaml").read_text(encoding="utf-8"))
    index = DocumentIndex.from_file(out / case["nodes"][0]["file"])
    d = draft(out)
    bad = [
        r["source"]
        for r in d["nodes"] + d["edges"]
        if any(not index.resolve(ref.strip()) for ref in r["source"].split(","))
    ]
    assert not bad, bad[:5]


# --- dates, ages, sentences, names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In December 2014, the EDT received information.", ["Dec 2014"]),
        ("On 3rd December 2014 a strategy meeting was held.", ["3 Dec 2014"]),
        ("Late in February 2014, neglect was evidenced.", ["Feb 2014"]),
        ("Care proceedings were instigated late in 2008.", ["late 2008"]),
        ("In mid-2009 the Local Authority filed a plan.", ["mid 2009"]),
        ("The child was raped in early in 2015.", ["early 2015"]),
        ("Between August 2012 and February 2015, restraint was used.", ["Aug 2012 – Feb 2015"]),
        ("The timeline was between 2013 and 2015.", ["2013 – 2015"]),
        ("In 2014/15 the school was proactive.", ["2014 – 2015"]),
        ("The child absconded from September 2014.", ["from Sep 2014"]),
        ("Spring–Summer 2014 was a good period.", ["spring 2014 – summer 2014"]),
        ("Towards the end of 2012 missing episodes escalated.", ["late 2012"]),
        ("In 2006, Child Q moved; in March 2008 the plan ended.", ["2006", "Mar 2008"]),
        ("Under Section 20 of the Children Act 1989 the child was accommodated.", []),
        ("Research (Brandon et al, 2009) shows this.", []),
        ("The child was seen with 2 older males.", []),
    ],
)
def test_dates_as_reviews_write_them(sentence, expected):
    hits = find_dates(sentence)
    assert [h.text for h in hits] == expected
    for h in hits:
        parse_date(h.text)  # every date is one the case format accepts


@pytest.mark.parametrize(
    ("sentence", "context", "expected"),
    [
        ("In late December Child S was placed out of area.", "Dec 2015", ["Dec 2015"]),
        ("In January the case was closed.", "Nov 2014", ["Jan 2015"]),
        ("The care was not sustained and 5 months later Child Q was accommodated.", "Mar 2008", ["Aug 2008"]),
        ("The following weekend, Child Q went missing again.", "Feb 2015", ["Feb 2015"]),
        ("Two years later the case was reopened.", "2009", ["2011"]),
        ("In May the school called.", "2015", []),  # "May" alone is too often the verb
    ],
)
def test_dates_that_need_the_date_before_them(sentence, context, expected):
    assert [h.text for h in find_dates(sentence, parse_date(context))] == expected
    assert find_dates(sentence) == [] or expected == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Child Q (aged 4 years) was placed.", [(4, 0)]),
        ("In August 2012 (10 years 4 months), a placement was secured.", [(10, 4)]),
        ("At the age of 10 years, Child Q was arrested.", [(10, 0)]),
        ("Child S was 6 years of age when they moved.", [(6, 0)]),
        ("The investigations focussed on younger British males (aged 14 years and 19 years).", []),
        ("A 45-year-old male was convicted.", []),
    ],
)
def test_ages_of_the_child_only(sentence, expected):
    assert [(a.years, a.months) for a in find_ages(sentence)] == expected


def test_sentences_do_not_break_after_abbreviations():
    text = "Child Q saw Dr. Smith, e.g. twice. The GP (Ball et al.) referred Child B. Then CAMHS.\nNext block"
    assert sentences(text) == [
        "Child Q saw Dr. Smith, e.g. twice.",
        "The GP (Ball et al.) referred Child B.",
        "Then CAMHS.",
        "Next block",
    ]


def test_gazetteer_longest_alias_wins_and_acronyms_keep_their_case():
    matcher = AgencyMatcher(load_gazetteer())
    found = [
        (text[a:b], e.key)
        for text in ["The School Nursing Service and the GP; a gp visit; Barnardo's."]
        for a, b, e in matcher.find(text)
    ]
    assert found == [
        ("School Nursing Service", "school-nursing"),
        ("GP", "general-practice"),
        ("Barnardo's", "barnardos"),
    ]
    assert [e.key for _, _, e in matcher.find("school nurses and Foster Carers")] == ["school-nursing", "fostering"]


def test_gazetteer_is_extended_by_a_data_file(tmp_path):
    extra = tmp_path / "local.yaml"
    extra.write_text(
        "agencies:\n  - {key: kooth, name: Kooth, sector: health, aliases: [Kooth online counselling]}\n"
        "  - {key: camhs, aliases: [Healthy Minds]}\n",
        encoding="utf-8",
    )
    entries = {e.key: e for e in load_gazetteer(extra)}
    assert entries["kooth"].sector == "health"
    assert "Healthy Minds" in entries["camhs"].aliases and "CAMHS" in entries["camhs"].aliases
    matcher = AgencyMatcher(list(entries.values()))
    assert [e.key for _, _, e in matcher.find("Kooth online counselling and Healthy Minds")] == ["kooth", "camhs"]


# --- small reviews in different styles ---------------------------------------------------------------


@pytest.fixture(scope="module")
def la_review(tmp_path_factory) -> tuple[dict, Path]:
    folder = tmp_path_factory.mktemp("la")
    source = folder / "child-a-review.txt"
    source.write_text(REVIEW_LA, encoding="utf-8")
    return extract_case(source, folder / "case"), folder / "case"


def test_summary_counts_what_was_found(la_review):
    summary, _ = la_review
    assert summary["paragraphs"] == 6
    assert summary["learning_points"] == [1] and summary["good_practice_points"] == [1]
    assert summary["recommendations"] == 1
    assert summary["areas"] == ["LA1", "LA2", "LA3"]
    assert summary["police_forces"] == ["Police Force 1", "Police Force 2"]
    assert summary["children"] == ["Child A", "Child B"]
    assert "Children's Social Care (LA2)" in summary["agencies"] and "Barnardo's" in summary["agencies"]
    assert summary["events"] >= 8 and summary["meetings"] == 2
    text = print_summary(summary)
    assert "numbered paragraphs" in text and "Police Force 1, Police Force 2" in text


def test_draft_validates_and_cites_resolvable_paragraphs(la_review):
    _, out = la_review
    case = validate_path(out)
    assert case.case_id == "child-a-review"
    assert_refs_resolve(out)
    copy = out / "documents" / "child-a-review.txt"
    assert DocumentIndex.from_file(copy).paragraphs == DocumentIndex.from_text(REVIEW_LA).paragraphs


def test_every_record_says_it_is_a_draft(la_review):
    d = draft(la_review[1])
    with_notes = [n for n in d["nodes"] if n["type"] not in ("LearningPoint", "GoodPracticePoint")]
    assert with_notes and all(n["notes"].startswith("draft: ") for n in with_notes)
    assert (la_review[1] / "draft.yaml").read_text(encoding="utf-8").startswith("# DRAFT")


def test_forces_cover_areas_from_the_abbreviations(la_review):
    edges = {(e["from"], e["to"], e["source"]) for e in by_type(draft(la_review[1])["edges"], "COVERS")}
    assert edges == {("PF1", "LA1", "Abbrev."), ("PF1", "LA2", "Abbrev."), ("PF2", "LA3", "Abbrev.")}
    (pf1,) = [n for n in draft(la_review[1])["nodes"] if n["id"] == "PF1"]
    assert pf1["aliases"] == ["Constabulary (Police Force 1)"]


def test_agencies_with_the_area_the_text_gives(la_review):
    d = draft(la_review[1])
    located = {(e["from"], e["to"]) for e in by_type(d["edges"], "LOCATED_IN")}
    assert ("ag-childrens-social-care-la2", "LA2") in located
    assert ("ag-fostering-la3-child-a", "LA3") in located  # "placed with foster carers in LA3"
    names = {n["id"]: n["name"] for n in by_type(d["nodes"], "Agency")}
    # CAMHS is named for both children without an area: one child's CAMHS is not the other's
    assert names["ag-camhs-child-a"] == "CAMHS (Child A)" and names["ag-camhs-child-b"] == "CAMHS (Child B)"


def test_children_and_their_birth(la_review):
    children = {n["id"]: n for n in by_type(draft(la_review[1])["nodes"], "Child")}
    assert children["child-a"]["born"] == "2005" and "as stated in ¶1" in children["child-a"]["notes"]
    # aged 11 in November 2014: born between December 2002 and November 2003
    assert children["child-b"]["born"] == "Nov 2002 – Nov 2003"
    assert "inferred" in children["child-b"]["notes"]


def test_events_are_dated_sentences_about_a_child(la_review):
    d = draft(la_review[1])
    events = {n["id"]: n for n in by_type(d["nodes"], "Event")}
    concerns = {e["from"]: e["to"] for e in by_type(d["edges"], "CONCERNS")}
    assert (events["ev-p2-1"]["date"], events["ev-p2-1"]["kind"]) == ("Mar 2015", "missing_episode")
    assert events["ev-p2-2"]["date"] == "Mar 2015"  # "a week later"
    assert events["ev-p3-2"]["date"] == "Dec 2016"  # "In late December", after February 2016
    assert events["ev-p5-2"]["date"] == "Nov 2014 – Nov 2016" and events["ev-p5-2"]["kind"] == "arrest"
    assert concerns["ev-p2-1"] == "child-a" and concerns["ev-p4-1"] == "child-b"
    assert all(concerns.get(eid) for eid in events)
    participants = {(e["from"], e["to"]) for e in by_type(d["edges"], "PARTICIPATED_IN")}
    assert ("ag-childrens-social-care-la2", "ev-p2-1") in participants


def test_meetings_with_the_agencies_named_around_them(la_review):
    d = draft(la_review[1])
    meetings = {n["kind"]: n for n in by_type(d["nodes"], "Meeting")}
    assert meetings["strategy_meeting"]["date"] == "Mar 2015" and meetings["strategy_meeting"]["status"] == "held"
    assert meetings["cin_meeting"]["status"] == "cancelled"
    roles = {(e["type"], e["from"], e["to"]) for e in d["edges"] if e["to"].startswith("mt-")}
    strategy, cin = meetings["strategy_meeting"]["id"], meetings["cin_meeting"]["id"]
    assert ("DID_NOT_ATTEND", "ag-general-practice-child-a", strategy) in roles
    assert ("ATTENDED", "ag-school-nursing", strategy) in roles
    assert ("CONVENED", "ag-childrens-social-care-la2", cin) in roles


def test_learning_points_name_agencies(la_review):
    d = draft(la_review[1])
    names = {(e["from"], e["to"]) for e in by_type(d["edges"], "NAMES")}
    assert {("LP1", "ag-general-practice-child-a"), ("GP1", "ag-camhs-child-a")} <= names
    assert ("LP1", "ag-lscb") not in names  # "The LSCB should be assured …": addressed, not named
    (lp1,) = by_type(d["nodes"], "LearningPoint")
    assert lp1["number"] == 1 and lp1["source"] == "LP1"


def test_named_areas_and_forces_and_findings(tmp_path):
    source = tmp_path / "review-c.txt"
    source.write_text(REVIEW_NAMED, encoding="utf-8")
    summary = extract_case(source, tmp_path / "case", case_id="child-c")
    assert summary["areas"] == ["Area A", "Area B", "Leeds"]
    assert summary["police_forces"] == ["Police Force A", "Lancashire Constabulary"]  # in order of id
    assert summary["learning_points"] == [1]
    assert {"health visitor", "midwife (area b)", "youth offending team (area a)", "city council (leeds)"} <= {
        a.lower() for a in summary["agencies"]
    }
    d = draft(tmp_path / "case")
    assert {(e["from"], e["to"]) for e in by_type(d["edges"], "COVERS")} == {("PF-A", "Area-A"), ("PF-A", "Area-B")}
    assert [n["date"] for n in by_type(d["nodes"], "Event")] == ["early 2016", "Aug 2012 – Feb 2015"]
    assert validate_path(tmp_path / "case").case_id == "child-c"


def test_docx_review(tmp_path):
    d = docx.Document()
    d.add_heading("Serious Case Review: Child E", level=0)
    d.add_paragraph(
        "In April 2017 the Health Visitor (LA1) made a referral to Children's Social Care.", style="List Number"
    )
    d.add_page_break()
    d.add_paragraph("A strategy meeting was held in May 2017; the police did not attend.", style="List Number")
    d.add_paragraph("Learning Point 1: Health Visitors should be invited to strategy meetings.")
    source = tmp_path / "child-e.docx"
    d.save(str(source))
    summary = extract_case(source, tmp_path / "case")
    assert summary["paragraphs"] == 2 and summary["learning_points"] == [1] and summary["meetings"] == 1
    index = DocumentIndex.from_file(tmp_path / "case" / "documents" / "child-e.txt")
    assert [(p.ref, p.page) for p in index.numbered()] == [("¶1", 1), ("¶2", 2)]
    validate_path(tmp_path / "case")
    assert_refs_resolve(tmp_path / "case")


def test_pdf_review(tmp_path):
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for number, text in (
        (
            1,
            "In June 2018 Child F went missing from foster care in LA2 and was found by "
            "Police Force 1 two days later; the school nurse was told.",
        ),
        (
            2,
            "In July 2018 Child F attended A&E after an overdose. CAMHS assessed the child "
            "within a week and the case was closed in September 2018.",
        ),
    ):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"{number}. {text}")
    source = tmp_path / "child-f.pdf"
    pdf.output(str(source))
    summary = extract_case(source, tmp_path / "case")
    assert summary["paragraphs"] == 2 and summary["children"] == ["Child F"]
    assert summary["events"] == 3 and summary["police_forces"] == ["Police Force 1"]
    copy = (tmp_path / "case" / "documents" / "document-child-f.txt").read_text(encoding="utf-8")
    assert copy.count("\f") == 1  # pages kept in the stored text
    validate_path(tmp_path / "case")
    assert_refs_resolve(tmp_path / "case")


# --- the Child Q & Child S review ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def qs_draft(tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("qs") / "case"
    return extract_case(QS_TEXT, out, case_id="child-q-s-draft"), out


def test_qs_summary(qs_draft):
    summary, _ = qs_draft
    assert summary["paragraphs"] == 204
    assert summary["learning_points"] == list(range(1, 39))
    assert summary["good_practice_points"] == list(range(1, 26))
    assert summary["recommendations"] == 5
    assert summary["areas"] == [f"LA{n}" for n in range(1, 7)]
    assert summary["police_forces"] == [f"Police Force {n}" for n in range(1, 5)]
    assert summary["children"] == ["Child Q", "Child S"]
    assert {
        "Children's Social Care (LA2)",
        "Barnardos",
        "School Nursing Service",
        "SARC (Child S)",
        "Emergency Duty Team (LA2)",
        "MASH",
        "Missing from Home Team (Police Force 4)",
    } <= set(summary["agencies"])


def test_qs_draft_validates(qs_draft):
    _, out = qs_draft
    case = validate_path(out)
    assert case.case_id == "child-q-s-draft" and len(case.nodes) > 300
    assert_refs_resolve(out)


def test_qs_accuracy_against_the_curated_case(tmp_path):
    bench = run_bench()
    rows, _, unresolved = bench.measure(ROOT / "data" / "cases" / "child-q-s", tmp_path)
    got = {r["element"]: r for r in rows}
    for element in (
        "numbered paragraphs",
        "learning points",
        "good-practice points",
        "areas",
        "police forces",
        "force covers area",
    ):
        assert got[element]["precision"] == got[element]["recall"] == 1.0, element
    assert got["agencies named"]["recall"] >= 0.9
    assert got["dated events (same ¶, same start month)"]["recall"] >= 0.8
    assert unresolved == []


def test_cli_extract_writes_a_valid_case_and_summary(tmp_path):
    import json
    import subprocess
    import sys

    from loaders.validate import validate_path
    from tests.conftest import ROOT

    out, summary = tmp_path / "draft", tmp_path / "s.json"
    review = ROOT / "data" / "cases" / "child-q-s" / "documents" / "scr-2016.txt"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "cli.py"),
            "extract",
            str(review),
            "--out",
            str(out),
            "--summary-json",
            str(summary),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["paragraphs"] == 204 and len(data["learning_points"]) == 38 and len(data["good_practice_points"]) == 25
    assert validate_path(out).nodes
