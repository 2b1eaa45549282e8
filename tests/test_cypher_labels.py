"""Label lists in the query files agree with graph/schema: a file naming a label the schema does
not have fails, and so does an edge pattern whose label list on one side misses a type the schema
allows there, unless another pattern in the same file covers it (a UNION branch per kind) or the file says why
it leaves it out, in a comment ``// leaves out: CONCERNS from LearningPoint, GoodPracticePoint — why``."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from graph.schema import load_schema
from queries.library import QUERY_DIR

SCHEMA = load_schema()
NODE_LABELS = set(SCHEMA.nodes)
EDGES = SCHEMA.edges
NODE = r"\(\w*:([\w|]+)(?:\s*\{[^}]*\})?\)"
PATTERN = re.compile(NODE + r"\s*(<?)-\[\w*:([\w|]+)(?:\s*\{[^}]*\})?\]-(>?)\s*" + NODE)
FILES = sorted(QUERY_DIR.glob("*.cypher"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_label_named_is_in_the_schema(path):
    text = re.sub(r"//.*", "", path.read_text(encoding="utf-8"))
    named = {label for group in re.findall(r"\(\w*:([\w|]+)", text) for label in group.split("|")}
    assert named <= NODE_LABELS, f"{path.name}: {sorted(named - NODE_LABELS)} not in graph/schema/nodes"


def _sides(path) -> dict[tuple[str, str], set[str]]:
    """(edge type, 'from' | 'to') → labels the file's patterns name on that side."""
    text = re.sub(r"//.*", "", path.read_text(encoding="utf-8"))
    sides: dict[tuple[str, str], set[str]] = defaultdict(set)
    for left, back, types, fwd, right in PATTERN.findall(text):
        src, dst = (right, left) if back and not fwd else (left, right)
        if "|" in types:  # -[:A|B]->: each type allows its own labels; only the type names are checked
            sides.update({(t, "any"): set() for t in types.split("|") if (t, "any") not in sides})
            continue
        for t in [types]:
            sides[(t, "from")].update(src.split("|"))
            sides[(t, "to")].update(dst.split("|"))
    return sides


def _left_out(path, etype: str, side: str) -> set[str]:
    """Labels the file declares it leaves out on purpose: ``// leaves out: TYPE side A, B — why``."""
    found = re.findall(rf"//\s*leaves out: {etype} {side} ([\w, ]+)", path.read_text(encoding="utf-8"))
    return {label.strip() for group in found for label in group.split(",") if label.strip()}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_edge_label_lists_match_the_schema(path):
    for (etype, side), labels in _sides(path).items():
        assert etype in EDGES, f"{path.name}: edge type {etype} not in graph/schema/edges"
        if side == "any":
            continue
        allowed = set(EDGES[etype].from_labels if side == "from" else EDGES[etype].to_labels) - _left_out(
            path, etype, side
        )
        assert labels & allowed, f"{path.name}: no label on the {side} side of {etype} is allowed by the schema"
        if len(labels) > 1:
            assert allowed <= labels, f"{path.name}: {etype} {side} list misses {sorted(allowed - labels)}"
