"""What an upload that cannot be loaded tells the reviewer: one plain message and the first problems,
the same for a case and for a set of agency chronologies (both sections of the Load page).

Never a traceback, and never the path of the temporary folder the upload is checked in.
"""

from __future__ import annotations

from loaders.records import MAX_SHOWN, InputError, Problem
from loaders.safety import UnsafeInput, printable

READABLE = (UnsafeInput, InputError, OSError, ValueError)  # every way reading an upload is refused


def problem_rows(problems: list[Problem], tmp: str) -> list[dict[str, str]]:
    """The first MAX_SHOWN problems as table rows, every cell escaped (a file name can hold a newline)."""
    return [
        {
            "where": printable(str(p.where).replace(f"{tmp}/", "")),
            "field": printable(p.field),
            "got": printable(repr(p.value)[:120]),
            "expected": printable(p.expected),
        }
        for p in problems[:MAX_SHOWN]
    ]


def refusal(exc: Exception, tmp: str, what: str, again: str) -> dict[str, object]:
    """``{"error": message, "problems": rows}`` for a refused upload of ``what`` (e.g. "the uploaded
    files"), telling the reviewer to ``again`` (e.g. "upload the files again") once corrected."""
    if isinstance(exc, UnsafeInput):
        return {"error": f"The upload was refused; nothing was loaded. Expected {printable(str(exc))}."}
    if isinstance(exc, InputError):
        more = f" (the first {MAX_SHOWN} are shown)" if len(exc.problems) > MAX_SHOWN else ""
        return {
            "error": f"{len(exc.problems):,} problem(s) in {what}{more}; nothing was loaded. Correct them and {again}.",
            "problems": problem_rows(exc.problems, tmp),
        }
    # an unreadable file, a wrong encoding, a spreadsheet that is not one
    reason = (
        str(exc).replace(f"{tmp}/", "").replace(tmp, "the upload").splitlines()[0] if str(exc) else type(exc).__name__
    )
    return {
        "error": f"{what[0].upper()}{what[1:]} could not be read ({printable(reason)}); nothing was loaded. Check "
        "that each file is a case file (YAML or JSON), a chronology (CSV or XLSX) or a case folder as one .zip, "
        f"and {again}."
    }
