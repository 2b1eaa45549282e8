"""A first load into the embedded store commits table by table (``EmbeddedBackend._write_staged``, issue 17)
and stays all or nothing: a failure part-way removes what was committed, and a load stopped outright (the
process killed) is removed when the store is next opened for writing; read-only, such a store is refused.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

import graph.embedded
from graph.backend import BackendError
from graph.embedded import EmbeddedBackend
from graph.load import counts, load_case, loaded_cases
from graph.records import NodeRow, ValidatedCase
from tests.conftest import MINI_CASE, ROOT

# Loads the mini case and kills its own process (no clean-up of any kind) as the fourth table commits.
STOPPED_LOAD = """
import os, sys
from graph.embedded import EmbeddedBackend
from graph.load import load_case
from loaders.validate import validate_path

store = EmbeddedBackend(sys.argv[1])
commit = store._transaction
tables = []

def transaction(steps, progress=None, new_cases=False):
    tables.append(steps)
    if len(tables) == 4:
        os._exit(9)
    commit(steps, progress, new_cases)

store._transaction = transaction
load_case(store, validate_path(sys.argv[2]))
"""


def total(store: EmbeddedBackend, case_id: str) -> int:
    found = counts(store, case_id)
    return sum(found["nodes"].values()) + sum(found["relationships"].values())


@pytest.mark.parametrize("checkpoint_every_table", [False, True])
def test_a_first_load_commits_each_table_and_fails_as_a_whole(
    tmp_path: Path, mini_case: ValidatedCase, checkpoint_every_table: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last table repeats an id: every table before it was committed, and is removed again (with one
    checkpoint at the end, as for a review, and with one per table, as for a caseload)."""
    if checkpoint_every_table:
        monkeypatch.setattr(graph.embedded, "DEFERRED_CHECKPOINT_ROWS", 0)
    last = mini_case.nodes[len(mini_case.nodes) - 1]
    repeated = dataclasses.replace(mini_case, nodes=[*mini_case.nodes, NodeRow(last.label, dict(last.props))])
    store = EmbeddedBackend(tmp_path / "s.lbug")
    try:
        with pytest.raises(BackendError, match=f"repeated in the load: {last.props['id']}") as refused:
            load_case(store, repeated)
        assert "\n" not in str(refused.value)
        assert loaded_cases(store) == [] and not (tmp_path / "s.lbug.loading").exists()
        load_case(store, mini_case)
        assert total(store, "mini") == len(mini_case.nodes) + len(mini_case.edges)
    finally:
        store.close()


def test_a_load_killed_part_way_is_removed_when_the_store_is_next_written(tmp_path: Path) -> None:
    path = tmp_path / "s.lbug"
    stopped = subprocess.run(
        [sys.executable, "-c", STOPPED_LOAD, str(path), str(MINI_CASE)], cwd=ROOT, capture_output=True, timeout=120
    )
    assert stopped.returncode == 9, stopped.stderr.decode()
    assert Path(f"{path}.loading").read_text(encoding="utf-8") == '["mini"]'

    reader = EmbeddedBackend(path, read_only=True)
    try:
        with pytest.raises(BackendError, match="holds part of a load that stopped") as refused:
            loaded_cases(reader)
        assert "\n" not in str(refused.value)
    finally:
        reader.close()

    writer = EmbeddedBackend(path)
    try:
        assert loaded_cases(writer) == [] and not Path(f"{path}.loading").exists()
    finally:
        writer.close()
