"""The app's one connection to the graph store, and its cached answers.

The backend is opened once per server process (``st.cache_resource``) and shared by every
session; the embedded engine serialises access itself. The embedded store is held read-only
except while the app loads into it, so the CLI's read commands (and even ``cli.py load``) work
while the app runs: LadybugDB allows one read-write opener beside any number of read-only ones
(measured, docs/decisions.md); when the file changes under it, the app reopens it. Query
results, the case graph and the gap report are cached per store and arguments
(``st.cache_data``) and are all dropped after a load, so a page never shows a mix of old and new
data. On first start an embedded store that lacks the bundled case gets it, validated first, so
``streamlit run app.py`` needs no setup; a Neo4j server is never written to unasked (it may be
shared), the Load page or the CLI does that.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import networkx as nx
import streamlit as st

from findings import silo as analytics
from findings.engine import Report, run_findings
from findings.silo import Window
from findings.sweep import Summary
from findings.sweep import caseload_summary as kept_summary
from graph.backend import Backend, open_backend
from graph.console import Answer, Limits, run_console
from graph.embedded import EmbeddedBackend
from graph.export import to_networkx
from graph.load import CaseDiff, LoadReport, case_present, counts, load_case, loaded_cases
from graph.load import case_diff as load_case_diff
from loaders.evidence import case_folder, resolver
from loaders.records import InputError, parse_structured
from loaders.validate import ValidatedCase, validate_path
from queries.library import parameters_for, registry, run_query
from views.network_tools import records_as_links
from views.pseudonym import Pseudonymiser

LOG = logging.getLogger("joined_up.app")
ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CASE = ROOT / "data" / "cases" / "child-q-s"


@dataclass
class Store:
    backend: Backend
    where: str  # shown to the user; never holds credentials
    note: str | None = None  # why the bundled case could not be loaded, when it could not
    version: str = ""  # the embedded file's state when opened: cached answers are keyed by it

    @property
    def key(self) -> str:
        """The cache key of every answer read from this store."""
        return f"{self.where}@{self.version}"

    def stale(self) -> bool:
        """True when another process (``cli.py load``) changed the embedded file since it was opened."""
        return self.backend.name == "embedded" and _file_version(self.backend) != self.version


def bundled_case() -> Path:
    """The case loaded on first start: Child Q & S unless JOINED_UP_CASE names another folder."""
    return Path(os.environ.get("JOINED_UP_CASE") or BUNDLED_CASE)


def case_id_of(folder: Path) -> str | None:
    """The case id case.yaml declares, read within the same limits as a load (size, regular
    file, YAML aliases capped), or None when it cannot be read safely."""
    header, _ = parse_structured(folder / "case.yaml")
    return header.get("case") if isinstance(header, dict) else None


def _describe(backend: Backend) -> str:
    if backend.name == "neo4j":
        parts = urlsplit(os.environ.get("NEO4J_URI", ""))
        return f"Neo4j at {parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"
    path = Path(getattr(backend, "path", "?"))
    shown = path.relative_to(ROOT) if path.is_absolute() and path.is_relative_to(ROOT) else path
    return f"embedded store {shown}"


def _ensure_bundled(backend: Backend) -> str | None:
    folder = bundled_case()
    case_id = case_id_of(folder)
    if case_id and case_present(backend, case_id):
        return None
    try:
        case = validate_path(folder)
    except InputError as exc:
        LOG.warning("bundled case %s not loaded: %d problem(s)", folder.name, len(exc.problems))
        return (
            f"The bundled case in {folder.name} was not loaded: it has {len(exc.problems)} problem(s), "
            f"the first: {str(exc.problems[0]).replace(f'{folder}/', '')}. "
            f"Run `python cli.py validate {folder}` to see them all."
        )
    report = load_case(backend, case)
    LOG.info(
        "loaded bundled case %s: %d nodes, %d relationships in %.1f s",
        report.case_id,
        report.nodes,
        report.relationships,
        report.seconds,
    )
    return None


def _close(current: Store) -> None:
    current.backend.close()


def _file_version(backend: Backend) -> str:
    path = Path(getattr(backend, "path", ":memory:"))
    try:
        return str(path.stat().st_mtime_ns)
    except OSError:
        return ""


def _read_only(backend: Backend) -> Backend:
    """The same embedded file reopened read-only (an in-memory store stays as it is)."""
    path = getattr(backend, "path", ":memory:")
    if path == ":memory:":
        return backend
    backend.close()
    return EmbeddedBackend(path, read_only=True)


@st.cache_resource(show_spinner="Opening the graph store…", on_release=_close, max_entries=1)
def _open() -> Store:
    backend = open_backend()
    if backend.name == "neo4j":
        backend.verify()
        return Store(backend, _describe(backend))
    note = _ensure_bundled(backend)
    backend = _read_only(backend)
    return Store(backend, _describe(backend), note, _file_version(backend))


def store() -> Store:
    """The open store; reopened when another process loaded into the embedded file."""
    current = _open()
    if current.stale():
        LOG.info("the embedded store changed on disk: reopening it")
        _open.clear()  # on_release closes the old handle
        invalidate()
        current = _open()
    return current


def invalidate() -> None:
    """After a load: every cached answer may be stale."""
    st.cache_data.clear()
    _case_reads.clear()  # keyed by the store's state, which a Neo4j server does not give


def load(case: ValidatedCase, progress: Callable[[int, int], None], replace: bool = False) -> LoadReport:
    """Load ``case`` into the store the app reads: the embedded file is reopened read-write for
    the load only, then read-only again. ``replace`` is the reviewer's confirmation that an
    existing case of the same id may be replaced."""
    current = _open()
    if current.backend.name != "embedded" or getattr(current.backend, "path", "") == ":memory:":
        report = load_case(current.backend, case, progress=progress, replace=replace)
    else:
        path = current.backend.path
        _open.clear()  # releases the read-only handle
        writer = EmbeddedBackend(path)
        try:
            report = load_case(writer, case, progress=progress, replace=replace)
        finally:
            writer.close()
    invalidate()
    return report


def case_diff(case: ValidatedCase) -> CaseDiff:
    """What loading ``case`` over the stored case of the same id would change (for the confirmation)."""
    return load_case_diff(store().backend, case)


@st.cache_data(show_spinner=False, max_entries=512)
def _query(where: str, query_id: str, params: str) -> list[dict[str, object]]:
    rows = run_query(store().backend, query_id, **json.loads(params))
    LOG.debug("query %s %s: %d rows", query_id, params, len(rows))
    return rows


def query(query_id: str, **params: object) -> list[dict[str, object]]:
    """A registry query's rows (cached); parameters the query does not take are dropped. Every
    query reads one case: with no case chosen there are no rows."""
    spec = registry()[query_id]
    given = {k: v for k, v in params.items() if k in spec.parameters}
    if not given.get("case_id"):
        return []
    return _query(store().key, query_id, json.dumps(given, sort_keys=True, default=str))


@st.cache_data(show_spinner="Running the query…", max_entries=64)
def _console(where: str, text: str, params: str, limits: Limits) -> Answer:
    return run_console(store().backend, text, json.loads(params), limits)


def console(text: str, params: dict[str, object]) -> Answer:
    """A console query: checked against the console's allow-list, run read-only with the limits
    from the environment (JOINED_UP_CONSOLE_TIMEOUT, JOINED_UP_CONSOLE_ROWS)."""
    answer = _console(store().key, text, json.dumps(params, sort_keys=True, default=str), Limits.from_environment())
    LOG.debug("console query: %d rows%s", len(answer.rows), " (cut)" if answer.cut else "")
    return answer


def query_parameters(query_id: str, given: dict[str, object]) -> dict[str, object]:
    """The parameters a registry query's text receives, as the console shows them: child ids become
    store keys, so every child of the case is read from the store when no child is chosen."""
    return parameters_for(registry()[query_id], given, store().backend)


def has_query(query_id: str) -> bool:
    return query_id in registry()


@st.cache_data(show_spinner="Reading the case graph…", max_entries=16)
def _graph(where: str, case_id: str) -> nx.MultiDiGraph:
    """The store's shape (contacts and praises as nodes): what a what-if copies back into a store."""
    return to_networkx(store().backend, case_id or None)


