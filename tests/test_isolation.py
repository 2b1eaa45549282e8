"""Cases are isolated (issue 14 item 2): a record's identity is (case, id), so loading, re-loading
or deleting one case leaves every other case byte-for-byte the same, on both stores.

Small cases reuse the curated case's own ids (LP1, AG05, Q) and are loaded, re-loaded, changed
and deleted in seeded random orders; after every step each other case's export digest must be
what it was. ``RUNS`` is the number of steps checked per store (the closing note counts them).
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from graph import statements as st
from graph.embedded import EmbeddedBackend
from graph.load import CaseExistsError, delete_case, load_case, loaded_cases
from graph.schema import load_schema
from loaders.validate import ValidatedCase, validate_path

SEEDS = (1, 2, 3)
STEPS = 6  # per seed: RUNS = len(SEEDS) * STEPS steps per store
RUNS = len(SEEDS) * STEPS
QS = "child-q-s"


def case_digest(backend, case_id: str, kinds: tuple[set[str], set[str]] | None = None) -> str:
    """A digest of everything the store holds of one case: every node and edge, every column.

    ``kinds`` limits it to the labels and types any loaded case's files use (nothing else can be
    in the store), which keeps the per-step checks of the property test fast."""
    schema = load_schema()
    labels, types = kinds or (set(schema.nodes), set(schema.edges))
    parts = []
    for ntype in (schema.nodes[label] for label in sorted(labels)):
        rows = backend.read(st.node_export(ntype, True), {"case_id": case_id})
        parts += sorted(json.dumps([ntype.label, r], sort_keys=True, default=str) for r in rows)
    for etype in (schema.edges[t] for t in sorted(types)):
        rows = backend.read(st.edge_export(etype, True), {"case_id": case_id})
        parts += sorted(json.dumps([etype.type, r], sort_keys=True, default=str) for r in rows)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def small_case(folder: Path, case_id: str, variant: int) -> ValidatedCase:
    """A small case reusing the curated case's ids; variants differ in names, records and edges."""
    folder.mkdir(parents=True, exist_ok=True)
    extra = {
        0: "",
        1: "  - {type: Agency, id: AG06, name: Another team, sector: social_care, source: '¶3'}\n",
        2: "  - {type: Professional, id: PR01, name: A worker, role: social worker, source: '¶4'}\n",
    }[variant]
    edges = {
        0: "  - {type: INVOLVED_WITH, from: AG05, to: Q, period: '2015', source: '¶2'}\n",
        1: "  - {type: INVOLVED_WITH, from: AG06, to: Q, period: '2016', source: '¶3'}\n",
        2: "  - {type: WORKS_FOR, from: PR01, to: AG05, source: '¶4'}\n",
    }[variant]
    (folder / "case.yaml").write_text(
        f"case: {case_id}\ndocument: {case_id}-doc\nnodes:\n"
        f"  - {{type: SourceDocument, id: {case_id}-doc, name: Review {case_id}, source: 'Title page'}}\n"
        f"  - {{type: Child, id: Q, name: Child {case_id} v{variant}, source: '¶1'}}\n"
        f"  - {{type: Agency, id: AG05, name: Agency v{variant}, sector: social_care, source: '¶2'}}\n"
        f"  - {{type: LearningPoint, id: LP1, number: 1, name: Learning v{variant}, source: 'LP1'}}\n"
        f"{extra}edges:\n"
        "  - {type: NAMES, from: LP1, to: AG05, source: 'LP1'}\n"
        "  - {type: CONCERNS, from: LP1, to: Q, source: 'LP1'}\n"
        f"{edges}",
        encoding="utf-8",
    )
    return validate_path(folder)


def check_isolation(backend, qs_case: ValidatedCase, tmp_path: Path) -> int:
    """Random loads, re-loads, changed re-loads and deletes of two small cases beside the curated
    case; after each step every case's digest is the one expected. Returns the steps checked."""
    load_case(backend, qs_case)
    variants = {cid: [small_case(tmp_path / f"{cid}-{v}", cid, v) for v in range(3)] for cid in ("hj", "kx")}
    cases = [qs_case, *(c for vs in variants.values() for c in vs)]
    kinds = ({n.label for c in cases for n in c.nodes}, {e.type for c in cases for e in c.edges})
    expected = {QS: case_digest(backend, QS, kinds)}
    as_loaded: dict[int, str] = {}  # a variant's digest the first time it is loaded: every re-load must match
    checked = 0
    for seed in SEEDS:
        rng = random.Random(seed)
        for _ in range(STEPS):
            cid = rng.choice(sorted(variants))
            if cid in expected and rng.random() < 0.25:
                delete_case(backend, cid)
                del expected[cid]
            else:
                case = rng.choice(variants[cid])
                load_case(backend, case, replace=cid in expected)
                expected[cid] = as_loaded.setdefault(id(case), case_digest(backend, cid, kinds))
            assert {c: case_digest(backend, c, kinds) for c in expected} == expected, (seed, cid)
            checked += 1
    assert loaded_cases(backend) == sorted(expected)
    return checked


