"""The embedded store answers every registry query within a small page cache (issue 17, bounded memory).

The engine's connection keeps memory from each query it ran until it is closed, and that memory is not
something the page cache can evict: in one connection, Child Q & S's registry queries failed one after
another at 128 MB ("the buffer pool is full"). The store therefore uses a new connection after every read
and write (graph/embedded.py); this test holds it to that on a file store, as the app opens one.
"""

from __future__ import annotations

from pathlib import Path

from graph.embedded import READ_ONLY_POOL_MB, EmbeddedBackend, buffer_pool_bytes
from graph.load import load_case
from graph.records import ValidatedCase
from queries.library import registry, run_query

SMALL_CACHE_MB = "128"


def test_every_registry_query_runs_twice_in_a_small_page_cache(qs_case: ValidatedCase, tmp_path: Path, monkeypatch):
    path = tmp_path / "store.lbug"
    writer = EmbeddedBackend(path)
    load_case(writer, qs_case)
    writer.close()
    monkeypatch.setenv("JOINED_UP_BUFFER_POOL_MB", SMALL_CACHE_MB)
    store = EmbeddedBackend(path, read_only=True)
    try:
        for _ in range(2):
            for query_id in registry():
                assert isinstance(run_query(store, query_id, qs_case.case_id), list), query_id
    finally:
        store.close()


def test_a_reader_gets_a_bounded_cache_a_writer_the_engines_default(monkeypatch):
    monkeypatch.delenv("JOINED_UP_BUFFER_POOL_MB", raising=False)
    assert buffer_pool_bytes(read_only=True) == READ_ONLY_POOL_MB * 1024 * 1024
    assert buffer_pool_bytes(read_only=False) == 0  # the engine's own: a load keeps the uncommitted case there
    monkeypatch.setenv("JOINED_UP_BUFFER_POOL_MB", "300")
    assert buffer_pool_bytes(read_only=True) == buffer_pool_bytes(read_only=False) == 300 * 1024 * 1024
