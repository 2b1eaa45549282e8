"""Pseudonymised mode: every person's name becomes a stable role code, wherever it is shown.

For training, a case is shown without the names of children, relatives, practitioners and
persons of concern. Which labels and properties name a person comes from the schema
(``person: true``), so a new person type is covered without touching this module. Codes are
numbered in id order within the case, so the same person has the same code on every page, in
every export and on every run. Ids of person nodes are replaced too (a child's id is often an
initial), but only where a whole value is the id; names are replaced wherever they occur in text,
longest first, so "Child Q's mother" becomes a family code before "Child Q" could match inside it.
"""

from __future__ import annotations

import re
from collections import defaultdict

import networkx as nx

from graph.schema import Schema, load_schema
from queries.library import id_sort_key

PREFIX = {"Child": "Child", "FamilyMember": "Family", "Professional": "Professional", "PersonOfConcern": "Person"}
# What a code says about the person (or place), so a trainee can follow the story without a name.
ROLE_PROPERTY = {
    "FamilyMember": "relationship",
    "Professional": "role",
    "PersonOfConcern": "kind",
    "Place": "kind",
    "Placement": "kind",
    "Agency": "sector",
}
# Where a child was, lived or was seen, and the agencies by their local names: each can identify
# a child as surely as a name (issue 15), so each gets a code like a person, from its name and aliases.
LOCATING = {"Place": ["name", "aliases"], "Placement": ["name"], "Agency": ["name", "aliases"]}
AUTHOR = ("SourceDocument", "author", "the review's author")  # the one name a document header carries
MIN_NAME = 3  # shorter "names" would match inside ordinary words
_KEEP = ("label", "type", "source", "case_id", "doc")  # structural values, never names


class Pseudonymiser:
    """Identity when built empty (the normal, named view)."""

    def __init__(self, codes: dict[str, str] | None = None, names: dict[str, str] | None = None) -> None:
        self.codes = codes or {}
        self.names = names or {}
        ordered = sorted(
            (n for n in self.names if len(n) >= MIN_NAME or self.names[n].startswith("Child-")), key=len, reverse=True
        )
        self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)") if ordered else None

    @property
    def active(self) -> bool:
        return bool(self.codes)

    @classmethod
    def from_graph(cls, g: nx.MultiDiGraph, schema: Schema | None = None) -> Pseudonymiser:
        person = {**(schema or load_schema()).person_labels(), **LOCATING}
        by_label: dict[str, list[str]] = defaultdict(list)
        for node, attrs in g.nodes(data=True):
            if attrs.get("label") in person:
                by_label[attrs["label"]].append(node)
        names: dict[str, str] = {}
        raw_roles: dict[str, str] = {}
        codes: dict[str, str] = {}
        for label, ids in by_label.items():
            ids.sort(key=id_sort_key)
            width = len(str(len(ids))) if label == "Child" else max(2, len(str(len(ids))))
            for i, node in enumerate(ids, start=1):
                attrs = g.nodes[node]
                codes[node] = f"{PREFIX.get(label, label)}-{i:0{width}d}"
                role = attrs.get(ROLE_PROPERTY.get(label, ""))
                if isinstance(role, str) and role:
                    raw_roles[node] = role.replace("_", " ")
                for prop in person[label]:
                    for name in attrs.get(prop) if isinstance(attrs.get(prop), list) else [attrs.get(prop)]:
                        if isinstance(name, str) and name.strip():
                            names[name] = node
                if label == "Child":  # "Q's mother": a child's id stands for the child in the review's text
                    names[node] = node
        # A role may itself mention a person ("Child Q's carer"): clean it with the names known.
        plain = cls({n: n for n in codes}, {name: codes[node] for name, node in names.items()})
        for node, role in raw_roles.items():
            codes[node] = f"{codes[node]} ({plain.text(role)})"
        coded = {name: codes[node] for name, node in names.items()}
        doc, prop, stand_in = AUTHOR
        coded |= {a[prop]: stand_in for _, a in g.nodes(data=True) if a.get("label") == doc and a.get(prop)}
        return cls(codes, coded)

    def sort_key(self, node_id: str, name: object = None) -> str:
        """Lists sort by what they show: by code in pseudonymised mode, so order reveals no name."""
        return str(self.codes.get(node_id) or self.value(name if name is not None else node_id)).casefold()

    def text(self, value: str) -> str:
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self.names[m.group(0)], value)

    def value(self, value: object) -> object:
        if isinstance(value, str):
            return self.codes.get(value) or self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def data(self, value: object) -> object:
        """Nested JSON-like data (the report's silo section: parties inside groups inside a child)."""
        if not self.active:
            return value
        if isinstance(value, dict):
            return {k: v if k in _KEEP else self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v) for v in value]
        return self.value(value)

    def rows(self, rows: list[dict[str, object]]) -> list[dict[str, object]]:
        if not self.active:
            return rows
        return [{k: v if k in _KEEP else self.value(v) for k, v in row.items()} for row in rows]

    def graph(self, g: nx.MultiDiGraph) -> nx.MultiDiGraph:
        """A copy with person nodes re-keyed to their codes and every name replaced."""
        if not self.active:
            return g
        out = nx.MultiDiGraph()
        for node, attrs in g.nodes(data=True):
            out.add_node(
                self.codes.get(node, node), **{k: v if k in _KEEP else self.value(v) for k, v in attrs.items()}
            )
        for a, b, key, attrs in g.edges(keys=True, data=True):
            out.add_edge(
                self.codes.get(a, a),
                self.codes.get(b, b),
                key=key,
                **{k: v if k in _KEEP else self.value(v) for k, v in attrs.items()},
            )
        return out
