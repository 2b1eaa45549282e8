"""A whole case file (YAML or JSON) as records, with the lines of its top-level keys.

JSON used to go through the YAML parser (JSON is a subset of YAML), but that pure-Python parser
took minutes for a large case, so a JSON file is now parsed with the json module and a record's
line is found only when a problem must name it (``JsonLines``), by a scanner that counts lines as
the YAML parser does. The fast path reads a file only when it can tell it reads it exactly as the
YAML parser did (same values, same lines); anything else (invalid JSON, duplicate keys, deep
nesting, unusual line breaks, an unexpected shape) goes through the YAML parser as before
(``loaders.records``), so every message stays as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from array import array
from dataclasses import dataclass
from pathlib import Path

import yaml

from loaders.records import (
    MAX_NESTING,
    Location,
    Problem,
    RawRecord,
    parse_annotated,
    read_decoded,
    records_from_document,
)
from loaders.safety import UnsafeInput, read_limited

_TOP_KEYS = frozenset({"nodes", "edges", "case", "title", "document"})
_SECTIONS = (("nodes", "node"), ("edges", "edge"))
_KIND_SECTION = {"node": "nodes", "edge": "edges"}
_JSON_WS = re.compile(r"[ \t\n\r]*")
# What the YAML parser would not read as the json module does, or would count lines in differently.
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # refused by the YAML reader with its line
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks to YAML 1.1, not to a line count of "\n"
_SURROGATE_ESCAPE = re.compile(r"\\[uU][dD][89a-fA-F]")  # YAML keeps "\ud83d\ude00" as two code points
# PyYAML's YAML 1.1 float pattern (the only branch a JSON number can match): JSON's 1e5 or 1.5e10
# was read as the text "1e5" by the YAML parser, so it still is.
_YAML_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?")


class _NotAsYaml(Exception):
    """The json module might read this file differently from the YAML parser: use the YAML path."""


def _json_object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj = dict(pairs)
    if len(obj) != len(pairs):  # a duplicate key: the YAML path names it and its line
        raise _NotAsYaml
    return obj


def _json_float(text: str) -> float | str:
    return float(text) if _YAML_FLOAT.fullmatch(text) else text


# NaN and Infinity are not JSON; the YAML parser read them as text, and so does this.
_JSON = json.JSONDecoder(object_pairs_hook=_json_object, parse_float=_json_float, parse_constant=str)
_SCAN = json.JSONDecoder(parse_constant=str).scan_once  # positions only, for JsonLines


def _deeper_than(value: object, limit: int) -> bool:
    """Whether lists and maps nest more than ``limit`` levels in ``value`` (without recursing)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        for child in item.values() if isinstance(item, dict) else item:  # type: ignore[union-attr]
            if child.__class__ is list or child.__class__ is dict:
                stack.append((child, depth + 1))
    return False


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


