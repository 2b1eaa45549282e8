"""Checking one node or relationship record against the schema: ids, sources, property values,
the ends of a relationship and what must be plausible, each problem worded for the reviewer.

Apart from ``loaders.validate`` (which finds a case's files and hands their records over in
order) because these are the rules a record must meet wherever it came from: a YAML or JSON
file, a spreadsheet row, a chronology.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from graph.records import EdgeRow, NodeRow
from graph.schema import Prop, Schema
from loaders.dates import DateError, parse_date
from loaders.plausible import NO_SELF_LOOPS, CaseFacts, document_file_problem
from loaders.records import Location, Problem, RawRecord

# \Z, not $: "$" also matches before a final newline, which would let "C1\n" pass as an id.
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}\Z")
REF_MAX = 60
STRING_MAX = 2_000
TEXT_MAX = 50_000
# C0 and C1 control characters, unpaired surrogates (which cannot be stored as UTF-8), and the
# invisible characters that make a name read differently from what is stored: bidi embeddings,
# overrides and isolates, zero-width spaces and joiners, and the BOM.
CONTROL_CHARS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u2069\ufeff]"
)


def parse_source(value: object) -> list[str] | None:
    """``"¶23, ¶82"`` or ``["¶23", "LP5"]`` → ``["¶23", "¶82"]``; None when not a usable source."""
    if isinstance(value, str):
        refs = [r.strip() for r in re.split(r"[,;]", value)]
    elif isinstance(value, list) and all(isinstance(r, str) for r in value):
        refs = [r.strip() for r in value]
    else:
        return None
    refs = [r for r in refs if r]
    if not refs or any(len(r) > REF_MAX or CONTROL_CHARS.search(r) for r in refs):
        return None
    return refs


_SOURCE_EXPECTED = "paragraph refs such as '¶23, LP5' (every record needs its source)"
_NODE_RESERVED = frozenset({"type", "id", "source", "doc"})
_EDGE_RESERVED = frozenset({"type", "id", "from", "to", "source", "doc"})
# The content digest that names an edge without an id: one encoder, as json.dumps(content,
# sort_keys=True, default=str) would make per call, so ids stay exactly as they were.
_EDGE_CONTENT = json.JSONEncoder(sort_keys=True, default=str)


@dataclass(frozen=True, slots=True)
class TypePlan:
    """What checking a record of one node or relationship type needs, worked out once per type
    rather than once per record (a large case has a million records of twenty types)."""

    props: dict[str, Prop]
    allowed: frozenset[str]  # declared properties and the reserved keys
    unknown_expected: str
    # Per property, in declaration order: (property, name, kind, value if absent, its columns
    # when empty, length limit for text kinds, allowed values of an enum, label it refers to).
    checks: tuple[tuple[Prop, str, str, object, dict[str, None], int, frozenset[str], str | None], ...]
    dates: tuple[str, ...]  # the date properties, for the checks that compare dates (loaders/plausible.py)

    @classmethod
    def of(cls, props: dict[str, Prop], reserved: frozenset[str]) -> TypePlan:
        allowed = frozenset(props) | reserved
        checks = tuple(
            (
                p,
                p.name,
                p.kind,
                p.default,
                dict.fromkeys(c for c, _ in p.columns()),
                TEXT_MAX if p.kind == "text" else STRING_MAX,
                frozenset(p.values),
                p.ref,
            )
            for p in props.values()
        )
        dates = tuple(p.name for p in props.values() if p.kind == "date")
        return cls(props, allowed, "one of the declared properties: " + ", ".join(sorted(allowed)), checks, dates)


class RecordChecker:
    """Checks one case's records in turn, remembering what later records are checked against:
    ids declared, names, dates and sources already read, and the facts plausibility needs."""

    def __init__(self, schema: Schema, case_id: str, document: str) -> None:
        self.schema = schema
        self.case_id = case_id
        self.document = document
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.facts = CaseFacts()
        self.ids: dict[str, str] = {}  # id -> label, declared before any property is checked
        self.canonical: dict[str, str] = {}  # id -> the node's own id string, shared by its edges
        self.seen: set[str] = set()
        self.names: dict[tuple[str, str], str] = {}
        self.edge_ids: set[str] = set()
        # Nodes of a type with ``requires`` (graph/schema.py): where each was written, and how many
        # edges of each required kind it has, checked once every edge is read (``requirements``).
        self.required: dict[str, tuple[str, Location]] = {}
        self.required_counts: dict[tuple[str, str, str], int] = {}
        self.labels = {label: label for label in schema.nodes}
        self.document_ok = bool(ID_RE.match(document))
        self.node_plans = {label: TypePlan.of(t.props, _NODE_RESERVED) for label, t in schema.nodes.items()}
        self.edge_plans = {name: TypePlan.of(t.props, _EDGE_RESERVED) for name, t in schema.edges.items()}
        self.edge_specs = {
            name: (
                t,
                self.edge_plans[name],
                f"the id of a {' or '.join(t.from_labels)} in this case",
                f"the id of a {' or '.join(t.to_labels)} in this case",
            )
            for name, t in schema.edges.items()
        }
        # Reviews repeat the same few thousand date texts and source references across a case:
        # each is read once (and its values shared by every record that uses it).
        self.dates: dict[tuple[str, str], dict[str, object] | str] = {}
        # A source's list is shared by every record citing the same text (a million small lists were
        # a tenth of a 20,000-child case's memory, issue 17): records are written, never edited.
        self.sources: dict[str, list[str] | None] = {}
        self.enums: dict[str, str] = {}

    def problem(self, rec: RawRecord, fld: str, value: object, expected: str) -> None:
        self.problems.append(Problem(rec.location(fld), rec.column(fld), value, expected))

    def source(self, value: object) -> list[str] | None:
        """``parse_source`` of a record's source, reading each distinct text once (its list is shared)."""
        if value.__class__ is not str:
            return parse_source(value)
        try:
            return self.sources[value]  # type: ignore[index]
        except KeyError:
            refs = self.sources[value] = parse_source(value)  # type: ignore[index]
            return refs

    def common(self, rec: RawRecord) -> tuple[list[str] | None, str]:
        data = rec.data
        refs = self.source(data.get("source"))
        if refs is None:
            self.problem(rec, "source", data.get("source"), _SOURCE_EXPECTED)
        doc = data.get("doc", self.document)
        if not self.document_ok if doc is self.document else not isinstance(doc, str) or not ID_RE.match(doc):
            self.problem(rec, "doc", doc, "a document id")
        elif doc is not self.document and doc not in self.facts.documents:
            self.problem(rec, "doc", doc, "the id of a SourceDocument in this case")
        return refs, str(doc)

    def warn_if_late(self, rec: RawRecord, doc: str, props: dict[str, object], dates: tuple[str, ...]) -> None:
        if dates and (why := self.facts.after_publication(doc, props, dates)):
            name = next(n for n in dates if props.get(f"{n}_text") is not None)
            self.warnings.append(Problem(rec.location(name), rec.column(name), props[f"{name}_text"], why))

    def date(self, rec: RawRecord, name: str, raw: object) -> dict[str, object] | None:
        """A date property's four columns; each distinct text is parsed once per case."""
        key = (name, raw) if raw.__class__ is str else None
        found = self.dates.get(key) if key is not None else None  # type: ignore[arg-type]
        if found is None:
            if isinstance(raw, str) and (len(raw) > STRING_MAX or CONTROL_CHARS.search(raw)):
                found = f"a date of at most {STRING_MAX} characters without control characters"
            else:
                try:
                    found = parse_date(raw).as_properties(name)
                except DateError as exc:
                    found = str(exc).split("; expected ", 1)[-1]
            if key is not None:
                self.dates[key] = found  # type: ignore[index]
        if found.__class__ is str:
            self.problem(rec, name, raw, found)  # type: ignore[arg-type]
            return None
        return found  # type: ignore[return-value]

    def value(self, rec: RawRecord, prop: Prop, raw: object) -> dict[str, object] | None:
        """Check one declared property and return its stored columns."""
        name = prop.name
        kind = prop.kind
        if kind == "date":
            return self.date(rec, name, raw)
        if kind in ("string", "text", "enum"):
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and kind != "enum":
                raw = str(raw)
            if not isinstance(raw, str):
                self.problem(rec, name, raw, f"text ({kind})")
                return None
            limit = TEXT_MAX if kind == "text" else STRING_MAX
            # A line break anywhere but at the end of a name (where YAML's "|" leaves one) is refused.
            bad = CONTROL_CHARS.search(raw) or (kind != "text" and ("\n" in raw.rstrip() or "\r" in raw.rstrip()))
            if len(raw) > limit or bad:
                self.problem(rec, name, raw, f"at most {limit} characters without control characters")
                return None
            if kind == "enum":
                if raw not in prop.values:
                    self.problem(rec, name, raw, "one of " + ", ".join(prop.values))
                    return None
                raw = self.enums.setdefault(raw, raw)  # one string per value, not one per record
            if prop.ref:
                if self.ids.get(raw) != prop.ref:
                    self.problem(rec, name, raw, f"the id of a {prop.ref} in this case")
                    return None
                raw = self.canonical.get(raw, raw)
            return {name: raw}
        if kind == "int":
            if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 2**62:
                self.problem(rec, name, raw, "a whole number of at least 0")
                return None
            return {name: raw}
        if kind == "float":
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not 0 <= raw <= 1e15:
                self.problem(rec, name, raw, "a number of at least 0")
                return None
            return {name: float(raw)}
        if kind == "bool":
            if not isinstance(raw, bool):
                self.problem(rec, name, raw, "true or false")
                return None
            return {name: raw}
        if kind == "list":
            if not isinstance(raw, list) or not all(
                isinstance(x, str) and len(x) <= STRING_MAX and not CONTROL_CHARS.search(x) for x in raw
            ):
                self.problem(rec, name, raw, "a list of short texts")
                return None
            return {name: raw}
        raise AssertionError(kind)

    def properties(self, rec: RawRecord, plan: TypePlan, out: dict[str, object]) -> bool:
        """Check a record's properties against its type's plan, adding their columns to ``out``.

        The usual values (a valid text, enum, reference or already-read date) are accepted inline;
        anything else goes through ``value``, which decides and words every problem.
        """
        ok = True
        data = rec.data
        if not data.keys() <= plan.allowed:
            for key in data:
                if key not in plan.allowed:
                    self.problem(rec, str(key), data[key], plan.unknown_expected)
                    ok = False
        for prop, name, kind, default, empty, limit, values, ref in plan.checks:
            raw = data.get(name, default)
            if raw is None:
                if prop.required:
                    self.problem(rec, name, None, f"a value (required for {data.get('type')})")
                    ok = False
                out.update(empty)
                continue
            if raw.__class__ is str:
                if kind == "date":
                    found = self.dates.get((name, raw))  # type: ignore[index]
                    if found is not None and found.__class__ is dict:
                        out.update(found)  # type: ignore[arg-type]
                        continue
                elif (
                    kind != "int"
                    and kind != "float"
                    and kind != "bool"
                    and kind != "list"
                    and len(raw) <= limit
                    and "\n" not in raw
                    and "\r" not in raw
                    and not CONTROL_CHARS.search(raw)
                ):  # type: ignore[arg-type]
                    if kind == "enum":
                        if raw in values and ref is None:
                            out[name] = self.enums.setdefault(raw, raw)  # type: ignore[arg-type]
                            continue
                    elif ref is None:
                        out[name] = raw
                        continue
                    elif self.ids.get(raw) == ref:  # type: ignore[call-overload]
                        out[name] = self.canonical[raw]  # type: ignore[index]
                        continue
            cols = self.value(rec, prop, raw)
            if cols is None:
                ok = False
            elif ok:
                out.update(cols)
        return ok

    def declare(self, rec: RawRecord) -> None:
        """Register a node's id first, so properties may refer to nodes defined later."""
        label, node_id = rec.data.get("type"), rec.data.get("id")
        if isinstance(label, str) and label in self.schema.nodes and isinstance(node_id, str):
            if label == "SourceDocument":
                self.facts.declare_document(node_id, rec.data.get("published"))
            if node_id not in self.ids:
                self.ids[node_id] = self.labels[label]
                self.canonical[node_id] = node_id

    def node(self, rec: RawRecord) -> NodeRow | None:
        data = rec.data
        label = data.get("type")
        plan = self.node_plans.get(label) if isinstance(label, str) else None
        if plan is None:
            self.problem(rec, "type", label, "a node type: " + ", ".join(self.schema.nodes))
            return None
        node_id = data.get("id")
        if not isinstance(node_id, str) or not ID_RE.match(node_id):
            self.problem(rec, "id", node_id, "an id of letters, digits and - _ . : (at most 100)")
            return None
        if node_id in self.seen:
            self.problem(rec, "id", node_id, f"a unique id (already used by a {self.ids[node_id]})")
            return None
        self.seen.add(node_id)
        label = self.labels[label]  # the schema's own string, not one per record
        if node_id not in self.ids:
            self.ids[node_id] = label
            self.canonical[node_id] = node_id
        node_id = self.canonical.get(node_id, node_id)
        refs, doc = self.common(rec)
        props: dict[str, object] = {"id": node_id, "case_id": self.case_id, "doc": doc, "source": refs}
        if not self.properties(rec, plan, props) or refs is None:
            return None
        if label == "SourceDocument" and (why := document_file_problem(props.get("file"))):
            self.problem(rec, "file", props["file"], why)
            return None
        self.facts.node(node_id, label, props, plan.dates)
        self.warn_if_late(rec, doc, props, plan.dates)
        for name in [data.get("name"), *(data.get("aliases") or [])]:
            if isinstance(name, str):
                self.names.setdefault((label, name.lower()), node_id)
        if self.schema.nodes[label].requires:
            self.required[node_id] = (label, rec.location("id"))
        return NodeRow(label, props)

    def edge(self, rec: RawRecord) -> EdgeRow | None:
        data = rec.data
        etype_name = data.get("type")
        spec = self.edge_specs.get(etype_name) if isinstance(etype_name, str) else None
        if spec is None:
            self.problem(rec, "type", etype_name, "a relationship type: " + ", ".join(self.schema.edges))
            return None
        etype, plan, from_expected, to_expected = spec
        src, dst = data.get("from"), data.get("to")
        src_label = self.end(rec, "from", src, etype.from_labels, from_expected)
        dst_label = self.end(rec, "to", dst, etype.to_labels, to_expected)
        refs, doc = self.common(rec)
        props: dict[str, object] = {"id": None, "case_id": self.case_id, "doc": doc, "source": refs}
        if not self.properties(rec, plan, props) or refs is None or src_label is None or dst_label is None:
            return None
        if not self.plausible_edge(rec, etype.type, src, dst, src_label, dst_label, props, plan.dates):
            return None
        self.warn_if_late(rec, doc, props, plan.dates)
        edge_id = data.get("id")
        if edge_id is None:
            content = {k: v for k, v in data.items() if k != "source" and k != "doc"}
            digest = hashlib.sha1(_EDGE_CONTENT.encode(content).encode(), usedforsecurity=False)
            edge_id = "e-" + digest.hexdigest()[:16]
        elif not isinstance(edge_id, str) or not ID_RE.match(edge_id):
            self.problem(rec, "id", edge_id, "an id of letters, digits and - _ . :")
            return None
        if edge_id in self.edge_ids or edge_id in self.ids:
            self.problem(rec, "id", edge_id, "a unique id (this record repeats another)")
            return None
        self.edge_ids.add(edge_id)
        props["id"] = edge_id
        if src in self.required:
            key = (src, etype.type, dst_label)
            self.required_counts[key] = self.required_counts.get(key, 0) + 1
        return EdgeRow(
            etype.type,
            self.canonical[src],
            src_label,
            self.canonical[dst],  # type: ignore[index]
            dst_label,
            props,
        )

    def plausible_edge(
        self,
        rec: RawRecord,
        etype: str,
        src: object,
        dst: object,
        src_label: str,
        dst_label: str,
        props: dict[str, object],
        dates: tuple[str, ...],
    ) -> bool:
        """No self-loop where it means nothing; nothing about a child dated before the child's birth."""
        if etype in NO_SELF_LOOPS and src == dst:
            self.problem(rec, "to", dst, f"a node other than 'from' (a {etype} cannot join a node to itself)")
            return False
        child, other = (src, dst) if src_label == "Child" else (dst, src) if dst_label == "Child" else (None, None)
        if child is None or not (why := self.facts.before_birth(str(child), str(other), props, dates)):
            return True
        fld = next((n for n in dates if props.get(f"{n}_to") is not None), "from" if other == src else "to")
        self.problem(rec, fld, props.get(f"{fld}_text", other), why)
        return False

    def requirements(self) -> None:
        """Every node of a type with ``requires`` has its required edges (a flow CONCERNS one child)."""
        for node_id, (label, where) in self.required.items():
            for req in self.schema.nodes[label].requires:
                found = self.required_counts.get((node_id, req.edge, req.to), 0)
                if not req.min <= found <= req.max:
                    self.problems.append(
                        Problem(where, req.edge, f"{found} for {label} {node_id}", req.describe(label))
                    )

    def end(self, rec: RawRecord, end: str, ref: object, allowed: tuple[str, ...], expected: str) -> str | None:
        """The label of the node an edge's ``from`` or ``to`` names, or None (with its problem)."""
        label = self.ids.get(ref) if isinstance(ref, str) else None
        if label is None:
            self.problem(rec, end, ref, expected)
        elif label not in allowed:
            self.problem(rec, end, ref, f"a {' or '.join(allowed)} (it is a {label})")
            label = None
        return label
