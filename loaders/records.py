"""Reading case files into raw records that remember where they came from.

Every problem a reviewer is shown must name the file and the line (YAML/JSON) or row
(CSV/XLSX), so the reading step keeps that location on each record.

YAML is read here with a line-annotating parser; a whole case file (YAML or JSON, with the JSON
fast path that avoids that parser) is read by ``loaders.case_file``.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from loaders.safety import CappedAliases, UnsafeInput, printable, read_limited

if TYPE_CHECKING:
    from loaders.case_file import JsonLines

# A value in a message is shown in brief: a field may hold megabytes, or a YAML alias bomb that
# expands to billions of items if printed in full.
_BRIEF = reprlib.Repr()
_BRIEF.maxlevel, _BRIEF.maxlist, _BRIEF.maxdict, _BRIEF.maxstring, _BRIEF.maxother = 2, 4, 4, 80, 80
# Deeper than any case file needs, and well inside Python's recursion limit for the YAML parser.
MAX_NESTING = 100
# Problems shown at once: a file of 100,000 bad records must not print megabytes.
MAX_SHOWN = 200


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None = None
    row: int | None = None

    def __str__(self) -> str:
        if self.row is not None:
            return f"{self.file}: row {self.row}"
        if self.line is not None:
            return f"{self.file}: line {self.line}"
        return self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, which field, what value, what was expected."""

    where: Location
    field: str
    value: object
    expected: str

    def __str__(self) -> str:
        value = _BRIEF.repr(self.value)
        if len(value) > 80:
            value = value[:77] + "..."
        return printable(f"{self.where}: field '{self.field}': got {value}; expected {self.expected}")


@dataclass(slots=True, eq=False)
class RawRecord:
    """One record as read, before validation, with what is needed to say where it came from.

    A large case holds a million of these at once, so the class has slots and the optional
    parts are None rather than empty dicts; a JSON record keeps only its file's ``JsonLines``
    and its index, and its line is looked up when a problem needs it (``location``).
    """

    kind: str  # "node" or "edge"
    data: dict[str, object]
    where: Location | None  # None for a JSON record: see ``lines``
    field_lines: dict[str, int] | None = None
    # For a record made from a spreadsheet row: the column each property came from, so a
    # problem names the column the reviewer sees ("agency"), not the property ("name").
    columns: dict[str, str] | None = None
    lines: JsonLines | None = None
    index: int = 0  # the record's position in its file's nodes or edges list (with ``lines``)

    def location(self, fld: str) -> Location:
        """Where field ``fld`` of this record is: its line (or the record's), or its row."""
        if self.lines is not None:
            return self.lines.locate(self.kind, self.index, fld)
        where = self.where
        assert where is not None
        if where.row is not None or not self.field_lines or fld not in self.field_lines:
            return where
        return Location(where.file, line=self.field_lines[fld])

    def column(self, fld: str) -> str:
        """The name a problem gives field ``fld``: the spreadsheet column it came from, if any."""
        return self.columns.get(fld, fld) if self.columns else fld


class InputError(ValueError):
    """Input could not be accepted; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self, limit: int = MAX_SHOWN) -> list[str]:
        return capped_lines(self.problems, limit)

    def report(self, path: str, outcome: str) -> str:
        """How many problems ``path`` has and what that stops (``outcome``), then each, capped."""
        head = f"{len(self.problems):,} problem(s) in {printable(path)}; {outcome}:"
        return "\n".join([head, *(f"  {line}" for line in self.lines())])


def warnings_report(warnings: list[Problem]) -> str:
    """Unlikely but possible values, with the same cap as problems; empty when there are none."""
    if not warnings:
        return ""
    head = f"{len(warnings):,} warning(s) (warnings do not stop a load):"
    return "\n".join([head, *(f"  warning: {line}" for line in capped_lines(warnings))])


def capped_lines(problems: list[Problem], limit: int = MAX_SHOWN) -> list[str]:
    """The first ``limit`` problems (or warnings), one line each, and how many more there are."""
    shown = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        shown.append(f"… and {len(problems) - limit:,} more")
    return shown


class _LineLoader(CappedAliases, yaml.SafeLoader):
    """A safe loader that records the line of each mapping, of each of its keys, and of each item
    of a list under a key (as ``key[i]``), so even a stray scalar in ``nodes:`` has a line; its
    aliases cannot expand a document past ``ALIAS_VALUES_MAX`` values (``CappedAliases``)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    seen: set[object] = set()
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
        lines[str(key)] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.SequenceNode):
            for i, item in enumerate(value_node.value):
                lines[f"{key}[{i}]"] = item.start_mark.line + 1
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# The YAML parser treats NEL as a line break (YAML 1.1) and folds it to a space inside a value, so a
# control character slipped past validation. NEL is not a break in YAML 1.2 or JSON, so it travels
# through the parser as a private-use stand-in and comes back in every string, where the validator
# refuses it with its field and line. (LS and PS keep their YAML 1.1 meaning: PyYAML's own writer
# relies on it to round-trip text that contains them.)
_NOT_BREAKS = str.maketrans({"\x85": "\ue085"})
_RESTORED = str.maketrans({"\ue085": "\x85"})


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    text = loader.construct_scalar(node)
    return text.translate(_RESTORED) if loader.restore_breaks else text