class JsonLines:
    """The lines of a JSON file's records and of their fields, found when a problem first needs one.

    Validating a valid case never needs a line, so none is computed then, and no copy of the text
    is kept: the file is read again, checked against the digest of the bytes that were parsed,
    and scanned once with the json module's scanner, counting lines as the YAML parser counts
    them (the fast path is only taken for text where the two agree: "\\n" and "\\r\\n" breaks).
    """

    __slots__ = ("path", "digest", "changed", "_top", "_records", "_fields")

    def __init__(self, path: Path, digest: bytes) -> None:
        self.path = path
        self.digest = digest
        self.changed = False  # the file no longer holds what was validated: no line can be trusted
        self._top: dict[str, int] | None = None
        self._records: dict[str, array] = {}
        self._fields: dict[tuple[str, int], dict[str, int]] = {}

    def locate(self, kind: str, index: int, fld: str | None = None) -> Location:
        """The line of record ``index`` of the nodes or edges list, or of its field ``fld``."""
        if self._top is None:
            self._scan()
        section = _KIND_SECTION[kind]
        fields = self._fields.get((section, index))
        if fields is not None and fld in fields:
            return Location(str(self.path), line=fields[fld])
        starts = self._records.get(section)
        line = starts[index] if starts is not None and index < len(starts) else None
        return Location(str(self.path), line=line)

    def key_line(self, key: str) -> int | None:
        """The line of a top-level key (such as ``case``)."""
        if self._top is None:
            self._scan()
        assert self._top is not None
        return self._top.get(key)

    def _scan(self) -> None:
        self._top = {}
        try:
            raw = read_limited(self.path)
        except UnsafeInput:
            raw = b""
        if _digest(raw) != self.digest:
            self.changed = True
            return
        text = raw.decode("utf-8-sig")
        ws = _JSON_WS.match
        line, counted = 1, 0

        def line_at(pos: int) -> int:
            nonlocal line, counted
            line += text.count("\n", counted, pos)
            counted = pos
            return line

        pos = ws(text, 0).end() + 1  # past the document's "{"
        while text[pos := ws(text, pos).end()] != "}":
            key_line = line_at(pos)
            key, pos = _SCAN(text, pos)
            self._top[key] = key_line
            pos = ws(text, ws(text, pos).end() + 1).end()  # past ":"
            if key in ("nodes", "edges") and text[pos] == "[":
                starts = self._records[key] = array("L")
                pos += 1
                while text[pos := ws(text, pos).end()] != "]":
                    starts.append(line_at(pos))
                    _, end = _SCAN(text, pos)
                    if text.find("\n", pos, end) != -1:  # a record over several lines: its fields' lines
                        self._fields[(key, len(starts) - 1)] = self._field_lines(text, pos, line_at)
                    pos = ws(text, end).end()
                    if text[pos] == ",":
                        pos += 1
                pos += 1
            else:
                _, pos = _SCAN(text, pos)
            pos = ws(text, pos).end()
            if text[pos] == ",":
                pos += 1

    @staticmethod
    def _field_lines(text: str, start: int, line_at: object) -> dict[str, int]:
        """The line of each key of the object at ``start`` (where the YAML parser put a key's line)."""
        ws = _JSON_WS.match
        lines: dict[str, int] = {}
        pos = start + 1
        while text[pos := ws(text, pos).end()] != "}":
            key_line = line_at(pos)  # type: ignore[operator]
            key, pos = _SCAN(text, pos)
            lines[key] = key_line
            _, pos = _SCAN(text, ws(text, ws(text, pos).end() + 1).end())
            pos = ws(text, pos).end()
            if text[pos] == ",":
                pos += 1
        return lines


def _read_json(path: Path, raw: bytes, text: str) -> CaseFile | None:
    """A JSON case file through the json module, or None where the YAML path must read it."""
    if (
        _NON_PRINTABLE.search(text)
        or any(b in text for b in _ODD_BREAKS)
        or text.count("\r") != text.count("\r\n")
        or _SURROGATE_ESCAPE.search(text)
    ):
        return None
    try:
        doc = _JSON.decode(text)
    except (ValueError, RecursionError, _NotAsYaml):
        return None
    if not isinstance(doc, dict) or not doc.keys() <= _TOP_KEYS:
        return None
    lines = JsonLines(path, _digest(raw))
    records: list[RawRecord] = []
    for section, kind in _SECTIONS:
        items = doc.pop(section, None)
        if items is None:
            continue
        if items.__class__ is not list:
            return None
        for i, item in enumerate(items):
            if item.__class__ is not dict:
                return None
            for value in item.values():
                # Nesting the YAML parser might refuse (MAX_NESTING counts the document, the list
                # and the record): let it, with its own message.
                if (value.__class__ is list or value.__class__ is dict) and _deeper_than(value, MAX_NESTING - 3):
                    return None
            records.append(RawRecord(kind, item, None, None, None, lines, i))
    return CaseFile(path, doc, records, [], lines, None)


@dataclass(slots=True)
class CaseFile:
    """A parsed YAML or JSON case file: its top-level values (case, title, document), its
    records, the problems of its shape, and how to find the line of a top-level key."""

    path: Path
    values: dict[str, object]
    records: list[RawRecord]
    problems: list[Problem]
    json_lines: JsonLines | None  # a JSON file read by the fast path
    key_lines: dict[str, int] | None  # a file read by the YAML parser

    def key_line(self, key: str) -> int | None:
        if self.json_lines is not None:
            return self.json_lines.key_line(key)
        return (self.key_lines or {}).get(key)


def read_case_file(path: Path) -> tuple[CaseFile | None, list[Problem]]:
    """Read a YAML or JSON case file into records; None and the problems when it cannot be parsed."""
    raw, text, problems = read_decoded(path)
    if text is None:
        return None, problems
    if path.suffix.lower() == ".json":
        found = _read_json(path, raw, text)
        del raw  # the digest identifies it; a large case should not hold its bytes
        if found is not None:
            return found, []
    doc, problems = parse_annotated(path, text)
    if doc is None:
        return None, problems
    records, problems = records_from_document(path, doc)
    values = {k: v for k, v in doc.items() if k not in ("nodes", "edges", "__line__", "__lines__")}
    return CaseFile(path, values, records, problems, None, doc["__lines__"]), []
