"""Paragraph refs back to the review's own words, for the evidence view and the reports.

A case keeps its source documents' text in ``documents/`` (SourceDocument.file); a ref such as
``¶82`` or ``LP35`` resolves through the document's paragraph index.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from loaders.paragraphs import DocumentIndex

CASES_DIR = Path(__file__).resolve().parent.parent / "data" / "cases"


def case_folder(case_id: str) -> Path | None:
    folder = CASES_DIR / case_id
    return folder if (folder / "case.yaml").exists() else None


@cache
def document_index(case_dir: Path) -> DocumentIndex | None:
    """The index of the case's default document, or None when the case ships no text."""
    header = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    doc_id = header.get("document")
    for node in header.get("nodes") or []:
        if node.get("type") == "SourceDocument" and node.get("id") == doc_id and node.get("file"):
            path = case_dir / node["file"]
            if path.exists():
                return DocumentIndex.from_file(path)
    return None


def resolver(case_dir: Path | None):
    """A function ref → paragraph text (None when unknown), for one case folder."""
    index = document_index(case_dir) if case_dir else None

    def text(ref: str) -> str | None:
        if index is None:
            return None
        found = index.resolve(ref)
        return "\n\n".join(p.text for p in found) if found else None

    return text
