"""Pictures reviewers paste into reports: the network on screen as PNG or SVG, the timeline as PNG.

Drawn on the server from the very elements the page hands to vis.js (``ui.elements``: same
positions, colours, shapes, labels and legend), so the file shows what the screen shows. The
timeline is the page's own Altair chart, rendered by vl-convert (no browser needed).
"""

from __future__ import annotations

import io

import altair as alt
import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

IMAGE_FORMATS = {"png": ("PNG", "image/png"), "svg": ("SVG", "image/svg+xml")}
MARKER = {"star": "*", "dot": "o", "triangle": "^", "triangleDown": "v", "diamond": "D", "square": "s", "hexagon": "h"}


def _fill(colour: object) -> tuple[str, str]:
    """(fill, border) of a vis colour, which is a string or a {background, border} object."""
    if isinstance(colour, dict):
        return colour.get("background", "#FFFFFF"), colour.get("border", "#555555")
    return str(colour), "#555555"


def _positions(nodes: list[dict], edges: list[dict]) -> dict[str, tuple[float, float]]:
    """The nodes' own positions, or (for a view the browser lays out) a seeded spring layout."""
    if nodes and all("x" in n for n in nodes):
        return {n["id"]: (n["x"], -n["y"]) for n in nodes}  # the canvas' y grows downwards
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in nodes)
    g.add_edges_from((e["from"], e["to"]) for e in edges)
    return {k: (float(x), float(y)) for k, (x, y) in nx.spring_layout(g, seed=7).items()}


def network_image(
    nodes: list[dict], edges: list[dict], legend: list[tuple[str, str, str]], fmt: str, title: str = ""
) -> bytes:
    """The network as PNG or SVG bytes, from ``vis_elements`` output."""
    pos = _positions(nodes, edges)
    fig = Figure(figsize=(16, 11), dpi=110)
    ax = fig.add_subplot()
    ax.set_axis_off()
    for e in edges:
        (x0, y0), (x1, y1) = pos[e["from"]], pos[e["to"]]
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=_fill(e.get("color", "#B0B0B0"))[0],
            linewidth=float(e.get("width", 1)),
            linestyle="--" if e.get("dashes") else "-",
            alpha=0.7,
            zorder=1,
        )
    for n in nodes:
        fill, border = _fill(n.get("color", "#999999"))
        x, y = pos[n["id"]]
        ring = n.get("borderWidth", 1)
        ax.scatter(
            [x],
            [y],
            s=float(n.get("size", 12)) ** 2 * 0.9,
            marker=MARKER.get(n.get("shape"), "o"),
            c=fill,
            edgecolors=border if ring == 1 else "#D62728",
            linewidths=ring,
            zorder=2,
        )
        if len(nodes) <= 80:
            ax.annotate(
                str(n.get("label", "")),
                (x, y),
                xytext=(0, -12),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=7,
                zorder=3,
            )
    handles = [
        Line2D(
            [],
            [],
            color=colour,
            marker="o" if symbol not in "━┅" else None,
            linestyle="--" if symbol == "┅" else "-" if symbol == "━" else "",
            label=text,
        )
        for text, colour, symbol in legend
    ]
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=11, loc="left")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, bbox_inches="tight")
    return buf.getvalue()


def chart_png(chart: alt.TopLevelMixin) -> bytes:
    """An Altair chart as PNG (vl-convert bundles Vega; nothing is fetched)."""
    import vl_convert

    return vl_convert.vegalite_to_png(chart.to_json(), scale=2)