@st.cache_data(show_spinner=False, max_entries=16)
def _picture(where: str, case_id: str) -> nx.MultiDiGraph:
    return records_as_links(_graph(where, case_id))  # the cache hands out a copy: folding it leaves _graph as it is


def case_graph(case_id: str) -> nx.MultiDiGraph:
    """The case graph every page draws: a contact and a praise each one link (``records_as_links``)."""
    return _picture(store().key, case_id)


@st.cache_data(show_spinner=False, max_entries=16)
def _counts(where: str, case_id: str) -> dict[str, dict[str, int]]:
    return counts(store().backend, case_id or None)


def case_counts(case_id: str) -> dict[str, dict[str, int]]:
    return _counts(store().key, case_id)


@st.cache_resource(max_entries=2)
def _case_reads(where: str, case_id: str) -> dict:
    """The case-wide rows and facts one-child runs share (``run_findings``' ``reads``), per store state and
    case: a team lead opening child after child reads them once (1,000 children: 2.3 s → 0.2 s a child)."""
    return {}


@st.cache_data(show_spinner="Running the findings engine…", max_entries=16)
def _report(where: str, case_id: str, child: str) -> Report:
    return run_findings(store().backend, case_id, child or None, _case_reads(where, case_id) if child else None)


def gap_report(case_id: str, child: str) -> Report:
    """The findings and questions for the case (or one child): ``findings.engine.run_findings``, the
    one function the CLI, this page, the network overlay and every export call."""
    return _report(store().key, case_id, child)


