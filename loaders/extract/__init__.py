"""A draft case from a published review: every element a reviewer must check, pointing at its paragraph.

Curating a review by hand takes days; most of that time goes on finding and typing what the text
already says plainly: which areas and police forces there are and which force covers which
area, which agencies are named and where they are, what happened when, which meetings were
held, and which agencies each learning point addresses. This package drafts those records so a
reviewer corrects instead of transcribing. Nothing here is a conclusion: every record cites the
paragraph it was read from and says in ``notes`` that it is a draft and why it was made.

The output is an ordinary case folder (case.yaml, draft.yaml, documents/) that the validator
accepts, so a draft can be loaded and browsed before it is corrected.

In order of use: ``names`` (gazetteer, areas, forces, children), ``prose`` (dates, ages,
sentences), ``kinds`` (event and meeting kinds), ``reading`` (what the review names),
``drafting`` (the records); this file writes the case folder and re-exports the public names.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from loaders.documents import pages_to_text, read_document
from loaders.extract.drafting import _Extractor, _short
from loaders.extract.kinds import event_kind
from loaders.extract.names import AgencyMatcher, GazetteerEntry, _slug, load_gazetteer
from loaders.extract.prose import find_ages, find_dates, sentence_spans, sentences
from loaders.paragraphs import DocumentIndex

__all__ = [
    "AgencyMatcher",
    "GazetteerEntry",
    "event_kind",
    "extract_case",
    "find_ages",
    "find_dates",
    "load_gazetteer",
    "print_summary",
    "sentence_spans",
    "sentences",
]

_HEADER = """\
# DRAFT extracted by loaders/extract/ from {source}.
# Every record below is a draft read from the review's text by pattern matching: check each one
# against the paragraph its `source` cites, correct it, and delete what is wrong. Records whose
# type has a `notes` property say there why they were made ("draft: ..."); learning and
# good-practice points and all relationships have no notes property, and are drafts all the same.
"""


def extract_case(
    source_path: str | Path, out_dir: str | Path, case_id: str | None = None, gazetteer: Sequence[str | Path] = ()
) -> dict:
    """Read a review, write a draft case folder to ``out_dir`` and return what was found per type
    (JSON-serialisable; ``print_summary`` formats it). ``gazetteer`` adds agency files to the built-in
    one. Raises loaders.documents.DocumentError for a document that cannot be read.

    The folder holds case.yaml (the case and its SourceDocument), documents/<id>.txt (the review's
    text, pages separated by form feeds, so refs resolve against exactly what was read) and
    draft.yaml (the drafted records).
    """
    source_path, out = Path(source_path), Path(out_dir)
    pages = read_document(source_path)
    index = DocumentIndex.from_pages(pages)
    ex = _Extractor(index, load_gazetteer(*gazetteer))
    ex.find_places()
    ex.find_children()
    ex.find_agencies()
    born = ex.birth_dates()
    ex.emit_places()
    ex.emit_agencies()
    ex.emit_children(born)
    learning, good, recommendations = ex.emit_points()
    events = ex.emit_events(born)
    meetings = ex.emit_meetings()
    case_id = case_id or _slug(source_path.stem)
    document = _write_folder(out, source_path, pages_to_text(pages), index, ex, case_id)
    return {
        "case": case_id,
        "out_dir": str(out),
        "document": str(document),
        "paragraphs": len(index.numbered()),
        "learning_points": learning,
        "good_practice_points": good,
        "recommendations": recommendations,
        "areas": [ex.areas[a].written() for a in sorted(ex.areas)],
        "police_forces": [ex.forces[f].written() for f in sorted(ex.forces)],
        "agencies": sorted(ex.agency_names.values()),
        "children": [c.written() for c in ex.children.values()],
        "events": events,
        "meetings": meetings,
        "nodes": len(ex.nodes) + 1,
        "edges": len(ex.edges),
    }


def _write_folder(out: Path, source_path: Path, text: str, index: DocumentIndex, ex: _Extractor, case_id: str) -> Path:
    """case.yaml with the SourceDocument, the document's text, and draft.yaml; returns the text's path."""
    doc_id = _slug(source_path.stem)
    if doc_id in {n["id"] for n in ex.nodes}:  # ids are unique across a case ("child-f.pdf" about Child F)
        doc_id = f"document-{doc_id}"
    (out / "documents").mkdir(parents=True, exist_ok=True)
    document_path = out / "documents" / f"{doc_id}.txt"
    document_path.write_text(text, encoding="utf-8")
    title_lines = [p.text for p in index.paragraphs if p.ref == "Title page"]
    title = _short(" — ".join(title_lines), 200) if title_lines else source_path.stem
    document = {
        "type": "SourceDocument",
        "id": doc_id,
        "name": title,
        "file": f"documents/{doc_id}.txt",
        "source": "Title page" if title_lines else (index.paragraphs[0].ref if index.paragraphs else "¶1"),
    }
    published = [h.text for line in title_lines for h in find_dates(line) if h.span.precision == "day"]
    if published:
        document["published"] = published[0]
    dump = {
        "Dumper": getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        "sort_keys": False,
        "allow_unicode": True,
        "width": 110,
    }
    header = {"case": case_id, "title": title, "document": doc_id, "nodes": [document]}
    (out / "case.yaml").write_text(yaml.dump(header, **dump), encoding="utf-8")
    records = yaml.dump({"nodes": ex.nodes, "edges": ex.edges}, **dump)
    (out / "draft.yaml").write_text(_HEADER.format(source=source_path.name) + records, encoding="utf-8")
    return document_path


def _numbers(nums: list[int]) -> str:
    """[1, 2, 3, 5] → '1–3, 5'."""
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def print_summary(summary: dict) -> str:
    """What was found, one line per type, for the command line."""
    lines = [f"draft case '{summary['case']}' written to {summary['out_dir']}"]
    rows = (
        ("numbered paragraphs", summary["paragraphs"], ""),
        ("learning points", len(summary["learning_points"]), _numbers(summary["learning_points"])),
        ("good-practice points", len(summary["good_practice_points"]), _numbers(summary["good_practice_points"])),
        ("recommendations", summary["recommendations"], ""),
        ("areas", len(summary["areas"]), ", ".join(summary["areas"])),
        ("police forces", len(summary["police_forces"]), ", ".join(summary["police_forces"])),
        ("agencies", len(summary["agencies"]), ""),
        ("children", len(summary["children"]), ", ".join(summary["children"])),
        ("dated events", summary["events"], ""),
        ("meetings", summary["meetings"], ""),
    )
    for label, count, detail in rows:
        lines.append(f"  {label:<22}{count:>5}" + (f"  {detail}" if detail else ""))
    lines.append(f"  {'records':<22}{summary['nodes']:>5} nodes, {summary['edges']} relationships (all drafts)")
    return "\n".join(lines)
