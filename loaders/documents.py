"""Readers for published reviews (.txt, .docx, .pdf): clean text, page by page.

Reviews are published as PDF or Word and sometimes passed around as text. The paragraph index
(loaders/paragraphs.py) works on plain text, so each reader turns its format into a list of
pages and keeps page numbers where the format has them: a PDF always, a Word file when it
records page breaks, a text file when it has form feeds (as ``pdftotext`` writes). Pages are
joined with form feeds to store the text beside a case, so re-reading that copy gives the same
pages.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from loaders.archive import inspect_zip
from loaders.safety import UnsafeInput, read_limited

FORM_FEED = "\f"
SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUPPORTED = (".txt", ".text", ".md", ".docx", ".pdf")
RUNNING_LINE_MAX = 90  # running headers and footers are short; a body line that happens to repeat is not


@dataclass(frozen=True)
class Page:
    """One page of a document; ``number`` is None when the format has no pages."""

    number: int | None
    text: str


class DocumentError(ValueError):
    """A document that cannot be read; the message says which and why."""


def read_document(path: str | Path) -> list[Page]:
    """Read a review into pages of clean text, choosing the reader by file extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(f"{path}: unsupported document type {suffix!r}; expected one of {', '.join(SUPPORTED)}")
    if not path.exists():
        raise DocumentError(f"{path}: no such file")
    try:
        data = read_limited(path)  # a regular file within the size cap, never a FIFO or a device
    except UnsafeInput as exc:
        raise DocumentError(f"{path}: expected {exc}") from None
    if suffix == ".docx":
        try:
            inspect_zip(data, "Word document")  # a .docx is a zip: no bomb
        except UnsafeInput as exc:
            raise DocumentError(f"{path}: cannot read Word document (expected {exc})") from None
    if suffix == ".docx":
        return read_docx(path, data)
    if suffix == ".pdf":
        return read_pdf(path, data)
    return read_text_file(path, data)


def pages_to_text(pages: list[Page]) -> str:
    """The whole document as one text, pages separated by form feeds when there are pages."""
    return FORM_FEED.join(p.text for p in pages)


def pages_from_text(text: str) -> list[Page]:
    """Split a text on form feeds; one page without a number when there are none."""
    text = clean_text(text)
    parts = text.split(FORM_FEED)
    if len(parts) == 1:
        return [Page(None, parts[0])]
    return [Page(i, part) for i, part in enumerate(parts, start=1)]


