"""The Network page's choices in the address and in the picture (issue 15, "shareable state").

Filters, focus, steps, the agency/practitioner level, the search and the opened clusters live in ``st.query_params``
(only where they differ from the defaults), so a link reopens the same view; in pseudonymised
mode a node travels as its code, never as a name or a person's id. A copy is also kept in the
session, because Streamlit forgets a page's widgets when another page is shown.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import streamlit as st

from views import ui
from views.pseudonym import Pseudonymiser

LISTS = {"net_types": "types", "net_sectors": "sectors", "net_areas": "areas"}  # widget key → address name
SAVED = "net_saved"


def node_param(ctx: ui.Context, node: str) -> str:
    return str(ctx.pz.value(node)) if node else ""


def node_from_param(ctx: ui.Context, g: nx.MultiDiGraph, value: str) -> str:
    """The node an address names, by id or (pseudonymised) by code; '' when none does."""
    if not value:
        return ""
    if value in g and not ctx.pz.codes.get(value):
        return value
    return next((n for n, code in ctx.pz.codes.items() if code == value and n in g), "")


def restore(ctx: ui.Context, g: nx.MultiDiGraph, defaults: dict[str, list[str]]) -> None:
    """Start the page's widgets from the address, else from the session's copy, else the defaults."""
    saved = st.session_state.get(SAVED, {})
    params = st.query_params
    for key, name in LISTS.items():
        if key not in st.session_state:
            wanted = params[name].split(",") if name in params else saved.get(key, defaults[key])
            st.session_state[key] = [v for v in wanted if v in defaults[key]] or defaults[key]
    if "net_focus" not in st.session_state:
        st.session_state["net_focus"] = node_from_param(ctx, g, params.get("focus", "")) or saved.get("net_focus", "")
    if "net_radius" not in st.session_state:
        st.session_state["net_radius"] = 2 if params.get("steps") == "2" else saved.get("net_radius", 1)
    if "net_people" not in st.session_state:
        st.session_state["net_people"] = params.get("level") == "practitioners" or saved.get("net_people", False)
    if "net_search" not in st.session_state:
        st.session_state["net_search"] = params.get("q", saved.get("net_search", ""))
    if "net_open" not in st.session_state:
        opened = [node_from_param(ctx, g, v) for v in params.get("open", "").split(",")]
        st.session_state["net_open"] = [n for n in opened if n] or saved.get("net_open", [])


def save(ctx: ui.Context, g: nx.MultiDiGraph, focus: str, defaults: dict[str, list[str]]) -> None:
    """Write the page's choices to the address (non-defaults only) and to the session's copy."""
    for key, name in LISTS.items():
        chosen = st.session_state.get(key) or []
        ui.set_param(name, "" if set(chosen) == set(defaults[key]) else ",".join(sorted(chosen)))
    ui.set_param("focus", node_param(ctx, focus) if focus in g else "")
    ui.set_param("steps", "2" if focus and st.session_state.get("net_radius") == 2 else "")
    ui.set_param("level", "practitioners" if st.session_state.get("net_people") else "")
    ui.set_param("q", st.session_state.get("net_search", "").strip())
    ui.set_param("open", ",".join(node_param(ctx, n) for n in sorted(st.session_state.get("net_open") or [])))
    st.session_state[SAVED] = {
        k: st.session_state.get(k) for k in (*LISTS, "net_focus", "net_radius", "net_people", "net_search", "net_open")
    }


def option(ctx: ui.Context, g: nx.MultiDiGraph) -> Callable[[str], str]:
    """How a node is named in the page's pickers (pseudonymised when asked)."""

    def label(n: str) -> str:
        if not n:
            return "(nobody chosen)"
        a = g.nodes[n]
        return f"{a.get('label')} · {ctx.pz.value(a.get('name') or n)} ({ctx.pz.value(n)})"

    return label


def matches(view: nx.MultiDiGraph, text: str, pz: Pseudonymiser) -> set[str]:
    """Nodes whose name as shown contains ``text`` (case-insensitive); a code is searched, not the name behind it."""
    wanted = text.strip().casefold()
    if not wanted:
        return set()
    return {
        n
        for n, a in view.nodes(data=True)
        if wanted in str(pz.value(a.get("name") or n)).casefold() or wanted in str(pz.value(n)).casefold()
    }


def mark(view: nx.MultiDiGraph, nodes: set[str], why: str) -> None:
    """Ring ``nodes`` in red in the picture; the legend says ``why``."""
    for n in nodes & set(view):
        view.nodes[n]["highlight"] = why


def add_link(view: nx.MultiDiGraph, g: nx.MultiDiGraph, a: str, b: str) -> nx.MultiDiGraph:
    """``view`` with both ends and every recorded link between them (for a path drawn through it)."""
    out = view.copy()
    for n in (a, b):
        if n not in out:
            out.add_node(n, **g.nodes[n])
    for x, y in ((a, b), (b, a)):
        for k, attrs in (g.get_edge_data(x, y) or {}).items():
            if not out.has_edge(x, y, key=k):
                out.add_edge(x, y, key=k, **attrs)
    return out


def stem(ctx: ui.Context) -> str:
    """The file name of the Network page's downloads: case and child as shown."""
    return f"joined-up-{ui.case_label(ctx.case_id)}" + (f"-{ctx.pz.value(ctx.child)}" if ctx.child else "") + "-network"
