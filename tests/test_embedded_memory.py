"""The embedded store answers every registry query within a small page cache (issue 17, bounded memory).

The engine's connection keeps memory for each query text it ran until it is closed, and that memory is
not something the page cache can evict: in one connection, Child Q & S's registry queries failed one after
another at 128 MB ("the buffer pool is full"). Reads keep their connection while it is quick (the parse it
keeps is most of a one-child question's time) and start a new one when the cache is full, after a slow read,
and after every write (graph/embedded.py); these tests hold it to that on a file store, as the app opens one.
"""

from __future__ import annotations

from pathlib import Path

import graph.embedded
from graph.embedded import POOL_MB, EmbeddedBackend, buffer_pool_bytes
from graph.load import load_case
from graph.records import ValidatedCase
from queries.library import registry, run_query

# Small for Child Q & S: its reads keep ~15 MB in the cache per text parsed, so at 128 MB the kept texts fill
# it after a few queries and the reads then run again on a new connection. (It was 256 MB while the registry
# had learning_with_findings, which a new connection at 128 MB did not always have room for straight away.)
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


def test_a_store_in_a_file_gets_a_bounded_cache_one_in_memory_the_engines_default(monkeypatch):
    monkeypatch.delenv("JOINED_UP_BUFFER_POOL_MB", raising=False)
    assert buffer_pool_bytes(in_memory=False) == POOL_MB * 1024 * 1024
    assert buffer_pool_bytes(in_memory=True) == 0  # the engine's own: an in-memory store keeps all its data there
    monkeypatch.setenv("JOINED_UP_BUFFER_POOL_MB", "300")
    assert buffer_pool_bytes(in_memory=True) == buffer_pool_bytes(in_memory=False) == 300 * 1024 * 1024


def test_quick_reads_keep_their_connection_a_slow_read_or_a_write_retires_it(tmp_path: Path, monkeypatch):
    store = EmbeddedBackend(tmp_path / "store.lbug")
    try:
        store.read("MATCH (c:Child) RETURN count(c) AS n")
        kept = store._reader
        assert kept is not None and store.read("MATCH (c:Child) RETURN count(c) AS n") == [{"n": 0}]
        assert store._reader is kept  # the second read re-used the parsed text
        store.write([("MATCH (c:Child {case_id: $case_id}) DETACH DELETE c", {"case_id": "none"})])
        assert store._reader is None  # a write may change what texts were planned on
        monkeypatch.setattr(graph.embedded, "SLOW_READ_SECONDS", 0.0)
        store.read("MATCH (c:Child) RETURN count(c) AS n")
        assert store._reader is None
    finally:
        store.close()


def test_the_heap_keeps_what_a_read_frees_for_the_next(tmp_path: Path):
    """glibc's malloc keeps up to 64 MB of freed heap once a store is open, so the engine's per-read plans do
    not take their pages back from the kernel on every read (graph/heap.py); ``give_back`` still returns it."""
    from graph import heap

    EmbeddedBackend(tmp_path / "store.lbug").close()
    assert heap.keep_freed() is (heap._libc() is not None)
    heap.give_back()
