"""Time to first render of every page of the explorer (issues #6, #15), headless.

    python bench/app_render.py [--children N] [--skip-synthetic]

Two cases, each on a fresh embedded store: the curated Child Q & S case, and a synthetic case
(loaders/synthetic/) sized so that the Network page's default view has about 2,000 nodes, the
most it draws. Each page is run by streamlit.testing.v1.AppTest in this process: "first" is a
cold run (nothing cached: queries, case graph, pyvis HTML), "again" a rerun with the caches warm,
as when a reviewer changes a widget. Times are the Python side only; the browser then needs a
few seconds more to lay out a 2,000-node network (research note: about 5 s with the tuned
options). For Child Q & S every page is also timed cold (answers cache emptied before each), for
all children and for Child Q. Prints numbers, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a plain script: `python bench/app_render.py` from anywhere

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from graph.embedded import EmbeddedBackend  # noqa: E402
from graph.export import to_networkx  # noqa: E402
from graph.load import load_case  # noqa: E402
from loaders.synthetic import generate  # noqa: E402
from loaders.validate import validate_path  # noqa: E402
from views.graph_view import HIDDEN_BY_DEFAULT, MAX_NODES, ViewFilter, build_view  # noqa: E402

APP = str(ROOT / "app.py")
PAGES = ("overview", "network", "timeline", "gaps", "horizon", "offenders", "silo", "console", "export", "load")


def default_view_nodes(folder: Path) -> int:
    case = validate_path(folder)
    backend = EmbeddedBackend(":memory:")
    try:
        load_case(backend, case)
        g = to_networkx(backend, case.case_id)
    finally:
        backend.close()
    labels = {a["label"] for _, a in g.nodes(data=True)} - set(HIDDEN_BY_DEFAULT)
    return build_view(g, ViewFilter(types=labels)).number_of_nodes()


def synthetic_near_cap(tmp: Path, children: int) -> tuple[Path, int, int]:
    """A synthetic case whose default network view is as large as the page will draw."""
    while True:
        folder = generate(children, 7, tmp / f"synthetic-{children}")
        nodes = default_view_nodes(folder)
        if nodes <= MAX_NODES:
            return folder, children, nodes
        children = int(children * 0.95)


def timed(at: AppTest, page: str | None = None) -> str:
    """Wall time of one run, and the process's CPU time in it (the app runs in this process): on a
    shared machine the wall time grows with the load average, the CPU time much less."""
    start, cpu = time.perf_counter(), time.process_time()
    if page:
        at.switch_page(page)
    at.run()
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    return f"{elapsed:.2f} s (CPU {used:.2f} s)"


def network_size(at: AppTest) -> tuple[int, int, int]:
    html = at.get("iframe")[0].proto.srcdoc
    nodes = json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    edges = json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))
    return len(nodes), len(edges), len(html)


def every_page(label: str, at: AppTest, child: str) -> list[tuple[str, str, str]]:
    """Each page's first render with nothing cached but the open store, for one child ('' = all)."""
    at.sidebar.selectbox(key="child").set_value(child).run()
    rows = []
    for page in PAGES:
        st.cache_data.clear()
        rows.append((label, f"{page}, first render ({child or 'all children'})", timed(at, f"views/{page}.py")))
    return rows


def measure(label: str, tmp: Path, case: Path | None, pages: bool = False) -> list[tuple[str, str, str]]:
    st.cache_data.clear()
    st.cache_resource.clear()
    os.environ["JOINED_UP_DB"] = str(tmp / f"{label}.lbug")
    if case:
        os.environ["JOINED_UP_CASE"] = str(case)
    else:
        os.environ.pop("JOINED_UP_CASE", None)
    at = AppTest.from_file(APP, default_timeout=900)
    rows = [(label, "first start (validate + load + overview)", timed(at))]
    rows.append((label, "Network, first render", timed(at, "views/network.py")))
    rows.append((label, "Network, rerun (cached)", timed(at)))
    nodes, edges, size = network_size(at)
    rows.append((label, "Network view drawn", f"{nodes:,} nodes, {edges:,} edges, {size / 1024:,.0f} KiB HTML"))
    rows.append((label, "Gaps, first render", timed(at, "views/gaps.py")))
    rows.append((label, "Gaps, rerun (cached)", timed(at)))
    if pages:
        rows += every_page(label, at, "") + every_page(label, at, "Q")
    st.cache_resource.clear()  # closes the store
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=260, help="synthetic children to start the search from")
    parser.add_argument("--skip-synthetic", action="store_true", help="only the Child Q & S case")
    args = parser.parse_args()
    os.environ.pop("NEO4J_URI", None)
    with tempfile.TemporaryDirectory(prefix="joined-up-bench-") as tmp_name:
        tmp = Path(tmp_name)
        rows = measure("Child Q & S", tmp, None, pages=True)
        nodes = 0
        if not args.skip_synthetic:
            folder, children, nodes = synthetic_near_cap(tmp, args.children)
            rows += measure(f"synthetic, {children} children", tmp, folder)
    width = max(len(r[0]) for r in rows)
    synthetic = f"; default network view of the synthetic case: {nodes:,} nodes, cap {MAX_NODES:,}" if nodes else ""
    print(f"Explorer render times (AppTest, Python side{synthetic}; load average {os.getloadavg()[0]:.1f})")
    for case, what, value in rows:
        print(f"  {case:<{width}}  {what:<42} {value}")


if __name__ == "__main__":
    main()
