"""The synthetic generator: same seed, same bytes; a valid case; every question answered; the
benchmark script runs. No timing is asserted (bench/run.py prints numbers)."""

import json
import os
import statistics
import subprocess
import sys

import pytest

from graph.embedded import EmbeddedBackend
from graph.load import load_case
from graph.schema import load_schema
from loaders.synthetic import generate
from loaders.validate import validate_path
from queries.library import registry, run_query
from tests.conftest import ROOT


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return validate_path(generate(10, 7, tmp_path_factory.mktemp("synthetic")))


@pytest.fixture(scope="module")
def store(synthetic):
    backend = EmbeddedBackend(":memory:")
    load_case(backend, synthetic)
    yield backend
    backend.close()


def test_same_seed_same_bytes_other_seed_other_case(tmp_path):
    a, b, c = (generate(10, seed, tmp_path / name) for seed, name in ((7, "a"), (7, "b"), (8, "c")))
    assert files(a) == files(b)
    assert files(a) != files(c)
    assert set(files(a)) == {"case.yaml", "shared.json", "children-001.json"}


def test_regenerating_replaces_only_a_synthetic_case(tmp_path):
    generate(10, 7, tmp_path / "s")
    generate(3, 7, tmp_path / "s")
    assert "Child 4" not in (tmp_path / "s" / "children-001.json").read_text(encoding="utf-8")
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "case.yaml").write_text("case: real\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a synthetic case"):
        generate(10, 7, tmp_path / "real")


def test_valid_and_shaped_like_a_case(synthetic):
    schema = load_schema()
    assert synthetic.case_id == "synthetic-7"
    assert sum(n.label == "Child" for n in synthetic.nodes) == 10
    assert {n.label for n in synthetic.nodes} == set(schema.nodes)
    assert {e.type for e in synthetic.edges} == set(schema.edges)
    assert all(n.props["source"] for n in synthetic.nodes) and all(e.props["source"] for e in synthetic.edges)
    statuses = {n.props["status"] for n in synthetic.nodes if n.label == "Flow"}
    assert "shared" in statuses and len(statuses) > 2


@pytest.mark.parametrize("qid", sorted(registry()))
def test_every_registered_query_finds_rows(qid, store, synthetic):
    assert run_query(store, qid, synthetic.case_id), f"{qid} returned no rows on the 10-child synthetic case"


@pytest.mark.neo4j
@pytest.mark.timeout(1500)
def test_benchmark_smoke_at_1000_children_on_both_backends(neo4j):
    """The issue's CI smoke run: 1,000 children, both stores, a few samples, every measure in one table;
    numbers are not checked."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--scale",
            "1000",
            "--wipe-neo4j",
            "--backends",
            "embedded,neo4j",
            "--sample",
            "2",
            "--runs",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "JOINED_UP_BUFFER_POOL_MB"},  # the bench's own default
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| measure | embedded | neo4j | embedded ÷ neo4j |")
    load = next(line for line in lines if line.startswith("| synthetic 1,000: first load"))
    assert "rel/s" in load and "failed" not in load
    assert not [line for line in lines if "failed" in line or "stopped after" in line]
    for measure in (
        "`child_flows` all",
        "caseload sweep, the findings engine over every child (s) | ",
        "caseload summary read, once computed (s) | ",
        "peak memory, read-only process",
        "analytics — export + `analyse` one child's neighbourhood",  # per child, never the whole case
        "analytics — what-if without one child's most central party",
    ):
        assert any(measure in line for line in lines), measure


def test_heavy_tailed_degrees(tmp_path):
    """A few persons of concern link many children, most link few; a case-wide hub exists."""
    case = validate_path(generate(300, 7, tmp_path / "s"))
    children_of = _children_contacted(case)
    degrees = sorted((len(v) for v in children_of.values()), reverse=True)
    assert degrees[0] >= 5 * statistics.median(degrees)
    assert "x7-HUB1" in children_of


def _children_contacted(case) -> dict[str, set[str]]:
    """Each person's children, walked through the contacts the person HAD and the child each REACHED."""
    child_of = {e.src: e.dst for e in case.edges if e.type == "REACHED"}
    children_of: dict[str, set[str]] = {}
    for e in case.edges:
        if e.type == "HAD":
            children_of.setdefault(e.src, set()).add(child_of[e.dst])
    return children_of


def test_cli_caseload_counts_children_per_person_within_the_case(tmp_path, capsys):
    from cli import main

    db = ["--backend", "embedded", "--db", str(tmp_path / "s.lbug")]
    for seed in (7, 8):  # two caseloads in one store: the view reads one
        assert main(["load", str(generate(60, seed, tmp_path / f"s{seed}")), *db]) == 0
    case = validate_path(tmp_path / "s7")
    expected = _children_contacted(case)
    capsys.readouterr()
    assert (
        main(["caseload", "--case", "synthetic-7", "--child", "x7-C00001", "--top", "5", "--format", "json", *db]) == 0
    )
    out = capsys.readouterr().out
    answers = json.loads(out)
    persons = answers["persons"]
    assert [p["children"] for p in persons] == sorted((len(v) for v in expected.values()), reverse=True)[:5]
    assert all(p["children"] == len(expected[p["person"]]) and p["evidence"] for p in persons)
    steps = {(r["step"], r["kind"]) for r in answers["network"]}
    assert {(1, "person"), (2, "child")} <= steps and all(r["evidence"] for r in answers["network"])
    assert answers["linked_children"] and "x8-" not in out
    assert main(["caseload", "--case", "synthetic-7", "--child", "nobody", *db]) == 1
    assert "no child nobody in case 'synthetic-7'" in capsys.readouterr().err
