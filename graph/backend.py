"""The one protocol both graph stores implement, and how the app and CLI pick one.

Everything above this layer (loaders, queries, analytics, app) talks to a ``Backend`` and never
to a driver, so a query or a load written once runs on Neo4j and on the embedded engine alike.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

Statement = tuple[str, dict[str, object]]
Progress = Callable[[int], None]

DEFAULT_EMBEDDED_PATH = Path(__file__).resolve().parent.parent / "var" / "joined-up.lbug"


def rows_in(params: dict[str, object]) -> int:
    """How many data rows a batched statement carries (for progress); 0 for other statements."""
    rows = params.get("rows")
    return len(rows) if isinstance(rows, list) else 0


class BackendError(RuntimeError):
    """A store failed in a way the user can fix; the message says which and how, in one line."""


class Backend(Protocol):
    name: str

    def ensure_schema(self) -> None:
        """Create the tables/constraints the schema declares (idempotent)."""

    def read(self, query: str, params: dict[str, object] | None = None) -> list[dict[str, object]]:
        """Run a read-only query; plain rows (dates as ``datetime.date``)."""

    def write(self, statements: Iterable[Statement], progress: Progress | None = None) -> None:
        """Run write statements in ONE transaction: all of them or none."""

    def close(self) -> None: ...


def open_backend(kind: str | None = None, path: str | Path | None = None) -> Backend:
    """Neo4j when asked for (or when NEO4J_URI is set), else the embedded store.

    The embedded default needs no configuration, so a reviewer with only a laptop gets the
    product; setting NEO4J_URI is the single switch to a server, cluster or Aura.
    """
    kind = kind or os.environ.get("JOINED_UP_BACKEND") or ("neo4j" if os.environ.get("NEO4J_URI") else "embedded")
    if kind == "neo4j":
        from graph.neo4j_backend import Neo4jBackend

        return Neo4jBackend.from_environment()
    if kind == "embedded":
        from graph.embedded import EmbeddedBackend

        target = path or os.environ.get("JOINED_UP_DB") or DEFAULT_EMBEDDED_PATH
        return EmbeddedBackend(target)
    raise BackendError(f"unknown backend {kind!r}: use 'embedded' or 'neo4j'")
