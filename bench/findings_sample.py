"""A reproducible sample of the findings engine's findings, each with the text of its cited paragraphs,
for judging by hand against the review (issue 12: "30 findings drawn at random, judged").

    python bench/findings_sample.py [--case child-q-s] [--n 30] [--seed 7] [--backend embedded|neo4j]

Reads the loaded store (load the case first: python cli.py load data/cases/child-q-s). Prints, per
finding: its number in the sample, id, theme, basis, statement, occurrences, the full text of every
cited paragraph and of every counter-evidence paragraph ("but see"), so a reviewer can mark it
correct / partly / wrong against the review's words.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from findings.engine import run_findings  # noqa: E402
from graph.backend import open_backend  # noqa: E402
from loaders.evidence import case_folder, resolver  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", default="child-q-s")
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", choices=("embedded", "neo4j"))
    parser.add_argument("--db")
    args = parser.parse_args()
    backend = open_backend(args.backend, args.db)
    try:
        report = run_findings(backend, args.case)
    finally:
        backend.close()
    text_of = resolver(case_folder(args.case))
    ordered = sorted(report.findings, key=lambda f: f.id)  # the sample does not depend on ranking
    sample = random.Random(args.seed).sample(ordered, min(args.n, len(ordered)))
    print(f"{len(sample)} of {len(report.findings)} findings, seed {args.seed}, case {args.case}\n")
    for i, f in enumerate(sample, start=1):
        print(f"## {i}. {f.id} · {f.theme} · {f.basis}{' · downgraded' if f.downgraded else ''}")
        print(f.statement)
        for o in f.occurrences:
            print(f"  - {o.what} ({o.date_text}) {', '.join(o.refs)}")
        for label, refs in (("evidence", f.evidence), ("but see", f.counter_evidence), ("see also", f.context)):
            for ref in refs:
                print(f"  > {label} {ref}: {' '.join((text_of(ref) or '(no text)').split())}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