_LineLoader.restore_breaks = False
_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
# Dates stay text: a review's "2016-12-13" and "Dec 2014" go through one parser (loaders/dates.py).
# Booleans are YAML 1.2's true/false only: an id such as OFF, NO or Y must stay a string.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """A file's text (UTF-8, with or without a BOM), or the problem that stops it being read."""
    _, text, problems = read_decoded(path)
    return text, problems


def read_decoded(path: Path) -> tuple[bytes, str | None, list[Problem]]:
    """The bytes as well as the text, so that what was parsed can be recognised later."""
    where = Location(str(path))
    try:
        raw = read_limited(path)
    except UnsafeInput as exc:
        return b"", None, [Problem(where, "(file)", str(path), str(exc))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return (
            raw,
            None,
            [Problem(Location(str(path), line=line), "(encoding)", raw[exc.start : exc.start + 8], "UTF-8 text")],
        )
    if not text.strip():
        return raw, None, [Problem(where, "(file)", "", "a non-empty file")]
    return raw, text, []


def parse_structured(path: Path) -> tuple[dict | None, list[Problem]]:
    """Parse a YAML or JSON file into a mapping with line annotations (``__line__``, ``__lines__``)."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse_annotated(path, text)


def parse_annotated(path: Path, text: str) -> tuple[dict | None, list[Problem]]:
    """The line-annotating YAML parser, for YAML and for JSON the fast path does not take."""
    kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
    if kind == "JSON":
        # JSON allows tabs wherever it allows spaces (a raw tab inside a string is not JSON), but
        # the YAML parser refuses tabs that indent; as spaces, lines and meaning are unchanged.
        text = text.replace("\t", " ")
    stand_ins = "\x85" in text and "\ue085" not in text
    loader: _LineLoader | None = None
    try:
        loader = _LineLoader(text.translate(_NOT_BREAKS) if stand_ins else text)  # reads, so may raise
        loader.restore_breaks = stand_ins
        doc = loader.get_single_data()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as NUL
        line = text.count("\n", 0, exc.position) + 1
        return None, [
            Problem(
                Location(str(path), line=line),
                "(syntax)",
                f"character U+{exc.character:04X}",
                f"well-formed {kind} without control characters",
            )
        ]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(Location(str(path), line=line), "(syntax)", what, f"well-formed {kind}")]
    except RecursionError:
        return None, [
            Problem(
                Location(str(path), line=_too_deep(text)),
                "(syntax)",
                "lists or maps nested too deep",
                f"well-formed {kind} nested at most {MAX_NESTING} levels",
            )
        ]
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(doc, dict):
        return None, [
            Problem(
                Location(str(path), line=1),
                "(document)",
                type(doc).__name__,
                "a mapping with 'nodes:' and/or 'edges:' lists (or a case.yaml)",
            )
        ]
    return doc, []


def _too_deep(text: str) -> int | None:
    """Line where nesting first exceeds MAX_NESTING (the event parser does not recurse)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LineLoader):  # noqa: S506 - events only, nothing constructed
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def records_from_document(path: Path, doc: dict) -> tuple[list[RawRecord], list[Problem]]:
    """The records of a document from ``parse_structured``, each with its line and its fields' lines."""
    records: list[RawRecord] = []
    problems: list[Problem] = []
    allowed = {"nodes", "edges", "case", "title", "document", "__line__", "__lines__"}
    lines = doc["__lines__"]
    for key in doc:
        if key not in allowed:
            problems.append(
                Problem(
                    Location(str(path), line=lines.get(str(key))),
                    str(key),
                    key,
                    "only the top-level keys nodes, edges (and case, title, document in case.yaml)",
                )
            )
    for section, kind in (("nodes", "node"), ("edges", "edge")):
        items = doc.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(
                Problem(
                    Location(str(path), line=lines.get(section)),
                    section,
                    type(items).__name__,
                    f"a list of {kind} records",
                )
            )
            continue
        for i, item in enumerate(items):
            # The item's own line: a record repeated through a YAML alias is located where it is used.
            where = Location(str(path), line=lines.get(f"{section}[{i}]"))
            if not isinstance(item, dict):
                problems.append(Problem(where, section, item, f"a {kind} record (a mapping)"))
                continue
            # A copy: a record repeated through a YAML alias is one dict used twice.
            data = {k: v for k, v in item.items() if k not in ("__line__", "__lines__")}
            records.append(RawRecord(kind, data, where, item.get("__lines__")))
    return records, problems
