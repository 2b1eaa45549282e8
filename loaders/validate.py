"""Validation of a case against the schema: every problem in one run, or a case ready to load.

The output of a successful validation is the only thing the graph loader accepts, so nothing
unvalidated can reach either store, and a load either has a whole valid case or nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.schema import Prop, Schema, load_schema
from loaders.chronology import _slug, read_chronology
from loaders.dates import DateError, parse_date
from loaders.records import CaseFile, InputError, Location, Problem, RawRecord, read_case_file

# \Z, not $: "$" also matches before a final newline, which would let "C1\n" pass as an id.
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}\Z")
CASE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}\Z")
REF_MAX = 60
STRING_MAX = 2_000
TEXT_MAX = 50_000
# C0 and C1 control characters, and unpaired surrogates (which cannot be stored as UTF-8).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
STRUCTURED = (".yaml", ".yml", ".json")
SPREADSHEETS = (".csv", ".xlsx")


@dataclass
class NodeRow:
    label: str
    props: dict[str, object]


@dataclass
class EdgeRow:
    type: str
    src: str
    src_label: str
    dst: str
    dst_label: str
    props: dict[str, object]


@dataclass
class ValidatedCase:
    case_id: str
    title: str
    document: str
    folder: Path | None
    nodes: list[NodeRow] = field(default_factory=list)
    edges: list[EdgeRow] = field(default_factory=list)

    def relationship_count(self) -> int:
        return len(self.edges)


def parse_source(value: object) -> list[str] | None:
    """``"¶23, ¶82"`` or ``["¶23", "LP5"]`` → ``["¶23", "¶82"]``; None when not a usable source."""
    if isinstance(value, str):
        refs = [r.strip() for r in re.split(r"[,;]", value)]
    elif isinstance(value, list) and all(isinstance(r, str) for r in value):
        refs = [r.strip() for r in value]
    else:
        return None
    refs = [r for r in refs if r]
    if not refs or any(len(r) > REF_MAX or _CONTROL.search(r) for r in refs):
        return None
    return refs


class _Validator:
    def __init__(self, schema: Schema, case_id: str, document: str) -> None:
        self.schema = schema
        self.case_id = case_id
        self.document = document
        self.problems: list[Problem] = []
        self.ids: dict[str, str] = {}  # id -> label, declared before any property is checked
        self.seen: set[str] = set()
        self.names: dict[tuple[str, str], str] = {}
        self.edge_ids: set[str] = set()

    def problem(self, rec: RawRecord, fld: str, value: object, expected: str) -> None:
        self.problems.append(Problem(rec.location(fld), rec.column(fld), value, expected))

    def common(self, rec: RawRecord) -> tuple[list[str] | None, str]:
        refs = parse_source(rec.data.get("source"))
        if refs is None:
            self.problem(rec, "source", rec.data.get("source"),
                         "paragraph refs such as '¶23, LP5' (every record needs its source)")
        doc = rec.data.get("doc", self.document)
        if not isinstance(doc, str) or not ID_RE.match(doc):
            self.problem(rec, "doc", doc, "a document id")
        return refs, str(doc)

    def value(self, rec: RawRecord, prop: Prop, raw: object) -> dict[str, object] | None:
        """Check one declared property and return its stored columns."""
        name = prop.name
        if prop.kind == "date":
            if isinstance(raw, str) and (len(raw) > STRING_MAX or _CONTROL.search(raw)):
                self.problem(rec, name, raw, f"a date of at most {STRING_MAX} characters without control characters")
                return None
            try:
                return parse_date(raw).as_properties(name)
            except DateError as exc:
                self.problem(rec, name, raw, str(exc).split("; expected ", 1)[-1])
                return None
        if prop.kind in ("string", "text", "enum"):
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and prop.kind != "enum":
                raw = str(raw)
            if not isinstance(raw, str):
                self.problem(rec, name, raw, f"text ({prop.kind})")
                return None
            limit = TEXT_MAX if prop.kind == "text" else STRING_MAX
            bad = _CONTROL.search(raw) or (prop.kind != "text" and "\n" in raw.strip())
            if len(raw) > limit or bad:
                self.problem(rec, name, raw, f"at most {limit} characters without control characters")
                return None
            if prop.kind == "enum" and raw not in prop.values:
                self.problem(rec, name, raw, "one of " + ", ".join(prop.values))
                return None
            if prop.ref and self.ids.get(raw) != prop.ref:
                self.problem(rec, name, raw, f"the id of a {prop.ref} in this case")
                return None
            return {name: raw}
        if prop.kind == "int":
            if isinstance(raw, bool) or not isinstance(raw, int) or abs(raw) > 2**62:
                self.problem(rec, name, raw, "a whole number")
                return None
            return {name: raw}
        if prop.kind == "float":
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != raw or abs(raw) > 1e15:
                self.problem(rec, name, raw, "a number")
                return None
            return {name: float(raw)}
        if prop.kind == "bool":
            if not isinstance(raw, bool):
                self.problem(rec, name, raw, "true or false")
                return None
            return {name: raw}
        if prop.kind == "list":
            if not isinstance(raw, list) or not all(isinstance(x, str) and len(x) <= STRING_MAX
                                                    and not _CONTROL.search(x) for x in raw):
                self.problem(rec, name, raw, "a list of short texts")
                return None
            return {name: raw}
        raise AssertionError(prop.kind)

    def properties(self, rec: RawRecord, props: dict[str, Prop], reserved: set[str]) -> dict[str, object] | None:
        out: dict[str, object] = {}
        ok = True
        for key in rec.data:
            if key not in props and key not in reserved:
                self.problem(rec, str(key), rec.data[key],
                             "one of the declared properties: " + ", ".join(sorted(set(props) | reserved)))
                ok = False
        for prop in props.values():
            raw = rec.data.get(prop.name, prop.default)
            if raw is None:
                if prop.required:
                    self.problem(rec, prop.name, None, f"a value (required for {rec.data.get('type')})")
                    ok = False
                for col, _ in prop.columns():
                    out[col] = None
                continue
            cols = self.value(rec, prop, raw)
            if cols is None:
                ok = False
            else:
                out.update(cols)
        return out if ok else None

    def declare(self, rec: RawRecord) -> None:
        """Register a node's id first, so properties may refer to nodes defined later."""
        label, node_id = rec.data.get("type"), rec.data.get("id")
        if isinstance(label, str) and label in self.schema.nodes and isinstance(node_id, str):
            self.ids.setdefault(node_id, label)

    def node(self, rec: RawRecord) -> NodeRow | None:
        label = rec.data.get("type")
        ntype = self.schema.nodes.get(label) if isinstance(label, str) else None
        if ntype is None:
            self.problem(rec, "type", label, "a node type: " + ", ".join(self.schema.nodes))
            return None
        node_id = rec.data.get("id")
        if not isinstance(node_id, str) or not ID_RE.match(node_id):
            self.problem(rec, "id", node_id, "an id of letters, digits and - _ . : (at most 100)")
            return None
        if node_id in self.seen:
            self.problem(rec, "id", node_id, f"a unique id (already used by a {self.ids[node_id]})")
            return None
        self.seen.add(node_id)
        self.ids.setdefault(node_id, label)
        refs, doc = self.common(rec)
        props = self.properties(rec, ntype.props, {"type", "id", "source", "doc"})
        if props is None or refs is None:
            return None
        for name in [rec.data.get("name"), *(rec.data.get("aliases") or [])]:
            if isinstance(name, str):
                self.names.setdefault((label, name.lower()), node_id)
        return NodeRow(label, {"id": node_id, "case_id": self.case_id, "doc": doc, "source": refs, **props})

    def edge(self, rec: RawRecord) -> EdgeRow | None:
        etype_name = rec.data.get("type")
        etype = self.schema.edges.get(etype_name) if isinstance(etype_name, str) else None
        if etype is None:
            self.problem(rec, "type", etype_name, "a relationship type: " + ", ".join(self.schema.edges))
            return None
        ends = {}
        for end, allowed in (("from", etype.from_labels), ("to", etype.to_labels)):
            ref = rec.data.get(end)
            label = self.ids.get(ref) if isinstance(ref, str) else None
            if label is None:
                self.problem(rec, end, ref, f"the id of a {' or '.join(allowed)} in this case")
            elif label not in allowed:
                self.problem(rec, end, ref, f"a {' or '.join(allowed)} (it is a {label})")
                label = None
            ends[end] = label
        refs, doc = self.common(rec)
        props = self.properties(rec, etype.props, {"type", "id", "from", "to", "source", "doc"})
        if props is None or refs is None or None in ends.values():
            return None
        edge_id = rec.data.get("id")
        if edge_id is None:
            content = {k: v for k, v in rec.data.items() if k not in ("source", "doc")}
            digest = hashlib.sha1(json.dumps(content, sort_keys=True, default=str).encode(), usedforsecurity=False)
            edge_id = "e-" + digest.hexdigest()[:16]
        elif not isinstance(edge_id, str) or not ID_RE.match(edge_id):
            self.problem(rec, "id", edge_id, "an id of letters, digits and - _ . :")
            return None
        if edge_id in self.edge_ids or edge_id in self.ids:
            self.problem(rec, "id", edge_id, "a unique id (this record repeats another)")
            return None
        self.edge_ids.add(edge_id)
        return EdgeRow(etype.type, str(rec.data["from"]), str(ends["from"]), str(rec.data["to"]), str(ends["to"]),
                       {"id": edge_id, "case_id": self.case_id, "doc": doc, "source": refs, **props})