def clean_text(text: str) -> str:
    """Normalise what converters leave behind: line endings, odd spaces, soft hyphens, ligatures."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    # NFKC would also flatten superscript footnote markers, which the index needs, so only the
    # ligatures PDFs produce are expanded.
    text = text.translate({0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl"})
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def read_text_file(path: Path, raw: bytes) -> list[Page]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # text saved from Word on Windows
    return pages_from_text(text)


# --- PDF -------------------------------------------------------------------------------------

_PAGE_NUMBER_LINE = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?\s*$", re.IGNORECASE)


def read_pdf(path: Path, data: bytes) -> list[Page]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        texts = [clean_text(page.extract_text() or "") for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise DocumentError(f"{path}: cannot read PDF ({exc})") from None
    texts = _strip_running_lines(texts)
    return [Page(i, t) for i, t in enumerate(texts, start=1)]


def _shape(line: str) -> str:
    """A line with its digits blanked, so 'Page 3 of 70' and 'Page 4 of 70' compare equal."""
    return re.sub(r"\d+", "#", line.strip().lower())


def _strip_running_lines(pages: list[str]) -> list[str]:
    """Drop running headers and footers: edge lines repeated on most pages, and page numbers."""
    split = [p.split("\n") for p in pages]
    edges: Counter[str] = Counter()
    for lines in split:
        body = [ln for ln in lines if ln.strip()]
        edges.update({_shape(ln) for ln in body[:2] + body[-2:] if len(ln.strip()) <= RUNNING_LINE_MAX})
    repeated = {s for s, n in edges.items() if len(pages) >= 2 and n >= max(2, (len(pages) + 1) // 2)}
    out = []
    for lines in split:
        nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
        edge_idx = set(nonblank[:2] + nonblank[-2:])
        kept = [
            ln
            for i, ln in enumerate(lines)
            if not (i in edge_idx and (_shape(ln) in repeated or _PAGE_NUMBER_LINE.match(ln)))
        ]
        out.append("\n".join(kept).strip("\n"))
    return out


# --- DOCX ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(n: int) -> str:
    vals = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


class _Numbering:
    """Word's automatic list numbering, rendered into text: the '23.' a reader sees is not in the
    paragraph's text but computed from numbering.xml, and the review's paragraph refs depend on it."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in an.iter(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                txt = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl"))] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    txt.get(f"{_W}val") if txt is not None else "",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstract[an.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId")] = abstract.get(ref.get(f"{_W}val"), {})

    @staticmethod
    def _num_pr(paragraph):
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        style = paragraph.style
        while style is not None:
            sppr = style.element.pPr
            if sppr is not None and sppr.numPr is not None:
                return sppr.numPr
            style = style.base_style
        return None

    def label(self, paragraph) -> str:
        """The rendered list label ('23.', '4.2.1', '-') for a paragraph, or ''."""
        num_pr = self._num_pr(paragraph)
        if num_pr is None or num_pr.numId is None:
            return ""
        num_id = str(num_pr.numId.val)
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        fmt, text, start = levels[ilvl]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def render(m: re.Match) -> str:
            k = int(m[1]) - 1
            lfmt, _, lstart = levels.get(k, ("decimal", "", 1))
            n = counters.get(k, lstart)
            if lfmt in ("lowerLetter", "upperLetter"):
                s = _letters(n)
                return s.upper() if lfmt == "upperLetter" else s
            if lfmt in ("lowerRoman", "upperRoman"):
                s = _roman(n)
                return s.upper() if lfmt == "upperRoman" else s
            return str(n)

        return re.sub(r"%(\d)", render, text)


def _heading_level(paragraph) -> int:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name == "Title":
        return 1
    m = re.match(r"Heading (\d)", name)
    return int(m[1]) if m else 0


def _footnotes(document) -> dict[str, str]:
    """Footnote id -> text, from the footnotes part python-docx does not expose."""
    from lxml import etree

    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            root = etree.fromstring(rel.target_part.blob)
            notes = {}
            for fn in root.iter(f"{_W}footnote"):
                if fn.get(f"{_W}type") in (None, "normal"):
                    notes[fn.get(f"{_W}id")] = " ".join("".join(t.text or "" for t in fn.iter(f"{_W}t")).split())
            return notes
    return {}


class _DocxWriter:
    """Walks the body in order and writes pages of text, breaking pages where Word recorded them."""

    def __init__(self, use_rendered: bool, footnotes: dict[str, str]) -> None:
        self.use_rendered = use_rendered
        self.footnotes = footnotes
        self.cited: dict[str, int] = {}
        self.pages: list[list[str]] = [[]]
        self.line = ""

    def break_page(self) -> None:
        if self.line.strip():
            self.pages[-1].append(self.line)
        self.line = ""
        self.pages.append([])

    def end_paragraph(self, blank: bool = True) -> None:
        if self.line.strip():
            self.pages[-1].append(self.line)
            if blank:
                self.pages[-1].append("")
        self.line = ""

    def run_content(self, p_element, prefix: str) -> None:
        self.line = prefix
        for el in p_element.iter():
            tag = el.tag
            if tag == f"{_W}t":
                self.line += el.text or ""
            elif tag == f"{_W}tab":
                self.line += "\t" if self.line.strip() else ""
            elif tag == f"{_W}br":
                kind = el.get(f"{_W}type")
                if kind == "page" and not self.use_rendered:
                    self.break_page()
                elif kind in (None, "textWrapping"):
                    self.line += " "
            elif tag == f"{_W}lastRenderedPageBreak" and self.use_rendered:
                self.break_page()
            elif tag == f"{_W}footnoteReference":
                fid = el.get(f"{_W}id")
                n = self.cited.setdefault(fid, len(self.cited) + 1)
                self.line += str(n).translate(SUPERSCRIPT_DIGITS)


def read_docx(path: Path, data: bytes) -> list[Page]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocumentError(f"{path}: cannot read Word document ({exc})") from None
    body = document.element.body
    use_rendered = bool(body.xpath(".//w:lastRenderedPageBreak"))
    has_pages = use_rendered or bool(body.xpath('.//w:br[@w:type="page"]') or body.xpath(".//w:pageBreakBefore"))
    numbering = _Numbering(document)
    out = _DocxWriter(use_rendered, _footnotes(document))
    for block in document.iter_inner_content():
        if isinstance(block, DocxParagraph):
            ppr = block._p.pPr
            if not use_rendered and ppr is not None and ppr.pageBreakBefore is not None and out.pages[-1]:
                out.break_page()
            level = _heading_level(block)
            label = numbering.label(block)
            prefix = "#" * level + " " if level else ""
            prefix += f"{label} " if label else ""
            out.run_content(block._p, prefix)
            out.end_paragraph()
        elif isinstance(block, Table):
            for row in block.rows:
                seen, cells = set(), []
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue  # a merged cell repeats
                    seen.add(id(cell._tc))
                    cells.append(" ".join(" ".join(p.text.split()) for p in cell.paragraphs).strip())
                out.line = "\t".join(cells)
                out.end_paragraph(blank=False)
            out.pages[-1].append("")
    if out.cited:
        out.end_paragraph()
        for fid, n in sorted(out.cited.items(), key=lambda kv: kv[1]):
            out.pages[-1] += [f"{str(n).translate(SUPERSCRIPT_DIGITS)} {out.footnotes.get(fid, '')}", ""]
    texts = [clean_text("\n".join(lines)).strip("\n") for lines in out.pages]
    if not has_pages:
        return [Page(None, "\n\n".join(t for t in texts if t))]
    return [Page(i, t) for i, t in enumerate(texts, start=1)]
