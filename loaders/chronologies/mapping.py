"""Which column of an agency's chronology holds which field, declared as data.

Partnerships head their templates differently ("Date of contact", "Organisation", "Summary").
The synonyms live in ``columns.yaml`` (canonical field → headings, as followthemoney's CSV
mappings declare theirs); a set with odd headings adds its own in its ``chronologies.yaml`` or a
``--mapping`` file, under ``headings:``. A heading nobody declared is a problem naming the nearest
known headings, never a silently dropped column.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from graph.schema import load_schema
from loaders.dates import DateError, parse_date
from loaders.records import Location, Problem, parse_structured

HERE = Path(__file__).resolve().parent
IGNORE = "ignore"  # a mapping file may send a column nowhere, on purpose
SET_FILE = "chronologies.yaml"
_SET_KEYS = frozenset({"child", "headings", "agencies", "title"})
_AGENCY_KEYS = frozenset({"id", "name", "sector", "aliases", "return", "complete"})


def normalise(heading: str) -> str:
    """``"Practitioner / Role"`` → ``"practitioner role"``: what two headings must share to match."""
    return re.sub(r"[^a-z0-9&]+", " ", heading.lower()).strip()


@cache
def _columns() -> dict:
    return yaml.safe_load((HERE / "columns.yaml").read_text(encoding="utf-8"))


@cache
def header_texts() -> frozenset[str]:
    """The shipped headings as a header row writes them (lower case), for a CSV's delimiter."""
    return frozenset(h.lower() for synonyms in _columns()["fields"].values() for h in synonyms)


@cache
def builtin_fields() -> tuple[dict[str, str], tuple[str, ...]]:
    """The shipped synonyms: normalised heading → field, and the fields a row must fill."""
    data = _columns()
    headings = {normalise(h): name for name, synonyms in data["fields"].items() for h in [name, *synonyms]}
    return headings, tuple(data["required"])


@dataclass
class AgencySpec:
    """An agency as the set declares it: its return (file), the period that return declares itself
    complete for, and the words other agencies use for it."""

    id: str
    name: str
    sector: str = "other"
    aliases: tuple[str, ...] = ()
    file: str | None = None
    complete: str | None = None


@dataclass
class SetSpec:
    """What a chronology set declares about itself beyond its files (all optional)."""

    headings: dict[str, str] = field(default_factory=dict)  # normalised heading → field
    agencies: list[AgencySpec] = field(default_factory=list)
    child: dict[str, str] = field(default_factory=dict)
    title: str = ""

    def all_headings(self) -> dict[str, str]:
        return {**builtin_fields()[0], **self.headings}


def _clean(value: object) -> object:
    """The parsed YAML without the parser's line annotations."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _agency(raw: object, where: Location, problems: list[Problem]) -> AgencySpec | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("name"), str):
        problems.append(Problem(where, "agencies", raw, "a mapping with at least 'id' and 'name'"))
        return None
    if unknown := sorted(set(raw) - _AGENCY_KEYS):
        problems.append(Problem(where, "agencies", unknown, "keys among " + ", ".join(sorted(_AGENCY_KEYS))))
        return None
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problems.append(Problem(where, "aliases", aliases, "a list of names"))
        return None
    sector, complete = raw.get("sector", "other"), raw.get("complete")
    sectors = load_schema().nodes["Agency"].props["sector"].values
    if sector not in sectors:
        problems.append(Problem(where, f"agencies: {raw['id']}: sector", sector, "one of " + ", ".join(sectors)))
        return None
    if complete is not None:
        try:
            parse_date(complete)
        except DateError as exc:
            problems.append(Problem(where, f"agencies: {raw['id']}: complete", complete, str(exc).split("; ")[-1]))
            return None
    return AgencySpec(raw["id"], raw["name"], sector, tuple(aliases), raw.get("return"), complete)


def read_spec(path: Path, into: SetSpec | None = None) -> tuple[SetSpec, list[Problem]]:
    """A set file or mapping file, added to ``into``: later files' headings and agencies win."""
    spec = into or SetSpec()
    parsed, problems = parse_structured(path)
    if parsed is None:
        return spec, problems
    where = Location(str(path))
    data = _clean(parsed)
    assert isinstance(data, dict)
    if unknown := sorted(set(data) - _SET_KEYS):
        problems.append(Problem(where, "(document)", unknown, "keys among " + ", ".join(sorted(_SET_KEYS))))
    fields = set(builtin_fields()[0].values()) | {IGNORE}
    headings = data.get("headings") or {}
    if not isinstance(headings, dict):
        problems.append(Problem(where, "headings", headings, "a mapping of heading: field"))
        headings = {}
    for heading, name in headings.items():
        if name not in fields:
            problems.append(Problem(where, f"headings: {heading}", name, "one of " + ", ".join(sorted(fields))))
        else:
            spec.headings[normalise(str(heading))] = name
    for raw in data.get("agencies") or []:
        if (agency := _agency(raw, where, problems)) is not None:
            spec.agencies = [a for a in spec.agencies if a.id != agency.id] + [agency]
    if isinstance(data.get("child"), dict):
        spec.child.update({k: str(v) for k, v in data["child"].items()})
    spec.title = str(data.get("title") or spec.title)
    return spec, problems


def match_header(cells: list[str], spec: SetSpec, where: Location) -> tuple[dict[str, int], list[Problem]]:
    """Field → column index for one table's header row; a problem for each unknown, doubled or
    missing heading (unknown ones with the nearest known headings)."""
    known = spec.all_headings()
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(cells):
        heading = normalise(cell)
        if not heading:
            continue
        name = known.get(heading)
        if name is None:
            near = difflib.get_close_matches(heading, list(known), n=3, cutoff=0.5)
            hint = f"nearest known: {', '.join(repr(n) for n in near)}; " if near else ""
            problems.append(
                Problem(where, cell, cell, f"a known heading ({hint}or map it under 'headings:' in a mapping file)")
            )
        elif name == IGNORE:
            continue
        elif name in columns:
            problems.append(Problem(where, cell, cell, f"one column for {name!r} (another heading also means it)"))
        else:
            columns[name] = index
    for name in builtin_fields()[1]:
        if name not in columns and not any(p.field == name for p in problems):
            problems.append(Problem(where, "(header)", cells, f"a column for {name!r} (see docs/chronologies.md)"))
    return columns, problems
