"""The paragraph index of a review, so that every ref a case cites resolves to the review's words.

A curated case points at evidence by the review's own refs: ``¶23``, ``¶15–17``, ``LP5``,
``GP3``, ``App1 §2``, ``Table 2``, ``Abbrev.``. The evidence view and the gap report show the
text behind each ref, so the index has to recover the review's structure from plain text
whatever the publisher did to it: numbering styles differ (``23.``, ``1.1.1``, ``1-1``), page
breaks split paragraphs around footnotes, learning points and good-practice boxes interrupt
the numbered text, and appendices restart their numbering.

The pass over the lines that decides where each unit begins and ends is loaders.paragraph_builder;
this module holds what the rest of the project reads: the units as ``Paragraph``s and the index
that resolves refs to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from loaders.documents import Page, pages_from_text, read_document
from loaders.paragraph_builder import _Builder, _Entry, _number, _strip_markup, is_successor

__all__ = ["KINDS", "DocumentIndex", "Paragraph", "is_successor"]

KINDS = ("paragraph", "learning_point", "good_practice", "recommendation", "appendix", "table", "footnote", "heading")


@dataclass(frozen=True)
class Paragraph:
    """One indexed unit of a review: a numbered paragraph, a learning point, a table, a footnote…"""

    ref: str
    kind: str
    text: str
    page: int | None
    heading: str | None


class DocumentIndex:
    """A review's paragraphs in order, with the refs a curated case uses to point at them."""

    def __init__(self, entries: list[_Entry]) -> None:
        self.paragraphs: list[Paragraph] = [
            Paragraph(e.ref, e.kind, "\n".join(e.parts).strip(), e.page, e.heading) for e in entries
        ]
        self._places = [(e.appendix, e.section) for e in entries]
        self._numbers = [e.number for e in entries]
        self._by_ref: dict[str, list[int]] = {}
        for i, p in enumerate(self.paragraphs):
            self._by_ref.setdefault(p.ref, []).append(i)

    @classmethod
    def from_file(cls, path: str | Path) -> DocumentIndex:
        return cls.from_pages(read_document(path))

    @classmethod
    def from_text(cls, text: str) -> DocumentIndex:
        return cls.from_pages(pages_from_text(text))

    @classmethod
    def from_pages(cls, pages: list[Page]) -> DocumentIndex:
        lines = [_strip_markup(raw, page.number) for page in pages for raw in page.text.split("\n")]
        return cls(_Builder(lines).build())

    # -- queries ------------------------------------------------------------------------------

    def numbered(self) -> list[Paragraph]:
        """The review's own numbered paragraphs (what '¶n' refers to)."""
        return [p for p in self.paragraphs if p.kind == "paragraph" and p.ref.startswith("¶")]

    def of_kind(self, kind: str) -> list[Paragraph]:
        if kind not in KINDS:
            raise ValueError(f"unknown paragraph kind {kind!r}; expected one of {', '.join(KINDS)}")
        return [p for p in self.paragraphs if p.kind == kind]

    def resolve(self, ref: str) -> list[Paragraph]:
        """The paragraphs a ref points at; [] for a ref this review does not have."""
        if not isinstance(ref, str) or not ref.strip():
            return []
        ref = " ".join(ref.replace("\u00a0", " ").split())
        if m := re.fullmatch(
            r"(?:app(?:endix)?\.?|annex)\s*(\d{1,2}|[A-Za-z])(?:\s*(?:§|s\.?|section)\s*([\d.]+))?", ref, re.IGNORECASE
        ):
            return self._appendix(m[1].upper(), m[2])
        for candidate in _normalised(ref):
            if candidate in self._by_ref:
                return [self.paragraphs[i] for i in self._by_ref[candidate]]
        if m := re.fullmatch(
            r"((?:app(?:endix)?\.?\s*\w{1,2}|¶\s*[\d.-]+)(?:\s*§\s*[\d.]+)?)\s+"
            r"((?:LP|GP|Rec|fn|Table)\s*\d+)",
            ref,
            re.IGNORECASE,
        ):
            # "App5 GP17": the point as Appendix 5 gives it; "¶48 fn10": the footnote of ¶48
            inner = self.resolve(m[2])
            app = re.fullmatch(r"app(?:endix)?\.?\s*(\d{1,2}|[A-Za-z])", m[1], re.IGNORECASE)
            if app and inner:
                ids = {id(p) for p in self._appendix(app[1].upper(), None)}
                return [p for p in inner if id(p) in ids] or inner
            if inner:
                return inner
        return self._range(ref)

    def resolve_many(self, refs: str | Iterable[str]) -> dict[str, list[Paragraph]]:
        """Each ref (a comma-separated string or a list of refs) with the paragraphs it points at."""
        items = [refs] if isinstance(refs, str) else list(refs or [])
        out: dict[str, list[Paragraph]] = {}
        for item in items:
            for ref in re.split(r"[,;]", item) if isinstance(item, str) else []:
                if ref.strip():
                    out[ref.strip()] = self.resolve(ref.strip())
        return out

    def _appendix(self, appendix: str, section: str | None) -> list[Paragraph]:
        section = section.rstrip(".") if section else None
        return [
            p
            for p, (app, sec) in zip(self.paragraphs, self._places, strict=True)
            if app == appendix and p.kind != "footnote" and (section is None or (sec or "").rstrip(".") == section)
        ]

    def _range(self, ref: str) -> list[Paragraph]:
        m = re.fullmatch(
            r"(?:¶|para(?:graph)?s?\.?\s*)\s*([\d.-]+?)\s*(?:–|—|-|\bto\b)\s*¶?\s*([\d.]+)", ref, re.IGNORECASE
        )
        if not m:
            return []
        left, right = m[1].rstrip("."), m[2].rstrip(".")
        first, last = _number(left), _number(right)
        if len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        idx = [
            i
            for i, (p, num) in enumerate(zip(self.paragraphs, self._numbers, strict=True))
            if p.kind == "paragraph" and num is not None and first <= num <= last
        ]
        if not idx or first > last:
            return []
        return [self.paragraphs[i] for i in idx]


def _normalised(ref: str) -> list[str]:
    """The spellings of a ref the index stores it under ('Learning Point 5' → 'LP5', 'para 23' → '¶23')."""
    out = [ref]
    low = ref.lower()
    if m := re.fullmatch(r"(?:¶|para(?:graph)?\.?)\s*([\d.-]+?)\.?", low):
        out.append(f"¶{m[1]}")
    patterns = (
        (r"(?:lp|learning\s+point|finding|key\s+finding|lesson)\s*(\d+)", "LP"),
        (r"(?:gp|good\s+practice(?:\s+point)?)\s*(\d+)", "GP"),
        (r"(?:rec|recommendation)\.?\s*(\d+)", "Rec"),
        (r"(?:table)\s*(\d+)", "Table "),
        (r"fn\s*(\d+)|footnote\s*(\d+)", "fn"),
    )
    for rx, prefix in patterns:
        if m := re.fullmatch(rx, low):
            out.append(prefix + next(g for g in m.groups() if g))
    if re.fullmatch(r"abbrev(?:iations?)?\.?|acronyms", low):
        out.append("Abbrev.")
    if low in ("title page", "title", "cover"):
        out.append("Title page")
    if low == "glossary":
        out.append("Glossary")
    return out
