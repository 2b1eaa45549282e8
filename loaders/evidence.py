"""Paragraph refs back to the review's own words, for the evidence view and the reports.

A case keeps its source documents' text in ``documents/`` (SourceDocument.file); a ref such as
``¶82`` or ``LP35`` resolves through the document's paragraph index.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from loaders.documents import DocumentError
from loaders.paragraphs import DocumentIndex
from loaders.plausible import document_file_problem
from loaders.records import parse_structured

CASES_DIR = Path(__file__).resolve().parent.parent / "data" / "cases"


def case_folder(case_id: str) -> Path | None:
    folder = CASES_DIR / case_id
    return folder if (folder / "case.yaml").exists() else None


@cache
def document_index(case_dir: Path) -> DocumentIndex | None:
    """The index of the case's default document, or None when the case ships no text (or its
    case.yaml or document cannot be read safely: the same limits as a load)."""
    header, _ = parse_structured(case_dir / "case.yaml")
    doc_id = (header or {}).get("document")
    for node in (header or {}).get("nodes") or []:
        if isinstance(node, dict) and node.get("type") == "SourceDocument" and node.get("id") == doc_id:
            path = _inside(case_dir, node.get("file"))
            if path is not None:
                try:
                    return DocumentIndex.from_file(path)
                except DocumentError:
                    return None
    return None


def _inside(case_dir: Path, file: object) -> Path | None:
    """``file`` as a path inside the case folder (after symlinks), or None."""
    if not isinstance(file, str) or not file or document_file_problem(file):
        return None
    path = (case_dir / file).resolve()
    return path if path.is_relative_to(case_dir.resolve()) and path.is_file() else None


def resolver(case_dir: Path | None):
    """A function ref → paragraph text (None when unknown), for one case folder."""
    index = document_index(case_dir) if case_dir else None

    def text(ref: str) -> str | None:
        if index is None:
            return None
        found = index.resolve(ref)
        return "\n\n".join(p.text for p in found) if found else None

    return text
