"""The embedded default: LadybugDB, an in-process Cypher engine stored in one file (or memory).

Chosen after the measured spike in ``docs/decisions.md``: MIT licence, no server, runs the
portable query subset unchanged. Its differences from Neo4j are guarded in ``graph/cypher.py``
(missing parameters, no read-only mode) and in ``queries/README.md`` (the portable subset).
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import ladybug
import pyarrow as pa
import pyarrow.compute as pc

from graph import heap
from graph import statements as st
from graph.backend import (
    BackendError,
    Creation,
    Progress,
    Statement,
    Step,
    creation_cases,
    rows_in,
    self_contained,
    timed_out,
)
from graph.cypher import assert_read_only, check_parameters
from graph.records import ENDS
from graph.schema import NodeType, Schema, load_schema

_TYPES = {
    "string": "STRING",
    "text": "STRING",
    "int": "INT64",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "list": "STRING[]",
    "date": "DATE",
}


LOG = logging.getLogger(__name__)
POOL_MB = 1024
# Reads run on their own connection, kept from read to read: the engine's parse of a long query text
# costs more than running it (knowledge_horizon: 37 ms parse, 23 ms run on Child Q & S), and the
# connection keeps each text it parsed. On one thread: a one-child question ran twice as fast on one
# thread as on the machine's two (20,000 children, docs/decisions.md). A read slower than
# SLOW_READ_SECONDS, or more than KEPT_STATEMENTS texts, retires the connection: what it keeps grows with
# the reads it ran (the issue-17 measure behind _renew_connection), and for a slow read the parse is a
# small part of its time anyway.
READ_THREADS = 1
SLOW_READ_SECONDS = 0.25
# A first load of at most this many records (a review: Child Q & S is 3,316) checkpoints the store once, at
# its end, rather than at each table's commit: Child Q & S added to a 20,000-child store took 12 s with a
# checkpoint per table. A larger load checkpoints as it goes, which bounds its memory (``_write_staged``).
DEFERRED_CHECKPOINT_ROWS = 100_000
KEPT_STATEMENTS = 24


def buffer_pool_bytes(in_memory: bool) -> int:
    """The engine's page cache: ``JOINED_UP_BUFFER_POOL_MB`` when set; else 1 GB for a store in a file, read
    or written, and the engine's default (most of the machine) for a store in memory, which keeps all its
    data there. A reader's needs are bounded by its queries, once reads renew their connection
    (``_renew_connection``; measured in docs/decisions.md); a writer's too, since a first load commits
    table by table (``_write_staged``: a 20,000-child load in one transaction was refused at 512 MB)."""
    configured = os.environ.get("JOINED_UP_BUFFER_POOL_MB")
    megabytes = int(configured) if configured else 0 if in_memory else POOL_MB
    return megabytes * 1024 * 1024


def copy_statement(creation: Creation) -> tuple[str, pa.Table]:
    """A creation as the engine's bulk ``COPY`` from its Arrow table: a first load of a million
    relationships ran at 64,000 rel/s this way against 7,400 with ``UNWIND … CREATE`` (README,
    "Performance"). The keys are made by Arrow compute, with no Python code per row (issue 17). Only the
    columns some row fills are copied: the rest stay NULL, as after the Cypher path. Every row gets its
    ``uid``; an edge's ends are its nodes' uids (the key)."""
    table = creation.table
    filled = [c for c in table.column_names if c not in ENDS and table[c].null_count < table.num_rows]
    columns = {c: table[c] for c in filled} | {"uid": creation.keys("id")}
    cols = ", ".join(columns)
    if isinstance(creation.kind, NodeType):
        return f"COPY {creation.kind.label}({cols}) FROM $rows", pa.table(columns)
    etype, (src, dst) = creation.kind, creation.pair or ("", "")
    ends = {end: creation.keys(end) for end in ENDS}
    return f"COPY {etype.type}({cols}) FROM $rows (from='{src}', to='{dst}')", pa.table(ends | columns)


def table_ddl(schema: Schema) -> list[str]:
    """Node and relationship tables, generated from the schema (one table per label/type), each
    keyed by the generated ``uid`` (case and id), so two cases may use the same ids."""
    ddl = []
    for n in schema.nodes.values():
        cols = ", ".join(f"{c} {_TYPES[k]}" for c, k in n.columns())
        ddl.append(f"CREATE NODE TABLE IF NOT EXISTS {n.label}(uid STRING, {cols}, PRIMARY KEY(uid))")
    for e in schema.edges.values():
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in e.pairs())
        cols = ", ".join(f"{c} {_TYPES[k]}" for c, k in e.columns())
        ddl.append(f"CREATE REL TABLE IF NOT EXISTS {e.type}({pairs}, uid STRING, {cols})")
    return ddl


def schema_upgrade(schema: Schema, existing: dict[str, set[str]]) -> list[str]:
    """``ALTER TABLE … ADD`` for every schema column a table of an older store lacks, and for every pair of
    node tables a relationship table lacks (``existing`` holds a relationship table's pairs as "FROM A TO B"):
    a store made before the schema gained a column (``certainty``, ``inferred``) or a pair (PRAISED from a praise
    to a person of concern) is brought up to it in place, empty, rather than refusing every later load
    with the engine's "Cannot find property" or "does not contain … from-to pair". Only additions are made;
    every name comes from the schema, none from the store."""
    ddl = []
    for n in schema.nodes.values():
        held = existing.get(n.label)
        ddl += [
            f"ALTER TABLE {n.label} ADD {c} {_TYPES[k]}" for c, k in n.columns() if held is not None and c not in held
        ]
    for e in schema.edges.values():
        held = existing.get(e.type)
        if held is None:
            continue
        ddl += [f"ALTER TABLE {e.type} ADD {c} {_TYPES[k]}" for c, k in e.columns() if c not in held]
        ddl += [
            f"ALTER TABLE {e.type} ADD FROM {src} TO {dst}"
            for src, dst in e.pairs()
            if f"FROM {src} TO {dst}" not in held
        ]
    return ddl


def retired_tables(schema: Schema, present: set[str]) -> list[str]:
    """Tables a store holds that the schema no longer has (CONTACTED, whose rows became Contact nodes in
    2026-12): ``schema_upgrade`` only adds, so such a store is refused in one line rather than queried as if
    its rows were gone, or loaded beside them."""
    return sorted(present - set(schema.nodes) - set(schema.edges))


_CACHE_FULL = "Buffer manager exception: Unable to allocate memory"


class _CacheFull(Exception):
    """The page cache was full while the reads' connection kept parsed texts (``EmbeddedBackend._reads``)."""


class EmbeddedBackend:
    name = "embedded"
    default_timeout: float | None = None  # seconds, for reads that name none (the benchmark stops runaways)

    def __init__(self, path: str | Path = ":memory:", read_only: bool = False) -> None:
        self.path = str(path)
        heap.keep_freed()  # the engine frees and retakes its plans' memory on every read (graph/heap.py)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = ladybug.Database(
                self.path, read_only=read_only, buffer_pool_size=buffer_pool_bytes(self.path == ":memory:")
            )
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            raise BackendError(_explain_open_error(self.path, exc)) from None
        # One connection per store, used by one thread at a time: Streamlit serves each session
        # on its own thread, and the engine's connection is not meant to be shared concurrently.
        self._lock = threading.Lock()
        self._read_only = read_only  # a read-only store cannot run DDL; its tables exist or it is empty
        self._schema_ready = False
        self._reader: ladybug.Connection | None = None  # the reads' connection (READ_THREADS)
        self._reader_texts: set[str] = set()

    def ensure_schema(self) -> None:
        if self._schema_ready:
            return
        schema = load_schema()
        with self._lock:
            present = {str(r[0]) for r in self._conn.execute("CALL show_tables() RETURN name").get_all()}
            retired = retired_tables(schema, present)
            if retired:
                raise BackendError(
                    f"the embedded store {self.path} was made with an older schema: it holds {', '.join(retired)}, "
                    "which the schema no longer has (docs/decisions.md); load its cases into a new store"
                )
            if not self._read_only:
                for stmt in table_ddl(schema):
                    self._conn.execute(stmt)
                for stmt in schema_upgrade(schema, self._table_columns(schema, present)):
                    self._conn.execute(stmt)
            self._clear_stopped_load()
        self._schema_ready = True

    def _table_columns(self, schema: Schema, present: set[str]) -> dict[str, set[str]]:
        """What the store holds for each schema table it has (``present``, as ``show_tables`` names them):
        columns (``table_info``), and for a relationship table its pairs of node tables as "FROM A TO B"
        (``show_connection``)."""
        held = {}
        for n in schema.nodes.values():
            if n.label in present:
                held[n.label] = {
                    str(r[0]) for r in self._conn.execute(f"CALL table_info('{n.label}') RETURN name").get_all()
                }
        for e in schema.edges.values():
            if e.type in present:
                held[e.type] = {
                    str(r[0]) for r in self._conn.execute(f"CALL table_info('{e.type}') RETURN name").get_all()
                } | {
                    f"FROM {r[0]} TO {r[1]}"
                    for r in self._conn.execute(f"CALL show_connection('{e.type}') RETURN *").get_all()
                }
        return held

    def read(
        self,
        query: str,
        params: dict[str, object] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> list[dict[str, object]]:
        """Rows of a read, in a READ ONLY transaction: the engine itself refuses a write there, a
        second wall behind the guard. ``timeout`` (seconds) interrupts the query inside the engine,
        which rolls back and frees the store; ``max_rows`` stops fetching after that many rows."""
        params = params or {}
        assert_read_only(query)
        check_parameters(query, params)
        self.ensure_schema()
        return self._reads([(query, params)], timeout or self.default_timeout, max_rows)[0]

    def read_many(self, statements: list[Statement]) -> list[list[dict[str, object]]]:
        for query, params in statements:
            assert_read_only(query)
            check_parameters(query, params)
        self.ensure_schema()
        return self._reads(statements, None, None)

    def _reads(self, statements: list[Statement], timeout: float | None, max_rows: int | None) -> list[list[dict]]:
        """Run reads in one READ ONLY transaction on the reads' connection. The memory it keeps for the texts
        it parsed counts in the page cache: when the cache is full and the connection kept texts, the reads
        run once more on a new connection, which keeps nothing."""
        with self._lock:
            try:
                return self._reads_once(statements, timeout, max_rows)
            except _CacheFull:
                return self._reads_once(statements, timeout, max_rows)

    def _reads_once(self, statements: list[Statement], timeout: float | None, max_rows: int | None) -> list[list[dict]]:
        reader, kept, started, failed = self._reading(), bool(self._reader_texts), time.perf_counter(), False
        reader.set_query_timeout(round(timeout * 1000) if timeout else 0)
        reader.execute("BEGIN TRANSACTION READ ONLY")
        try:
            return [_fetch(reader.execute(query, params), max_rows) for query, params in statements]
        except RuntimeError as exc:
            failed = True  # a failed or interrupted read retires its connection
            if kept and str(exc).startswith(_CACHE_FULL):
                raise _CacheFull from None
            if str(exc).startswith("Interrupted") and timeout:
                raise BackendError(timed_out(timeout)) from None
            raise BackendError(f"embedded store refused the query: {exc}") from None
        finally:
            _end_read(reader)
            self._read_done([query for query, _ in statements], math.inf if failed else time.perf_counter() - started)

    def _reading(self) -> ladybug.Connection:
        """The reads' connection (see READ_THREADS), opened when the last one was retired."""
        if self._reader is None:
            self._reader = ladybug.Connection(self._db, num_threads=READ_THREADS)
        return self._reader

    def _read_done(self, texts: list[str], seconds: float) -> None:
        """Keep the reads' connection, and the texts it parsed, while its reads stay quick and few."""
        self._reader_texts.update(texts)
        if seconds > SLOW_READ_SECONDS or len(self._reader_texts) > KEPT_STATEMENTS:
            self._retire_reader()

    def _retire_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
        self._reader, self._reader_texts = None, set()

    def _renew_connection(self) -> None:
        """A new connection after every write (0.03-0.2 ms), and a new reads' connection (``_retire_reader``):
        a write can change the schema its texts were planned on. The engine's connection keeps memory
        from each query it ran until it is closed, outside what the page cache can evict: in one connection
        the registry's 31 queries on a 1,000-child store needed a 700 MB pool and failed one after another
        at 256 MB; with a connection each, all ran at 256 MB (issue 17, docs/decisions.md)."""
        self._conn.close()
        self._conn = ladybug.Connection(self._db)
        self._retire_reader()

    def write(self, steps: Iterable[Step], progress: Progress | None = None) -> None:
        """All of ``steps`` or none. A first load (creations only, whose edges join only the nodes they
        create, of cases the store holds nothing of) commits table by table (``_write_staged``); anything
        else (a re-load, a delete) runs in one transaction."""
        self.ensure_schema()
        try:
            pending = list(steps)  # a case's rows become Arrow tables here, if not already
        except pa.ArrowException as exc:
            raise BackendError(f"embedded store refused the load, nothing was written: {exc}") from None
        creations = [step for step in pending if isinstance(step, Creation)]
        with self._lock:
            if creations and len(creations) == len(pending) and self_contained(creations):
                cases = creation_cases(creations)
                if not any(self._holds(case) for case in cases):
                    self._write_staged(creations, cases, progress)
                    return
            self._transaction(pending, progress)

    def _holds(self, case_id: str) -> bool:
        """Whether the store holds any node of the case."""
        for ntype in load_schema().nodes.values():
            if self._conn.execute(st.node_count(ntype, True), {"case_id": case_id}).get_next()[0]:
                return True
        return False

    def _write_staged(self, creations: list[Creation], cases: list[str], progress: Progress | None) -> None:
        """Each table in its own transaction, on a fresh connection, under a marker file naming the cases.

        One transaction for a whole case held it all uncommitted in the engine: 2.7 GB for a 20,000-child
        case, against the 2 GB bound of issue 17 (a table at a time: under 0.6 GB, and faster), and even a
        review's 60 tables took 0.5 GB (each ``COPY`` holds whole column chunks until its commit). All or
        nothing is kept by the marker: a failure removes what the load committed before the marker goes,
        and a load stopped outright (the process killed) is removed when the store is next opened for
        writing (``_clear_stopped_load``); a store opened read-only meanwhile refuses to be read."""
        marker = self._marker()
        if marker is not None:
            marker.write_text(json.dumps(cases), encoding="utf-8")
        deferred = sum(c.table.num_rows for c in creations) <= DEFERRED_CHECKPOINT_ROWS
        try:
            self._checkpoints(automatic=not deferred)
            try:
                for creation in creations:
                    self._transaction([creation], progress, new_cases=True)
            finally:
                self._checkpoints(automatic=True)
            if deferred:
                self._conn.execute("CHECKPOINT")
        except BaseException as exc:
            try:
                self._sweep(cases)
            except Exception:  # noqa: BLE001 - the load's own failure is the one to report
                LOG.warning("part of a stopped load is left in the store, to be removed when it is next written")
            else:
                if marker is not None:
                    marker.unlink(missing_ok=True)
            if isinstance(exc, RuntimeError) and not isinstance(exc, BackendError):  # the final checkpoint
                raise BackendError(f"embedded store refused the load, nothing was written: {_why(exc)}") from None
            raise
        if marker is not None:
            marker.unlink(missing_ok=True)

    def _checkpoints(self, automatic: bool) -> None:
        """The engine's checkpoint after each commit on or off (a setting of the database, not the connection)."""
        self._conn.execute("CALL auto_checkpoint=true" if automatic else "CALL auto_checkpoint=false")

    def _marker(self) -> Path | None:
        """Beside the store's file: the cases a load is writing table by table (none for a store in memory)."""
        return None if self.path == ":memory:" else Path(f"{self.path}.loading")

    def _sweep(self, cases: list[str]) -> None:
        """Remove every record of ``cases``, in one transaction (a load that did not finish)."""
        self._transaction(st.case_delete(load_schema(), cases), None)

    def _clear_stopped_load(self) -> None:
        """Remove what a load stopped part-way left (its marker names the cases); refused when read-only."""
        marker = self._marker()
        if marker is None or not marker.exists():
            return
        if self._read_only:
            raise BackendError(
                f"the embedded store {self.path} holds part of a load that stopped before it finished; "
                "open it for writing once (load any case into it) to remove that part, then read it"
            )
        self._sweep([str(case) for case in json.loads(marker.read_text(encoding="utf-8"))])
        marker.unlink()
        LOG.warning("removed part of a load that stopped before it finished from %s", self.path)

    def _transaction(self, steps: Iterable[Step], progress: Progress | None, new_cases: bool = False) -> None:
        """``steps`` in one transaction, on a connection renewed afterwards (``_renew_connection``)."""
        self._conn.execute("BEGIN TRANSACTION")
        try:
            for step in steps:
                if isinstance(step, Creation):
                    if step.table.num_rows:
                        self._refuse_taken_ids(step, new_cases)
                        query, table = copy_statement(step)
                        self._conn.execute(query, {"rows": table})
                else:
                    check_parameters(*step)
                    self._conn.execute(*step)
                if progress:
                    progress(rows_in(step))
            self._conn.execute("COMMIT")
        except BaseException as exc:
            # A failed statement already aborts the engine's transaction; ROLLBACK is then a
            # no-op that itself raises, so only roll back a transaction that is still open.
            try:
                self._conn.execute("ROLLBACK")
            except RuntimeError:
                pass
            if isinstance(exc, (RuntimeError, pa.ArrowException)):
                raise BackendError(f"embedded store refused the load, nothing was written: {_why(exc)}") from None
            raise
        finally:
            self._renew_connection()

    def _refuse_taken_ids(self, creation: Creation, new_cases: bool) -> None:
        """Refuse nodes whose keys (case and id) the store already holds, or that repeat within the
        creation, before ``COPY`` meets them: a ``COPY`` that fails on a duplicate key leaves the engine's
        key index out of step with its tables after the rollback (found by tests/test_fuzz.py), so it must
        never be the one to fail. Other cases' records never clash: the key includes the case. For cases
        the store holds nothing of (``new_cases``, a first load), the store is not asked: 1.4 s of a
        20,000-child load went to asking it."""
        if not isinstance(creation.kind, NodeType):
            return
        keys = creation.keys("id")
        if pc.count_distinct(keys).as_py() != len(keys):
            counted = pc.value_counts(keys)
            repeated = counted.filter(pc.greater(counted.field("counts"), 1)).field("values").to_pylist()
            named = ", ".join(str(key).split("/", 1)[1] for key in repeated[:5])
            raise BackendError(f"{creation.kind.label} record(s) repeated in the load: {named}")
        if new_cases:
            return
        taken = self._conn.execute(st.ids_taken(creation.kind), {"uids": keys.to_pylist()})
        clashes = []
        while taken.has_next():
            node_id, case_id = taken.get_next()
            clashes.append(f"{node_id} (case {case_id})")
        if clashes:
            raise BackendError(
                f"{creation.kind.label} record(s) already in the store: {', '.join(clashes)}; "
                "load the case with --replace"
            )  # write() adds "nothing was written"

    def close(self) -> None:
        self._retire_reader()
        self._conn.close()
        self._db.close()


def _fetch(result: ladybug.QueryResult, max_rows: int | None) -> list[dict[str, object]]:
    columns = result.get_column_names()
    rows = []
    while result.has_next() and (max_rows is None or len(rows) < max_rows):
        rows.append(dict(zip(columns, result.get_next(), strict=True)))
    result.close()
    return rows


def _end_read(conn: ladybug.Connection) -> None:
    """Close the read's transaction and clear its timeout. A failed or interrupted query has
    already ended the transaction, and ROLLBACK then raises: nothing is left open either way."""
    conn.set_query_timeout(0)
    try:
        conn.execute("ROLLBACK")
    except RuntimeError:
        pass


def _explain_open_error(path: str, exc: RuntimeError) -> str:
    text = str(exc)
    if "lock" in text.lower():
        return (
            f"the embedded store {path} is in use by another process (the app or another load); "
            "stop it, or point JOINED_UP_DB at another file"
        )
    return f"cannot open the embedded store {path}: {text.splitlines()[0]} (delete the file to start afresh)"


def _why(exc: BaseException) -> str:
    """The engine's reason, minus what is untrue for us: on a full disk it reports "Transaction
    committed successfully … durable" beside a failed checkpoint, yet the store holds nothing of
    the load afterwards (measured on a full tmpfs), so only the failure is passed on."""
    text = str(exc)
    if "checkpoint" in text.lower() and "committed successfully" in text.lower():
        return "the store file could not be written (is the disk full?); the engine's checkpoint failed"
    return text
