"""Every query is documented: a file without an entry, an entry without a file, or an
undocumented parameter or column fails here (the datasette rule)."""

from pathlib import Path

import pytest

from graph.cypher import query_parameters
from graph.embedded import EmbeddedBackend
from graph.load import load_case
from loaders.validate import validate_path
from queries.library import AUDIENCES, QUERY_DIR, registry, run_query

SPECS = registry()


def _case(qid: str) -> dict[str, str]:
    """The Child Q & S case for queries anchored on a case (with '' they answer nothing)."""
    return {"case_id": "child-q-s"} if "case_id" in SPECS[qid].parameters else {}


def test_every_cypher_file_has_an_entry_and_back():
    files = {p.stem for p in QUERY_DIR.glob("*.cypher")}
    assert files == set(SPECS), (files - set(SPECS), set(SPECS) - files)


@pytest.mark.parametrize("qid", sorted(SPECS))
def test_entry_is_complete(qid):
    spec = SPECS[qid]
    assert spec.title and spec.question.endswith("?") and spec.finds and spec.section
    assert spec.audience and set(spec.audience) <= set(AUDIENCES)
    assert query_parameters(spec.text) == spec.sent, "parameters in the file vs the registry"
    assert all(p.description for p in spec.parameters.values())
    assert "evidence" in spec.columns and all(spec.columns.values())
    assert spec.text.lstrip().startswith("//"), "each file opens with a comment saying what it asks and why"


@pytest.mark.parametrize("qid", sorted(SPECS))
def test_columns_returned_are_the_documented_ones(qid, embedded_qs):
    rows = run_query(embedded_qs, qid, "child-q-s")
    if rows:
        assert list(rows[0]) == list(SPECS[qid].columns)


@pytest.mark.parametrize("qid", sorted(SPECS))
def test_every_row_carries_evidence(qid, embedded_qs):
    for row in run_query(embedded_qs, qid, "child-q-s"):
        assert row["evidence"], (qid, row)


@pytest.fixture(scope="module")
def cross():
    """The small cross-boundary case: it has rows for every ordered union (Child Q & S links no two children)."""
    backend = EmbeddedBackend(":memory:")
    load_case(backend, validate_path(Path(__file__).parent / "fixtures" / "cross-case"))
    yield backend
    backend.close()


@pytest.mark.parametrize("qid", sorted(q for q in SPECS if SPECS[q].order))
def test_a_union_with_a_declared_order_comes_back_in_it(qid, cross):
    """A union naming its `order` orders nothing in Cypher (a branch's ORDER BY orders that branch only): the
    library sorts its rows once, ascending, as ORDER BY would."""
    spec = SPECS[qid]
    assert "UNION" in spec.text and "ORDER BY" not in spec.text
    rows = run_query(cross, qid, "cross")
    keys = [[row[c] for c in spec.order] for row in rows]
    assert len(rows) > 1 and keys == sorted(keys)
