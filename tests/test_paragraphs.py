"""The paragraph index: the review's own numbering in each style reviews use, the boxes and lists
that interrupt it, and every ref a curated case uses resolving to its text."""

from pathlib import Path

import pytest
import yaml

from loaders.paragraphs import KINDS, DocumentIndex, Paragraph, is_successor

QS_CASE = Path(__file__).resolve().parent.parent / "data" / "cases" / "child-q-s"
QS_TEXT = QS_CASE / "documents" / "scr-2016.txt"

# "23." numbering, as a PDF converted to marked-up text: emphasis, a footnote splitting a paragraph,
# learning and good-practice boxes, a table, recommendations and an appendix that restart at 1.
DOTTED = """\
Serious Case Review

Child A

Abbreviations.

Police Force 1 (PF1)\tcovers LA1 and LA2.
CSC\tChildren's Social Care.

SECTION 1: INTRODUCTION

1. *Background.*

Child A was born in 2005 and lived in LA1 with the family.

2. In March 2015 Children's Social Care (LA1) received a referral from the school.¹ A strategy meeting was \
attended by the police, the school nurse and

¹ Working Together to Safeguard Children (2015).

the GP was not invited.

Learning Point 1: The LSCB should be assured that GPs are invited to strategy meetings.

Good Practice Point 1: The school nurse shared information promptly.

3. The review resumes after the boxes.

- 5.** A paragraph converted as a list item; number 4 is missing.

Table 1: Contacts with agencies.

Agency\tContacts
CSC\t4

SECTION 2: RECOMMENDATIONS

The LSCB should;

1. Review the threshold document.
2. Audit attendance at strategy meetings.

Appendix 1: Terms of Reference

1. *Scope.*

The review covers January 2014 to March 2015.

Learning Point 1: The LSCB should be assured that GPs are invited to strategy meetings. (GP, LSCB)

2. *Methodology.*

A systems approach was used.

- Designated Nurse.
- Police Force 1.
"""

# "1.1.1" numbering: numbered section headings over numbered paragraphs, "Finding N" boxes.
MULTI = """\
1 Introduction

1.1 Background

1.1.1 The review concerns Child B, who lived in Area A with the family.

1.1.2 Child B was placed with foster carers in Area B in June 2016.

1.2 Methodology

1.2.1 A panel met four times.

2 Findings

2.1 Information sharing

2.1.1 The GP did not share information with the school.

Finding 1: Information sharing between health and CSC was poor.

2.1.2 Police Force A covers Area A.
"""

# "1-1" numbering in text extracted from a PDF: wrapped lines, no blank lines, a page break inside
# the numbering, an unnumbered "Key lesson".
DASHED = (
    "Section 1 Summary\n"
    "1-1 Child C lived with her mother in Leeds. Leeds City Council\n"
    "children's services were involved from 2013.\n"
    "1-2 In early 2015 the school raised concerns about multi-\n"
    "agency neglect work with the local authority.\n"
    "Key lesson: Schools should escalate concerns\n"
    "when a referral is closed.\n"
    "1-3 The case was closed in April 2015.\f"
    "1-4 Child C was admitted to hospital in\n"
    "May 2015.\n"
)

UNNUMBERED = """\
Review of services for Baby D

Baby D was born in 2019 and lived with the mother.

The health visitor visited in March 2019.
"""


def refs(index: DocumentIndex, kind: str | None = None) -> list[str]:
    return [p.ref for p in index.paragraphs if kind is None or p.kind == kind]


@pytest.fixture(scope="module")
def dotted() -> DocumentIndex:
    return DocumentIndex.from_text(DOTTED)


@pytest.fixture(scope="module")
def qs() -> DocumentIndex:
    return DocumentIndex.from_file(QS_TEXT)


@pytest.mark.parametrize(
    ("prev", "cand", "expected"),
    [
        (None, (1,), True),
        (None, (23,), False),
        ((23,), (24,), True),
        ((91,), (93,), True),
        ((207,), (1,), False),
        ((4, 2), (4, 2, 1), True),
        ((4, 2, 3), (4, 3), True),
        ((1, 9), (2, 1), True),
        ((4, 2, 1), (4, 2), False),
        ((4, 2, 3), (5, 2), False),
        ((3,), (3,), False),
    ],
)
def test_successor(prev, cand, expected):
    assert is_successor(prev, cand) is expected


