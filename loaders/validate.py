"""Validation of a case against the schema: every problem in one run, or a case ready to load.

The output of a successful validation is the only thing the graph loader accepts, so nothing
unvalidated can reach either store, and a load either has a whole valid case or nothing.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.records import ValidatedCase
from graph.schema import Schema, load_schema
from loaders.case_file import CaseFile, read_case_file
from loaders.chronology import _slug, read_chronology
from loaders.record_check import CONTROL_CHARS, STRING_MAX, RecordChecker
from loaders.records import InputError, Location, Problem, RawRecord
from loaders.safety import UnsafeInput, check_entry

CASE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}\Z")
STRUCTURED = (".yaml", ".yml", ".json")
SPREADSHEETS = (".csv", ".xlsx")


def _case_entries(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The case files of a folder, in name order, and a problem for each that must not be read
    (``check_entry``: not a regular file, or a symlink leaving the folder)."""
    entries: list[Path] = []
    refused: list[Problem] = []
    for entry in sorted(folder.iterdir()):
        if entry.suffix.lower() not in STRUCTURED + SPREADSHEETS or entry.name == "case.yaml":
            continue  # case.yaml is checked by _case_header
        try:
            check_entry(entry, folder)
        except UnsafeInput as exc:
            refused.append(Problem(Location(str(entry)), "(file)", entry.name, str(exc)))
            continue
        entries.append(entry)
    return entries, refused


def _case_header(path: Path) -> tuple[str, str, str, list[Problem], CaseFile | None]:
    """Case id, title and default document from case.yaml (or derived for a lone file: the id is
    then the file name's slug, and ``_derived`` says so)."""
    if path.is_dir():
        header = path / "case.yaml"
        if not header.exists() and not header.is_symlink():
            return "", "", "", [Problem(Location(str(path)), "case.yaml", None, "a case.yaml in the case folder")], None
        try:
            check_entry(header, path)
        except UnsafeInput as exc:
            return "", "", "", [Problem(Location(str(header)), "(file)", header.name, str(exc))], None
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
    title, document = doc.values.get("title", case_id), doc.values.get("document", case_id)
    for key, value in (("title", title), ("document", document)):
        # Checked before str(): a title made of nested aliases would expand as it is printed.
        if not isinstance(value, str) or len(value) > STRING_MAX or CONTROL_CHARS.search(value):
            where = Location(str(path / "case.yaml" if path.is_dir() else path), line=doc.key_line(key))
            problems.append(Problem(where, key, value, f"a text of at most {STRING_MAX} characters"))
    case_id, title, document = (v if isinstance(v, str) else "" for v in (case_id, title, document))
    return case_id, title, document, problems, doc


def _drain(records: list[RawRecord]) -> Iterator[RawRecord]:
    """The records in order, each removed from the list as it is handed out, so it can be freed."""
    records.reverse()
    while records:
        yield records.pop()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a case is validated.

    Validation makes millions of small dicts and lists that all stay alive (the rows) and form
    no cycles; the collector's repeated passes over them took a third of the time of a large
    case and freed nothing. Reference counting still frees everything that is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def validate_path(path: str | Path, schema: Schema | None = None, case_id: str | None = None) -> ValidatedCase:
    """Validate a case folder or a single case file; raise InputError listing every problem.

    ``case_id`` names the case when its files do not (a chronology spreadsheet, a file without
    ``case:``); a case.yaml that declares another id is a problem, not overridden."""
    with _collector_paused():
        return _validate_path(Path(path), schema, case_id)


def _given_case_problem(
    path: Path, given: str, declared: str, derived: str | None, header: CaseFile | None
) -> Problem | None:
    """Why ``--case`` cannot name this case: not a case id, or the files declare another."""
    if derived is None and given != declared:
        where = Location(
            str(path / "case.yaml" if path.is_dir() else path), line=header.key_line("case") if header else None
        )
        return Problem(where, "case", declared, f"the case id given ({given}); the file declares another")
    if not CASE_RE.match(given):
        return Problem(Location(str(path)), "--case", given, "a case id of lower-case letters, digits and dashes")
    return None


