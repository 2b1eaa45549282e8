"""A re-load writes only what the files change (issue 17): nothing for unchanged files, exactly the
changed, added and removed records otherwise, all or nothing, and the same store on both engines.

"Exactly" is checked twice: the rows handed to the store are counted, and the re-loaded case is
compared, column by column, with the same files loaded afresh into an empty store.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from graph.backend import Backend, BackendError, Step, rows_in
from graph.diff import plan_reload, reload_steps
from graph.embedded import EmbeddedBackend
from graph.load import DEFAULT_BATCH, CaseExistsError, load_case
from loaders.validate import ValidatedCase, validate_path
from tests.conftest import MINI_CASE
from tests.test_isolation import case_digest

# Each edit of the mini case's records.yaml, and what it changes.
EDITS = [
    ("name: School A2", "name: Renamed school"),  # a node's property
    ("date: Mar 2015, source", "date: Apr 2015, source"),  # a node's date (four stored columns)
    ('  - {type: DID_NOT_ATTEND, from: SCH, to: M1, reason: exams, source: "¶10"}\n', ""),  # an edge removed
    (
        '{type: SENT_TO, id: F-1-to, from: F-1, to: M1, source: "¶12"}',
        '{type: SENT_TO, id: F-1-to, from: F-1, to: M1, source: "¶13"}',
    ),  # an edge's property
    ("id: F-3-to, from: F-3, to: SCH", "id: F-3-to, from: F-3, to: GP"),  # an edge moved to other ends, same id
    (
        "edges:\n",
        '  - {type: Agency, id: NEW, name: New agency, sector: health, source: "¶4"}\n'
        'edges:\n  - {type: LOCATED_IN, from: NEW, to: A2, source: "¶4"}\n',
    ),  # a node and an edge added
]


class Recording:
    """The real store, with the rows of every write it is handed counted (a load's writes, observed)."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.name = backend.name
        self.written: list[int] = []

    def ensure_schema(self) -> None:
        self.backend.ensure_schema()

    def read(self, query: str, params: dict | None = None, **kw: object) -> list[dict]:
        return self.backend.read(query, params, **kw)

    def read_many(self, statements: list) -> list[list[dict]]:
        return self.backend.read_many(statements)

    def write(self, steps: Iterable[Step], progress=None) -> None:
        steps = list(steps)
        self.written.append(sum(rows_in(s) for s in steps))
        self.backend.write(steps, progress)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request) -> Iterator[Backend]:
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j")
        return
    backend = EmbeddedBackend(":memory:")
    yield backend
    backend.close()


def edited_mini(folder: Path, edits: list[tuple[str, str]]) -> ValidatedCase:
    shutil.copytree(MINI_CASE, folder)
    records = folder / "records.yaml"
    text = records.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    records.write_text(text, encoding="utf-8")
    return validate_path(folder)


def fresh_digest(case: ValidatedCase) -> str:
    """The case as a first load into an empty store leaves it."""
    backend = EmbeddedBackend(":memory:")
    try:
        load_case(backend, case)
        return case_digest(backend, case.case_id)
    finally:
        backend.close()


def test_an_unchanged_reload_writes_nothing(store, mini_case):
    load_case(store, mini_case)
    before = case_digest(store, "mini")
    recording = Recording(store)
    report = load_case(recording, mini_case, replace=True)
    assert recording.written == [] and plan_reload(store, mini_case).rows() == 0
    assert str(report.diff).startswith(
        "+0/−0 nodes, +0/−0 relationships (26 nodes and 58 relationships kept, of which 0"
    )
    assert case_digest(store, "mini") == before


