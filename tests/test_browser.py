"""The explorer in a real browser: Debian's chromium driven by Playwright (never `playwright install`).

AppTest runs no JavaScript, so these tests check what only a browser shows: vis.js draws the
network, the page asks nothing of the internet, and markup injected into a name stays text when
drawn, hovered and listed. ``test_every_page_renders`` also writes one screenshot per page; with
JOINED_UP_SCREENSHOTS=docs/screenshots it writes the documentation's screenshots of Child Q & S.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from graph.schema import load_schema
from loaders.validate import validate_path

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
XSS = "<img src=x onerror=window.__xss=1>"
LOCAL = ("http://127.0.0.1", "data:", "about:", "blob:")


def _open_evidence(page) -> None:
    page.get_by_role("heading", name=re.compile("Questions the record leaves open")).wait_for(timeout=60_000)
    _settled(page, "Gaps")
    page.locator("[data-testid=stExpander] summary").first.click()
    page.locator("[data-testid=stExpander] [data-testid=stMarkdownContainer]").first.wait_for(timeout=30_000)


def _meeting_horizon(page) -> None:
    page.get_by_text("At a meeting").click()


def _run_template(page) -> None:
    page.get_by_role("combobox", name="Start from a question in the library").click()
    page.get_by_role("option", name="Invited but did not attend").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('textarea')]"  # the template is in before Run
        ".some(t => t.value.includes('DID_NOT_ATTEND'))",
        timeout=60_000,
    )
    page.get_by_role("button", name="Run (read-only)").click()


def _what_if(page) -> None:
    box = page.get_by_role("combobox", name="Without these parties")
    box.click()
    box.press_sequentially("Key Social Worker")
    page.get_by_role("option", name="Key Social Worker (Child Q)").first.click()
    page.keyboard.press("Escape")
    _settled(page, "Silo analytics", 3)
    page.get_by_role("heading", name="What if").evaluate("h => h.scrollIntoView()")  # before and after pictures


def _upload_with_problems(page) -> None:
    bad = b"nodes:\n  - {type: Child, id: K1, source: '\xc2\xb61'}\n  - {type: Agency, id: AG, name: A, sector: nowhere}\n"
    page.get_by_role("region", name="Case files").locator("input[type=file]").set_input_files(  # not Agency returns
        [{"name": "case.yaml", "mimeType": "application/yaml", "buffer": bad}]
    )
    page.get_by_text("nothing was loaded").wait_for(timeout=60_000)


# (file name, address, title, what to do there, networks drawn then) for one screenshot per page.
PAGES = [
    ("overview", "?child=", "Case overview", None, 0),
    ("network", "network?child=Q", "Network", None, 1),
    ("timeline", "timeline?child=Q", "Timeline", None, 0),
    ("gaps", "gaps?child=Q", "Gaps", _open_evidence, 0),
    ("horizon", "horizon?child=Q", "Knowledge horizon", _meeting_horizon, 0),
    ("offenders", "offenders", "Offender map", None, 1),
    ("silo", "silo?child=Q", "Silo analytics", _what_if, 3),
    ("console", "console", "Cypher console", _run_template, 1),
    ("export", "export", "Export", None, 0),
    ("load", "load", "Load data", _upload_with_problems, 0),
]


@pytest.fixture(scope="module")
def playwright_browser():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_app(env: dict[str, str], log: Path) -> Iterator[str]:
    """``streamlit run app.py`` on a free port; stops exactly the server it started."""
    port = _free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":  # noqa: S310
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _env(tmp: Path, case: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "JOINED_UP_"))}
    env |= {"JOINED_UP_DB": str(tmp / "store.lbug"), "JOINED_UP_ALLOW_UPLOAD": "1"}
    if case:
        env["JOINED_UP_CASE"] = str(case)
    return env


def _open(browser, url: str, external: list[str]):
    page = browser.new_page(viewport={"width": 1500, "height": 1500})
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else external.append(r.url))
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_test_id("stSidebar").wait_for(timeout=120_000)
    return page


def _settled(page, title: str, networks: int = 0) -> None:
    """Wait for the page's title, for Streamlit to finish running, and for its networks to be drawn."""
    page.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=180_000)
    if networks:
        page.locator("iframe").nth(networks - 1).wait_for(state="attached", timeout=60_000)
    for frame in page.frames[1:]:
        frame.wait_for_selector("#mynetwork canvas", timeout=60_000)
        frame.wait_for_function(
            "() => { const b = document.getElementById('loadingBar'); return !b || b.style.display === 'none'; }",
            timeout=120_000,
        )
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stDataFrame]')]"
        ".every(d => d.querySelector('canvas') || !d.checkVisibility())",
        timeout=60_000,
    )
    page.wait_for_timeout(800)