def _case_header(path: Path) -> tuple[str, str, str, list[Problem], CaseFile | None]:
    """Case id, title and default document from case.yaml (or derived for a lone file)."""
    if path.is_dir():
        header = path / "case.yaml"
        if not header.exists():
            return "", "", "", [Problem(Location(str(path)), "case.yaml", None, "a case.yaml in the case folder")], None
        doc, problems = read_case_file(header)
        if doc is None:
            return "", "", "", problems, None
    elif path.suffix.lower() in STRUCTURED:
        doc, problems = read_case_file(path)
        if doc is None:
            return "", "", "", problems, None
    else:
        slug = _slug(path.stem)
        return slug, path.stem, slug, [], None
    case_id = doc.values.get("case", _slug(path.stem))
    problems = []
    if not isinstance(case_id, str) or not CASE_RE.match(case_id):
        where = Location(str(path / "case.yaml" if path.is_dir() else path), line=doc.key_line("case"))
        problems.append(Problem(where, "case", case_id, "a case id of lower-case letters, digits and dashes"))
    document = doc.values.get("document", case_id)
    return str(case_id), str(doc.values.get("title", case_id)), str(document), problems, doc


def validate_path(path: str | Path, schema: Schema | None = None) -> ValidatedCase:
    """Validate a case folder or a single case file; raise InputError listing every problem."""
    path = Path(path)
    schema = schema or load_schema()
    if not path.exists():
        raise InputError([Problem(Location(str(path)), "(path)", str(path), "an existing case folder or file")])
    case_id, title, document, problems, header = _case_header(path)
    if path.is_dir():
        structured = [p for p in sorted(path.iterdir()) if p.suffix.lower() in STRUCTURED and p.name != "case.yaml"]
        sheets = [p for p in sorted(path.iterdir()) if p.suffix.lower() in SPREADSHEETS]
        header_file = path / "case.yaml"
    elif path.suffix.lower() in STRUCTURED:
        structured, sheets, header_file = [], [], path
    elif path.suffix.lower() in SPREADSHEETS:
        structured, sheets, header_file = [], [path], None
    else:
        raise InputError([Problem(Location(str(path)), "(file)", path.suffix,
                                  "a case folder, or a .yaml, .yml, .json, .csv or .xlsx file")])
    raw: list[RawRecord] = []
    files: list[CaseFile] = []
    if header is not None and header_file is not None:
        files.append(header)
        raw += header.records
        problems += header.problems
    for f in structured:
        doc, probs = read_case_file(f)
        problems += probs
        if doc is not None:
            files.append(doc)
            raw += doc.records
            problems += doc.problems
    v = _Validator(schema, case_id, document)
    case = ValidatedCase(case_id, title, document, path if path.is_dir() else None)
    for rec in raw:
        if rec.kind == "node":
            v.declare(rec)
    for rec in raw:
        if rec.kind == "node" and (row := v.node(rec)):
            case.nodes.append(row)
    edge_records = [r for r in raw if r.kind == "edge"]
    for sheet in sheets:
        recs, probs = read_chronology(sheet, v.ids, v.names)
        problems += probs
        for rec in recs:
            if rec.kind == "node" and (row := v.node(rec)):
                case.nodes.append(row)
        edge_records += [r for r in recs if r.kind == "edge"]
    # Edge properties may refer to nodes (SHARED.item), so edges are checked after all nodes.
    for rec in edge_records:
        if row := v.edge(rec):
            case.edges.append(row)
    problems += v.problems
    for changed in (f for f in files if f.json_lines is not None and f.json_lines.changed):
        problems.append(Problem(Location(str(changed.path)), "(file)", "changed while it was being validated",
                                "a file that stays the same until validation ends (validate again)"))
    if not case.nodes and not problems:
        problems.append(Problem(Location(str(path)), "(case)", "no records", "at least one node"))
    if problems:
        raise InputError(problems)
    return case
