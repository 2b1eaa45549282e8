"""The Cypher console's door to a store: an allow-list over a real parse, then limits.

A deny-list over text misses whatever it did not think of (a keyword glued to a backtick name ran
writes and read host files). Here the query is parsed (graphglot's Neo4j dialect) and every node
of the tree must be of a type known to be a read: the clauses MATCH, OPTIONAL MATCH, WHERE, WITH,
UNWIND, RETURN, ORDER BY, SKIP, LIMIT and UNION, patterns, plain expressions and the functions
listed below. Anything else — CALL, LOAD, USE, every write, a function not listed, a query the
parser cannot read — is refused: refusal is the default. The lexical guard of ``graph/cypher``
runs first (cheap, and it names the keyword). Underneath, the store runs the query read-only
(Neo4j READ access mode; a READ ONLY transaction on the embedded engine) with a timeout and a row
cap, so a query that passes both layers still cannot write, hang the store or exhaust memory.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from graphglot.dialect.neo4j import Neo4j
from graphglot.error import GraphGlotError

from graph.backend import Backend, BackendError
from graph.console_child import read_in_child
from graph.cypher import QueryRefused, assert_read_only, check_parameters

TIMEOUT_ENV, ROWS_ENV, MEMORY_ENV = "JOINED_UP_CONSOLE_TIMEOUT", "JOINED_UP_CONSOLE_ROWS", "JOINED_UP_CONSOLE_MEMORY_MB"
DEFAULT_TIMEOUT, DEFAULT_ROWS, DEFAULT_MEMORY_MB = 10.0, 5_000, 1_536
# The parser backtracks: the longest project query (5,600 characters) takes 2-6 s to parse on a
# busy 2-core machine. A cap keeps a pasted essay from holding a CPU for minutes.
MAX_QUERY_CHARS = 8_000
ACCEPTED = "MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY, SKIP, LIMIT, UNION"

# The parse tree's node types (graphglot 0.14.3), grouped by what they are. Every type met in
# queries/*.cypher and in the read corpus of tests/test_console.py was reviewed into one group.
PROGRAM = frozenset(
    """GqlProgram _ProgramActivitySessionCloseCommand TransactionActivity ProcedureBody StatementBlock
    _ProcedureSpecificationEndTransactionCommand CompositeQueryExpression AmbientLinearQueryStatement
    SimpleLinearQueryStatement _SimpleLinearQueryStatementPrimitiveResultStatement PrimitiveResultStatement
    QueryConjunction _QueryConjunctionElement SetOperator SetQuantifier""".split()
)  # UNION [ALL] is a QueryConjunction with a SetOperator; DISTINCT/ALL a SetQuantifier
CLAUSES = frozenset(
    """SimpleMatchStatement OptionalMatchStatement OptionalOperand GraphPatternBindingTable GraphPattern
    GraphPatternWhereClause WhereClause CypherWithStatement ForStatement ForItem ForItemAlias
    ReturnStatement ReturnStatementBody _ReturnStatementOrderByAndPageStatement ReturnItemList ReturnItem
    ReturnItemAlias _SetQuantifierReturnItemListGroupByClause _SetQuantifierAsteriskGroupByClause Asterisk
    OrderByAndPageStatement _OrderByClauseOffsetClauseLimitClause OrderByClause SortSpecificationList
    SortSpecification OrderingSpecification OffsetClause LimitClause""".split()
)  # UNWIND is a ForStatement; SKIP an OffsetClause
PATTERNS = frozenset(
    """PathPatternList PathPattern PathTerm PathVariableDeclaration NodePattern ElementPatternFiller
    ElementVariableDeclaration IsLabelExpression LabelExpression LabelTerm LabelName FullEdgeAnyDirection
    FullEdgePointingLeft FullEdgePointingRight AbbreviatedEdgePattern QuantifiedPathPrimary GeneralQuantifier
    UnsignedInteger ElementPropertySpecification PropertyKeyValuePairList PropertyKeyValuePair
    LabeledPredicate LabeledPredicatePart2 IsLabeledOrColon _Colon CypherPatternPredicate
    CypherPatternComprehension""".split()
)
EXPRESSIONS = frozenset(
    """Identifier BindingVariableReference PropertyReference PropertyName GeneralValueSpecification
    GeneralParameterReference CharacterStringLiteral UnsignedNumericLiteral BooleanLiteral NullLiteral
    ArithmeticValueExpression ArithmeticTerm ArithmeticFactor NumericValueExpression Term Factor _SignedTerm
    _MultiplicativeFactor ModulusExpression CharacterStringValueExpression BooleanValueExpression BooleanTerm
    BooleanFactor BooleanTest _OpBooleanTerm ParenthesizedBooleanValueExpression ParenthesizedValueExpression
    ComparisonPredicate ComparisonPredicatePart2 NullPredicate NullPredicatePart2 InPredicate
    StringMatchPredicate ListValueExpression ListValueConstructorByEnumeration ListElementList ListComprehension
    ListPredicateFunction CypherReduce CypherSubscriptExpression CypherSliceExpression RecordConstructor
    FieldsSpecification FieldList Field SearchedCase SearchedWhenClause SimpleCase SimpleWhenClause
    WhenOperandList ElseClause DatetimeValueExpression DurationValueExpression DurationTerm DurationFactor
    PathValueExpression DependentValueExpression CastSpecification CharacterStringType _String
    SignedBinaryExactNumericType _Int ApproximateNumericType _Float BooleanType DateType""".split()
)  # CastSpecification with its type is toString/toInteger/toFloat/toBoolean
FUNCTIONS = frozenset(
    """AggregateFunction GeneralSetFunction GeneralSetFunctionType BinarySetFunction _Count _CountAsterisk
    _CollectList _Sum _Avg _Min _Max _StddevSamp CaseAbbreviation _CoalesceLeftParenListValueExpressionRightParen
    _NullifLeftParenValueExpressionCommaValueExpressionRightParen Size ToLower ToUpper Substring
    SubstringFunction Split Replace ReverseFunc SingleCharacterTrimFunction TrimOperands Head Last Tail IsEmpty
    Keys Labels TypeFunc Properties StartNode EndNode Nodes Relationships PathLengthExpression
    ElementIdFunction Round FloorFunction CeilingFunction ArithmeticAbsoluteValueFunction SignFunc SquareRoot
    ExponentialFunction NaturalLogarithm PowerFunction DateFunction _DateLeftParenDateFunctionParametersRightParen
    DatetimeFunction _ZonedDatetimeLeftParenDatetimeFunctionParametersRightParen DurationFunction
    DatetimeSubtraction DatetimeSubtractionParameters CypherTemporalMethod""".split()
)  # count collect sum avg min max stDev percentile*, coalesce nullIf, string, list, graph, maths, dates
ALLOWED = PROGRAM | CLAUSES | PATTERNS | EXPRESSIONS | FUNCTIONS

# What a refused node is called in the message, for the ones a user is likely to meet.
NAMED = {
    "CreateClause": "CREATE", "InsertStatement": "INSERT", "MergeClause": "MERGE", "SetStatement": "SET",
    "DeleteStatement": "DELETE", "RemoveStatement": "REMOVE", "CallProcedureStatement": "CALL",
    "UseGraphClause": "USE", "QueryPrefix": "EXPLAIN/PROFILE",
    # range(1, 1000000000) grew the embedded engine past 4 GB in 16 s, deaf to the timeout and
    # beyond its buffer pool: one call, one row, so neither limit sees it. No project query uses it.
    "RangeFunc": "range()",
}  # fmt: skip
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DIALECT = Neo4j()


@dataclass(frozen=True)
class Limits:
    """How long a console query may run, how many rows it may return, and how much memory the
    child process running it on an embedded store file may take (``graph.console_child``)."""

    timeout: float = DEFAULT_TIMEOUT
    rows: int = DEFAULT_ROWS
    memory_mb: int = DEFAULT_MEMORY_MB

    @classmethod
    def from_environment(cls) -> Limits:
        return cls(
            _setting(TIMEOUT_ENV, DEFAULT_TIMEOUT, float),
            _setting(ROWS_ENV, DEFAULT_ROWS, int),
            _setting(MEMORY_ENV, DEFAULT_MEMORY_MB, int),
        )


@dataclass(frozen=True)
class Answer:
    rows: list[dict[str, object]]
    cut: bool  # more rows matched than Limits.rows; only the first Limits.rows are here


def _setting(name: str, default: float, kind: type) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise BackendError(f"{name}={raw!r}: expected a positive {'whole ' if kind is int else ''}number")
    return value


def _parse_error(exc: GraphGlotError) -> QueryRefused:
    first = (getattr(exc, "errors", None) or [{}])[0]  # a TokenError (unclosed string) has no list
    where = f"line {first['line']}, column {first['col']}: " if "line" in first else ""
    what = first.get("description") or _ANSI.sub("", str(exc)).splitlines()[0]
    return QueryRefused(f"the console could not read this as a query it accepts ({where}{what}); it accepts {ACCEPTED}")


def _refusal(refused: list[object]) -> QueryRefused:
    """Name the most telling refused node: a clause keyword or function before its wrapper."""
    for node in refused:
        if (name := type(node).__name__) in NAMED:
            return QueryRefused(f"{NAMED[name]} is not allowed in the console; it accepts {ACCEPTED}")
    for node in refused:
        if type(node).__name__ == "Anonymous":
            return QueryRefused(f"function {node.name}() is not on the console's list of functions")
    return QueryRefused(f"{type(refused[0]).__name__} is not on the console's list; it accepts {ACCEPTED}")


def check_console_query(query: str) -> None:
    """Refuse, in one line, anything but a single read built from the allowed node types."""
    if why := _refusal_of(query):
        raise QueryRefused(why)


@lru_cache(maxsize=256)
def _refusal_of(query: str) -> str | None:
    """Why the query is refused, or None; remembered, since a parse takes up to seconds and the
    console re-runs the same text (a library question, a refined query) often."""
    if len(query) > MAX_QUERY_CHARS:
        return f"the query is {len(query):,} characters long; the console takes up to {MAX_QUERY_CHARS:,}"
    try:
        assert_read_only(query)
        programs = _DIALECT.parse(query)
        if len(programs) != 1:
            raise QueryRefused("only one statement at a time is allowed")
        refused = [node for node in programs[0].dfs() if type(node).__name__ not in ALLOWED]
        if refused:
            raise _refusal(refused)
    except QueryRefused as exc:
        return str(exc)
    except GraphGlotError as exc:
        return str(_parse_error(exc))
    except Exception as exc:  # noqa: BLE001 - the parser failing in any other way is a refusal too
        return f"the console could not read this query ({type(exc).__name__})"
    return None


def run_console(backend: Backend, query: str, params: dict[str, object], limits: Limits | None = None) -> Answer:
    """A console query, checked, then run read-only within the limits."""
    limits = limits or Limits.from_environment()
    check_console_query(query)
    check_parameters(query, params)
    path = getattr(backend, "path", ":memory:") if backend.name == "embedded" else None
    if path and path != ":memory:":
        rows = read_in_child(path, query, params, limits.timeout, limits.rows + 1, limits.memory_mb)
    else:  # Neo4j (the server bounds a transaction's memory), or an in-memory store (tests)
        rows = backend.read(query, params, timeout=limits.timeout, max_rows=limits.rows + 1)
    return Answer(rows[: limits.rows], len(rows) > limits.rows)
