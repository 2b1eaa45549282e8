"""Readers: each format gives clean text page by page, with page numbers where the format has them."""

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF

from loaders.documents import (
    DocumentError,
    Page,
    clean_text,
    pages_from_text,
    pages_to_text,
    read_document,
)


def make_docx(path: Path, page_break: bool = True) -> Path:
    d = docx.Document()
    d.add_heading("Serious Case Review: Child A", level=0)
    d.add_heading("Section 1: Introduction", level=1)
    d.add_paragraph("The review was commissioned by the LSCB in March 2016.", style="List Number")
    d.add_paragraph("Child A was known to Children's Social Care (LA1) from 2012.", style="List Number")
    if page_break:
        d.add_page_break()
    d.add_paragraph("Learning Point 1: The LSCB should be assured that schools are invited to CIN meetings.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "CSC", "Children's Social Care"
    table.cell(1, 0).text, table.cell(1, 1).text = "Police Force 1 covers", "LA1 and LA2"
    d.save(str(path))
    return path


class ReviewPDF(FPDF):
    """A review laid out like a published one: running header, page-number footer."""

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, "Serious Case Review: Child A (Final Report)", align="C")
        self.ln(10)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, f"Page {self.page_no()} of 2", align="C")


def make_pdf(path: Path) -> Path:
    pdf = ReviewPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(
        0,
        6,
        "1. In March 2015 the Primary School made a referral to Children's Social Care (LA1) "
        "because Child A had been missing from home overnight and was seen with older males.",
    )
    pdf.ln(3)
    pdf.multi_cell(
        0,
        6,
        "2. The referral was closed after a single assessment. The school was not told of the "
        "outcome and did not challenge the decision, although the concerns continued to grow "
        "through the summer term and into the autumn, when attendance fell",
    )
    pdf.add_page()
    pdf.multi_cell(0, 6, "sharply and the child was excluded for two days.")
    pdf.ln(3)
    pdf.multi_cell(0, 6, "3. In May 2016 a strategy meeting was held by Police Force 1.")
    pdf.output(str(path))
    return path


def test_text_without_form_feeds_is_one_unnumbered_page(tmp_path):
    path = tmp_path / "review.txt"
    path.write_text("1. First.\n\n2. Second.\n", encoding="utf-8")
    assert read_document(path) == [Page(None, "1. First.\n\n2. Second.\n")]


def test_form_feeds_are_pages(tmp_path):
    path = tmp_path / "review.txt"
    path.write_text("1. First.\fcontinued here.\n2. Second.", encoding="utf-8")
    pages = read_document(path)
    assert [p.number for p in pages] == [1, 2]
    assert pages[1].text.startswith("continued here.")


def test_text_saved_by_word_on_windows_is_read(tmp_path):
    path = tmp_path / "review.txt"
    path.write_bytes("1. Children\u2019s Social Care.\r\n".encode("cp1252"))
    assert read_document(path)[0].text == "1. Children’s Social Care.\n"


def test_clean_text_removes_converter_debris():
    assert clean_text("multi\u00adagency\u00a0work\r\nof\ufb01ce  \nnext") == "multiagency work\noffice\nnext"
    assert clean_text("disorganised² and ⁴") == "disorganised² and ⁴"  # footnote markers stay for the index


def test_pages_round_trip_through_text():
    pages = [Page(1, "one"), Page(2, "two")]
    assert pages_from_text(pages_to_text(pages)) == pages


def test_docx_keeps_headings_numbering_tables_and_page_breaks(tmp_path):
    pages = read_document(make_docx(tmp_path / "review.docx"))
    assert [p.number for p in pages] == [1, 2]
    first, second = pages[0].text, pages[1].text
    assert "# Serious Case Review: Child A" in first
    # Word's automatic numbering is not in the paragraph text; the reader renders it.
    assert "1. The review was commissioned by the LSCB in March 2016." in first
    assert "2. Child A was known to Children's Social Care (LA1) from 2012." in first
    assert second.startswith("Learning Point 1:")
    assert "Police Force 1 covers\tLA1 and LA2" in second


def add_footnote(path: Path, text: str) -> None:
    """Give a saved .docx a footnotes part (python-docx cannot write one) holding footnote 1."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = (
        f'<w:footnotes xmlns:w="{w}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
        f'</w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["word/footnotes.xml"] = notes.encode()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdFootnotes" Target="footnotes.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/footnotes"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_docx_footnotes_are_kept_apart_from_the_text(tmp_path):
    d = docx.Document()
    p = d.add_paragraph("1. The referral was made under the guidance.")
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), "1")
    p.add_run()._r.append(ref)
    path = tmp_path / "review.docx"
    d.save(str(path))
    add_footnote(path, "Working Together to Safeguard Children (2015).")
    (page,) = read_document(path)
    assert page.text.splitlines() == [
        "1. The referral was made under the guidance.¹",
        "",
        "¹ Working Together to Safeguard Children (2015).",
    ]


def test_docx_without_page_breaks_has_no_page_numbers(tmp_path):
    pages = read_document(make_docx(tmp_path / "review.docx", page_break=False))
    assert len(pages) == 1 and pages[0].number is None


def test_pdf_pages_without_running_header_and_footer(tmp_path):
    pages = read_document(make_pdf(tmp_path / "review.pdf"))
    assert [p.number for p in pages] == [1, 2]
    text = pages_to_text(pages)
    assert "Final Report" not in text and "Page 1 of 2" not in text
    assert pages[0].text.startswith("1. In March 2015 the Primary School")
    assert pages[1].text.startswith("sharply and the child")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("review.rtf", b"{\\rtf1}", "unsupported document type"),
        ("missing.pdf", None, "no such file"),
        ("broken.pdf", b"not a pdf at all", "cannot read PDF"),
        ("broken.docx", b"not a zip", "cannot read Word document"),
    ],
)
def test_unreadable_documents_say_why(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        read_document(path)
