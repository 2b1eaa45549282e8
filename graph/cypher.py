"""Checks applied to every Cypher text before either backend runs it: the cheap, lexical layer.

The embedded engine treats a missing ``$param`` as NULL and returns no rows instead of failing.
Both backends therefore check here, once, that parameters match the query exactly, and that a
read holds no write or admin keyword. The keyword check runs on tokens, not on raw text: a
keyword glued to a backtick name, a number, a string or a comment (``AS `c`SET``, ``LIMIT 1SET``)
is still a word of its own to the engines, so it is one here. This layer is fast enough for
every read; the console adds an allow-list over a real parse on top (``graph/console.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Clauses that change data or the database, or call procedures (which may do either). INSERT is
# Neo4j's GQL spelling of CREATE; COMMENT, ANALYZE, UNINSTALL and UPDATE start statements that
# change the embedded engine's catalogue or extensions; RENAME, ENABLE, DEALLOCATE and
# REALLOCATE are Neo4j administration.
WRITE_KEYWORDS = frozenset(
    (
        "CREATE", "INSERT", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "LOAD", "CALL", "FOREACH",
        "COPY", "INSTALL", "UNINSTALL", "UPDATE", "ATTACH", "IMPORT", "EXPORT", "ALTER", "USE", "BEGIN", "COMMIT",
        "ROLLBACK", "CHECKPOINT", "COMMENT", "ANALYZE", "GRANT", "REVOKE", "DENY", "START", "STOP", "TERMINATE",
        "SHOW", "RENAME", "ENABLE", "DEALLOCATE", "REALLOCATE",
    )
)  # fmt: skip
# A number as the engines read one, so that letters after it start a word of their own:
# ``1000SET`` is the number 1000 and the keyword SET.
_NUMBER = re.compile(r"0[xX][0-9A-Fa-f]+|0o[0-7]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_WORD = re.compile(r"[^\W\d]\w*")
_DIGITS = re.compile(r"\d+")
# Neo4j ends a // comment at a carriage return as well as at a line feed.
_LINE_END = re.compile(r"[\r\n]")
# After these a "." is a property access: ``n.set``, ``` `n`.start ```, ``$map.delete``, ``f(x).year``.
_OWNERS = frozenset(("word", "name", "param", ")", "]", "}"))


class QueryRefused(ValueError):
    """A query was refused before reaching the database (write in a read, bad parameters)."""


@dataclass(frozen=True)
class Token:
    kind: str  # word, number, string, name (a `backtick` name), param, comment, or the character itself
    text: str
    start: int


def _quoted_end(query: str, i: int) -> int:
    """Index after the literal opening at ``i``. A backslash escapes only inside a string: both
    engines read it as a plain character in a backtick name, so a name ending in a backslash
    must not swallow the clauses after it. An unclosed literal runs to the end (the engine
    refuses it)."""
    quote, j, n = query[i], i + 1, len(query)
    while j < n and query[j] != quote:
        j += 2 if query[j] == "\\" and quote != "`" else 1
    return min(j + 1, n)


def _comment_end(query: str, i: int) -> int:
    if query.startswith("//", i):
        end = _LINE_END.search(query, i)
        return end.start() if end else len(query)
    j = query.find("*/", i + 2)
    return len(query) if j < 0 else j + 2


def tokens(query: str) -> Iterator[Token]:
    """The query as the engines' lexers see it; white space (any Unicode space, U+FEFF and other
    characters that are neither words nor punctuation) separates tokens and is dropped."""
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if query.startswith(("//", "/*"), i):
            end, kind = _comment_end(query, i), "comment"
        elif c in "'\"`":
            end, kind = _quoted_end(query, i), "name" if c == "`" else "string"
        elif c == "$" and (m := _WORD.match(query, i + 1) or _DIGITS.match(query, i + 1)):
            end, kind = m.end(), "param"
        elif m := _NUMBER.match(query, i):
            end, kind = m.end(), "number"
        elif m := _WORD.match(query, i):
            end, kind = m.end(), "word"
        elif c.isspace() or not c.isprintable():
            i += 1
            continue
        else:
            end, kind = i + 1, c
        yield Token(kind, query[i:end], i)
        i = end


def keywords(query: str) -> Iterator[Token]:
    """Words the engines would read as keywords: every word except a property name after ``.``."""
    owner: Token | None = None  # the two tokens before this one, comments left out
    dot: Token | None = None
    for tok in tokens(query):
        if tok.kind == "comment":
            continue
        if tok.kind == "word" and not (dot and dot.kind == "." and owner and owner.kind in _OWNERS):
            yield tok
        owner, dot = dot, tok


def query_parameters(query: str) -> set[str]:
    return {t.text[1:] for t in tokens(query) if t.kind == "param"}


def check_parameters(query: str, params: dict[str, object]) -> None:
    wanted = query_parameters(query)
    given = set(params)
    if missing := wanted - given:
        raise QueryRefused(f"missing parameter(s): {', '.join(sorted('$' + m for m in missing))}")
    if extra := given - wanted:
        raise QueryRefused(f"parameter(s) not used by the query: {', '.join(sorted(extra))}")


def assert_read_only(query: str) -> None:
    """Refuse a query that could write, call a procedure, or hide a second statement."""
    code = [t for t in tokens(query) if t.kind != "comment"]
    while code and code[-1].kind == ";":
        code.pop()
    if not code:
        raise QueryRefused("empty query")
    if any(t.kind == ";" for t in code):
        raise QueryRefused("only one statement at a time is allowed")
    for word in keywords(query):
        if word.text.upper() in WRITE_KEYWORDS:
            raise QueryRefused(f"read-only: {word.text.upper()} is not allowed here")
