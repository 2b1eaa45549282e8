"""What a validated case is, as the stores load it: node rows, edge rows and the case around them.

Defined here, in the storage layer, so that ``graph/load.py`` needs nothing from above it;
``loaders/validate.py`` produces these (and re-exports ``ValidatedCase`` for its callers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class NodeRow:
    label: str
    props: dict[str, object]


@dataclass(slots=True)
class EdgeRow:
    type: str
    src: str
    src_label: str
    dst: str
    dst_label: str
    props: dict[str, object]


@dataclass
class ValidatedCase:
    case_id: str
    title: str
    document: str
    folder: Path | None
    nodes: list[NodeRow] = field(default_factory=list)
    edges: list[EdgeRow] = field(default_factory=list)
    # Unlikely but possible (a date after the review's publication): shown, never blocking a load.
    # Each is a ``loaders.records.Problem``; typed loosely so graph/ imports nothing above it.
    warnings: list[object] = field(default_factory=list)
    # Where the case id came from when no case.yaml (or --case) named it: the file name it was
    # derived from. A derived id must never silently replace a loaded case (graph/load.py).
    derived_from: str | None = None

    def relationship_count(self) -> int:
        return len(self.edges)
