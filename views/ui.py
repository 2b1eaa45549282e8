"""What every page shares: the sidebar's choices, tables, evidence, the date window, drawing.

Pages stay thin: they ask ``views.store`` for data and show it through these helpers, which
apply the pseudonymised view in one place, so no page can forget it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import networkx as nx
import pandas as pd
import streamlit as st

from findings.facts import facts_of
from views import store
from views.graph_view import sector_of, vis_elements
from views.images import IMAGE_FORMATS, network_image
from views.network_html import network_html
from views.network_tools import LAYOUT_MAX, layout_key, spread
from views.pseudonym import Pseudonymiser

CASE, CHILD, PSEUDO, WINDOW = "case", "child", "pseudonymise", "date_window"
LEGEND_HEIGHT = 100  # room for the legend strip above a network's canvas (up to four lines)
# Query columns as a reviewer reads them; any other ``snake_case`` column loses its underscores.
HEADERS = {
    "party_name": "name",
    "person_name": "name",
    "item_name": "information",
    "from_name": "from",
    "to_name": "to",
    "meeting_name": "meeting",
    "child_a": "child",
    "child_b": "other child",
    "person_kind": "kind of person",
    "certainty": "as the review states it",
    "date_text": "when",
    "period_text": "period",
    "via_name": "through",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$])")


@dataclass
class Context:
    case_id: str
    child: str  # '' for every child of the case
    pz: Pseudonymiser

    @cached_property
    def child_names(self) -> dict[str, object]:
        """Child id → name, read once per run: the child selector labels every child of the case."""
        return {r["child"]: r["name"] for r in store.query("children", case_id=self.case_id)}

    def child_label(self, child_id: str) -> str:
        if not child_id:
            return "All children"
        name = self.child_names.get(child_id, child_id)
        return f"{self.pz.value(name)}" if self.pz.active else f"{name} ({child_id})"

    def rows(self, query_id: str, **params: object) -> list[dict]:
        """A registry query's rows for this case and child (the store may hold other cases)."""
        rows = store.query(query_id, **{"child": self.child, "case_id": self.case_id, **params})
        return store.in_case(self.case_id, rows)


def pseudonymised_toggle() -> None:
    """The mode switch; ``?pseudo=1`` in the address keeps it on in a shared link and a new tab."""
    if PSEUDO not in st.session_state:
        st.session_state[PSEUDO] = st.query_params.get("pseudo") == "1"
    st.toggle(
        "Pseudonymised (training)",
        key=PSEUDO,
        help="Replace every person's name, place and agency with a stable code, on every page and in every export.",
    )
    set_param("pseudo", "1" if st.session_state[PSEUDO] else "")


def set_param(name: str, value: str) -> None:
    """One value in the address (``st.query_params``); empty removes it."""
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    else:
        st.query_params.pop(name, None)


def case_label(case_id: str) -> str:
    """A case as shown: its id, or in pseudonymised mode its place in the list (ids often hold initials)."""
    return case_labeller(bool(st.session_state.get(PSEUDO)), store.cases())(case_id)


def case_labeller(pseudonymised: bool, cases: list[str]) -> Callable[[str], str]:
    def label(case_id: str) -> str:
        if not pseudonymised or not case_id:
            return case_id
        return f"case-{cases.index(case_id) + 1}" if case_id in cases else "case"

    return label


def child_selector(ctx: Context, children: list[str]) -> None:
    """The one child selector of the app (sidebar). The address carries the child as shown:
    its id, or in pseudonymised mode its code (``?child=Child-1``), never its name."""
    options = [""] + sorted(children, key=ctx.pz.sort_key)
    if CHILD not in st.session_state:
        wanted = st.query_params.get("child", "")
        st.session_state[CHILD] = next((c for c in children if wanted in (c, ctx.pz.codes.get(c))), "")
    if st.session_state[CHILD] not in options:
        st.session_state[CHILD] = ""
    st.selectbox(
        "Child", options, key=CHILD, format_func=ctx.child_label, help="Every page shows this child's records."
    )
    ctx.child = st.session_state[CHILD]
    set_param("child", str(ctx.pz.value(ctx.child)) if ctx.child else "")


def context() -> Context:
    case_id = st.session_state.get(CASE) or ""
    return Context(
        case_id, st.session_state.get(CHILD) or "", store.pseudonymiser(case_id, bool(st.session_state.get(PSEUDO)))
    )


def md(text: object) -> str:
    """Case text shown as Markdown, with every Markdown control character taken literally."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def frame(rows: list[dict], pz: Pseudonymiser, columns: list[str] | None = None) -> pd.DataFrame:
    shown = pz.rows(rows)
    df = pd.DataFrame(shown, columns=columns) if columns else pd.DataFrame(shown)
    for col in df.columns:
        if df[col].map(lambda v: isinstance(v, list)).any():
            df[col] = df[col].map(lambda v: ", ".join(map(str, v)) if isinstance(v, list) else v)
    return df.rename(columns=headers(list(df.columns)))


def headers(columns: list[str]) -> dict[str, str]:
    """Human column headers (``HEADERS``), never two columns with the same header."""
    out: dict[str, str] = {}
    for col in columns:
        wanted = HEADERS.get(col, col.replace("_", " "))
        out[col] = wanted if wanted not in out.values() and wanted not in columns else col.replace("_", " ")
    return out


def table(rows: list[dict], pz: Pseudonymiser, columns: list[str] | None = None, **kwargs: object) -> pd.DataFrame:
    df = frame(rows, pz, columns)
    st.dataframe(df, hide_index=True, **kwargs)
    return df


def evidence(refs: list[str], case_id: str, pz: Pseudonymiser) -> None:
    """The cited paragraphs in the review's own words (pseudonymised when asked)."""
    text_of = store.evidence_text(case_id)
    for ref in refs:
        text = text_of(ref)
        if text:
            st.markdown(f"**{md(ref)}** — {md(pz.text(text))}")
        else:
            st.markdown(f"**{md(ref)}** — *no text for this reference in the case's documents*")


