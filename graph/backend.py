"""The one protocol both graph stores implement, and how the app and CLI pick one.

Everything above this layer (loaders, queries, analytics, app) talks to a ``Backend`` and never
to a driver, so a query or a load written once runs on Neo4j and on the embedded engine alike.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc

from graph.records import ENDS
from graph.schema import EdgeType, NodeType

Statement = tuple[str, dict[str, object]]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Creation:
    """New nodes of one label, or new edges of one type from one label to another, as an Arrow table.

    A load hands these to the store rather than Cypher text because the fastest way to create
    many rows differs by engine: the embedded engine bulk-copies the table (``COPY``), Neo4j runs
    ``UNWIND $rows`` batches of ``batch`` rows (``statements.create_batches``). The table has every
    column of its type (``graph.records.arrow_struct``), and an edge's its ends' ids in ``from`` and
    ``to``: the validated case's own tables (``graph.records.Rows``), handed over without a copy.
    """

    kind: NodeType | EdgeType
    table: pa.Table
    pair: tuple[str, str] | None = None  # (from label, to label) for edges
    batch: int = 5_000

    def keys(self, column: str) -> pa.Array:
        """Each row's case and the id in ``column`` (its own ``id``, or an edge's end), as the stores' key
        (``statements.uid``: case and id, joined by "/")."""
        return pc.binary_join_element_wise(self.table["case_id"], self.table[column], "/").combine_chunks()

    def batches(self) -> Iterator[tuple[list[dict[str, object]], list[tuple[str, str]]]]:
        """The rows in batches of ``batch``, as dicts of the type's columns, with each edge's (from id, to id)."""
        for start in range(0, self.table.num_rows, self.batch):
            part = self.table.slice(start, self.batch)
            held = [end for end in ENDS if end in part.schema.names]
            ends = list(zip(*(part[end].to_pylist() for end in held), strict=True)) if held else []
            yield part.drop_columns(held).to_pylist(), ends


Step = Statement | Creation


def creation_cases(creations: list[Creation]) -> list[str]:
    """The cases whose records ``creations`` make."""
    return sorted({str(case_id) for c in creations for case_id in pc.unique(c.table["case_id"]).to_pylist()})


def self_contained(creations: list[Creation]) -> bool:
    """Whether every edge of ``creations`` joins nodes they create: only then can the edges be written
    between staged nodes (Neo4j) or committed table by table (embedded, ``graph/embedded.py``). A re-load that
    only adds records links new nodes to stored ones. Checked on the columns (a million edges in a second)."""
    nodes = [c.keys("id") for c in creations if isinstance(c.kind, NodeType)]
    ends = [c.keys(end) for c in creations if not isinstance(c.kind, NodeType) for end in ENDS]
    if not ends:
        return True
    created = pa.concat_arrays(nodes or [pa.array([], pa.string())])
    return pc.all(pc.is_in(pa.concat_arrays(ends), value_set=created)).as_py() is not False


DEFAULT_EMBEDDED_PATH = Path(__file__).resolve().parent.parent / "var" / "joined-up.lbug"


def rows_in(step: Step) -> int:
    """How many data rows a step carries (for progress); 0 for statements without ``$rows``."""
    if isinstance(step, Creation):
        return step.table.num_rows
    rows = step[1].get("rows")
    return len(rows) if isinstance(rows, list) else 0


class BackendError(RuntimeError):
    """A store failed in a way the user can fix; the message says which and how, in one line."""


def timed_out(seconds: float) -> str:
    """The one wording, on both stores, for a read stopped by its timeout."""
    return f"the query ran longer than {seconds:g} s and was stopped; nothing was changed (narrow it, or add LIMIT)"


class Backend(Protocol):
    name: str

    def ensure_schema(self) -> None:
        """Create the tables/constraints the schema declares (idempotent)."""

    def read(
        self,
        query: str,
        params: dict[str, object] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> list[dict[str, object]]:
        """Run a read-only query; plain rows (dates as ``datetime.date``). The store stops it after
        ``timeout`` seconds (BackendError) and returns at most ``max_rows`` rows."""

    def read_many(self, statements: list[Statement]) -> list[list[dict[str, object]]]:
        """The rows of several read-only queries, in ONE read transaction (one snapshot, and one
        transaction's cost instead of one per query: a re-load reads its case this way)."""

    def write(self, steps: Iterable[Step], progress: Progress | None = None) -> None:
        """Run write statements and creations in ONE transaction: all of them or none."""

    def close(self) -> None: ...


def open_backend(kind: str | None = None, path: str | Path | None = None, read_only: bool = False) -> Backend:
    """Neo4j when asked for (or when NEO4J_URI is set and no store file is named), else the embedded store.

    The embedded default needs no configuration, so a reviewer with only a laptop gets the
    product; setting NEO4J_URI is the single switch to a server, cluster or Aura. With
    ``read_only`` (commands that only read) an embedded store is opened read-only: it opens beside
    the app or a load (the engine allows one writer and any number of readers) and leaves the file
    untouched, so the app does not see a change and reopen; and a store that is not there is an
    error rather than a new empty store and folders made from a typo. Neo4j reads already run in
    READ transactions. A ``path`` names an embedded store file, so it means the embedded store even
    where NEO4J_URI is set: ``--db FILE`` must never send a load to a server the reviewer did not name.
    """
    default = "neo4j" if os.environ.get("NEO4J_URI") and path is None else "embedded"
    kind = kind or os.environ.get("JOINED_UP_BACKEND") or default
    if kind == "neo4j":
        from graph.neo4j_backend import Neo4jBackend

        return Neo4jBackend.from_environment()
    if kind == "embedded":
        from graph.embedded import EmbeddedBackend

        target = path or os.environ.get("JOINED_UP_DB") or DEFAULT_EMBEDDED_PATH
        if read_only and str(target) != ":memory:" and not Path(target).exists():
            raise BackendError(
                f"the embedded store {target} does not exist; load a case into it first "
                "(python cli.py load PATH --db FILE)"
            )
        return EmbeddedBackend(target, read_only=read_only and str(target) != ":memory:")
    raise BackendError(f"unknown backend {kind!r}: use 'embedded' or 'neo4j'")
