"""The one formula guard for every CSV the project writes (the findings report's CSV among them).

The gap report that lived here is now ``findings/report.py`` (rendered from the findings engine);
what stays is the guard, where it lives, so every CSV writer imports it instead of copying it.
"""

from __future__ import annotations

# What makes a spreadsheet read a cell as a formula, also after leading spaces or line breaks.
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    """Text for a spreadsheet cell that cannot run as a formula (CSV/XLSX injection): the one guard
    for every CSV the project writes. " =1+1" is a formula to some spreadsheet programs too."""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) or text.lstrip().startswith(_FORMULA) else text