@pytest.fixture(scope="module")
def xss_case(tmp_path_factory) -> Path:
    """The mini case with markup in a person's name and an agency's name."""
    folder = tmp_path_factory.mktemp("xss") / "case"
    mini = ROOT / "tests" / "fixtures" / "mini-case"
    shutil.copytree(mini, folder)
    text = (folder / "records.yaml").read_text(encoding="utf-8")
    text = text.replace("name: Older male", f'name: "{XSS}"').replace("name: School A2", f'name: "School {XSS}"')
    (folder / "records.yaml").write_text(text, encoding="utf-8")
    return folder


def test_network_draws_offline_and_injected_markup_stays_text(playwright_browser, xss_case, tmp_path):
    external: list[str] = []
    with streamlit_app(_env(tmp_path, xss_case), tmp_path / "server.log") as url:
        page = _open(playwright_browser, f"{url}/network", external)
        _settled(page, "Network", 1)
        frame = page.frames[1]
        assert frame.evaluate("() => nodes.length") == 10  # as the AppTest default view (agency level)
        assert frame.evaluate("() => edges.get({filter: e => e.dashes}).length") > 0  # the gap overlay
        page.screenshot(path=str(tmp_path / "network.png"))
        # Hover the person whose name is markup: the tooltip shows it as text, and nothing ran.
        frame.evaluate("() => network.stopSimulation()")
        at = frame.evaluate("""() => { const c = document.querySelector('#mynetwork canvas').getBoundingClientRect();
            const p = network.canvasToDOM(network.getPositions(['OFF'])['OFF']);
            return {x: c.left + p.x, y: c.top + p.y}; }""")
        box = page.locator("iframe").first.bounding_box()
        page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
        tooltip = frame.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=10_000)
        assert XSS in tooltip.inner_text() and tooltip.locator("img").count() == 0
        # On the canvas the name is painted as the characters it is.
        assert frame.evaluate("() => nodes.get('OFF').label").startswith("<img src=x onerror=")
        assert frame.evaluate("() => document.querySelectorAll('img').length") == 0
        page.screenshot(path=str(tmp_path / "tooltip.png"))
        for name in ("offenders", "gaps"):  # the same name in the offender map and in tables
            page.goto(f"{url}/{name}", wait_until="domcontentloaded")
            _settled(page, *{"offenders": ("Offender map", 1), "gaps": ("Gaps", 0)}[name])
        assert all(f.evaluate("() => window.__xss === undefined") for f in page.frames)
        assert not external, external
        page.close()


