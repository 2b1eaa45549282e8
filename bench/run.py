"""Benchmarks (issue #7): load rate, every registered query, analytics, re-load and memory, as ONE table.

    python bench/run.py [--scale 10|1000|20000[,…]] [--backends embedded,neo4j] [--wipe-neo4j] [--seed 7]

The Child Q & S case and a synthetic case of ``--scale`` children (loaders/synthetic/) are each
loaded into a clean store per backend; every registry query is timed for one child (a sample of
children, median and p95) and for all children (``child=''``). Both backends run when NEO4J_URI is
set; Neo4j must be empty for a fair load, so the script empties it and requires ``--wipe-neo4j``
(other people's tests use the local server: run it when they are not). Prints numbers, asserts
nothing; bench/README.md explains each row and the targets.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gc
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a plain script: `python bench/run.py` from anywhere

from bench import reader, reload  # noqa: E402
from bench.reader import peak_mb as phase_peak_mb  # noqa: E402  (VmHWM, since the last reset_peak)
from bench.reload import time_reload  # noqa: E402
from bench.table import Bench, ms, p95, table  # noqa: E402
from graph import heap  # noqa: E402
from graph import statements as st  # noqa: E402
from graph.backend import Backend, BackendError, Creation, Step, rows_in  # noqa: E402
from graph.load import counts, load_case, load_steps, loaded_cases  # noqa: E402
from graph.schema import load_schema  # noqa: E402
from loaders.records import InputError  # noqa: E402
from loaders.synthetic import generate  # noqa: E402
from loaders.validate import ValidatedCase, validate_path  # noqa: E402
from queries.library import registry, run_query  # noqa: E402

QS_CASE = ROOT / "data" / "cases" / "child-q-s"
MINI_CASE = ROOT / "tests" / "fixtures" / "mini-case"
SLOW = 60.0  # seconds of samples per query and mode; a slow query is run fewer times
ANALYTICS_CHILDREN = 5  # children sampled for the per-child analytics rows
TIMEOUT = 300.0  # seconds after which the embedded engine stops a query
ROWS_PER_TRANSACTION = 100_000  # when Neo4j refuses a whole case in one transaction
CASELOAD = ("caseload_persons", "linked_children", "child_network")  # the caseload view: ≤ 1 s embedded (issue 17)
# The parameter that narrows each query to one thing, in order of preference.
FOCUS = {"child": "Child", "person": "PersonOfConcern", "agency": "Agency"}
T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def log(message: str) -> None:
    """Progress on stderr (a 20,000-child run takes a while); the table alone goes to stdout."""
    print(f"[{time.strftime('%H:%M:%S')}] {message} (peak {peak_mb():,.0f} MB)", file=sys.stderr, flush=True)


_cleared_peak_mb = 0.0  # the highest phase peak that reset_peak cleared (peak_mb)


def peak_mb() -> float:
    """This process's peak resident memory since it started. Linux's ``ru_maxrss`` is the current VmHWM or
    the highest one a thread of the process saw as it ended, so a phase's peak cleared by ``reset_peak`` is
    lost from it unless a thread ended meanwhile (measured: 1,778 MB fell to 1,483 MB); the cleared peaks are
    kept here, so the process's peak includes every phase."""
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, _cleared_peak_mb)  # KB on Linux


def reset_peak() -> None:
    """Start a new phase's peak (``bench.reader.reset_peak``), keeping the one it clears for ``peak_mb``."""
    global _cleared_peak_mb
    _cleared_peak_mb = max(_cleared_peak_mb, phase_peak_mb())
    reader.reset_peak()


