"""The embedded default: LadybugDB, an in-process Cypher engine stored in one file (or memory).

Chosen after the measured spike in ``docs/decisions.md``: MIT licence, no server, runs the
portable query subset unchanged. Its differences from Neo4j are guarded in ``graph/cypher.py``
(missing parameters, no read-only mode) and in ``queries/README.md`` (the portable subset).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import ladybug
import pyarrow as pa
import pyarrow.compute as pc

from graph import statements as st
from graph.backend import BackendError, Creation, Progress, Statement, Step, rows_in, timed_out
from graph.cypher import assert_read_only, check_parameters
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
_ARROW = {
    "string": pa.string(),
    "text": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "list": pa.list_(pa.string()),
    "date": pa.date32(),
}


READ_ONLY_POOL_MB = 1024
# Reads run on their own connection, kept from read to read: the engine's parse of a long query text
# costs more than running it (knowledge_horizon: 37 ms parse, 23 ms run on Child Q & S), and the
# connection keeps each text it parsed. On one thread: a one-child question ran twice as fast on one
# thread as on the machine's two (20,000 children, docs/decisions.md). A read slower than
# SLOW_READ_SECONDS, or more than KEPT_STATEMENTS texts, retires the connection: what it keeps grows with
# the reads it ran (the issue-17 measure behind _renew_connection), and for a slow read the parse is a
# small part of its time anyway.
READ_THREADS = 1
SLOW_READ_SECONDS = 0.25
KEPT_STATEMENTS = 24


def buffer_pool_bytes(read_only: bool) -> int:
    """The engine's page cache: ``JOINED_UP_BUFFER_POOL_MB`` when set; else 1 GB for a store opened
    read-only (the app, every command that only reads), and the engine's default (most of the machine)
    for a store that is written. A reader's needs are bounded by its queries, once each read has its own
    connection (``_renew_connection``; measured in docs/decisions.md). A writer's are not: a load keeps
    the whole uncommitted case in the cache (a 20,000-child load, 1.3 million relationships, refused at
    512 MB), and an in-memory store keeps all its data there."""
    configured = os.environ.get("JOINED_UP_BUFFER_POOL_MB")
    megabytes = int(configured) if configured else READ_ONLY_POOL_MB if read_only else 0
    return megabytes * 1024 * 1024


def copy_statement(creation: Creation) -> tuple[str, pa.Table]:
    """A creation as the engine's bulk ``COPY`` from an Arrow table: a first load of a million
    relationships ran at 64,000 rel/s this way against 7,400 with ``UNWIND … CREATE`` (README,
    "Performance"). The table is built by Arrow's own converter from the row dicts and the keys
    by Arrow compute, with no Python code per row (issue 17). Only the columns some row fills are
    copied: the rest stay NULL, as after the Cypher path. Every row gets its ``uid``; an edge's
    ends are its nodes' uids (the key)."""
    fields = [(c, _ARROW[k]) for c, k in creation.kind.columns()]
    table = pa.Table.from_struct_array(pa.array(creation.rows, type=pa.struct(fields)))
    table = table.select([c for c in table.column_names if table[c].null_count < table.num_rows])
    case_ids = table["case_id"]
    table = table.append_column("uid", pc.binary_join_element_wise(case_ids, table["id"], "/"))
    cols = ", ".join(table.column_names)
    if isinstance(creation.kind, NodeType):
        return f"COPY {creation.kind.label}({cols}) FROM $rows", table
    etype, (src, dst) = creation.kind, creation.pair or ("", "")
    ends = pa.array(creation.ends or [], type=pa.struct([("from", pa.string()), ("to", pa.string())]))
    keys = [pc.binary_join_element_wise(case_ids, ends.field(end), "/") for end in ("from", "to")]
    table = pa.table({"from": keys[0], "to": keys[1], **{c: table[c] for c in table.column_names}})
    return f"COPY {etype.type}({cols}) FROM $rows (from='{src}', to='{dst}')", table


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
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = ladybug.Database(self.path, read_only=read_only, buffer_pool_size=buffer_pool_bytes(read_only))
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
            if self._read_only:
                self._schema_ready = True
                return
            for stmt in table_ddl(schema):
                self._conn.execute(stmt)
            for stmt in schema_upgrade(schema, self._table_columns(schema, present)):
                self._conn.execute(stmt)
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
        self.ensure_schema()
        with self._lock:
            self._conn.execute("BEGIN TRANSACTION")
            try:
                for step in steps:
                    if isinstance(step, Creation):
                        if step.rows:
                            self._refuse_taken_ids(step)
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

    def _refuse_taken_ids(self, creation: Creation) -> None:
        """Refuse nodes whose keys (case and id) the store already holds, before ``COPY`` meets
        them: a ``COPY`` that fails on a duplicate key leaves the engine's key index out of step
        with its tables after the rollback (found by tests/test_fuzz.py), so it must never be the
        one to fail. Other cases' records never clash: the key includes the case."""
        if not isinstance(creation.kind, NodeType):
            return
        uids = [st.uid(r["case_id"], r["id"]) for r in creation.rows]
        taken = self._conn.execute(st.ids_taken(creation.kind), {"uids": uids})
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
