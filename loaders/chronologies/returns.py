"""A folder of agency returns → one entry per row, each read by the rules; or every problem.

Each file is one agency's return (its ``chronologies.yaml`` may say whose, and the period it
declares itself complete for); without that, the agency is the return's agency column or, failing
that, the file's name. Nothing is kept from a set with a problem: all or nothing, as case files.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from loaders.chronologies.agencies import Lexicon, slug
from loaders.chronologies.mapping import SET_FILE, SetSpec, match_header, read_spec
from loaders.chronologies.reader import Entry, read_entry
from loaders.chronologies.tables import SUFFIXES, read_table
from loaders.chronology import _FORMULA_PREFIXES
from loaders.dates import DateError, parse_date
from loaders.records import Location, Problem
from loaders.safety import UnsafeInput, check_entry

MAX_FILES = 50


@dataclass
class Return:
    """One agency's chronology (or a composite with an agency column): the SourceDocument it becomes."""

    doc: str
    file: Path
    agency: str  # whose return it is (a composite's most frequent agency)
    complete: str | None
    rows: int = 0
    agencies: frozenset[str] = frozenset()  # every agency with rows in it


@dataclass
class ChronologySet:
    spec: SetSpec
    lexicon: Lexicon
    returns: list[Return] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def return_of(self, agency: str) -> Return | None:
        """The return that holds this agency's rows, if it returned any."""
        return next((r for r in self.returns if agency in r.agencies), None)


def _files(folder: Path, problems: list[Problem]) -> list[Path]:
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith(("~$", ".")):
            continue
        try:
            check_entry(path, folder)
        except UnsafeInput as exc:
            problems.append(Problem(Location(str(path)), "(file)", path.name, str(exc)))
            continue
        found.append(path)
    if not found:
        problems.append(Problem(Location(str(folder)), "(folder)", str(folder), "agency returns (.csv, .xlsx, .docx)"))
    if len(found) > MAX_FILES:
        problems.append(Problem(Location(str(folder)), "(folder)", f"{len(found)} files", f"at most {MAX_FILES}"))
        return []
    return found


def _owner(path: Path, spec: SetSpec, lexicon: Lexicon, column: list[str]) -> tuple[str, str | None]:
    """The agency whose return this file is, and the period it declares itself complete for."""
    for agency in spec.agencies:
        if agency.file and agency.file == path.name:
            return agency.id, agency.complete
    named = Counter(v for v in column if v)
    name = named.most_common(1)[0][0] if named else path.stem.replace("-", " ").replace("_", " ")
    return lexicon.resolve(name), None


def read_set(folder: Path, mapping: Path | None = None) -> ChronologySet:
    """Every return in ``folder`` (with its ``chronologies.yaml`` and an optional mapping file)."""
    problems: list[Problem] = []
    spec = SetSpec()
    for extra in (folder / SET_FILE, mapping):
        if extra is not None and extra.exists():
            spec, found = read_spec(extra, spec)
            problems += found
        elif extra is not None and extra == mapping:
            problems.append(Problem(Location(str(extra)), "(file)", str(extra), "an existing mapping file"))
    result = ChronologySet(spec, Lexicon.of(spec.agencies), problems=problems)
    for path in _files(folder, problems):
        _read_return(path, result)
    return result


def _read_return(path: Path, into: ChronologySet) -> None:
    table, problems = read_table(path, into.spec)
    into.problems += problems
    if table is None:
        return
    (header_row, header), body = table[0], table[1:]
    columns, problems = match_header(header, into.spec, Location(str(path), row=header_row))
    into.problems += problems
    if problems:
        return
    named = [
        cells[columns["agency"]] if "agency" in columns and columns["agency"] < len(cells) else "" for _, cells in body
    ]
    agency, complete = _owner(path, into.spec, into.lexicon, named)
    doc = f"chron-{slug(agency)}"
    if any(r.doc == doc for r in into.returns):
        doc = f"chron-{slug(path.stem)}"
    row_agencies = [into.lexicon.resolve(name) if name.strip() else agency for name in named]
    into.returns.append(Return(doc, path, agency, complete, len(body), frozenset(row_agencies)))
    for (row, cells), row_agency in zip(body, row_agencies, strict=True):
        values = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}
        if (entry := _entry(path, doc, row_agency, row, values, header, columns, into.problems)) is not None:
            read_entry(entry, into.lexicon)
            into.entries.append(entry)


def _entry(
    path: Path,
    doc: str,
    agency: str,
    row: int,
    values: dict[str, str],
    header: list[str],
    columns: dict[str, int],
    problems: list[Problem],
) -> Entry | None:
    where = Location(str(path), row=row)
    found = []
    for name, value in values.items():
        if value.startswith(_FORMULA_PREFIXES) and not value.lstrip("-+").replace(".", "").isdigit():
            found.append(Problem(where, header[columns[name]], value, "plain text, not a spreadsheet formula"))
    if not values.get("details"):
        found.append(Problem(where, header[columns["details"]], "", "what happened (the details may not be empty)"))
    try:
        span = parse_date(values.get("date", ""))
    except DateError as exc:
        found.append(Problem(where, header[columns["date"]], values.get("date", ""), str(exc).split("; expected ")[-1]))
    problems += found
    if found:
        return None
    return Entry(doc, path.name, agency, row, span, values)
