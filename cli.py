"""Joined-Up on the command line: validate, load and summarise cases; report gaps; generate data.

Argument parsing only: every command calls loaders/, graph/, queries/ or findings/
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from graph.backend import BackendError, open_backend
from loaders.output import OutputError, output_target, write_output
from loaders.records import InputError, warnings_report
from loaders.safety import printable

if TYPE_CHECKING:
    from loaders.validate import ValidatedCase

DEFAULT_CASE = Path(__file__).resolve().parent / "data" / "cases" / "child-q-s"


def _progress_printer(label: str):
    start = time.perf_counter()
    last = [0.0]

    def show(done: int, total: int) -> None:
        now = time.perf_counter()
        if total < 2_000 or (now - last[0] < 0.5 and done < total):
            return
        last[0] = now
        rate = done / max(now - start, 1e-9)
        print(
            f"\r{label}: {done:,}/{total:,} rows ({rate:,.0f} rows/s)",
            end="" if done < total else "\n",
            file=sys.stderr,
            flush=True,
        )

    return show


def _print_problems(exc: InputError, path: str, outcome: str) -> None:
    print(exc.report(path, outcome), file=sys.stderr)


def _print_warnings(case: ValidatedCase) -> None:
    """Unlikely but possible values: shown with the same cap as problems, never blocking."""
    if text := warnings_report(case.warnings):
        print(text, file=sys.stderr)


def _validate_chronologies(folder: Path) -> int:
    """A folder of agency returns (no case.yaml): every problem with file, row, column and value."""
    from loaders.chronologies import import_set

    try:
        imported = import_set(folder, "check")
    except InputError as exc:
        _print_problems(exc, str(folder), "nothing would be loaded")
        return 1
    print(
        f"valid: {len(imported.chron.returns)} agency chronologies with {len(imported.chron.entries):,} rows; "
        f"load them with: python cli.py chronologies {printable(str(folder))} --case ID --load"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from loaders.chronologies.mapping import SET_FILE
    from loaders.validate import validate_path

    folder = Path(args.path)
    if folder.is_dir() and not (folder / "case.yaml").exists() and (folder / SET_FILE).exists():
        return _validate_chronologies(folder)
    try:
        case = validate_path(args.path)
    except InputError as exc:
        _print_problems(exc, args.path, "nothing would be loaded")
        return 1
    _print_warnings(case)
    print(f"valid: case '{case.case_id}' with {len(case.nodes):,} nodes and {len(case.edges):,} relationships")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from loaders.validate import validate_path

    try:
        case = validate_path(args.path, case_id=args.case)
    except InputError as exc:
        _print_problems(exc, args.path, "nothing was loaded")
        return 1
    _print_warnings(case)
    return _load_validated(args, case)


def _load_validated(args: argparse.Namespace, case: ValidatedCase) -> int:
    """Load a validated case (a loaded case of the same id only with --replace) and say what changed."""
    from graph.load import load_case

    backend = open_backend(args.backend, args.db)
    try:
        report = load_case(
            backend, case, batch_size=args.batch_size, progress=_progress_printer("loading"), replace=args.replace
        )
    finally:
        backend.close()
    print(report.text(backend.name))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from graph.load import counts, counts_report

    backend = open_backend(args.backend, args.db, read_only=True)
    try:
        result = counts(backend, args.case)
    finally:
        backend.close()
    print(counts_report(result, args.case, backend.name, args.format))
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    from findings.engine import run_findings
    from findings.report import render
    from loaders.evidence import case_folder, resolver

    target = output_target(args.out, args.force) if args.out else None
    backend = open_backend(args.backend, args.db, read_only=True)
    try:
        report = run_findings(backend, args.case, args.child or None)
    finally:
        backend.close()
    if not report.children:
        child = f" and child {printable(args.child)}" if args.child else ""
        print(
            f"error: no children found for case '{printable(args.case)}'{child}; "
            "load the case first (python cli.py load PATH)",
            file=sys.stderr,
        )
        return 1
    text = render(report, args.format, resolver(case_folder(args.case)))
    if target:
        write_output(target, text)
        print(f"wrote {len(report.findings)} findings and {len(report.questions)} questions to {printable(args.out)}")
    else:
        print(text)
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from loaders.synthetic import generate

    output_target(args.out, args.force, folder=True)
    try:
        folder = generate(args.children, args.seed, args.out)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"wrote a synthetic case of {args.children:,} children (seed {args.seed}) to {folder}; "
        f"load it with: python cli.py load {folder}"
    )
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from loaders.documents import DocumentError
    from loaders.extract import extract_case, print_summary

    output_target(args.out, args.force, folder=True)
    summary_json = output_target(args.summary_json, args.force) if args.summary_json else None
    try:
        summary = extract_case(args.review, args.out, case_id=args.case)
    except DocumentError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 1
    print(print_summary(summary))
    if summary_json:
        write_output(summary_json, json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


def cmd_chronologies(args: argparse.Namespace) -> int:
    import tempfile

    from findings.crosscheck import as_yaml, cross_check, summary_text
    from loaders.chronologies import import_set
    from loaders.chronologies.build import write_case
    from loaders.validate import validate_path

    if not args.out and not args.load:
        print("error: say what to do: --out FOLDER (a reviewable case folder), --load, or both", file=sys.stderr)
        return 2
    target = output_target(args.out, args.force, folder=True) if args.out else None
    try:
        imported = import_set(Path(args.folder), args.case, Path(args.mapping) if args.mapping else None)
    except InputError as exc:
        _print_problems(exc, args.folder, "nothing was written or loaded")
        return 1
    found = cross_check(imported)
    review = imported.review | {"crosscheck.yaml": {"crosscheck": as_yaml(found)}}
    with tempfile.TemporaryDirectory(prefix="chronologies-") as scratch:
        out = target or Path(scratch)
        write_case(out, imported.files, imported.chron, review)
        try:
            case = validate_path(out)
        except InputError as exc:
            _print_problems(exc, str(out), "nothing was loaded")
            return 1
        print(summary_text(imported, found, args.composite))
        if target:
            print(f"wrote case '{case.case_id}' to {printable(str(target))} (review/: merges, conflicts, cross-checks)")
        return _load_validated(args, case) if args.load else 0


def cmd_caseload(args: argparse.Namespace) -> int:
    from findings.caseload import caseload_answers, caseload_report

    if args.summary:
        return _caseload_summary(args)
    backend = open_backend(args.backend, args.db, read_only=True)
    try:
        answers = caseload_answers(backend, args.case, args.child, args.top)
    finally:
        backend.close()
    if answers is None:
        print(f"error: no child {printable(args.child)} in case '{printable(args.case)}'", file=sys.stderr)
        return 1
    print(caseload_report(answers, args.case, args.child, args.top, args.format))
    return 0


def _caseload_summary(args: argparse.Namespace) -> int:
    from findings.caseload import summary_report
    from findings.sweep import caseload_summary

    backend = open_backend(args.backend, args.db, read_only=True)
    try:
        summary, kept = caseload_summary(backend, args.case, recompute=args.recompute)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        backend.close()
    if not summary.counts:
        print(f"error: case '{printable(args.case)}' has no child in the store", file=sys.stderr)
        return 1
    print(summary_report(summary, kept, args.format))
    return 0


def _with_backend(p: argparse.ArgumentParser) -> None:
    """--backend and --db, for every command that opens a store."""
    p.add_argument(
        "--backend",
        choices=["embedded", "neo4j"],
        help="graph store (default: embedded, or neo4j when NEO4J_URI is set)",
    )
    p.add_argument("--db", help="embedded store file (default: var/joined-up.lbug or $JOINED_UP_DB)")


def _with_force(p: argparse.ArgumentParser) -> None:
    """--force, for every command that writes a file or folder."""
    p.add_argument("--force", action="store_true", help="overwrite an existing non-empty output")


def _add_case_commands(sub: argparse._SubParsersAction) -> None:
    """validate, load and summary: a case into the store and what it holds."""
    p = sub.add_parser("validate", help="check a case folder or file and list every problem")
    p.add_argument(
        "path", help="case folder (with case.yaml), a .yaml/.json/.csv/.xlsx file, or a folder of agency chronologies"
    )
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("load", help="validate, then load a case into the graph (all or nothing)")
    p.add_argument("path", nargs="?", default=str(DEFAULT_CASE), help="case folder or file (default: Child Q & S)")
    p.add_argument("--batch-size", type=int, default=5_000, help="rows per UNWIND batch (default 5000)")
    p.add_argument(
        "--case",
        help="case id for files that do not declare one (a chronology spreadsheet); "
        "default: derived from the file name, refused if that case is loaded",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace the case if it is already loaded (prints what changes: +n/−m nodes and relationships)",
    )
    _with_backend(p)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("summary", help="count nodes and relationships per type")
    p.add_argument("--case", help="case id, e.g. child-q-s (default: everything in the store)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    _with_backend(p)
    p.set_defaults(func=cmd_summary)


def _add_report_commands(sub: argparse._SubParsersAction) -> None:
    """gaps and caseload: questions asked of a loaded case."""
    p = sub.add_parser("gaps", help="run the findings engine and write the findings report with evidence")
    p.add_argument("--case", required=True, help="case id, e.g. child-q-s")
    p.add_argument("--child", help="one child's id, e.g. Q (default: every child of the case)")
    p.add_argument("--format", choices=["md", "csv", "json", "html"], default="md")
    p.add_argument("--out", help="write to this file instead of standard output")
    _with_force(p)
    _with_backend(p)
    p.set_defaults(func=cmd_gaps)

    p = sub.add_parser("caseload", help="children linked by persons of concern or places, within one case")
    p.add_argument("--case", required=True, help="case id (a caseload is one case)")
    p.add_argument("--child", help="one child's id: its linked children and two-step network")
    p.add_argument("--top", type=int, default=20, help="persons of concern listed (default 20)")
    p.add_argument(
        "--summary",
        action="store_true",
        help="findings per child and theme, most first (the engine over every child, kept until the store changes)",
    )
    p.add_argument(
        "--recompute", action="store_true", help="with --summary: run the engine again, replacing the kept one"
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    _with_backend(p)
    p.set_defaults(func=cmd_caseload)


def _add_source_commands(sub: argparse._SubParsersAction) -> None:
    """extract, chronologies and generate: case files made from reviews, returns or a seed."""
    p = sub.add_parser("extract", help="draft a case (with ¶ refs) from a published review: .txt, .docx or .pdf")
    p.add_argument("review", help="the review document")
    p.add_argument("--out", required=True, help="folder to write the draft case to")
    p.add_argument("--case", help="case id for the draft (default: from the file name)")
    p.add_argument("--summary-json", help="also write what was found per type as JSON")
    _with_force(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("chronologies", help="agency chronologies (CSV/XLSX/DOCX returns) → a reconciled case")
    p.add_argument("folder", help="folder of agency returns (with an optional chronologies.yaml and reconcile.yaml)")
    p.add_argument("--case", required=True, help="case id, e.g. child-a")
    p.add_argument("--mapping", help="a mapping file for odd headings (headings: {'Seen on': date})")
    p.add_argument("--out", help="write the reviewable case folder here (YAML with sources; review/ for merges)")
    p.add_argument("--load", action="store_true", help="load the reconciled case into the store")
    p.add_argument("--replace", action="store_true", help="with --load: replace a case of the same id")
    p.add_argument("--batch-size", type=int, default=5_000, help="rows per UNWIND batch (default 5000)")
    p.add_argument("--composite", action="store_true", help="print the composite chronology (every row, in date order)")
    _with_force(p)
    _with_backend(p)
    p.set_defaults(func=cmd_chronologies)

    p = sub.add_parser("generate", help="write a synthetic case folder (made-up children, for benchmarks and tests)")
    p.add_argument(
        "--children", type=int, default=1_000, help="number of children (default 1000; 20000 ≈ 1M relationships)"
    )
    p.add_argument("--seed", type=int, default=7, help="random seed: the same seed writes byte-identical files")
    p.add_argument(
        "--out",
        required=True,
        help="new or empty folder to write (with --force, an earlier synthetic case's .json files are replaced)",
    )
    _with_force(p)
    p.set_defaults(func=cmd_generate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python cli.py",
        description="Joined-Up: turn a safeguarding case into a graph and ask it the questions reviewers ask.",
        epilog="The embedded store is the default (no server needed); set NEO4J_URI (and NEO4J_USER, "
        "NEO4J_PASSWORD) or pass --backend neo4j to use a Neo4j server.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_case_commands(sub)
    _add_report_commands(sub)
    _add_source_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (BackendError, OutputError) as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:  # a write that failed halfway (disk full, a folder removed): one line, no traceback
        print(f"error: {printable(str(exc.filename or ''))}: {exc.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