def test_every_page_renders(playwright_browser, tmp_path):
    """Every page of the Child Q & S case in a browser, with no error and no request off the machine."""
    shots = Path(os.environ.get("JOINED_UP_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    external: list[str] = []
    with streamlit_app(_env(tmp_path), tmp_path / "server.log") as url:
        page = _open(playwright_browser, url, external)
        for name, address, title, action, networks in PAGES:
            page.goto(f"{url}/{address}", wait_until="domcontentloaded")
            _settled(page, title, 0 if action else networks)
            if action:
                action(page)
                page.wait_for_timeout(500)
                _settled(page, title, networks)
            assert page.get_by_test_id("stException").count() == 0, name
            page.screenshot(path=str(shots / f"{name}.png"))
        page.close()
    assert not external, external


def test_network_with_a_focus_shows_labels_and_the_focused_node(playwright_browser, tmp_path):
    """Child Q's network focused on the strategy meeting: every node labelled, the focus ringed."""
    external: list[str] = []
    shots = Path(os.environ.get("JOINED_UP_SCREENSHOTS") or tmp_path)
    with streamlit_app(_env(tmp_path), tmp_path / "server.log") as url:
        page = _open(playwright_browser, f"{url}/network?child=Q&focus=MQ06", external)
        _settled(page, "Network", 1)
        frame = page.frames[1]
        focus = frame.evaluate("() => nodes.get('MQ06')")
        assert focus["borderWidth"] == 4 and focus["label"]
        assert frame.evaluate("() => nodes.get().every(n => n.label.length > 0)")
        assert frame.evaluate("() => nodes.length") <= 80  # labels are drawn at every zoom up to 80 nodes
        assert frame.evaluate("() => network.physics.options.enabled") is False  # laid out on the server
        assert "the node in focus" in frame.inner_text("body")
        page.screenshot(path=str(shots / "network-focus.png"))
        page.close()
    assert not external, external


def _real_names() -> tuple[set[str], set[str]]:
    """Every name, place and author the Child Q & S case records, and its children's ids."""
    case = validate_path(ROOT / "data" / "cases" / "child-q-s")
    person = load_schema().person_labels()
    names: set[str] = set()
    for n in case.nodes:
        props = [
            *person.get(n.label, []),
            *(["name", "aliases"] if n.label in ("Place", "Agency", "Placement") else []),
            *(["author"] if n.label == "SourceDocument" else []),
        ]
        for prop in props:
            value = n.props.get(prop)
            names |= {v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and len(v) >= 3}
    return names, {n.props["id"] for n in case.nodes if n.label == "Child"}


def _visible_text(page) -> str:
    """The page's DOM (without the networks' inlined library), the networks' text, ids, labels and
    tooltips as vis.js holds them, and the address; entities decoded."""
    parts = [
        page.url,
        page.evaluate("""() => { const d = document.documentElement.cloneNode(true);
        d.querySelectorAll('iframe').forEach(f => f.removeAttribute('srcdoc')); return d.outerHTML; }"""),
    ]
    for frame in page.frames[1:]:
        parts.append(frame.inner_text("body"))
        if frame.evaluate("() => typeof nodes !== 'undefined'"):
            parts.append(
                frame.evaluate(
                    "() => JSON.stringify(nodes.get().map(n => [n.id, n.label, n.title && "
                    "n.title.textContent]).concat(edges.get().map(e => [e.from, e.to, e.title && "
                    "e.title.textContent])))"
                )
            )
    return html.unescape(html.unescape("\n".join(parts)))


def test_pseudonymised_mode_shows_no_real_name_place_or_child_id(playwright_browser, tmp_path):
    """A trainer's link (?pseudo=1) opens every page with codes only: the DOM, the networks and the
    address hold no name, place, agency, author or child id of the case."""
    names, child_ids = _real_names()
    assert len(names) > 100 and child_ids == {"Q", "S"}
    shots = Path(os.environ.get("JOINED_UP_SCREENSHOTS") or tmp_path)
    external: list[str] = []
    leaks: dict[str, list[str]] = {}
    with streamlit_app(_env(tmp_path), tmp_path / "server.log") as url:
        page = _open(playwright_browser, f"{url}/?pseudo=1", external)
        for name, address, title, _, networks in PAGES:
            if name == "console":
                continue  # off in pseudonymised mode (issue 14); its own test covers it
            address = address.replace("child=Q", "child=Child-1")
            page.goto(f"{url}/{address}{'&' if '?' in address else '?'}pseudo=1", wait_until="domcontentloaded")
            _settled(page, title, min(networks, 1))  # no page action here: silo shows one network before a what-if
            assert page.get_by_test_id("stException").count() == 0, name
            text = _visible_text(page)
            found = [n for n in names | child_ids if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)]
            if found:
                leaks[name] = sorted(found)[:10]
            if name == "network":
                page.screenshot(path=str(shots / "pseudonymised-network.png"))
        page.close()
    assert not leaks, leaks
    assert not external, external