def test_dotted_numbering_boxes_and_lists(dotted):
    assert refs(dotted, "paragraph")[:4] == ["¶1", "¶2", "¶3", "¶5"]
    assert refs(dotted, "learning_point") == ["LP1", "LP1"]  # in the body and again in the appendix
    assert refs(dotted, "good_practice") == ["GP1"]
    assert refs(dotted, "recommendation") == ["Rec1", "Rec2"]
    assert refs(dotted, "appendix") == ["App1 §1", "App1 §2"]
    assert refs(dotted, "footnote") == ["fn1"]


def test_paragraph_split_by_a_footnote_is_joined(dotted):
    (p2,) = dotted.resolve("¶2")
    assert p2.text.endswith("the police, the school nurse and the GP was not invited.")
    assert "Working Together" not in p2.text  # the footnote is its own unit
    assert dotted.resolve("fn1")[0].text == "Working Together to Safeguard Children (2015)."


def test_markup_is_removed_and_titles_become_headings(dotted):
    (p1,) = dotted.resolve("¶1")
    assert p1.text == "Background.\nChild A was born in 2005 and lived in LA1 with the family."
    assert p1.heading == "Background."
    assert dotted.resolve("¶5")[0].text == "A paragraph converted as a list item; number 4 is missing."


def test_tables_abbreviations_and_title_page(dotted):
    (abbrev,) = dotted.resolve("Abbrev.")
    assert abbrev.kind == "table" and "Police Force 1 (PF1)\tcovers LA1 and LA2." in abbrev.text
    (table,) = dotted.resolve("Table 1")
    assert table.text.splitlines() == ["Table 1: Contacts with agencies.", "Agency\tContacts", "CSC\t4"]
    assert [p.text for p in dotted.resolve("Title page")] == ["Serious Case Review", "Child A"]


def test_appendix_sections_and_their_lists(dotted):
    assert [p.ref for p in dotted.resolve("App1")] == ["App1", "App1 §1", "LP1", "App1 §2"]
    (section,) = dotted.resolve("App1 §2")
    assert section.text == "Methodology.\nA systems approach was used.\n- Designated Nurse.\n- Police Force 1."
    assert [p.ref for p in dotted.resolve("App1 LP1")] == ["LP1"]


def test_resolve_accepts_the_refs_cases_use(dotted):
    assert [p.ref for p in dotted.resolve("¶1–3")] == ["¶1", "¶2", "¶3"]
    assert [p.ref for p in dotted.resolve("¶1-5")] == ["¶1", "¶2", "¶3", "¶5"]
    assert [p.ref for p in dotted.resolve("¶2 – ¶3")] == ["¶2", "¶3"]
    for same in ("LP1", "Learning Point 1", "lp 1"):
        assert len(dotted.resolve(same)) == 2
    assert dotted.resolve("para 3") == dotted.resolve("¶3")
    assert dotted.resolve("GP1")[0].kind == "good_practice"
    assert dotted.resolve("Recommendation 2")[0].text == "Audit attendance at strategy meetings."
    assert dotted.resolve("Appendix 1 §1")[0].ref == "App1 §1"
    assert dotted.resolve("¶2 fn1")[0].ref == "fn1"


@pytest.mark.parametrize("ref", ["¶4", "¶99", "LP7", "App9", "Table 8", "", "passim", "¶3–1", "¶x"])
def test_unknown_refs_resolve_to_nothing(dotted, ref):
    assert dotted.resolve(ref) == []


def test_resolve_never_raises_on_odd_input(dotted):
    assert dotted.resolve(None) == []  # type: ignore[arg-type]
    assert dotted.resolve(23) == []  # type: ignore[arg-type]


def test_resolve_many(dotted):
    out = dotted.resolve_many("¶1, LP1; Table 1")
    assert list(out) == ["¶1", "LP1", "Table 1"] and len(out["LP1"]) == 2
    assert list(dotted.resolve_many(["¶2", "GP1, ¶99"])) == ["¶2", "GP1", "¶99"]
    assert dotted.resolve_many(["¶99"])["¶99"] == []