@st.cache_data(show_spinner="Counting every child's findings (once per case, then kept)…", max_entries=8)
def _summary(where: str, case_id: str) -> Summary:
    return kept_summary(store().backend, case_id)[0]


def caseload_summary(case_id: str) -> Summary:
    """The engine's findings counted per child and theme (``findings.sweep``): kept on disk for an embedded
    store, and cached here per store state, so a team lead's Caseload page reads it, not the engine."""
    return _summary(store().key, case_id)


@st.cache_data(show_spinner=False, max_entries=16)
def _pseudonymiser(where: str, case_id: str) -> Pseudonymiser:
    return Pseudonymiser.from_graph(case_graph(case_id))


def pseudonymiser(case_id: str, on: bool) -> Pseudonymiser:
    return _pseudonymiser(store().key, case_id) if on else Pseudonymiser()


@st.cache_data(show_spinner="Reading the child's neighbourhood…", max_entries=32)
def _child_graph(where: str, case_id: str, child: str, also: tuple[str, ...]) -> nx.MultiDiGraph:
    return analytics.child_graph(store().backend, case_id, child, also)


def child_graph(case_id: str, child: str, also: Iterable[str] = ()) -> nx.MultiDiGraph:
    """The records the silo analytics read for one child (``findings.silo.child_graph``): read from
    the store around the child, so a page about one child never exports the whole caseload."""
    return _child_graph(store().key, case_id, child, tuple(sorted(also)))


@st.cache_data(show_spinner="Measuring the information-flow network…", max_entries=32)
def _silo(where: str, case_id: str, child: str, window: Window) -> tuple[dict[str, object], nx.Graph]:
    net = analytics.flow_network(child_graph(case_id, child), child, window)
    return analytics.analyse_network(net), net


def silo(case_id: str, child: str, window: Window) -> tuple[dict[str, object], nx.Graph]:
    """Silo measures for a child in a window, and the flow network they are measured on."""
    return _silo(store().key, case_id, child, window)


@st.cache_data(show_spinner="Running the what-if on a copy of the case…", max_entries=32)
def _what_if(
    where: str, case_id: str, child: str, window: Window, remove: tuple[str, ...], add: tuple[analytics.NewEdge, ...]
) -> tuple[dict[str, object], nx.Graph]:
    # The picture after the change is the network the analysis measured: one copy, not two.
    g = child_graph(case_id, child, analytics.named_records(remove, add))
    result, after = analytics.what_if_with_network(g, child, remove, add, window)
    LOG.info("what-if for child %s: removed %s, added %d link(s)", child, list(remove), len(add))
    return result, after


def what_if(
    case_id: str, child: str, window: Window, remove: list[str], add: list[analytics.NewEdge]
) -> tuple[dict[str, object], nx.Graph]:
    """``findings.silo.what_if`` and the flow network after the change (for the picture)."""
    return _what_if(store().key, case_id, child, window, tuple(sorted(remove)), tuple(add))


def in_case(case_id: str, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Rows about this case: ids are unique in a store, so a row belongs to the case whose graph
    holds its child (or, for rows about no child, any id it names)."""
    if len(cases()) <= 1:
        return rows
    nodes = case_graph(case_id)
    out = []
    for row in rows:
        child = row.get("child", row.get("child_a"))
        if child is not None and child != "":
            if child in nodes:
                out.append(row)
        elif any(isinstance(v, str) and v in nodes for v in row.values()):
            out.append(row)
    return out


@st.cache_data(show_spinner=False, max_entries=16)
def _cases(where: str) -> list[str]:
    return loaded_cases(store().backend)


def cases() -> list[str]:
    return _cases(store().where)


def evidence_text(case_id: str):
    """ref → paragraph text for the case (None when the case ships no document text)."""
    folder = case_folder(case_id)
    if folder is None and case_id_of(bundled_case()) == case_id:
        folder = bundled_case()
    return resolver(folder)
