"""Multi-agency chronology spreadsheets (CSV, XLSX) as Event records.

Practitioners already keep chronologies as a table of date, agency, what happened and source.
Each row becomes an Event that CONCERNS the child, with a PARTICIPATED_IN edge from the agency
that recorded it. Agencies and children may be named by id or by name; names not in the case
become new nodes, so a spreadsheet on its own is a loadable (small) case.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from loaders.archive import inspect_zip
from loaders.records import Location, Problem, RawRecord, read_text
from loaders.safety import UnsafeInput, read_limited

COLUMNS = {
    "date": ("date",),
    "agency": ("agency",),
    "what": ("what happened", "event", "description"),
    "source": ("source",),
    "child": ("child",),
    "kind": ("kind",),
    "id": ("id",),
}
REQUIRED = ("date", "agency", "what", "source", "child")
_FORMULA_PREFIXES = ("=", "+", "-", "@")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


def _delimiter(text: str, known: frozenset[str] | None = None) -> str:
    """Comma, semicolon or tab: whichever makes the header row name the most known columns
    (``known``: lower-case headings; this loader's own by default).

    Chosen from the header, not guessed from the data (csv.Sniffer): one cell full of quotes and
    commas, such as a pasted formula, made the sniffer split a good file on the wrong character.
    """
    first = next((line for line in text.splitlines() if line.strip()), "")
    known = known or frozenset(alias for aliases in COLUMNS.values() for alias in aliases)

    def named(delimiter: str) -> int:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        return sum(c.strip().lower() in known for c in cells)

    return max(",;\t", key=named)


def rows_csv(path: Path, known: frozenset[str] | None = None) -> tuple[list[list[str]] | None, list[Problem]]:
    """The cells of a CSV file, read within the size cap; ``known`` headings choose the delimiter."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=_delimiter(text, known)):
            rows.append(row)
    except csv.Error as exc:  # e.g. a cell longer than the csv module's limit
        return None, [Problem(Location(str(path), row=len(rows) + 1), "(syntax)", str(exc), "well-formed CSV")]
    return rows, []


def _cell(value: object) -> str:
    """A worksheet value as text; a formula stays a formula (``=...``) so that it is refused."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    if value is None:
        return ""
    if isinstance(value, (ArrayFormula, DataTableFormula)):
        return "=" + str(getattr(value, "text", "") or "").lstrip("=")
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value)


def rows_xlsx(path: Path) -> tuple[list[list[str]] | None, list[Problem]]:
    """The cells of a workbook's first sheet, checked for a zip bomb and with formulas kept as text."""
    from openpyxl import load_workbook

    # A workbook is a zip: read within the size cap and checked for a zip bomb before openpyxl
    # inflates it. Formulas are read as formulas, not as the values last cached by a spreadsheet
    # program: a chronology is data, and a formula (=HYPERLINK(...)) must be refused, not replaced.
    try:
        data = read_limited(path)
        inspect_zip(data, ".xlsx workbook")
    except UnsafeInput as exc:
        return None, [Problem(Location(str(path)), "(file)", path.name, str(exc))]
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheet = wb.worksheets[0]
            # Read-only mode trusts the sheet's stored dimension (A1:F2 hides rows 3 onwards when a
            # program wrote a stale one); forgetting it makes openpyxl read every row there is.
            sheet.reset_dimensions()
            rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            wb.close()
    except Exception as exc:  # noqa: BLE001 - a damaged workbook fails in zipfile, zlib, XML or openpyxl code alike
        return None, [Problem(Location(str(path)), "(file)", type(exc).__name__, "a readable .xlsx workbook")]
    return rows, []


def _header_columns(path: Path, header_row: int, header_cells: list) -> tuple[dict[str, int], list[Problem]]:
    """Which column holds each known heading; a problem when a heading is named twice (which of two
    'date' columns is the date is not a guess to make silently) or a required one is missing."""
    header = [str(h).strip().lower() for h in header_cells]
    col: dict[str, int] = {}
    for key, aliases in COLUMNS.items():
        found = [i for i, h in enumerate(header) if h in aliases]
        if len(found) > 1:
            return {}, [
                Problem(
                    Location(str(path), row=header_row),
                    "(header)",
                    [header_cells[i] for i in found],
                    f"one column for {COLUMNS[key][0]!r} (the header names it {len(found)} times)",
                )
            ]
        if found:
            col[key] = found[0]
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in col]
    if missing:
        return {}, [
            Problem(
                Location(str(path), row=header_row),
                "(header)",
                header_cells,
                f"columns {', '.join(repr(m) for m in missing)} (see docs/case-format.md)",
            )
        ]
    return col, []


