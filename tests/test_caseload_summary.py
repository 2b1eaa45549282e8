"""The caseload summary (issue 17 item 2): the engine's own findings counted per child and theme, kept per
case while the store and the engine are unchanged, and what `cli.py caseload --summary` prints. On a small
synthetic caseload in a real embedded store on disk (a kept summary is stamped with the file's state)."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

import cli
from findings.engine import run_findings
from findings.model import THEMES
from findings.sweep import caseload_summary, store_state
from graph.embedded import EmbeddedBackend
from graph.load import load_case
from loaders.synthetic import generate
from loaders.validate import validate_path

CHILDREN = (
    200  # 200 random children: every child of the smallest such caseload, in random order (each is one engine run)
)
SAMPLED = 200


@pytest.fixture(scope="module")
def caseload(tmp_path_factory):
    """A synthetic caseload loaded into an on-disk store, opened read-only (as the CLI reads it)."""
    root = tmp_path_factory.mktemp("caseload")
    case = validate_path(generate(CHILDREN, 7, root / "case"))
    writer = EmbeddedBackend(str(root / "store.lbug"))
    load_case(writer, case)
    writer.close()
    backend = EmbeddedBackend(str(root / "store.lbug"), read_only=True)
    yield backend, case.case_id, root
    backend.close()


@pytest.fixture(scope="module")
def summary(caseload):
    backend, case_id, root = caseload
    computed, kept = caseload_summary(backend, case_id, root / "summaries")
    assert not kept
    return computed


def test_the_summary_counts_equal_the_engine_run_for_each_of_200_random_children(caseload, summary):
    backend, case_id, _ = caseload
    children = sorted(summary.counts)
    assert len(children) == CHILDREN
    reads: dict = {}  # the case-wide rows, read by the first child's run and shared (``run_findings``' reads)
    for child in random.Random(17).sample(children, SAMPLED):
        alone = run_findings(backend, case_id, child, reads)
        counted: Counter = Counter()
        for (theme, _basis, about), n in alone.counts().items():
            if about == child:
                counted[theme] += n
        assert summary.counts[child] == dict(counted), child


def test_a_one_child_run_sharing_earlier_reads_is_the_run_alone(caseload, summary):
    backend, case_id, _ = caseload
    reads: dict = {}
    first, second = sorted(summary.counts, key=lambda c: -sum(summary.counts[c].values()))[:2]
    run_findings(backend, case_id, first, reads)
    shared, alone = run_findings(backend, case_id, second, reads), run_findings(backend, case_id, second)
    assert [f.__dict__ for f in shared.findings] == [f.__dict__ for f in alone.findings]
    assert [q.__dict__ for q in shared.questions] == [q.__dict__ for q in alone.questions]


def test_the_summary_is_every_childs_row_most_findings_first(summary):
    rows = summary.rows()
    assert len(rows) == CHILDREN
    assert [r["total"] for r in rows] == sorted((r["total"] for r in rows), reverse=True)
    assert all(r["total"] == sum(r[t] for t in THEMES) for r in rows)
    assert sum(r["total"] for r in rows) == sum(sum(n.values()) for n in summary.counts.values()) > 0


def test_a_kept_summary_is_read_back_until_the_store_changes(caseload, summary, tmp_path):
    backend, case_id, root = caseload
    again, kept = caseload_summary(backend, case_id, root / "summaries")
    assert kept and again == summary
    fresh, kept = caseload_summary(backend, case_id, root / "summaries", recompute=True)
    assert not kept and fresh.counts == summary.counts
    doc = json.loads((root / "summaries" / f"{case_id}.json").read_text())
    doc["stamp"] = "another state of the store"
    (root / "summaries" / f"{case_id}.json").write_text(json.dumps(doc))
    stale, kept = caseload_summary(backend, case_id, root / "summaries")
    assert not kept and stale.counts == summary.counts
    assert store_state(EmbeddedBackend(":memory:")) is None  # nothing to stamp: never kept


def test_a_file_that_is_no_summary_is_refused_with_its_path_not_overwritten(caseload, tmp_path):
    backend, case_id, _ = caseload
    path = tmp_path / f"{case_id}.json"
    path.write_text("not json")
    with pytest.raises(ValueError, match=r"not a caseload summary.*--recompute"):
        caseload_summary(backend, case_id, tmp_path)
    assert path.read_text() == "not json"


def test_cli_caseload_summary_prints_the_table_and_json(caseload, summary, capsys, monkeypatch):
    _, case_id, root = caseload
    monkeypatch.setenv("JOINED_UP_SUMMARY_DIR", str(root / "summaries"))
    db = str(root / "store.lbug")
    assert cli.main(["caseload", "--case", case_id, "--db", db, "--summary", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["kept"] and doc["columns"] == ["child", *THEMES, "total"]
    assert doc["children"] == summary.rows()
    assert cli.main(["caseload", "--case", case_id, "--db", db, "--summary"]) == 0
    lines = capsys.readouterr().out.splitlines()
    top = summary.rows()[0]
    assert lines[3] == "  " + " | ".join(["child", *THEMES, "total"])
    assert lines[4] == "  " + " | ".join(str(top[c]) for c in ["child", *THEMES, "total"])
    assert cli.main(["caseload", "--case", "no-such-case", "--db", db, "--summary"]) == 1
    assert "has no child in the store" in capsys.readouterr().err