def test_a_reload_writes_exactly_the_changes(store, mini_case, tmp_path):
    edited = edited_mini(tmp_path / "mini", EDITS)
    load_case(store, mini_case)
    recording = Recording(store)
    diff = load_case(recording, edited, replace=True).diff
    counted = (diff.nodes_added, diff.nodes_removed, diff.nodes_changed, diff.nodes_kept)
    assert counted == (1, 0, 2, 26)  # the contact is a node, with three links (issue 17)
    counted = (diff.relationships_added, diff.relationships_removed, diff.relationships_changed)
    assert counted == (1, 1, 2) and diff.relationships_kept == 57
    # 1 node and 1 edge added, 2 nodes and 1 edge changed, 1 edge removed, 1 edge moved (removed, created)
    assert recording.written == [8]
    assert case_digest(store, "mini") == fresh_digest(edited)
    assert plan_reload(store, edited).rows() == 0, "a second re-load of the same files writes nothing"


def test_a_removed_node_goes_with_its_edges_and_a_relabelled_node_keeps_them(store, tmp_path):
    def case(version: int) -> ValidatedCase:
        folder = tmp_path / f"v{version}"
        folder.mkdir()
        worker = [
            "Agency, id: X, name: Worker X, sector: other",
            "Professional, id: X, name: Worker X, role: youth worker",
        ][version]
        extra = "  - {type: Agency, id: GONE, name: Gone, sector: other, source: '¶3'}\n" if version == 0 else ""
        (folder / "case.yaml").write_text(
            "case: rl\ndocument: rl-doc\nnodes:\n"
            "  - {type: SourceDocument, id: rl-doc, name: RL, source: 'Title page'}\n"
            "  - {type: Child, id: C, name: Child C, source: '¶1'}\n"
            f"  - {{type: {worker}, source: '¶2'}}\n{extra}"
            "edges:\n  - {type: INVOLVED_WITH, id: X-C, from: X, to: C, period: '2015', source: '¶2'}\n"
            + ("  - {type: INVOLVED_WITH, from: GONE, to: C, period: '2015', source: '¶3'}\n" if extra else ""),
            encoding="utf-8",
        )
        return validate_path(folder)

    load_case(store, case(0))
    relabelled = case(1)
    diff = load_case(store, relabelled, replace=True).diff
    assert (diff.nodes_added, diff.nodes_removed, diff.relationships_removed, diff.relationships_changed) == (
        1,
        2,
        1,
        1,
    )
    assert case_digest(store, "rl") == fresh_digest(relabelled)
    worker = "MATCH (p:Professional {uid: 'rl/X'})-[r:INVOLVED_WITH]->(c:Child) RETURN r.id AS id, c.id AS child"
    assert store.read(worker) == [{"id": "X-C", "child": "C"}]


def test_a_reload_that_fails_midway_leaves_the_case_as_it_was(store, mini_case, tmp_path):
    edited = edited_mini(tmp_path / "mini", EDITS)
    load_case(store, mini_case)
    before = case_digest(store, "mini")
    steps = list(reload_steps(plan_reload(store, edited), DEFAULT_BATCH))
    assert len(steps) > 4
    steps.insert(len(steps) // 2, ("RETURN no_such_function(1) AS x", {}))
    with pytest.raises(BackendError):
        store.write(steps)
    assert case_digest(store, "mini") == before


def test_a_changed_case_is_still_replaced_only_when_asked(store, mini_case, tmp_path):
    edited = edited_mini(tmp_path / "mini", EDITS[:1])
    load_case(store, mini_case)
    before = case_digest(store, "mini")
    with pytest.raises(CaseExistsError, match=r"\+0/−0 nodes, .* of which 1 nodes and 0 relationships change"):
        load_case(store, edited)
    assert case_digest(store, "mini") == before


@pytest.mark.neo4j
def test_both_stores_hold_the_same_case_after_a_reload(neo4j, mini_case, tmp_path):
    edited = edited_mini(tmp_path / "mini", EDITS)
    embedded = EmbeddedBackend(":memory:")
    try:
        for backend in (embedded, neo4j):
            load_case(backend, mini_case)
            load_case(backend, edited, replace=True)
        assert case_digest(neo4j, "mini") == case_digest(embedded, "mini") == fresh_digest(edited)
    finally:
        embedded.close()
