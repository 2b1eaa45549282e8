"""An agency's return as a table of text cells: CSV, XLSX (first sheet) or a Word table.

CSV and XLSX go through the one-sheet chronology loader's readers (size cap, zip-bomb check,
formulas kept as formulas so they are refused); a Word return is read within the same limits.
Most partnership templates are Word tables, so the first table whose header names a known
field is the chronology and rows are numbered as that table shows them (header = row 1).
"""

from __future__ import annotations

import io
from pathlib import Path

from loaders.archive import inspect_zip
from loaders.chronologies.mapping import SetSpec, header_texts, normalise
from loaders.chronology import rows_csv, rows_xlsx
from loaders.records import Location, Problem
from loaders.safety import UnsafeInput, read_limited

SUFFIXES = (".csv", ".xlsx", ".docx")


def _docx_tables(path: Path) -> tuple[list[list[list[str]]] | None, list[Problem]]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        data = read_limited(path)
        inspect_zip(data, "Word document")
    except UnsafeInput as exc:
        return None, [Problem(Location(str(path)), "(file)", path.name, str(exc))]
    try:
        document = docx.Document(io.BytesIO(data))
        # Every grid column is kept (a merged cell repeats its text), so cells line up with the header.
        tables = [[[" ".join(cell.text.split()) for cell in row.cells] for row in t.rows] for t in document.tables]
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        return None, [Problem(Location(str(path)), "(file)", type(exc).__name__, "a readable .docx Word document")]
    return tables, []


def _rows_docx(path: Path, known: frozenset[str]) -> tuple[list[list[str]] | None, list[Problem]]:
    tables, problems = _docx_tables(path)
    if tables is None:
        return None, problems
    for table in tables:
        if table and any(normalise(c) in known for c in table[0]):
            return table, []
    return None, [
        Problem(Location(str(path)), "(file)", f"{len(tables)} table(s)", "a table headed with known columns")
    ]


def read_table(path: Path, spec: SetSpec) -> tuple[list[tuple[int, list[str]]] | None, list[Problem]]:
    """(row number as the file shows it, cells) for every non-blank row, header first."""
    known = frozenset(spec.all_headings())
    suffix = path.suffix.lower()
    if suffix == ".docx":
        rows, problems = _rows_docx(path, known)
    elif suffix == ".xlsx":
        rows, problems = rows_xlsx(path)
    elif suffix == ".csv":
        rows, problems = rows_csv(path, header_texts() | known)
    else:
        return None, [Problem(Location(str(path)), "(file)", suffix, "a .csv, .xlsx or .docx chronology")]
    if rows is None:
        return None, problems
    numbered = [(n, [str(c).strip() for c in r]) for n, r in enumerate(rows, start=1) if any(str(c).strip() for c in r)]
    if len(numbered) < 2:
        return None, [Problem(Location(str(path)), "(file)", f"{len(numbered)} row(s)", "a header row and data rows")]
    return numbered, []
