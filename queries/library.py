"""The query library: registry entries, their Cypher files, and running them on any backend.

Each question is one ``.cypher`` file that runs unchanged on Neo4j and the embedded engine;
this module supplies parameter defaults (including data such as the meeting expectations),
and normalises rows so that both backends' answers compare equal and every row's evidence is
a sorted, de-duplicated list of paragraph refs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

import yaml

from graph.backend import Backend
from graph.statements import uid

QUERY_DIR = Path(__file__).parent
AUDIENCES = ("reviewer", "cse", "trainer")
CHILD_KEYS = "children"  # the one `sent_as` name: child ids sent as the store's keys (child_keys)
# An every-child question about a larger caseload is read this many children at a time (``run_query``).
CHILDREN_PER_READ = 2_000


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    default: object = None
    data: str | None = None  # filled from a data file in queries/ instead of by the user
    sent_as: str | None = None  # the library sends it under this name, as store keys (CHILD_KEYS)


@dataclass(frozen=True)
class QuerySpec:
    id: str
    title: str
    question: str
    finds: str
    audience: tuple[str, ...]
    section: str
    finding: bool
    parameters: dict[str, Parameter] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    # The columns ``run_query`` sorts the rows by, for a UNION whose branches would each order themselves: the
    # embedded engine returns the branches in either order, and an ORDER BY costs it operators in every branch.
    order: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return QUERY_DIR / f"{self.id}.cypher"

    @cached_property
    def text(self) -> str:
        """The query file, read once (the registry is read once too: an edit shows after a restart)."""
        return self.path.read_text(encoding="utf-8")

    @property
    def sent(self) -> set[str]:
        """The ``$names`` the text receives: a parameter ``sent_as`` another name arrives under that name."""
        return {p.sent_as or p.name for p in self.parameters.values()}


@cache
def registry() -> dict[str, QuerySpec]:
    raw = yaml.safe_load((QUERY_DIR / "registry.yaml").read_text(encoding="utf-8"))
    specs = {}
    for qid, e in raw["queries"].items():
        for name, p in (e.get("parameters") or {}).items():
            if p.get("sent_as") not in (None, CHILD_KEYS):
                raise ValueError(f"registry.yaml: {qid}.{name}: sent_as must be {CHILD_KEYS!r} (child ids as keys)")
        params = {
            name: Parameter(name, str(p.get("description", "")), p.get("default"), p.get("data"), p.get("sent_as"))
            for name, p in (e.get("parameters") or {}).items()
        }
        specs[qid] = QuerySpec(
            id=qid,
            title=e["title"],
            question=e["question"].strip(),
            finds=e["finds"].strip(),
            audience=tuple(e["audience"]),
            section=e["section"],
            finding=bool(e.get("finding", False)),
            parameters=params,
            columns=dict(e.get("columns") or {}),
            order=tuple(e.get("order") or ()),
        )
        if unknown := set(specs[qid].order) - set(specs[qid].columns):
            raise ValueError(f"registry.yaml: {qid}.order: not a column: {', '.join(sorted(unknown))}")
    return specs


@cache
def _data(name: str) -> object:
    """Data-valued parameters: a mapping of kind → fields (the meeting or referral expectations)
    becomes rows for ``UNWIND``, each with its ``kind``; folded text such as a citation on one line."""
    raw = yaml.safe_load((QUERY_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    if isinstance(raw, dict):
        return [
            {"kind": kind, **{k: " ".join(x.split()) if isinstance(x, str) else x for k, x in v.items()}}
            for kind, v in raw.items()
        ]
    return raw


_REF_ORDER = ("¶", "LP", "GP", "App", "Table")


@lru_cache(maxsize=8192)
def ref_sort_key(ref: str) -> tuple:
    """¶ refs first in paragraph order, then learning points, good practice, appendices, tables.
    Remembered per ref: a case has a few hundred refs, sorted again in every row of every query."""
    for rank, prefix in enumerate(_REF_ORDER):
        if ref.startswith(prefix):
            return (rank, tuple(int(n) for n in re.findall(r"\d+", ref)), ref)
    return (len(_REF_ORDER), (), ref)


@lru_cache(maxsize=65536)
def id_sort_key(record_id: str) -> tuple:
    """Record ids in the order a reader counts them (PR2 before PR10): digits compare as numbers.
    ``re.split`` with a group alternates text and digits, so two keys always compare part by part."""
    return tuple(int(t) if i % 2 else t for i, t in enumerate(re.split(r"(\d+)", record_id)))


def _flat(refs: object) -> list:
    """Evidence as one list: a query may return its refs as lists of ref lists (each record's ``source``
    collected), which are flattened here instead of by ``UNWIND``-and-collect stages in every query."""
    if not refs:
        return []
    return [r for item in refs for r in (item if isinstance(item, list) else [item])]


def normalise_row(row: dict[str, object]) -> dict[str, object]:
    out = {}
    for k, v in row.items():
        if k == "evidence":
            v = sorted({r for r in _flat(v) if r}, key=ref_sort_key)
        elif isinstance(v, list):
            v = sorted(v, key=lambda x: (x is None, str(x)))
        out[k] = v
    return out


def child_keys(backend: Backend | None, case_id: object, child: object) -> list[str]:
    """The store keys of the child asked about, or of every child of the case for ``''``: a one-child
    question starts from its child's key (the embedded engine then walks out from that one node; a
    filter such as ``$child = '' OR c.id = $child`` made it scan and hash-join whole tables)."""
    if child:
        return [uid(case_id, child)]
    if backend is None:
        raise ValueError("every child of a case: the store is needed to list them")
    return [uid(case_id, r["child"]) for r in backend.read(registry()["children"].text, {"case_id": case_id})]


def parameters_for(spec: QuerySpec, given: dict[str, object], backend: Backend | None = None) -> dict[str, object]:
    """The parameters a query's text receives: the user's values or the defaults, data files, and
    child ids as store keys (``sent_as: children``, read from ``backend`` when every child is asked)."""
    unknown = set(given) - set(spec.parameters)
    if unknown:
        raise ValueError(f"{spec.id}: unknown parameter(s) {', '.join(sorted(unknown))}")
    params = {}
    for name, p in spec.parameters.items():
        if p.data:
            params[name] = _data(p.data)
            continue
        value = given.get(name, p.default)
        value = "" if value is None else value
        if p.sent_as:
            params[p.sent_as] = child_keys(backend, given.get("case_id"), value)
        else:
            params[name] = value
    return params


def run_query(backend: Backend, query_id: str, case_id: str, **given: object) -> list[dict[str, object]]:
    """Rows of one registry query about one case: two cases may use the same ids, so every
    query is anchored on its case (``$case_id``) and the case is required."""
    if not isinstance(case_id, str) or not case_id:
        raise ValueError(f"{query_id}: a case id is required (every query reads one case)")
    spec = registry()[query_id]
    params = parameters_for(spec, {**given, "case_id": case_id}, backend)
    rows = [normalise_row(r) for part in _child_parts(params) for r in backend.read(spec.text, part)]
    if spec.order:  # as Cypher's ORDER BY: ascending, nulls last
        rows.sort(key=lambda row: tuple((row[c] is None, row[c]) for c in spec.order))
    return rows


def _child_parts(params: dict[str, object]) -> list[dict[str, object]]:
    """The parameters as reads of at most CHILDREN_PER_READ children each: a question about every child of
    a caseload is answered chunk by chunk, so its memory is bounded by a chunk, not by the caseload. At
    20,000 children, ``knowledge_horizon`` for all of them in one read needed a 2 GB page cache (issue 17's
    bound is 2 GB for the whole process). Each row is about one child of its chunk, so the rows are the
    same; chunks run in the children's key order, each in the query's own order, so a query ordered by
    something before the child (``missed_escalations``: by route) is ordered within each chunk. A case of up
    to CHILDREN_PER_READ children (every review) is read at once, exactly as before."""
    keys = params.get(CHILD_KEYS)
    if not isinstance(keys, list) or len(keys) <= CHILDREN_PER_READ:
        return [params]
    ordered = sorted(keys)
    return [
        {**params, CHILD_KEYS: ordered[i : i + CHILDREN_PER_READ]} for i in range(0, len(ordered), CHILDREN_PER_READ)
    ]