def attack(backend, qs_case: ValidatedCase, tmp_path: Path) -> None:
    """Issue 14 item 4: load `hj`, re-load it with a record whose id is AG05, re-load it without."""
    load_case(backend, qs_case)
    before = case_digest(backend, QS)
    degree = "MATCH (a:Agency {case_id: 'child-q-s', id: 'AG05'})-[r]-() RETURN count(r) AS n"
    ag05_edges = backend.read(degree)[0]["n"]
    hj = tmp_path / "hj"
    hj.mkdir()
    base = (
        "case: hj\ndocument: hj-doc\nnodes:\n"
        "  - {type: SourceDocument, id: hj-doc, name: HJ, source: 'Title page'}\n"
        "  - {type: Child, id: H, name: Child H, source: '¶1'}\n"
    )
    (hj / "case.yaml").write_text(base, encoding="utf-8")
    load_case(backend, validate_path(hj))
    (hj / "case.yaml").write_text(
        base + "  - {type: Agency, id: AG05, name: Taken over, sector: other, source: '¶2'}\n", encoding="utf-8"
    )
    load_case(backend, validate_path(hj), replace=True)
    assert case_digest(backend, QS) == before
    (hj / "case.yaml").write_text(base, encoding="utf-8")
    load_case(backend, validate_path(hj), replace=True)
    assert case_digest(backend, QS) == before
    assert backend.read(degree)[0]["n"] == ag05_edges > 200


def test_isolation_property_embedded(qs_case, tmp_path):
    backend = EmbeddedBackend(":memory:")
    try:
        assert check_isolation(backend, qs_case, tmp_path) == RUNS
    finally:
        backend.close()


def test_taking_over_another_case_s_id_embedded(qs_case, tmp_path):
    backend = EmbeddedBackend(":memory:")
    try:
        attack(backend, qs_case, tmp_path)
    finally:
        backend.close()


@pytest.mark.neo4j
def test_isolation_property_neo4j(neo4j, qs_case, tmp_path):
    assert check_isolation(neo4j, qs_case, tmp_path) == RUNS


@pytest.mark.neo4j
def test_taking_over_another_case_s_id_neo4j(neo4j, qs_case, tmp_path):
    attack(neo4j, qs_case, tmp_path)


def test_an_existing_case_is_replaced_only_when_asked(embedded, mini_case):
    load_case(embedded, mini_case)
    before = case_digest(embedded, "mini")
    with pytest.raises(
        CaseExistsError,
        match=r"case 'mini' is already loaded; loading would change "
        r"\+0/−0 nodes, \+0/−0 relationships .*--replace",
    ):
        load_case(embedded, mini_case)
    assert case_digest(embedded, "mini") == before


def test_cli_refuses_a_derived_case_id_that_collides_and_replaces_only_when_asked(tmp_path, capsys):
    """Issue 14 item 5: "Child Q S.csv" derives child-q-s, which must not replace the curated case."""
    import shutil

    from cli import main
    from tests.conftest import QS_CASE, ROOT

    db = ["--backend", "embedded", "--db", str(tmp_path / "s.lbug")]
    sheet = tmp_path / "Child Q S.csv"
    shutil.copy(ROOT / "data" / "samples" / "chronology.csv", sheet)
    assert main(["load", str(QS_CASE), *db]) == 0
    capsys.readouterr()
    assert main(["load", str(sheet), *db]) == 2
    err = capsys.readouterr().err
    assert "derived from the file name 'Child Q S.csv'" in err and "--case" in err and "nothing was written" in err
    assert main(["load", str(QS_CASE), *db]) == 2
    assert "already loaded; loading would change +0/−0 nodes, +0/−0 relationships" in capsys.readouterr().err
    assert main(["load", str(sheet), "--case", "chronology-1", *db]) == 0
    assert main(["load", str(QS_CASE), "--replace", *db]) == 0
    assert "replacing case 'child-q-s': +0/−0 nodes, +0/−0 relationships" in capsys.readouterr().out
    assert main(["summary", "--case", "child-q-s", "--format", "json", *db]) == 0
    assert '"Place": 9' in capsys.readouterr().out