def _case_files(path: Path, problems: list[Problem]) -> tuple[list[Path], list[Path], Path | None]:
    """The structured case files and spreadsheets to read, and the file holding the case header;
    a folder's refused entries are added to ``problems``."""
    if path.is_dir():
        entries, refused = _case_entries(path)
        problems += refused
        structured = [p for p in entries if p.suffix.lower() in STRUCTURED and p.name != "case.yaml"]
        sheets = [p for p in entries if p.suffix.lower() in SPREADSHEETS]
        return structured, sheets, path / "case.yaml"
    if path.suffix.lower() in STRUCTURED:
        return [], [], path
    if path.suffix.lower() in SPREADSHEETS:
        return [], [path], None
    raise InputError(
        [
            Problem(
                Location(str(path)),
                "(file)",
                path.suffix,
                "a case folder, or a .yaml, .yml, .json, .csv or .xlsx file",
            )
        ]
    )


def _read_records(
    header: CaseFile | None, header_file: Path | None, structured: list[Path], problems: list[Problem]
) -> tuple[list[RawRecord], list[CaseFile]]:
    """Every record of the header and the structured files, in file order, and the files read;
    each file's problems are added to ``problems`` as it is read. The files keep no records
    (``_check_records`` drops each once checked), so a large case is not held twice."""
    raw: list[RawRecord] = []
    files: list[CaseFile] = []
    if header is not None and header_file is not None:
        files.append(header)
        raw += header.records
        header.records = []
        problems += header.problems
    for f in structured:
        doc, probs = read_case_file(f)
        problems += probs
        if doc is not None:
            files.append(doc)
            raw += doc.records
            doc.records = []
            problems += doc.problems
    return raw, files


def _check_records(
    checker: RecordChecker,
    case: ValidatedCase,
    header: CaseFile | None,
    raw: list[RawRecord],
    sheets: list[Path],
    problems: list[Problem],
) -> None:
    """Check every record into ``case``: nodes first (an edge's ends and properties may name nodes
    defined later), spreadsheet rows after the files' nodes (a row may name them), then edges.

    Records are dropped once checked (``_drain``), so a large case does not hold every record as
    read alongside every row made from it.
    """
    for rec in raw:
        if rec.kind == "node":
            checker.declare(rec)
    facts = checker.facts
    if header is not None and facts.documents and case.document not in facts.documents:
        problems.append(
            Problem(
                Location(str(header.path), line=header.key_line("document")),
                "document",
                case.document,
                "the id of a SourceDocument in this case (the records' default source)",
            )
        )
    edge_records = [r for r in raw if r.kind == "edge"]
    for rec in _drain(raw):
        if rec.kind == "node" and (row := checker.node(rec)):
            case.nodes.append(row)
    for sheet in sheets:
        recs, probs = read_chronology(sheet, checker.ids, checker.names)
        problems += probs
        for rec in recs:
            if rec.kind == "node" and (row := checker.node(rec)):
                case.nodes.append(row)
        edge_records += [r for r in recs if r.kind == "edge"]
    for rec in _drain(edge_records):
        if row := checker.edge(rec):
            case.edges.append(row)
    checker.requirements()
    problems += checker.problems
    case.warnings = checker.warnings


def _validate_path(path: Path, schema: Schema | None, given_case: str | None = None) -> ValidatedCase:
    schema = schema or load_schema()
    if not path.exists():
        raise InputError([Problem(Location(str(path)), "(path)", str(path), "an existing case folder or file")])
    case_id, title, document, problems, header = _case_header(path)
    derived = None if header is not None and "case" in header.values else path.name
    if given_case is not None and not problems:
        if problem := _given_case_problem(path, given_case, case_id, derived, header):
            problems.append(problem)
        else:
            title, document = (
                (given_case if title == case_id else title),
                (given_case if document == case_id else document),
            )
            case_id, derived = given_case, None
    structured, sheets, header_file = _case_files(path, problems)
    raw, files = _read_records(header, header_file, structured, problems)
    case = ValidatedCase(case_id, title, document, path if path.is_dir() else None, derived_from=derived)
    checker = RecordChecker(schema, case_id, document)
    _check_records(checker, case, header, raw, sheets, problems)
    for changed in (f for f in files if f.json_lines is not None and f.json_lines.changed):
        problems.append(
            Problem(
                Location(str(changed.path)),
                "(file)",
                "changed while it was being validated",
                "a file that stays the same until validation ends (validate again)",
            )
        )
    if not case.nodes and not problems:
        problems.append(Problem(Location(str(path)), "(case)", "no records", "at least one node"))
    if problems:
        raise InputError(problems)
    return case
