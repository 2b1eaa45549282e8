"""What the console's guard costs: the lexical layer and the parse allow-list on every project
query, and the parse on the largest text the console takes (``python -m bench.console_guard``).

Prints a Markdown table; asserts nothing. The parse is why project queries are checked once by a
test rather than on every run (docs/decisions.md, "The console's guard").
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from graph.console import MAX_QUERY_CHARS, _refusal_of
from graph.cypher import assert_read_only
from queries.library import QUERY_DIR


def _timed(check: Callable[[str], object], text: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        _refusal_of.cache_clear()
        started = time.perf_counter()
        check(text)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per query (median shown)")
    args = parser.parse_args()
    print("| query | characters | lexical (ms) | lexical + parse allow-list (ms) |")
    print("|---|---:|---:|---:|")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERY_DIR.glob("*.cypher"))}
    # The longest text the console takes: a read repeated up to the cap, joined by UNION.
    unit = "MATCH (c:Child) WHERE c.name STARTS WITH 'A' RETURN c.id AS id UNION "
    texts["(at the cap) UNION of reads"] = (unit * (MAX_QUERY_CHARS // len(unit)))[: -len(" UNION ")]
    for name, text in texts.items():
        lexical = statistics.median(_timed(assert_read_only, text, args.runs)) * 1000
        full = statistics.median(_timed(_refusal_of, text, args.runs)) * 1000
        print(f"| {name} | {len(text):,} | {lexical:.2f} | {full:,.0f} |")


if __name__ == "__main__":
    main()
