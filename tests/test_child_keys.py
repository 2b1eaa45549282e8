"""One-child questions start from the child's store key: the library turns ``child`` into ``$children``
(the key of that child, or of every child of the case for ``''``), and the rows are the same as
filtering every child's rows by that child."""

import json
import random
import re
from collections.abc import Iterator

import pytest

import queries.library
from graph.embedded import EmbeddedBackend
from graph.load import load_case
from loaders.synthetic import generate
from loaders.validate import validate_path
from queries.library import CHILD_KEYS, parameters_for, registry, run_query

KEYED = sorted(q for q, spec in registry().items() if CHILD_KEYS in spec.sent)


def _as_set(rows: list[dict[str, object]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


def test_one_child_is_sent_as_its_key_without_reading_the_store():
    params = parameters_for(registry()["child_meetings"], {"case_id": "child-q-s", "child": "Q"})
    assert params == {"case_id": "child-q-s", CHILD_KEYS: ["child-q-s/Q"]}


def test_every_child_needs_the_store_to_list_them():
    with pytest.raises(ValueError, match="store is needed"):
        parameters_for(registry()["child_meetings"], {"case_id": "child-q-s", "child": ""})


def test_every_child_is_every_child_of_the_case_only(embedded_qs):
    params = parameters_for(registry()["child_meetings"], {"case_id": "child-q-s", "child": ""}, embedded_qs)
    assert sorted(params[CHILD_KEYS]) == ["child-q-s/Q", "child-q-s/S"]
    assert (
        parameters_for(registry()["child_meetings"], {"case_id": "other", "child": ""}, embedded_qs)[CHILD_KEYS] == []
    )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Iterator[tuple[EmbeddedBackend, str, list[str]]]:
    """A 40-child synthetic case (some questions, accounts and omissions, have no rows on Child Q & S); each
    question is asked of 8 of its children, chosen once with a seed (every child ran for 60 s in CI)."""
    case = validate_path(generate(40, 7, tmp_path_factory.mktemp("keys") / "synthetic"))
    store = EmbeddedBackend(":memory:")
    load_case(store, case)
    children = sorted(n.props["id"] for n in case.nodes if n.label == "Child")
    yield store, case.case_id, sorted(random.Random(7).sample(children, 8))
    store.close()


def _children_of(row: dict[str, object]) -> set[object]:
    """The children a row is about: its `child`, or both children of a pair (`linked_children`)."""
    return {row.get("child"), row.get("child_a"), row.get("child_b")} - {None}


def _compared(store: EmbeddedBackend, qid: str, case_id: str, children: list[str]) -> int:
    """Rows of every child compared with each child's own; how many rows were compared."""
    every = run_query(store, qid, case_id)
    for child in children:
        one = run_query(store, qid, case_id, child=child)
        assert _as_set(one) == _as_set([r for r in every if child in _children_of(r)]), (qid, case_id, child)
    assert run_query(store, qid, case_id, child="no such child") == []
    return len(every)


@pytest.mark.parametrize("qid", KEYED)
def test_one_child_rows_are_every_child_rows_of_that_child(qid, embedded_qs, synthetic):
    store, case_id, children = synthetic
    compared = _compared(embedded_qs, qid, "child-q-s", ["Q", "S"]) + _compared(store, qid, case_id, children)
    assert compared, f"{qid}: no rows on either case, nothing compared"


@pytest.mark.parametrize("qid", KEYED)
def test_every_child_read_in_chunks_gives_the_same_rows(qid, synthetic, monkeypatch):
    """A caseload above CHILDREN_PER_READ children is read a chunk of children at a time (bounded memory):
    the same rows as one read, and a query ordered by child first keeps its order."""
    store, case_id, _ = synthetic
    whole = run_query(store, qid, case_id)
    monkeypatch.setattr(queries.library, "CHILDREN_PER_READ", 7)
    chunked = run_query(store, qid, case_id)
    assert _as_set(chunked) == _as_set(whole)
    if re.search(r"ORDER BY child\b", registry()[qid].text) and " UNION " not in registry()[qid].text:
        assert [r.get("child") for r in chunked] == [r.get("child") for r in whole]
