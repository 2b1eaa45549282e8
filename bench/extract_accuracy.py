"""How accurate is the draft-case extractor? Precision and recall against the hand-curated case.

Runs loaders.extract on the Child Q & Child S review and compares the draft with the curated
case in data/cases/child-q-s/ (read with yaml directly, so a curated file being edited does not
need to validate). Prints a Markdown table for docs/extraction.md.

    python bench/extract_accuracy.py [--case data/cases/child-q-s] [--keep DIR]

How elements are matched (the same rules are described in docs/extraction.md):
- paragraphs: the review numbers 1–207 and has no ¶92, ¶100 or ¶181 (checked by hand);
  learning and good-practice points: the numbers of the curated points;
- areas, police forces: by id (LA1…, PF1…); COVERS: by (force, area);
- agencies: a curated agency and a drafted one match when the gazetteer recognises the same
  service in both names and they are in the same area (or force), or one of them has none; each
  agency is matched at most once. Police forces as a whole are left out (they are a row of their
  own);
- dated events: a drafted event matches a curated one when it cites a paragraph the curated
  event cites and starts in the same month (for a year-only date, the same year);
- agencies named by points: (point, agency) pairs, a drafted agency standing for the curated
  agency it was matched to above;
- meetings: same paragraph and same kind.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.dates import DateError, parse_date  # noqa: E402
from loaders.extract import AgencyMatcher, extract_case, load_gazetteer  # noqa: E402
from loaders.paragraphs import DocumentIndex  # noqa: E402

MISSING_PARAGRAPHS = {92, 100, 181}
LAST_PARAGRAPH = 207


def _records(folder: Path) -> tuple[list[dict], list[dict]]:
    nodes, edges = [], []
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        nodes += doc.get("nodes") or []
        edges += doc.get("edges") or []
    return nodes, edges


def _refs(index: DocumentIndex, source: object) -> set[str]:
    """The paragraph refs a record's source points at, ranges and appendix refs expanded."""
    items = source if isinstance(source, list) else str(source or "").split(",")
    out: set[str] = set()
    for ref in items:
        out.update(p.ref for p in index.resolve(str(ref).strip()))
    return out


def _row(name: str, truth: int, found: int, matched_truth: int, matched_found: int | None = None) -> dict:
    matched_found = matched_truth if matched_found is None else matched_found
    return {
        "element": name,
        "curated": truth,
        "extracted": found,
        "precision": matched_found / found if found else 0.0,
        "recall": matched_truth / truth if truth else 0.0,
    }


def _sets(name: str, truth: set, found: set) -> dict:
    return _row(name, len(truth), len(found), len(truth & found))


def _places(node: dict, edges: list[dict], ids: dict[str, dict]) -> set[str]:
    """The areas an agency is LOCATED_IN and the police force it is (a unit of a unit) PART_OF."""
    out = {e["to"] for e in edges if e.get("from") == node["id"] and e.get("type") == "LOCATED_IN"}
    for e in edges:
        if e.get("from") == node["id"] and e.get("type") == "PART_OF" and e["to"] in ids:
            target = ids[e["to"]]
            out |= {target["id"]} if target.get("type") == "PoliceForce" else _places(target, edges, ids)
    return out


COLLECTIVE = ("(as the review speaks of them)", "(not named by the review)")


def _collective(node: dict) -> bool:
    """A collective party the curation made where the review names no agency ("the Statutory Services",
    "key multi-agency professionals"; docs/decisions.md): not an agency the review names, so not one an
    extractor should find. Marked by the curation's naming convention."""
    return str(node.get("name", "")).endswith(COLLECTIVE)


def _agencies(curated: tuple[list, list], draft: tuple[list, list], matcher: AgencyMatcher) -> tuple[dict, dict]:
    """The agencies row, and which curated agency each matched drafted agency is (draft id → curated id)."""

    def prepare(nodes: list[dict], edges: list[dict]) -> list[tuple[dict, set[str], set[str]]]:
        ids = {n["id"]: n for n in nodes}
        out = []
        for n in nodes:
            if n.get("type") != "Agency" or _collective(n):
                continue
            concepts = _concepts(n, matcher)
            in_force = any(
                e.get("type") == "PART_OF"
                and e.get("from") == n["id"]
                and ids.get(e["to"], {}).get("type") == "PoliceForce"
                for e in edges
            )
            if in_force and not concepts:
                continue  # the force as a whole: measured in its own row
            out.append((n, concepts, _places(n, edges, ids)))
        return out

    truth, found = prepare(*curated), prepare(*draft)
    pairs = []
    for i, (_, tc, tp) in enumerate(truth):
        for j, (_, fc, fp) in enumerate(found):
            if tc & fc and (tp & fp or not tp or not fp):
                pairs.append((bool(tp & fp), len(tc & fc) / len(tc | fc), i, j))
    used_truth: dict[int, int] = {}
    used_found: set[int] = set()
    for _, _, i, j in sorted(pairs, reverse=True):
        if i not in used_truth and j not in used_found:
            used_truth[i] = j
            used_found.add(j)
    row = _row("agencies named", len(truth), len(found), len(used_truth))
    row["missed"] = [truth[i][0]["name"] for i in range(len(truth)) if i not in used_truth]
    row["spurious"] = [found[j][0]["name"] for j in range(len(found)) if j not in used_found]
    return row, {found[j][0]["id"]: truth[i][0]["id"] for i, j in used_truth.items()}