def release_memory() -> None:
    """Give what this process has dropped back to the operating system, so its resident memory (what the 2 GB
    bound of issue 17 is measured on) falls with it: the cyclic collector frees what only cycles held; Arrow's
    pool (mimalloc) keeps freed buffers for reuse until ``release_unused``; and glibc keeps the freed pages of
    its heap, where Python's larger objects live (up to 64 MB at its top by design: ``graph.heap``), until
    ``malloc_trim``."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    heap.give_back()


def put_phase_peak(bench: Bench, label: str, phase: str, backend: Backend) -> None:
    mb = phase_peak_mb()
    bench.put(f"{label}: peak memory, {phase} (MB)", backend.name, f"{mb:,.0f}", mb, (2048, float("inf")), ratio=False)
    reset_peak()


# --- stores ---------------------------------------------------------------------------------------


def open_store(kind: str, folder: Path, name: str) -> Backend:
    if kind == "embedded":
        from graph.embedded import EmbeddedBackend

        return EmbeddedBackend(folder / f"{name}.lbug")
    from graph.neo4j_backend import Neo4jBackend

    backend = Neo4jBackend.from_environment()
    backend.verify()
    empty_neo4j(backend)
    return backend


def empty_neo4j(backend: Backend) -> None:
    """Delete every loaded case with the generated per-case statements, one type per transaction
    (a single 1M-relationship delete would need more transaction memory than a small server has)."""
    schema = load_schema()
    backend.ensure_schema()
    for case_id in loaded_cases(backend):
        for etype in schema.edges.values():
            backend.write([(st.edge_delete_case(etype), {"case_id": case_id})])
        for ntype in schema.nodes.values():
            backend.write([(st.node_prune(ntype), {"case_id": case_id, "ids": []})])
    left = counts(backend)
    if any(left["nodes"].values()) or any(left["relationships"].values()):
        raise BackendError(
            "Neo4j still holds data that belongs to no case (no case_id); empty it by hand before benchmarking"
        )


# --- measurements ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CaseSample:
    """What the phases after a load read of a case: its id and, per label FOCUS names, the ids they draw
    their samples from. Kept instead of the validated case, whose rows (0.64 GB at 20,000 children, and
    more that validating left in the allocator) nothing after the load needs (issue 17's 2 GB bound)."""

    case_id: str
    ids: dict[str, tuple[str, ...]]  # label → every id of that label, in the case's order


def case_sample(case: ValidatedCase) -> CaseSample:
    """The ``CaseSample`` of a validated case, read from its Arrow columns; the ids keep the case's order, so
    each phase draws the same children as it did from the case's rows."""
    labels = set(FOCUS.values())
    ids = {label: tuple(table.column("id").to_pylist()) for label, table in case.nodes.tables() if label in labels}
    return CaseSample(case.case_id, ids)


def focus_values(case: CaseSample, rng: random.Random, size: int) -> dict[str, list[str]]:
    """For each focus parameter, a sample of ids to run the one-thing query with."""
    out: dict[str, list[str]] = {}
    for param, label in FOCUS.items():
        ids = case.ids.get(label, ())
        out[param] = rng.sample(ids, min(size + 1, len(ids))) if ids else []  # + a warm-up
    return out


def set_timeout(backend: Backend, seconds: float | None) -> None:
    """Stop a runaway query on the embedded engine (``run_query`` names no timeout, so the store's default
    is set), or let queries run as the app's do (None). Neo4j queries are not stopped: slow ones are run fewer
    times."""
    if hasattr(backend, "default_timeout"):
        backend.default_timeout = seconds


def sample(run: Callable[[], list], times: int, budget: float) -> tuple[list[float], int, bool]:
    """Up to ``times`` timings of ``run`` while their sum stays within ``budget`` seconds; the rows of
    the last run, and whether a run was stopped by the timeout."""
    samples: list[float] = []
    rows = 0
    for _ in range(times):
        try:
            seconds, result = timed(run)
        except BackendError as exc:
            if "interrupt" in str(exc).lower():
                return samples, rows, True
            raise
        samples.append(seconds)
        rows = len(result)
        if sum(samples) > budget:
            break
    return samples, rows, False


def cell(samples: list[float], planned: int, stopped: bool, rows: int | None = None) -> str:
    if not samples:
        return f"stopped after {TIMEOUT:.0f} s"
    text = ms(samples) + (f" (n={len(samples)})" if len(samples) < planned else "")
    return text + (f", {rows:,} rows" if rows is not None else "") + (" (a later run stopped)" if stopped else "")


def time_queries(bench: Bench, backend: Backend, case: CaseSample, label: str, rng: random.Random, repeat: int) -> None:
    """Each query for one child (or person, agency, case) over a sample, as the app asks it (no timeout: the
    embedded engine's costs 1.3-3 ms of CPU a read, measured on the two slowest one-child questions at
    20,000 children), then for everything, stopped after TIMEOUT."""
    focus = focus_values(case, rng, bench.sample)
    for qid, spec in registry().items():
        log(f"{label} on {backend.name}: {qid}")
        param = next((p for p in FOCUS if p in spec.parameters), None)
        set_timeout(backend, None)
        if param and focus[param]:
            values = iter((focus[param] * (bench.sample + 1))[: bench.sample + 1])  # a small case: in turn
            samples, _, stopped = sample(
                lambda q=qid, p=param, v=values: run_query(backend, q, case.case_id, **{p: next(v)}),
                bench.sample + 1,
                SLOW,
            )
            samples = samples[1:] or samples  # the first run is a warm-up (plan caches, first use)
            what = "one child" if param == "child" else f"one {param.replace('_id', '')}"
            target = (1.0, float("inf")) if qid in CASELOAD else (0.010, 0.050) if param == "child" else None
            bench.put(
                f"{label}: `{qid}` {what}, median / p95",
                backend.name,
                cell(samples, bench.sample, stopped),
                p95(samples) if samples else float("inf"),
                target,
            )
        set_timeout(backend, TIMEOUT)
        samples, rows, stopped = sample(lambda q=qid: run_query(backend, q, case.case_id), repeat, SLOW)
        bench.put(
            f"{label}: `{qid}` all, median / p95",
            backend.name,
            cell(samples, repeat, stopped, rows),
            statistics.median(samples) if samples else float("inf"),
            (1.0, float("inf")) if qid == "caseload_persons" else None,
        )


def time_sweep(bench: Bench, backend: Backend, case: CaseSample, label: str, folder: Path) -> None:
    """The caseload sweep in this process, on Neo4j (the embedded store's runs in the read-only reader,
    ``time_reader``, as ``cli.py caseload --summary`` runs it): the findings engine over every child, counted
    per child and theme (``findings.sweep.caseload_summary``, once). A Neo4j store's summary is not kept."""
    from findings.sweep import caseload_summary

    log(f"{label} on {backend.name}: caseload sweep (the findings engine over every child)")
    seconds, (summary, _) = timed(
        lambda: caseload_summary(backend, case.case_id, folder / f"summaries-{backend.name}", recompute=True)
    )
    put_sweep(bench, label, backend.name, {"seconds": seconds, "children": len(summary.counts), "read_seconds": None})


def put_sweep(bench: Bench, label: str, store: str, swept: dict[str, float | None]) -> None:
    """The sweep's rows: its seconds and children, and the kept summary's read (median of three), if kept."""
    seconds, read = float(swept["seconds"] or 0), swept["read_seconds"]
    what = f"{seconds:,.1f} ({int(swept['children'] or 0):,} children)"
    bench.put(f"{label}: caseload sweep, the findings engine over every child (s)", store, what, seconds)
    if read is None:
        bench.put(f"{label}: caseload summary read, once computed (s)", store, "n/a: not kept for this store")
    else:
        bench.put(f"{label}: caseload summary read, once computed (s)", store, f"{read:,.3f}", read, (2.0, 2.0))


def time_reader(bench: Bench, backend: Backend, case: CaseSample, label: str, folder: Path, rng: random.Random) -> None:
    """The one-child questions and the caseload view, every question for all children, and the caseload
    sweep, from a fresh read-only process with the store's default page cache (bench/reader.py): what the
    app and the reading commands need, apart from what this process's validation and load kept."""
    log(f"{label} on embedded: one-child questions, every question and the caseload sweep in a read-only process")
    children = focus_values(case, rng, bench.sample)["child"]
    try:
        answer = reader.measure(Path(backend.path), case.case_id, folder / "summaries-embedded", children)
    except RuntimeError as exc:  # its own process: record the failure, keep the table
        bench.put(f"{label}: one-child questions, read-only process", "embedded", f"failed: {exc}")
        return
    for kind, limit, qids in (
        ("one-child questions", 0.010, [q for q in answer["seconds"] if q not in CASELOAD]),
        ("caseload view, one child", 1.0, [q for q in answer["seconds"] if q in CASELOAD]),
    ):
        times = {q: answer["seconds"][q] for q in qids}
        slowest = max(times, key=lambda q: p95(times[q]))
        over = sorted((q for q in times if p95(times[q]) > limit), key=lambda q: -p95(times[q]))
        over_text = "; over: " + ", ".join(f"`{q}` p95 {p95(times[q]) * 1000:.1f} ms" for q in over) if over else ""
        bench.put(
            f"{label}: {kind}, read-only process: within target / slowest median / p95",
            "embedded",
            f"{len(times) - len(over)} of {len(times)}; `{slowest}` {ms(times[slowest])}{over_text}",
            p95(times[slowest]),
            (limit, float("inf")),
        )
    put_sweep(bench, label, "embedded", answer["sweep"])
    for phase, mb in answer["peaks_mb"].items():
        bench.put(
            f"{label}: peak memory, read-only process: {phase} (MB)",
            "embedded",
            f"{mb:,.0f}",
            mb,
            (2048, float("inf")),
            ratio=False,
        )


def time_analytics(bench: Bench, backend: Backend, case: CaseSample, label: str, rng: random.Random) -> None:
    """Silo analytics for one child on its neighbourhood (``findings.silo.child_graph``), read from the
    store around the child: the export, the measures, both (target ≤ 1 s), and a what-if."""
    try:
        from findings import silo as analytics
    except ImportError:
        bench.put(f"{label}: analytics", backend.name, "n/a (findings/silo/ absent)")
        return
    log(f"{label} on {backend.name}: analytics")
    children = case.ids.get("Child", ())
    sample = rng.sample(children, min(ANALYTICS_CHILDREN, len(children)))
    analytics.child_graph(backend, case.case_id, sample[0])  # warm-up (plan caches, first use)
    exports, measures = [], []
    for child in sample:
        export, g = timed(lambda c=child: analytics.child_graph(backend, case.case_id, c))
        exports.append(export)
        measures.append(timed(lambda c=child, g=g: analytics.analyse(g, c))[0])
    both = [a + b for a, b in zip(exports, measures, strict=True)]
    what = f"one child's neighbourhood (n={len(sample)})"
    bench.put(f"{label}: analytics — export {what}, median / p95", backend.name, ms(exports))
    bench.put(f"{label}: analytics — `analyse` {what}, median / p95", backend.name, ms(measures))
    bench.put(
        f"{label}: analytics — export + `analyse` {what}, median / p95",
        backend.name,
        ms(both),
        p95(both),
        (1.0, 1.0),
    )
    child = sample[0]
    parties = analytics.analyse(analytics.child_graph(backend, case.case_id, child), child)["centrality"]["parties"]
    if parties:  # the what-if as the app runs it: the neighbourhood with what the change names, then the copy
        remove = [parties[0]["id"]]
        seconds, _ = timed(
            lambda: analytics.what_if(analytics.child_graph(backend, case.case_id, child, remove), child, remove)
        )
        what = "what-if without one child's most central party, end to end (s)"
        bench.put(f"{label}: analytics — {what}", backend.name, f"{seconds:,.2f}")


def time_app(bench: Bench, tmp: Path, synthetic: Path | None, label: str) -> None:
    """The explorer's first-render times, from the app engineer's bench/app_render.py when it exists:
    its ``measure(label, tmp, case_folder)`` starts the app on a fresh embedded store (validate + load
    included) and returns (case, what, value) rows. The curated case always; the synthetic one only
    at 10 children (app_render.py sizes its own synthetic case to the Network page's node cap)."""
    try:
        from bench import app_render  # type: ignore[attr-defined]
    except ImportError:
        return
    keys = ("NEO4J_URI", "JOINED_UP_BACKEND", "JOINED_UP_DB", "JOINED_UP_CASE")
    saved = {k: os.environ.pop(k) for k in keys if k in os.environ}  # the app on the embedded store
    try:
        for name, folder in [("Child Q & S", None)] + ([(label, synthetic)] if synthetic else []):
            log(f"app first render: {name}")
            try:
                rows = app_render.measure(name, tmp, folder)
            except Exception as exc:  # the app's own script: record its failure, keep the table
                bench.put(f"app, {name}", "embedded", f"failed: {type(exc).__name__}: {exc}")
                continue
            for case, what, value in rows:
                bench.put(f"app, {case}: {what}", "embedded", value)
    finally:
        for k in keys:
            os.environ.pop(k, None)
        os.environ.update(saved)


def load(
    bench: Bench, backend: Backend, case: ValidatedCase, measure: str, target: tuple[float, float] | None = None
) -> bool:
    """Load and record the rate. A refused load (Neo4j's transaction memory limit at 1M relationships) is
    recorded, then the same statements are committed in parts so the queries can still be measured."""
    log(f"loading {case.case_id} into {backend.name}")
    try:
        report = load_case(backend, case)
    except BackendError as exc:
        bench.put(measure, backend.name, f"failed: {exc}", 0.0, target, rate=True)
        if backend.name != "neo4j":
            return False
        log(f"loading {case.case_id} into {backend.name} in transactions of {ROWS_PER_TRANSACTION:,} rows")
        seconds = load_in_parts(backend, case)
        rate = len(case.edges) / seconds
        bench.put(
            f"{measure}, in transactions of {ROWS_PER_TRANSACTION:,} rows (not all-or-nothing)",
            backend.name,
            f"{rate:,.0f} rel/s ({len(case.edges):,} in {seconds:,.1f} s)",
            rate,
            target,
            rate=True,
        )
        return True
    bench.put(
        measure,
        backend.name,
        f"{report.rate:,.0f} rel/s ({report.relationships:,} in {report.seconds:,.1f} s)",
        report.rate,
        target,
        rate=True,
    )
    return True


def load_in_parts(backend: Backend, case: ValidatedCase) -> float:
    """graph.load's own statements for a first load, committed every ROWS_PER_TRANSACTION rows (nodes
    before edges, as load_steps orders them): the store ends as after load_case, but a failure
    half-way would leave part of the case."""
    backend.ensure_schema()
    start = time.perf_counter()
    part: list[Step] = []
    rows = 0
    for whole in load_steps(case):
        for step in pieces(whole, ROWS_PER_TRANSACTION):
            part.append(step)
            rows += rows_in(step)
            if rows >= ROWS_PER_TRANSACTION:
                backend.write(part)
                part, rows = [], 0
    if part:
        backend.write(part)
    return time.perf_counter() - start


def pieces(step: Step, size: int) -> Iterator[Step]:
    """A creation cut into creations of at most ``size`` rows, so each transaction stays small."""
    if not isinstance(step, Creation):
        yield step
        return
    for i in range(0, step.table.num_rows, size):
        yield dataclasses.replace(step, table=step.table.slice(i, size))


@contextmanager
def store(kind: str, folder: Path, name: str) -> Iterator[Backend]:
    """A clean store for one phase; Neo4j is emptied again afterwards (it is shared with tests), and what the
    embedded engine kept is given back once it is closed (``release_memory``: after the curated case alone,
    0.67 GB stayed resident without it, 0.18 GB with it, and the next case is validated on top)."""
    backend = open_store(kind, folder, name)
    try:
        yield backend
    finally:
        try:
            if kind == "neo4j":
                empty_neo4j(backend)
        finally:
            backend.close()
            release_memory()


def load_generated(bench: Bench, backend: Backend, case_folder: Path, label: str) -> CaseSample | None:
    """Validate the generated case (timed) and load it into ``backend``: its ``CaseSample``, or None if the
    load failed. The validated case is dropped once loaded and its memory given back (``release_memory``):
    held beside the engine's page cache through the queries, it took the benchmark's process over issue 17's
    2 GB. Each store's run validates the case anew (38 s at 20,000 children), so none holds it for the next."""
    log("validating")
    seconds, case = timed(lambda: validate_path(case_folder))
    what = f"{seconds:,.1f} ({len(case.nodes):,} nodes, {len(case.edges):,} rel.)"
    bench.put(f"{label}: validate (s)", backend.name, what)
    reset_peak()  # the load's peak, as before: validating is not part of it
    if not load(bench, backend, case, f"{label}: first load", (100_000, 20_000)):
        return None
    kept = case_sample(case)
    del case
    release_memory()
    return kept


def run_backend(
    bench: Bench,
    kind: str,
    folder: Path,
    case_folder: Path,
    small: ValidatedCase | None,
    scale: int,
    repeat: int,
    seed: int,
    curated_alone: bool = True,
) -> None:
    """The curated case alone (unless ``curated_alone`` is False: it was measured at an earlier scale), then
    the synthetic case in ``case_folder``: validate and load, queries, the reader, analytics, and the curated
    case added and re-loaded."""
    label = f"synthetic {scale:,}"
    if small is not None and curated_alone:
        with store(kind, folder, "small") as backend:
            if load(bench, backend, small, f"{small.case_id}: first load"):
                time_queries(bench, backend, case_sample(small), small.case_id, random.Random(seed), repeat)
    with store(kind, folder, f"big-{scale}") as backend:
        synthetic = load_generated(bench, backend, case_folder, label)
        if synthetic is None:
            return
        put_phase_peak(bench, label, "load", backend)
        time_queries(bench, backend, synthetic, label, random.Random(seed), repeat)
        put_phase_peak(bench, label, "queries", backend)
        if kind == "embedded":
            time_reader(bench, backend, synthetic, label, folder, random.Random(seed))
        else:
            time_sweep(bench, backend, synthetic, label, folder)
            put_phase_peak(bench, label, "caseload sweep", backend)
        time_analytics(bench, backend, synthetic, label, random.Random(seed))
        if kind != "embedded":
            reset_peak()
            phase_done = functools.partial(put_phase_peak, bench, label, backend=backend)
            time_reload(bench.put, backend, small or validate_path(MINI_CASE), label, log, phase_done)
    if kind == "embedded":  # closed above: the re-load process opens it for writing
        reload_apart(bench, folder / f"big-{scale}.lbug", QS_CASE if small is not None else MINI_CASE, label)


def reload_apart(bench: Bench, path: Path, case_folder: Path, label: str) -> None:
    """The add and re-load rows on the embedded store from their own process (``bench/reload.py``), as
    ``cli.py load`` adds a review to a store, with each phase's peak memory."""
    log(f"adding and re-loading {case_folder.name} in the big store, in a process of its own")
    try:
        answer = reload.measure(path, case_folder, label)
    except RuntimeError as exc:
        bench.put(f"{label}: add and re-load, own process", "embedded", f"failed: {exc}")
        return
    for row in answer["rows"]:
        bench.put(*row)
    for phase, mb in answer["peaks_mb"]:
        bench.put(
            f"{label}: peak memory, {phase}, own process (MB)",
            "embedded",
            f"{mb:,.0f}",
            mb,
            (2048, float("inf")),
            ratio=False,
        )


def generated_case(bench: Bench, folder: Path, scale: int, seed: int) -> Path:
    """The synthetic case of ``scale`` children, generated into ``folder`` (timed); each store's run validates
    it (``load_generated``), so no validated case outlives its load."""
    log(f"generating {scale:,} children")
    seconds, _ = timed(lambda: generate(scale, seed, folder))
    bench.put(f"synthetic {scale:,}: generate (s)", bench.backends[0], f"{seconds:,.1f}")  # as on any store
    return folder


def curated_case(bench: Bench) -> ValidatedCase | None:
    """Child Q & S, or None (and a note) when it does not validate: the re-load rows then use the mini case."""
    try:
        return validate_path(QS_CASE)
    except InputError as exc:
        bench.notes.append(
            f"Child Q & S case skipped: {len(exc.problems)} validation problem(s); "
            "the re-load rows use the mini test case."
        )
        return None


def scales(text: str) -> list[int]:
    """``--scale``: one size or several, comma-separated, each measured in turn into the one table."""
    sizes = [int(part) for part in text.split(",")]
    if not sizes or any(size not in (10, 1000, 20000) for size in sizes):
        raise argparse.ArgumentTypeError(f"expected 10, 1000 or 20000, comma-separated; got {text!r}")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=scales, default=[1000], help="synthetic children: 10, 1000 or 20000, or several (1000,20000)"
    )
    parser.add_argument("--backends", help="comma-separated: embedded,neo4j (default: both when NEO4J_URI is set)")
    parser.add_argument("--wipe-neo4j", action="store_true", help="allow emptying the Neo4j database NEO4J_URI names")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=20, help="children per one-child query (default 20)")
    parser.add_argument("--runs", type=int, help="runs per all-children query (default 5; 3 at 20,000)")
    args = parser.parse_args(argv)
    wanted = (args.backends or ("embedded,neo4j" if os.environ.get("NEO4J_URI") else "embedded")).split(",")
    bench = Bench([b for b in ("embedded", "neo4j") if b in wanted], sample=args.sample)
    if "neo4j" in bench.backends:
        if not os.environ.get("NEO4J_URI"):
            print('error: --backends neo4j needs NEO4J_URI (eval "$(scripts/neo4j-local env)")', file=sys.stderr)
            return 2
        if not args.wipe_neo4j:
            print(
                f"warning: the benchmark EMPTIES the Neo4j database at {os.environ['NEO4J_URI']} (shared with "
                "other people's tests); rerun with --wipe-neo4j to allow it, or --backends embedded",
                file=sys.stderr,
            )
            return 2
    else:
        bench.notes.append("Embedded only: set NEO4J_URI and pass --wipe-neo4j to compare with Neo4j.")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="joined-up-bench-") as tmp:
        folder = Path(tmp)
        small = curated_case(bench)
        try:
            for n, scale in enumerate(args.scale):
                case_folder = generated_case(bench, folder / f"synthetic-{scale}", scale, args.seed)
                repeat = args.runs or (3 if scale >= 20_000 else 5)
                for kind in bench.backends:
                    run_backend(bench, kind, folder, case_folder, small, scale, repeat, args.seed, n == 0)
                    bench.put(
                        "peak memory of this process so far, maxrss (MB)",
                        kind,
                        f"{peak_mb():,.0f}",
                        peak_mb(),
                        (2048, float("inf")),
                        ratio=False,
                    )
            if "embedded" in bench.backends:  # the app is measured on the embedded store
                at_ten = folder / "synthetic-10" if 10 in args.scale else None
                time_app(bench, folder, at_ten, "synthetic 10")
        finally:
            print(table(bench))  # what was measured, even when a later phase fails
    print()
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, seed {args.seed}. Query times include fetching "
        "and normalising rows (queries.library.run_query); one child = the same sample of children on each "
        "backend. Peak memory is this process's, cumulative in column order (a Neo4j server's own is not counted). "
        f"Load average (1 min) at start {load_before:.1f}, at end {os.getloadavg()[0]:.1f}. Ratios: below 1 the "
        "embedded store is faster for times, above 1 for rates."
    )
    for note in bench.notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
