"""The graph model, read from the YAML files in ``graph/schema/``.

Types, required properties and allowed values are declared once, as data; validation, the
embedded engine's tables, the Neo4j constraints, the load statements and the case-format
reference are all derived from this module, so they cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

SCHEMA_DIR = Path(__file__).parent / "schema"
# Labels, relationship types and property names are written into generated Cypher and DDL
# (graph/statements.py, the backends' table and constraint statements), so they must be plain
# names; every value, by contrast, travels as a parameter.
LABEL_RE = re.compile(r"^[A-Z][A-Za-z]+\Z")
TYPE_RE = re.compile(r"^[A-Z][A-Z_]*\Z")
PROPERTY_RE = re.compile(r"^[a-z][a-z0-9_]{0,40}\Z")
KINDS = ("string", "text", "int", "float", "bool", "list", "enum", "date")
# Carried by every node and edge without being declared per type.
COMMON = ("id", "case_id", "doc", "source")
DATE_SUFFIXES = ("text", "from", "to", "precision")


@dataclass(frozen=True)
class Prop:
    name: str
    kind: str
    required: bool = False
    values: tuple[str, ...] = ()
    default: object = None
    ref: str | None = None
    person: bool = False
    description: str = ""

    def columns(self) -> list[tuple[str, str]]:
        """Stored columns as (name, kind); a date becomes four columns."""
        if self.kind == "date":
            kinds = {"text": "string", "from": "date", "to": "date", "precision": "string"}
            return [(f"{self.name}_{s}", kinds[s]) for s in DATE_SUFFIXES]
        return [(self.name, "string" if self.kind in ("enum", "text") else self.kind)]


def _columns(props: dict[str, Prop]) -> list[tuple[str, str]]:
    cols = [("id", "string"), ("case_id", "string"), ("doc", "string"), ("source", "list")]
    for p in props.values():
        cols.extend(p.columns())
    return cols


@dataclass(frozen=True)
class Requirement:
    """A record of a node type must have between ``min`` and ``max`` outgoing ``edge``
    relationships to a node labelled ``to`` (a flow CONCERNS exactly one child)."""

    edge: str
    to: str
    min: int
    max: int

    def describe(self, label: str) -> str:
        count = f"exactly {self.min}" if self.min == self.max else f"{self.min} to {self.max}"
        return f"{count} {self.edge} relationship(s) from the {label} to a {self.to}"


@dataclass(frozen=True)
class NodeType:
    label: str
    description: str
    props: dict[str, Prop] = field(default_factory=dict)
    requires: tuple[Requirement, ...] = ()

    def columns(self) -> list[tuple[str, str]]:
        return _columns(self.props)


@dataclass(frozen=True)
class EdgeType:
    type: str
    description: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    props: dict[str, Prop] = field(default_factory=dict)

    def columns(self) -> list[tuple[str, str]]:
        return _columns(self.props)

    def pairs(self) -> list[tuple[str, str]]:
        return [(a, b) for a in self.from_labels for b in self.to_labels]


@dataclass(frozen=True)
class Schema:
    nodes: dict[str, NodeType]
    edges: dict[str, EdgeType]

    def person_labels(self) -> dict[str, list[str]]:
        """Node labels whose properties name a person: the pseudonymised view replaces these."""
        return {
            n.label: [p.name for p in n.props.values() if p.person]
            for n in self.nodes.values()
            if any(p.person for p in n.props.values())
        }


class SchemaError(ValueError):
    """The schema files themselves are inconsistent (a developer error, caught by tests)."""


def _props(where: str, raw: dict | None) -> dict[str, Prop]:
    out: dict[str, Prop] = {}
    for name, spec in (raw or {}).items():
        if not isinstance(name, str) or not PROPERTY_RE.match(name):
            raise SchemaError(f"{where}: property name {name!r} must match {PROPERTY_RE.pattern}")
        if name in COMMON:
            raise SchemaError(f"{where}: property {name!r} is common to every record; do not declare it")
        kind = spec.get("kind")
        if kind not in KINDS:
            raise SchemaError(f"{where}: property {name!r} has kind {kind!r}; expected one of {KINDS}")
        if kind == "enum" and not spec.get("values"):
            raise SchemaError(f"{where}: enum property {name!r} has no values")
        out[name] = Prop(
            name=name,
            kind=kind,
            required=bool(spec.get("required", False)),
            values=tuple(spec.get("values", ())),
            default=spec.get("default"),
            ref=spec.get("ref"),
            person=bool(spec.get("person", False)),
            description=str(spec.get("description", "")).strip(),
        )
    return out


@cache
def load_schema(directory: Path = SCHEMA_DIR) -> Schema:
    nodes: dict[str, NodeType] = {}
    for path in sorted((directory / "nodes").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        label = raw["label"]
        if not isinstance(label, str) or not LABEL_RE.match(label):
            raise SchemaError(f"{path}: label {label!r} must match {LABEL_RE.pattern}")
        if path.stem != label:
            raise SchemaError(f"{path}: file name must match label {label!r}")
        description = str(raw.get("description", "")).strip()
        requires = tuple(
            Requirement(r["edge"], r["to"], int(r.get("min", 0)), int(r.get("max", r.get("min", 0))))
            for r in raw.get("requires") or []
        )
        nodes[label] = NodeType(label, description, _props(str(path), raw.get("properties")), requires)
    edges: dict[str, EdgeType] = {}
    for path in sorted((directory / "edges").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        etype = raw["type"]
        if not isinstance(etype, str) or not TYPE_RE.match(etype):
            raise SchemaError(f"{path}: relationship type {etype!r} must match {TYPE_RE.pattern}")
        if path.stem != etype:
            raise SchemaError(f"{path}: file name must match type {etype!r}")
        for label in [*raw["from"], *raw["to"]]:
            if label not in nodes:
                raise SchemaError(f"{path}: unknown node label {label!r}")
        edges[etype] = EdgeType(
            etype,
            str(raw.get("description", "")).strip(),
            tuple(raw["from"]),
            tuple(raw["to"]),
            _props(str(path), raw.get("properties")),
        )
    for kind, props in [
        *((f"edge {e.type}", e.props) for e in edges.values()),
        *((f"node {n.label}", n.props) for n in nodes.values()),
    ]:
        for p in props.values():
            if p.ref and p.ref not in nodes:
                raise SchemaError(f"{kind}: property {p.name} refers to unknown label {p.ref!r}")
    for n in nodes.values():
        for r in n.requires:
            etype = edges.get(r.edge)
            if etype is None or n.label not in etype.from_labels or r.to not in etype.to_labels or r.max < r.min:
                raise SchemaError(
                    f"node {n.label}: requires {r.edge} to {r.to} ({r.min}..{r.max}), which "
                    "its edge type does not allow"
                )
    return Schema(nodes, edges)


def reference_markdown(schema: Schema) -> str:
    """The generated part of docs/case-format.md: every type, property and allowed value."""

    def prop_rows(props: dict[str, Prop]) -> list[str]:
        rows = []
        for p in props.values():
            allowed = ", ".join(f"`{v}`" for v in p.values) if p.values else ""
            extra = f" (refers to a {p.ref} id)" if p.ref else ""
            req = "yes" if p.required else ""
            rows.append(f"| `{p.name}` | {p.kind} | {req} | {allowed} | {p.description}{extra} |")
        return rows

    out = ["### Node types", ""]
    for n in schema.nodes.values():
        out += [f"#### {n.label}", "", n.description, ""]
        out += [f"Required: {r.describe(n.label)}." for r in n.requires]
        out += [""] if n.requires else []
        if n.props:
            out += ["| property | kind | required | allowed values | meaning |", "|---|---|---|---|---|"]
            out += prop_rows(n.props)
            out.append("")
    out += ["### Relationship types", ""]
    for e in schema.edges.values():
        out += [
            f"#### {e.type}",
            "",
            e.description,
            "",
            f"From {' / '.join(e.from_labels)} to {' / '.join(e.to_labels)}.",
            "",
        ]
        if e.props:
            out += ["| property | kind | required | allowed values | meaning |", "|---|---|---|---|---|"]
            out += prop_rows(e.props)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_reference(doc: Path = SCHEMA_DIR.parent.parent / "docs" / "case-format.md") -> None:
    """Regenerate the reference section of docs/case-format.md (``python -m graph.schema``)."""
    begin, end = "<!-- BEGIN GENERATED -->\n", "<!-- END GENERATED -->"
    text = doc.read_text(encoding="utf-8")
    head, rest = text.split(begin)
    doc.write_text(head + begin + reference_markdown(load_schema()) + end + rest.split(end)[1], encoding="utf-8")


if __name__ == "__main__":
    write_reference()
