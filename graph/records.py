"""What a validated case is, as the stores load it: node rows, edge rows and the case around them.

Defined here, in the storage layer, so that ``graph/load.py`` needs nothing from above it;
``loaders/validate.py`` produces these (and re-exports ``ValidatedCase`` for its callers).

A case's rows are held as Arrow columns, one table per node label and per edge type with its end
labels (``Rows``), not as a Python dict per record: a 20,000-child case is 1.7 million records, which
took 1.4 GB as dicts and its load another 2.7 GB, against the 2 GB bound of issue 17. Rows added are
kept as dicts only until the next few thousand are converted, and a row read back is a new dict
(``NodeRow``/``EdgeRow``), so a change to it is made by adding a changed copy, never in place.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Generic, TypeVar

import pyarrow as pa

from graph.schema import EdgeType, NodeType, load_schema

ARROW_TYPES = {
    "string": pa.string(),
    "text": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "list": pa.list_(pa.string()),
    "date": pa.date32(),
}
ENDS = ("from", "to")  # an edge table's columns for its ends' ids (never a property: the validator reserves them)


@dataclass(slots=True)
class NodeRow:
    label: str
    props: dict[str, object]


@dataclass(slots=True)
class EdgeRow:
    type: str
    src: str
    src_label: str
    dst: str
    dst_label: str
    props: dict[str, object]


def arrow_struct(kind: NodeType | EdgeType) -> pa.StructType:
    """A record of ``kind`` as an Arrow struct: one field per stored column, in the schema's order."""
    return pa.struct([(column, ARROW_TYPES[k]) for column, k in kind.columns()])


Row = TypeVar("Row", NodeRow, EdgeRow)
Key = TypeVar("Key")


@dataclass
class _Group:
    """One table's rows: converted batches, and the rows added since the last conversion."""

    index: int
    kind: NodeType | EdgeType
    batches: list[pa.RecordBatch] = field(default_factory=list)
    pending: list[dict[str, object]] = field(default_factory=list)
    ends: list[tuple[str, str]] = field(default_factory=list)  # an edge group's pending ends

    def convert(self) -> None:
        if not self.pending:
            return
        batch = pa.RecordBatch.from_struct_array(pa.array(self.pending, type=arrow_struct(self.kind)))
        if isinstance(self.kind, EdgeType):
            for position, name in enumerate(ENDS):
                batch = batch.append_column(name, pa.array([e[position] for e in self.ends], type=pa.string()))
        self.batches.append(batch)
        self.pending, self.ends = [], []

    def table(self) -> pa.Table:
        """The rows as one table; kept as its one batch, so a load holds no second copy."""
        self.convert()
        table = pa.Table.from_batches(self.batches).combine_chunks()
        self.batches = table.to_batches()
        return table


class Rows(Generic[Row, Key]):
    """A case's nodes (``NodeRows``) or edges (``EdgeRows``) in the order they were added, grouped into
    Arrow tables by ``_key``: a list's ``len``, iteration, indexing, ``append`` and ``+=``, and ``tables()``
    for a load. A row read back is made afresh from the columns, each time."""

    # Rows held as dicts before every group's are converted: all at once, so no dict outlives the next
    # conversion (a group converted only when it had 4,096 rows kept its dicts scattered through memory
    # the whole validation: 1.5 GB held after validating 20,000 children, against 0.64 GB this way).
    CONVERT_EVERY = 20_000

    def __init__(self, rows: Iterable[Row] = ()) -> None:
        self._groups: dict[Key, _Group] = {}
        self._order = array("H")  # each row's group, in the order rows were added
        self._pending = 0
        self.extend(rows)

    def _key(self, row: Row) -> Key:
        raise NotImplementedError

    def _kind(self, key: Key) -> NodeType | EdgeType:
        raise NotImplementedError

    def _add(self, group: _Group, row: Row) -> None:
        group.pending.append(row.props)

    def _row(self, key: Key, record: dict[str, object]) -> Row:
        raise NotImplementedError

    def append(self, row: Row) -> None:
        key = self._key(row)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = _Group(len(self._groups), self._kind(key))
        self._add(group, row)
        self._order.append(group.index)
        self._pending += 1
        if self._pending >= self.CONVERT_EVERY:
            for each in self._groups.values():
                each.convert()
            self._pending = 0

    def extend(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.append(row)

    def __iadd__(self, rows: Iterable[Row]) -> Rows[Row, Key]:
        self.extend(rows)
        return self

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[Row]:
        readers = [self._group_rows(key, group) for key, group in self._groups.items()]
        return (next(readers[index]) for index in self._order)

    def __getitem__(self, index: int) -> Row:
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return next(islice(iter(self), position, None))

    def _group_rows(self, key: Key, group: _Group) -> Iterator[Row]:
        group.convert()
        for batch in group.batches:
            for record in batch.to_pylist():
                yield self._row(key, record)

    def tables(self) -> Iterator[tuple[Key, pa.Table]]:
        """Each group's key and its rows as one Arrow table, groups in the order first added."""
        for key, group in self._groups.items():
            yield key, group.table()


class NodeRows(Rows[NodeRow, str]):
    """Nodes, one table per label."""

    def _key(self, row: NodeRow) -> str:
        return row.label

    def _kind(self, key: str) -> NodeType:
        return load_schema().nodes[key]

    def _row(self, key: str, record: dict[str, object]) -> NodeRow:
        return NodeRow(key, record)


class EdgeRows(Rows[EdgeRow, tuple[str, str, str]]):
    """Edges, one table per type and pair of end labels, with the ends' ids in the ``ENDS`` columns."""

    def _key(self, row: EdgeRow) -> tuple[str, str, str]:
        return row.type, row.src_label, row.dst_label

    def _kind(self, key: tuple[str, str, str]) -> EdgeType:
        return load_schema().edges[key[0]]

    def _add(self, group: _Group, row: EdgeRow) -> None:
        group.pending.append(row.props)
        group.ends.append((row.src, row.dst))

    def _row(self, key: tuple[str, str, str], record: dict[str, object]) -> EdgeRow:
        src, dst = (record.pop(end) for end in ENDS)
        return EdgeRow(key[0], str(src), key[1], str(dst), key[2], record)


@dataclass
class ValidatedCase:
    case_id: str
    title: str
    document: str
    folder: Path | None
    nodes: NodeRows = field(default_factory=NodeRows)
    edges: EdgeRows = field(default_factory=EdgeRows)
    # Unlikely but possible (a date after the review's publication): shown, never blocking a load.
    # Each is a ``loaders.records.Problem``; typed loosely so graph/ imports nothing above it.
    warnings: list[object] = field(default_factory=list)
    # Where the case id came from when no case.yaml (or --case) named it: the file name it was
    # derived from. A derived id must never silently replace a loaded case (graph/load.py).
    derived_from: str | None = None

    def __setattr__(self, name: str, value: object) -> None:
        """Rows given as a list (a test, a what-if copy) are held as columns like validated ones."""
        if name == "nodes" and not isinstance(value, NodeRows):
            value = NodeRows(value)  # type: ignore[arg-type]
        elif name == "edges" and not isinstance(value, EdgeRows):
            value = EdgeRows(value)  # type: ignore[arg-type]
        object.__setattr__(self, name, value)

    def relationship_count(self) -> int:
        return len(self.edges)
