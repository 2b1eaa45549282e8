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
from functools import lru_cache

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
# One token at a time, first alternative that matches. Strings: a backslash escapes the next
# character. Backtick names: no escapes (both engines read a backslash there as a plain
# character, so a name ending in one must not swallow the clauses after it). Literals and block
# comments left open run to the end (the engine then refuses the text). Neo4j ends a // comment
# at a carriage return as well as at a line feed. A number is read as the engines read one, so
# that letters after it start a word of their own: ``1000SET`` is 1000 and the keyword SET.
_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<comment>//[^\r\n]*|/\*[\s\S]*?(?:\*/|\Z))
    |(?P<string>'(?:\\[\s\S]?|[^'\\])*(?:'|\Z)|"(?:\\[\s\S]?|[^"\\])*(?:"|\Z))
    |(?P<name>`[^`]*(?:`|\Z))
    |(?P<param>\$(?:[^\W\d]\w*|\d+))
    |(?P<number>0[xX][0-9A-Fa-f]+|0o[0-7]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
    |(?P<word>[^\W\d]\w*)
    |(?P<other>[\s\S])""",
    re.VERBOSE,
)
_HEX_TAIL = re.compile(r"[A-Fa-f]*$")
# After these a "." is a property access: ``n.set``, ``` `n`.start ```, ``$map.delete``, ``f(x).year``.
_OWNERS = frozenset(("word", "name", "param", ")", "]", "}"))


class QueryRefused(ValueError):
    """A query was refused before reaching the database (write in a read, bad parameters)."""


@dataclass(frozen=True)
class Token:
    kind: str  # word, number, string, name (a `backtick` name), param, comment, or the character itself
    text: str
    start: int


def tokens(query: str) -> Iterator[Token]:
    """The query as the engines' lexers see it; white space (any Unicode space, U+FEFF and other
    characters that are neither words nor punctuation) separates tokens and is dropped."""
    for m in _TOKEN.finditer(query):
        kind, text = m.lastgroup or "other", m.group()
        if kind == "space" or (kind == "other" and not text.isprintable()):
            continue
        yield Token(text if kind == "other" else kind, text, m.start())


def keywords(code: list[Token]) -> Iterator[Token]:
    """Words of ``code`` (tokens without comments) the engines would read as keywords: every
    word except a property name after ``.``."""
    owner: Token | None = None  # the two tokens before this one
    dot: Token | None = None
    for tok in code:
        if tok.kind == "word" and not (dot and dot.kind == "." and owner and owner.kind in _OWNERS):
            yield tok
            if dot and dot.kind == "number" and dot.start + len(dot.text) == tok.start:
                yield from _hex_readings(dot, tok)
        owner, dot = dot, tok


def _hex_readings(number: Token, word: Token) -> Iterator[Token]:
    """``0x10CREATE`` is the hex number 0x10C to Neo4j, but a lexer that stopped at 0x10 would
    read CREATE: the word is also checked with the number's trailing hex letters in front."""
    letters = _HEX_TAIL.search(number.text).group() if number.text[:2] in ("0x", "0X") else ""
    for k in range(len(letters)):
        yield Token("word", letters[k:] + word.text, number.start + len(number.text) - len(letters) + k)


@lru_cache(maxsize=1024)
def query_parameters(query: str) -> frozenset[str]:
    """The ``$names`` a query uses; computed once per text (the engine reads the same registry
    texts thousands of times on a big case, and tokenizing was a sixth of its time)."""
    return frozenset(t.text[1:] for t in tokens(query) if t.kind == "param")


def check_parameters(query: str, params: dict[str, object]) -> None:
    wanted = query_parameters(query)
    given = set(params)
    if missing := wanted - given:
        raise QueryRefused(f"missing parameter(s): {', '.join(sorted('$' + m for m in missing))}")
    if extra := given - wanted:
        raise QueryRefused(f"parameter(s) not used by the query: {', '.join(sorted(extra))}")


@lru_cache(maxsize=1024)
def assert_read_only(query: str) -> None:
    """Refuse a query that could write, call a procedure, or hide a second statement. A text that
    passed is remembered (a refusal raises, so it is never cached and is checked again each time)."""
    code = [t for t in tokens(query) if t.kind != "comment"]
    while code and code[-1].kind == ";":
        code.pop()
    if not code:
        raise QueryRefused("empty query")
    if any(t.kind == ";" for t in code):
        raise QueryRefused("only one statement at a time is allowed")
    for word in keywords(code):
        if word.text.upper() in WRITE_KEYWORDS:
            raise QueryRefused(f"read-only: {word.text.upper()} is not allowed here")
