"""The benchmark's one table: a row per measure, a column per store, the ratio and the target.

Kept apart from bench/run.py (what is measured) so the output's rules (which way a target points, what a
ratio compares) are read in one place.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass
class Row:
    measure: str
    values: dict[str, str] = field(default_factory=dict)  # backend → cell
    numbers: dict[str, float] = field(default_factory=dict)  # backend → number compared with the target
    target: tuple[float, float] | None = None  # (embedded, neo4j) limit; lower is better unless `rate`
    rate: bool = False
    ratio: bool = True  # False where the columns are not comparable (cumulative peak memory)


@dataclass
class Bench:
    backends: list[str]
    sample: int = 20  # children (persons, agencies) per query for the one-thing median and p95
    rows: dict[str, Row] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def put(
        self,
        measure: str,
        backend: str,
        cell: str,
        number: float | None = None,
        target: tuple[float, float] | None = None,
        rate: bool = False,
        ratio: bool = True,
    ) -> None:
        row = self.rows.setdefault(measure, Row(measure, target=target, rate=rate, ratio=ratio))
        row.values[backend] = cell
        if number is not None:
            row.numbers[backend] = number


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:,.1f} / {p95(samples) * 1000:,.1f} ms"


def verdict(row: Row, backend: str, index: int) -> str:
    if row.target is None or backend not in row.numbers or row.target[index] == float("inf"):
        return ""
    limit, value = row.target[index], row.numbers[backend]
    return "✅" if (value >= limit if row.rate else value <= limit) else "❌"


def target_text(row: Row, backends: list[str]) -> str:
    if row.target is None:
        return ""
    parts = []
    for i, kind in enumerate(("embedded", "neo4j")):
        if kind in backends and row.target[i] != float("inf"):
            limit = row.target[i]
            text = f"≥ {limit:,.0f}/s" if row.rate else f"≤ {limit * 1000:g} ms" if limit < 1 else f"≤ {limit:g}"
            parts.append(f"{kind} {text} {verdict(row, kind, i)}")
    return "; ".join(parts)


def table(bench: Bench) -> str:
    both = len(bench.backends) == 2
    head = ["measure", *bench.backends] + (["embedded ÷ neo4j"] if both else []) + ["target"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in bench.rows.values():
        cells = [row.measure, *(row.values.get(b, "") for b in bench.backends)]
        if both:
            a, b = row.numbers.get("embedded"), row.numbers.get("neo4j")
            cells.append(f"{a / b:.2f}" if row.ratio and a is not None and b else "")
        cells.append(target_text(row, bench.backends))
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)