def test_multilevel_numbering_with_numbered_headings():
    index = DocumentIndex.from_text(MULTI)
    assert refs(index, "paragraph") == ["¶1.1.1", "¶1.1.2", "¶1.2.1", "¶2.1.1", "¶2.1.2"]
    assert refs(index, "heading") == ["§1", "§1.1", "§1.2", "§2", "§2.1"]
    assert index.resolve("Finding 1")[0].ref == "LP1"
    assert index.resolve("¶2.1.1")[0].heading == "Information sharing"
    assert [p.ref for p in index.resolve("¶1.1.1–1.2.1")] == ["¶1.1.1", "¶1.1.2", "¶1.2.1"]


def test_dashed_numbering_from_pdf_text_with_pages():
    index = DocumentIndex.from_text(DASHED)
    assert refs(index, "paragraph") == ["¶1-1", "¶1-2", "¶1-3", "¶1-4"]
    assert index.resolve("¶1-1")[0].text == (
        "Child C lived with her mother in Leeds. Leeds City Council children's services were involved from 2013."
    )
    assert "multi-agency neglect" in index.resolve("¶1-2")[0].text
    assert index.resolve("LP1")[0].text == "Schools should escalate concerns when a referral is closed."
    assert [p.page for p in index.numbered()] == [1, 1, 1, 2]


def test_a_review_without_numbering_is_numbered_by_block():
    index = DocumentIndex.from_text(UNNUMBERED)
    assert [(p.ref, p.text) for p in index.numbered()] == [
        ("¶1", "Baby D was born in 2019 and lived with the mother."),
        ("¶2", "The health visitor visited in March 2019."),
    ]


def test_paragraphs_are_the_public_record_type(dotted):
    assert all(isinstance(p, Paragraph) and p.kind in KINDS for p in dotted.paragraphs)
    assert {p.kind for p in dotted.paragraphs} == set(KINDS)  # the sample has one of each
    with pytest.raises(ValueError, match="unknown paragraph kind"):
        dotted.of_kind("box")


# --- the Child Q & Child S review -----------------------------------------------------------------


def test_qs_numbered_paragraphs_are_exactly_the_reviews(qs):
    expected = [f"¶{n}" for n in range(1, 208) if n not in (92, 100, 181)]
    assert [p.ref for p in qs.numbered()] == expected


def test_qs_points_and_recommendations(qs):
    assert sorted({int(p.ref[2:]) for p in qs.of_kind("learning_point")}) == list(range(1, 39))
    assert sorted({int(p.ref[2:]) for p in qs.of_kind("good_practice")}) == list(range(1, 26))
    assert [p.ref for p in qs.of_kind("recommendation")] == [f"Rec{n}" for n in range(1, 6)]
    assert qs.resolve("LP35")[0].text.startswith("Currently local systems (Police Force 1) do not always")


def test_qs_page_splits_and_footnotes(qs):
    (p37,) = qs.resolve("¶37")
    assert "aggressive behaviour to other children and staff" in p37.text  # after two footnotes
    assert "NSPCC on line" not in p37.text
    (p23,) = qs.resolve("¶23")
    assert "services). In line with guidance" in p23.text and "See glossary" not in p23.text
    assert qs.resolve("¶48 fn10")[0].text.startswith("The Independent Group in LA5 was commissioned")


def test_qs_tables_and_appendices(qs):
    assert "Police Force 1 covers\tLA 1, 2, 6" in qs.resolve("Abbrev.")[0].text
    assert qs.resolve("Table 2")[0].text.startswith("Table 2: Analysis of Interacting risk factors")
    assert "Youth Offending Service Manager" in qs.resolve("App1 §2")[0].text
    assert {p.kind for p in qs.resolve("App5")} == {"heading", "appendix", "good_practice", "learning_point"}


def test_every_ref_in_the_curated_case_resolves(qs):
    unresolved = set()
    for path in sorted(QS_CASE.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for record in [*(doc.get("nodes") or []), *(doc.get("edges") or [])]:
            if record.get("doc", "scr-2016") != "scr-2016":
                continue
            source = record.get("source", "")
            for ref in source if isinstance(source, list) else str(source).split(","):
                if ref.strip() and not qs.resolve(ref.strip()):
                    unresolved.add(f"{path.name}: {ref.strip()}")
    assert not unresolved, sorted(unresolved)
