"""Two users' tasks walked end to end in Debian's chromium (issue 15), with screenshots.

A reviewer triages Child Q's findings: keeps only *who was not in the room*, opens one, reads the
paragraphs that ground it, accepts it with a note, exports the report and finds the mark in it.
A CSE analyst opens the offender map, picks a person of concern and reads which children and
places they are linked to. ``JOINED_UP_SCREENSHOTS=docs/screenshots`` writes the documentation's
screenshots (triage.png, offender-person.png).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from test_browser import _env, _open, _settled, playwright_browser, streamlit_app  # noqa: F401  (fixture)

from findings.marks import load_marks

pytestmark = pytest.mark.browser


def _shots(tmp_path: Path) -> Path:
    shots = Path(os.environ.get("JOINED_UP_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def _keep_only_theme(page, title: str) -> None:
    """Empty the Theme filter from the keyboard, then choose one theme, as a reviewer would."""
    box = page.get_by_role("combobox", name="Theme")
    box.focus()
    for _ in range(5):
        page.keyboard.press("Backspace")
    page.keyboard.type(title)
    page.get_by_role("option", name=title).click()
    page.keyboard.press("Escape")


def _select_first_row(page) -> None:
    """Tick the first row of the findings list (the row marker column of the data grid)."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)


def test_reviewer_triages_a_not_in_the_room_finding_and_exports_the_mark(playwright_browser, tmp_path):  # noqa: F811
    env = _env(tmp_path) | {"JOINED_UP_MARKS_DIR": str(tmp_path / "marks"), "JOINED_UP_REVIEWER": "Walker"}
    external: list[str] = []
    with streamlit_app(env, tmp_path / "server.log") as url:
        page = _open(playwright_browser, f"{url}/gaps?child=Q", external)
        _settled(page, "Gaps")
        _keep_only_theme(page, "Who was not in the room")
        _settled(page, "Gaps")
        assert page.get_by_text("Who was not in the room").count() >= 1
        _select_first_row(page)
        page.wait_for_url(re.compile(r"finding=F-"), timeout=60_000)  # in the address, for a shared link
        fid = re.search(r"finding=(F-[0-9a-f]+)", page.url).group(1)
        note = page.locator(f".st-key-mark_note_{fid} textarea")
        note.wait_for(timeout=60_000)
        paragraphs = page.locator("[data-testid=stMarkdownContainer]:visible", has_text="¶")
        assert paragraphs.count() > 0  # the paragraphs that ground it, with their text
        note.fill("Agreed at panel")
        form = page.locator("[data-testid=stForm]", has=note)
        form.get_by_role("button", name="Save mark").click()
        page.get_by_text("Marked: Accepted by Walker").wait_for(timeout=60_000)
        _settled(page, "Gaps")
        page.screenshot(path=str(_shots(tmp_path) / "triage.png"), full_page=True)
        assert list(load_marks("child-q-s", tmp_path / "marks")) == [fid]
        page.goto(f"{url}/export?child=Q", wait_until="domcontentloaded")
        _settled(page, "Export")
        with page.expect_download() as got:
            page.get_by_role("button", name="Download the gap report").click()
        report = Path(got.value.path()).read_text(encoding="utf-8")
        assert "**Mark:** Accepted by Walker on " in report and "Agreed at panel" in report
        assert report.index(fid) < report.index("**Mark:** Accepted by Walker")
        assert page.get_by_test_id("stException").count() == 0
        page.close()
    assert not external, external


def test_cse_analyst_picks_a_person_of_concern_and_sees_the_children_and_places(playwright_browser, tmp_path):  # noqa: F811
    external: list[str] = []
    with streamlit_app(_env(tmp_path), tmp_path / "server.log") as url:
        page = _open(playwright_browser, f"{url}/offenders", external)
        _settled(page, "Offender map", 1)
        picker = page.get_by_role("combobox", name="Person")
        picker.scroll_into_view_if_needed()
        picker.click()
        page.get_by_role("option").nth(1).click()  # a second person of concern (the list starts with them)
        _settled(page, "Offender map", 1)
        linked = page.get_by_text("Linked to ")
        linked.wait_for(timeout=60_000)
        text = linked.inner_text()
        assert "child(ren): Child" in text and "places:" in text
        frame = page.frames[1]
        labels = frame.evaluate("() => nodes.get().map(n => n.label)")
        assert any("Child Q" in lab for lab in labels) and any("Child S" in lab for lab in labels)
        assert frame.evaluate("() => nodes.get().some(n => n.shape === 'hexagon')")  # Place nodes
        linked.scroll_into_view_if_needed()
        page.screenshot(path=str(_shots(tmp_path) / "offender-person.png"), full_page=True)
        assert page.get_by_test_id("stException").count() == 0
        page.close()
    assert not external, external