def _names(curated: list[dict], draft: list[dict], same_agency: dict[str, str], curated_ids: set[str]) -> dict:
    """Which agencies each learning and good-practice point names: (point, agency) pairs, the drafted
    agency counted as the curated one it was matched to."""
    truth = {(e["from"], e["to"]) for e in curated if e.get("type") == "NAMES" and e["to"] in curated_ids}
    found = {(e["from"], same_agency.get(e["to"], f"unmatched:{e['to']}")) for e in draft if e.get("type") == "NAMES"}
    return _sets("agencies named by learning / good-practice points", truth, found)


def _concepts(node: dict, matcher: AgencyMatcher) -> set[str]:
    """The gazetteer services a name (and its aliases) refers to, ignoring place words."""
    names = [node.get("name", ""), *(node.get("aliases") or [])]
    return {entry.key for name in names for _, _, entry in matcher.find(name)}


def _events(index: DocumentIndex, curated: list[dict], draft: list[dict], label: str, kind_key: str | None) -> dict:
    def prepared(nodes: list[dict]) -> list[tuple[set[str], tuple[int, int] | None, str | None]]:
        out = []
        for n in nodes:
            if n.get("type") != label:
                continue
            try:
                span = parse_date(n.get("date"))
            except DateError:
                span = None
            start = (
                (span.earliest.year, span.earliest.month if span.precision not in ("year",) else 0)
                if span and span.earliest
                else None
            )
            out.append((_refs(index, n.get("source")), start, n.get(kind_key) if kind_key else None))
        return out

    def same(a: tuple, b: tuple) -> bool:
        if not a[0] & b[0]:
            return False
        if kind_key:
            return a[2] == b[2]
        if a[1] is None or b[1] is None:
            return False
        return a[1][0] == b[1][0] and (a[1][1] == b[1][1] or 0 in (a[1][1], b[1][1]) and a[1][1] == b[1][1])

    truth, found = prepared(curated), prepared(draft)
    hit_truth = sum(any(same(t, f) for f in found) for t in truth)
    hit_found = sum(any(same(f, t) for t in truth) for f in found)
    name = "dated events (same ¶, same start month)" if not kind_key else "meetings (same ¶, same kind)"
    return _row(name, len(truth), len(found), hit_truth, hit_found)


def measure(case_dir: Path, out_dir: Path) -> tuple[list[dict], dict, list[str]]:
    case = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    document = next(n for n in case["nodes"] if n["id"] == case["document"])
    source = case_dir / document["file"]
    summary = extract_case(source, out_dir)
    index = DocumentIndex.from_file(source)
    c_nodes, c_edges = _records(case_dir)
    d_nodes, d_edges = _records(out_dir)
    matcher = AgencyMatcher(load_gazetteer())

    def of(nodes: list[dict], label: str) -> list[dict]:
        return [n for n in nodes if n.get("type") == label]

    agencies, same_agency = _agencies((c_nodes, c_edges), (d_nodes, d_edges), matcher)
    expected = {f"¶{n}" for n in range(1, LAST_PARAGRAPH + 1)} - {f"¶{n}" for n in MISSING_PARAGRAPHS}
    rows = [
        _sets("numbered paragraphs", expected, {p.ref for p in index.numbered()}),
        _sets("learning points", {n["number"] for n in of(c_nodes, "LearningPoint")}, set(summary["learning_points"])),
        _sets(
            "good-practice points",
            {n["number"] for n in of(c_nodes, "GoodPracticePoint")},
            set(summary["good_practice_points"]),
        ),
        _sets("areas", {n["id"] for n in of(c_nodes, "Area")}, {n["id"] for n in of(d_nodes, "Area")}),
        _sets(
            "police forces",
            {n["id"] for n in of(c_nodes, "PoliceForce")},
            {n["id"] for n in of(d_nodes, "PoliceForce")},
        ),
        _sets(
            "force covers area",
            {(e["from"], e["to"]) for e in c_edges if e.get("type") == "COVERS"},
            {(e["from"], e["to"]) for e in d_edges if e.get("type") == "COVERS"},
        ),
        agencies,
        _names(c_edges, d_edges, same_agency, {n["id"] for n in of(c_nodes, "Agency")}),
        _events(index, c_nodes, d_nodes, "Event", None),
        _events(index, c_nodes, d_nodes, "Meeting", "kind"),
    ]
    unresolved = sorted(
        {
            ref.strip()
            for n in [*c_nodes, *c_edges]
            for ref in (n.get("source") if isinstance(n.get("source"), list) else str(n.get("source", "")).split(","))
            if str(ref).strip() and not index.resolve(str(ref).strip())
        }
    )
    return rows, summary, unresolved


def markdown(rows: list[dict]) -> str:
    lines = ["| element | curated | extracted | precision | recall |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r['element']} | {r['curated']} | {r['extracted']} | {r['precision']:.0%} | {r['recall']:.0%} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", type=Path, default=ROOT / "data" / "cases" / "child-q-s")
    ap.add_argument("--keep", type=Path, help="write the draft case here instead of a temporary folder")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        rows, summary, unresolved = measure(args.case, args.keep or Path(tmp))
    print(markdown(rows))
    refs = f"{len(unresolved)} curated source ref(s) do not resolve" + (
        f": {', '.join(unresolved)}" if unresolved else ""
    )
    print(f"\n{refs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