def months(bounds: tuple[date, date]) -> list[date]:
    """The first day of every month the bounds touch: the steps of the date window."""
    out, (y, m) = [], (bounds[0].year, bounds[0].month)
    while date(y, m, 1) <= bounds[1]:
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_end(day: date) -> date:
    return date(day.year, 12, 31) if day.month == 12 else date(day.year, day.month + 1, 1) - timedelta(days=1)


def _window_from_address(steps: list[date]) -> tuple[date, date] | None:
    """``?from=2013-01&to=2015-12`` (months), when both name months the case covers."""
    try:
        lo, hi = (date.fromisoformat(f"{st.query_params[k]}-01") for k in ("from", "to"))
    except (KeyError, ValueError):
        return None
    return (lo, month_end(hi)) if lo in steps and hi in steps and lo <= hi else None


def _month_window(chosen: object) -> tuple[date, date]:
    """The slider's months as a window of days (a range whose two ends meet may come back as one month)."""
    lo, hi = chosen if isinstance(chosen, (tuple, list)) else (chosen, chosen)
    return lo, month_end(hi)


def whole_window(bounds: tuple[date, date]) -> tuple[date, date]:
    """The window that covers the whole case (the slider's widest setting)."""
    steps = months(bounds)
    return steps[0], month_end(steps[-1])


def window_slider(where: str, bounds: tuple[date, date]) -> tuple[date, date]:
    """The shared date window, moved by month: a slider on any page, one value for the session,
    kept in the address (``?from=YYYY-MM&to=YYYY-MM``) so a link reopens the same window.

    Widget state is dropped when a page stops drawing the widget, so the value lives under a
    plain key and each page's slider starts from it (``value=``: a range slider must be told it is
    one when created) and writes back to it.
    """
    steps = months(bounds)
    current = st.session_state.get(WINDOW) or _window_from_address(steps) or whole_window(bounds)
    first = max((m for m in steps if m <= current[0]), default=steps[0])
    last = max((m for m in steps if m <= current[1]), default=steps[-1])
    chosen = st.select_slider(
        "Date window",
        options=steps,
        value=(first, max(first, last)),
        key=f"{WINDOW}_{where}",
        format_func=lambda d: f"{d:%b %Y}",
        help="Moves by month. The same window filters the Timeline, the Network and Silo analytics.",
    )
    value = _month_window(chosen)
    st.session_state[WINDOW] = value
    whole = value == whole_window(bounds)
    set_param("from", "" if whole else f"{value[0]:%Y-%m}")
    set_param("to", "" if whole else f"{value[1]:%Y-%m}")
    return value


Elements = tuple[list[dict], list[dict], list[tuple[str, str, str]]]


@st.cache_data(show_spinner=False, max_entries=64)
def _spread(groups: tuple, links: tuple) -> dict[str, tuple[float, float]]:
    """``network_tools.spread``, computed once per picture (a rerun draws the same positions)."""
    return spread(groups, links)


def elements(view: nx.MultiDiGraph, full: nx.MultiDiGraph, pz: Pseudonymiser) -> Elements:
    """What is drawn, pseudonymised when asked, for the screen and the image files alike: sectors
    are looked up in the whole case ``full``, positions come from one seeded layout."""
    facts = facts_of(full)
    sectors = {pz.codes.get(n, n): sector_of(full, n, facts) if n in full else None for n in view}
    placed = _spread(*layout_key(view, full)) if 0 < view.number_of_nodes() <= LAYOUT_MAX else {}
    positions = {pz.codes.get(n, n): xy for n, xy in placed.items()}
    return vis_elements(pz.graph(view), sectors, positions)


def render(view: nx.MultiDiGraph, full: nx.MultiDiGraph, pz: Pseudonymiser, height: int = 650) -> str:
    """``view`` as HTML (``elements`` through pyvis)."""
    nodes, edges, legend = elements(view, full, pz)
    return network_html(nodes, edges, legend, height=height)


def draw(view: nx.MultiDiGraph, full: nx.MultiDiGraph, pz: Pseudonymiser, height: int = 650) -> None:
    st.iframe(render(view, full, pz, height), height=height + LEGEND_HEIGHT)


def network_downloads(
    view: nx.MultiDiGraph, full: nx.MultiDiGraph, pz: Pseudonymiser, stem: str, what: str, key: str
) -> None:
    """Download buttons for exactly ``view`` (the network on screen): a web page, PNG and SVG.
    Files are made only when clicked; ``what`` names the scope in each label."""
    cols = st.columns(3)
    cols[0].download_button(
        f"{what} as a web page (HTML, {view.number_of_nodes():,} nodes)",
        lambda: render(view, full, pz),
        file_name=f"{stem}.html",
        mime="text/html",
        on_click="ignore",
        key=f"{key}_html",
    )
    for col, (fmt, (name, mime)) in zip(cols[1:], IMAGE_FORMATS.items(), strict=True):
        col.download_button(
            f"{what} as an image ({name})",
            lambda fmt=fmt: network_image(*elements(view, full, pz), fmt, title=what),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            on_click="ignore",
            key=f"{key}_{fmt}",
        )
