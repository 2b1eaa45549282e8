"""Synthetic cases shaped like curated ones, so scale, benchmarks and CI do not depend on real children.

A real review covers one or two children; a partnership's store may hold thousands. The
generator writes an ordinary case folder (``case.yaml`` plus JSON record files that the
validator reads like any other case) with the structure reviews describe: areas with agencies
of every sector and their staff, police forces covering a few areas each, children moved
between placements (often out of area), meetings whose invitee lists leave out agencies that
were involved, information held and shared or not, referrals with outcomes, events, and persons
of concern in contact with several children. Degrees are heavy-tailed, as in a real caseload: a
few persons of concern (some active in every area), places and agencies are linked to very many
children, most to a few. Each pattern every registered question looks for
occurs at random and, so that even a ten-child case exercises them all, once for the first child.

Same seed and size → byte-identical files: one ``random.Random(seed)``, lists only (no set or
hash order), fixed file chunks. Ids carry the seed (``x7-…``) so several synthetic cases and the
curated case can share one store; the case id is ``synthetic-<seed>``, so generating the same
seed at another size and loading it replaces that case.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from loaders.synthetic.child import _Child
from loaders.synthetic.shared import _Generator
from loaders.synthetic.tables import CHILDREN_PER_FILE, Records

__all__ = ["generate"]


def _write_records(path: Path, records: Records) -> None:
    """One record per line, so a problem's line number points at its record."""
    lines = ["{"]
    for section in ("nodes", "edges"):
        body = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in records[section])
        lines.append(f'"{section}": [\n{body}\n]{"," if section == "nodes" else ""}')
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(children: int, seed: int, out: str | Path) -> Path:
    """Write a synthetic case of ``children`` children into folder ``out``; returns the folder."""
    if children < 1:
        raise ValueError("children must be at least 1")
    folder = Path(out)
    header = folder / "case.yaml"
    if (
        folder.exists()
        and any(folder.iterdir())
        and not (header.exists() and header.read_text(encoding="utf-8").startswith("case: synthetic-"))
    ):
        raise ValueError(f"{folder} is not empty and not a synthetic case; choose a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("children-*.json"), folder / "shared.json"]:
        old.unlink(missing_ok=True)
    g = _Generator(children, seed)
    (folder / "case.yaml").write_text(
        f"case: synthetic-{seed}\n"
        f"title: Synthetic case, seed {seed}, {children:,} children (generated; no real child)\n"
        f"document: {g.document}\n"
        "nodes:\n"
        f"  - {{type: SourceDocument, id: {g.document}, name: Synthetic review (seed {seed}), source: Title page}}\n",
        encoding="utf-8",
    )
    g.build_areas()
    for f in range(math.ceil(children / CHILDREN_PER_FILE)):
        chunk: Records = {"nodes": [], "edges": []}
        for i in range(f * CHILDREN_PER_FILE, min(children, (f + 1) * CHILDREN_PER_FILE)):
            _Child(g, i, chunk).build()
        _write_records(folder / f"children-{f + 1:03d}.json", chunk)
    g.build_learning()  # drawn from the children's findings
    _write_records(folder / "shared.json", g.shared)
    return folder
