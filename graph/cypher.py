"""Checks applied to every Cypher text before either backend runs it.

The embedded engine treats a missing ``$param`` as NULL and returns no rows instead of failing,
and it has no read-only session mode. Both gaps are closed here, once, for both backends:
parameters must match the query exactly, and a read may not contain a write or admin clause.
"""

from __future__ import annotations

import re

# Clauses that change data or the database, or call procedures (which may do either). INSERT is
# Neo4j's GQL spelling of CREATE; COMMENT, ANALYZE, UNINSTALL and UPDATE start statements that
# change the embedded engine's catalogue or extensions; RENAME, ENABLE, DEALLOCATE and
# REALLOCATE are Neo4j administration.
WRITE_KEYWORDS = (
    "CREATE",
    "INSERT",
    "MERGE",
    "SET",
    "DELETE",
    "DETACH",
    "REMOVE",
    "DROP",
    "LOAD",
    "CALL",
    "FOREACH",
    "COPY",
    "INSTALL",
    "UNINSTALL",
    "UPDATE",
    "ATTACH",
    "IMPORT",
    "EXPORT",
    "ALTER",
    "USE",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "CHECKPOINT",
    "COMMENT",
    "ANALYZE",
    "GRANT",
    "REVOKE",
    "DENY",
    "START",
    "STOP",
    "TERMINATE",
    "SHOW",
    "RENAME",
    "ENABLE",
    "DEALLOCATE",
    "REALLOCATE",
)
# Not after "." or "$": a property or parameter may be called "set" or "start".
_WRITE_RE = re.compile(r"(?<![.$\w])(" + "|".join(sorted(set(WRITE_KEYWORDS))) + r")\b", re.IGNORECASE)
_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# Neo4j ends a // comment at a carriage return as well as at a line feed.
_LINE_END = re.compile(r"[\r\n]")


class QueryRefused(ValueError):
    """A query was refused before reaching the database (write in a read, bad parameters)."""


def strip_literals(query: str) -> str:
    """The query with comments and string/identifier literals blanked out.

    Keywords hidden inside a string ("'CREATE'") are data, not clauses; keywords hidden from a
    naive scan by comments (``CRE/**/ATE`` is not valid Cypher, but ``/* x */ CREATE`` is) must
    still be seen. Blanking literals and comments to spaces gives the text a parser would see.
    A backslash escapes a quote only inside a string: both engines read it as a plain character
    in a backtick name, so a name ending in a backslash must not swallow the clauses after it.
    """
    out: list[str] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        two = query[i : i + 2]
        if two == "//":
            end = _LINE_END.search(query, i)
            i = end.start() if end else n
            out.append(" ")
        elif two == "/*":
            j = query.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif c in "'\"`":
            j = i + 1
            while j < n and query[j] != c:
                j += 2 if query[j] == "\\" and c != "`" else 1
            out.append(" " if c != "`" else "_")
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def query_parameters(query: str) -> set[str]:
    return set(_PARAM_RE.findall(strip_literals(query)))


def check_parameters(query: str, params: dict[str, object]) -> None:
    wanted = query_parameters(query)
    given = set(params)
    if missing := wanted - given:
        raise QueryRefused(f"missing parameter(s): {', '.join(sorted('$' + m for m in missing))}")
    if extra := given - wanted:
        raise QueryRefused(f"parameter(s) not used by the query: {', '.join(sorted(extra))}")


def assert_read_only(query: str) -> None:
    """Refuse a query that could write, call a procedure, or hide a second statement."""
    bare = strip_literals(query)
    if ";" in bare.strip().rstrip(";"):
        raise QueryRefused("only one statement at a time is allowed")
    if m := _WRITE_RE.search(bare):
        raise QueryRefused(f"read-only: {m.group(1).upper()} is not allowed here")
    if not bare.strip():
        raise QueryRefused("empty query")
