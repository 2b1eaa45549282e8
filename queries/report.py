"""The one formula guard for every CSV the project writes (the findings report's CSV among them).

The gap report that lived here is now ``findings/report.py`` (rendered from the findings engine);
what stays is the guard, where it lives, so every CSV writer imports it instead of copying it.
"""

from __future__ import annotations

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Text for a spreadsheet cell that cannot run as a formula (CSV/XLSX injection)."""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text