def _row_problems(where: Location, cells: dict[str, str]) -> list[Problem]:
    """A row's empty required cells and its formulas (a number such as -3 is not a formula)."""
    problems = [Problem(where, COLUMNS[k][0], cells.get(k, ""), "a value") for k in REQUIRED if not cells.get(k)]
    for k, v in cells.items():
        if v.startswith(_FORMULA_PREFIXES) and not re.fullmatch(r"-?\d+(\.\d+)?", v):
            problems.append(Problem(where, COLUMNS[k][0], v, "plain text, not a spreadsheet formula"))
    return problems


def _row_records(where: Location, cells: dict[str, str], agency: str, child: str) -> list[RawRecord]:
    """One row as an Event that CONCERNS the child and that the agency PARTICIPATED_IN (recorded);
    without an id column the event's id is a digest of the row, so reloading keeps it."""
    content = "|".join(cells[k] for k in ("date", "agency", "what", "child"))
    event_id = cells.get("id") or "ev-" + hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()[:12]
    what, source = cells["what"], cells["source"]
    event = {
        "type": "Event",
        "id": event_id,
        "name": what[:120],
        "description": what,
        "date": cells["date"],
        "kind": cells.get("kind") or "other",
        "source": source,
    }
    recorded = {"type": "PARTICIPATED_IN", "from": agency, "to": event_id, "role": "recorded", "source": source}
    return [
        RawRecord("node", event, where, columns={"name": COLUMNS["what"][0], "description": COLUMNS["what"][0]}),
        RawRecord(
            "edge",
            {"type": "CONCERNS", "from": event_id, "to": child, "source": source},
            where,
            columns={"to": "child"},
        ),
        RawRecord("edge", recorded, where, columns={"from": "agency"}),
    ]


def read_chronology(
    path: Path, known_ids: dict[str, str], names: dict[tuple[str, str], str]
) -> tuple[list[RawRecord], list[Problem]]:
    """Rows → Event/Agency/Child records. ``known_ids`` maps id → label of nodes already in the case;
    ``names`` maps (label, lower-case name or alias) → id, so spreadsheets can name things."""
    rows, problems = (rows_xlsx if path.suffix.lower() == ".xlsx" else rows_csv)(path)
    if rows is None:
        return [], problems
    # Blank rows are skipped but still counted, so a row number is the one the spreadsheet shows.
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(str(c).strip() for c in r)]
    if not numbered:
        return [], [Problem(Location(str(path)), "(file)", "", "a header row and at least one data row")]
    header_row, header_cells = numbered[0]
    col, header_problems = _header_columns(path, header_row, header_cells)
    if header_problems:
        return [], header_problems
    if len(numbered) == 1:
        return [], [Problem(Location(str(path), row=header_row), "(file)", "header only", "at least one data row")]
    records: list[RawRecord] = []
    new_nodes: dict[str, RawRecord] = {}

    def resolve(label: str, value: str, where: Location, source: str) -> str:
        if known_ids.get(value) == label:
            return value
        if found := names.get((label, value.lower())):
            return found
        node_id = f"{'ag' if label == 'Agency' else 'child'}-{_slug(value)}"
        if node_id not in new_nodes and known_ids.get(node_id) != label:
            data: dict[str, object] = {"type": label, "id": node_id, "name": value, "source": source}
            if label == "Agency":
                data["sector"] = "other"
            column = COLUMNS[label.lower()][0]
            new_nodes[node_id] = RawRecord("node", data, where, columns={"name": column, "id": column})
        return node_id

    for n, row in numbered[1:]:
        where = Location(str(path), row=n)
        cells = {k: (str(row[i]).strip() if i < len(row) else "") for k, i in col.items()}
        if row_problems := _row_problems(where, cells):
            problems.extend(row_problems)
            continue
        agency = resolve("Agency", cells["agency"], where, cells["source"])
        child = resolve("Child", cells["child"], where, cells["source"])
        records += _row_records(where, cells, agency, child)
    return list(new_nodes.values()) + records, problems
