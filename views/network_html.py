"""The one place a network becomes HTML: pyvis, offline, escaped, fast and tuned.

Measured in the project's research note on Streamlit and pyvis: ``in_line`` is the only pyvis mode that draws
without internet, but it still links bootstrap from a CDN, so those tags are stripped; building
through ``add_node``/``add_edge`` is quadratic, so the lists are assigned directly; the default
physics takes over a minute to settle 2,000 nodes, the tuned options below about five seconds.

Every label and tooltip comes from case data, so each is ``html.escape``d here and nowhere else,
and travels escaped. In the page, a short script decodes each label through a ``<textarea>``
(its content is parsed as text, so no element can be created) for vis.js to paint on the canvas,
and turns each tooltip into an element whose text is the decoded value. Tooltips travel as a
``tip`` field, not ``title``: pyvis switches to an ``innerHTML`` popup when a title contains
"href", and vis.js shows a string title as it stands, entities and all.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache

from jinja2 import Environment, FileSystemLoader
from pyvis.network import Network

OPTIONS = {
    "layout": {"improvedLayout": False},
    "nodes": {"font": {"size": 13}},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 1.2, "springLength": 120, "avoidOverlap": 0.2},
        "stabilization": {"enabled": True, "iterations": 150, "updateInterval": 25},
    },
    "interaction": {"hideEdgesOnDrag": True, "hideEdgesOnZoom": True, "hover": True, "tooltipDelay": 150},
}
CROWDED = 80  # nodes above which a fitted picture's labels would overlap into noise
_EXTERNAL = re.compile(
    r"<link[^>]*bootstrap[^>]*>|<script[^>]*bootstrap[^>]*>\s*</script>|<!--.*?-->"
    r"|<center>\s*<h1>\s*</h1>\s*</center>",
    re.S,
)
_DRAW = "network = new vis.Network(container, data, options);"
_TIPS = """
function plainText(escaped) {
  var box = document.createElement("textarea");
  box.innerHTML = escaped;  // a textarea's content is text: entities decode, tags stay characters
  return box.value;
}
function tipElement(escaped) {
  var d = document.createElement("div");
  d.style.whiteSpace = "pre-wrap"; d.style.maxWidth = "460px"; d.style.fontSize = "12px";
  d.textContent = plainText(escaped);
  return d;
}
nodes.update(nodes.get().map(function (n) { return {id: n.id, label: plainText(n.label), title: tipElement(n.tip)}; }));
edges.update(edges.get().map(function (e) { return {id: e.id, title: tipElement(e.tip)}; }));
"""
# Once laid out, stop the simulation (it keeps drifting and using CPU) and fit the picture.
_SETTLE = """
network.once("stabilizationIterationsDone", function () {
  setTimeout(function () { network.setOptions({physics: {enabled: false}}); network.fit(); }, 0);
});
"""
_FIT = "\nnetwork.once('afterDrawing', function () { network.fit(); });\n"
_LEGEND_STYLE = "display:flex;flex-wrap:wrap;gap:2px 14px;padding:4px 2px 6px;font:12px system-ui,sans-serif"


@cache
def _templates(template_dir: str) -> Environment:
    """One Jinja environment for every picture: pyvis makes a new one per ``Network``, so its page
    template was parsed and compiled again for every network drawn (half a second each). Settings
    as pyvis's own (its template embeds JSON, so no autoescape): every value is escaped above."""
    return Environment(loader=FileSystemLoader(template_dir))  # noqa: S701


def network_html(
    nodes: list[dict], edges: list[dict], legend: list[tuple[str, str, str]] = (), height: int = 650
) -> str:
    """Self-contained HTML for ``st.iframe``.

    ``nodes``: dicts with ``id``, ``label``, ``tip`` (plain text) and vis styling (shape, color,
    size); ``edges``: dicts with ``from``, ``to``, ``tip`` and styling (color, dashes, width).
    ``legend``: (text, colour, symbol) entries in a strip above the canvas.
    """
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    net.templateEnv = _templates(net.template_dir)
    net.nodes = [
        {
            **n,
            "id": str(n["id"]),
            "label": html.escape(str(n.get("label", "")), quote=False),
            "tip": html.escape(str(n.get("tip", ""))),
        }
        for n in nodes
    ]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = [
        {**e, "id": f"e{i}", "from": str(e["from"]), "to": str(e["to"]), "tip": html.escape(str(e.get("tip", "")))}
        for i, e in enumerate(edges)
    ]
    options = json.loads(json.dumps(OPTIONS))
    placed = bool(nodes) and all("x" in n for n in nodes)
    if placed:  # laid out on the server (network_tools.layout): drawn where the image file draws them
        options["physics"] = {"enabled": False}
    if len(nodes) > CROWDED:  # labels only once zoomed in far enough to read them
        options["nodes"]["scaling"] = {"label": {"drawThreshold": 9}}
    net.set_options(json.dumps(options))
    page = _EXTERNAL.sub("", net.generate_html())
    page = page.replace(_DRAW, _TIPS + _DRAW + (_FIT if placed else _SETTLE), 1)
    if legend:
        rows = "".join(
            f"<span><span style='color:{html.escape(colour)};font-size:15px'>{html.escape(symbol)}</span>"
            f" {html.escape(text)}</span>"
            for text, colour, symbol in legend
        )
        page = page.replace('<div id="mynetwork"', f"<div style='{_LEGEND_STYLE}'>{rows}</div><div id=\"mynetwork\"", 1)
    return page
