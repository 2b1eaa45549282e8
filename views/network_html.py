"""The one place a network becomes HTML: pyvis, offline, escaped, fast and tuned.

Measured in the project's research note on Streamlit and pyvis: ``in_line`` is the only pyvis mode that draws
without internet, but it still links bootstrap from a CDN, so those tags are stripped; building
through ``add_node``/``add_edge`` is quadratic, so the lists are assigned directly; the default
physics takes over a minute to settle 2,000 nodes, the tuned options below about five seconds.

Every label and tooltip comes from case data, so each is ``html.escape``d here and nowhere else.
Labels are drawn on the canvas in vis.js' "html" label mode, which decodes ``&amp;`` and ``&lt;``
back for display and parses no tags (none can survive escaping). Tooltips travel as a ``tip``
field, not ``title``: pyvis switches to an ``innerHTML`` popup when a title contains "href", and
vis.js would show escaped text literally; a short script turns each escaped tip into an element
whose text is the decoded value, before the network is drawn.
"""

from __future__ import annotations

import html
import json
import re

from pyvis.network import Network

OPTIONS = {
    "layout": {"improvedLayout": False},
    # Labels are drawn only once zoomed in far enough to read them: a whole case stays legible.
    "nodes": {"font": {"multi": "html", "size": 13}, "scaling": {"label": {"drawThreshold": 9}}},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
    "physics": {"enabled": True, "solver": "barnesHut",
                "barnesHut": {"gravitationalConstant": -6000, "springLength": 140, "avoidOverlap": 0.2},
                "stabilization": {"enabled": True, "iterations": 150, "updateInterval": 25}},
    "interaction": {"hideEdgesOnDrag": True, "hideEdgesOnZoom": True, "hover": True, "tooltipDelay": 150},
}
_EXTERNAL = re.compile(r"<link[^>]*bootstrap[^>]*>|<script[^>]*bootstrap[^>]*>\s*</script>|<!--.*?-->"
                       r"|<center>\s*<h1>\s*</h1>\s*</center>", re.S)
_DRAW = "network = new vis.Network(container, data, options);"
_TIPS = """
function tipElement(text) {
  var d = document.createElement("div");
  d.style.whiteSpace = "pre-wrap"; d.style.maxWidth = "460px"; d.style.fontSize = "12px";
  d.innerHTML = text;  // escaped in Python: entities only, never tags
  return d;
}
[nodes, edges].forEach(function (set) {
  set.update(set.get({filter: function (x) { return x.tip; }})
                .map(function (x) { return {id: x.id, title: tipElement(x.tip)}; }));
});
"""
_LEGEND_STYLE = "display:flex;flex-wrap:wrap;gap:2px 14px;padding:4px 2px 6px;font:12px system-ui,sans-serif"


def network_html(nodes: list[dict], edges: list[dict], legend: list[tuple[str, str, str]] = (),
                 height: int = 650) -> str:
    """Self-contained HTML for ``st.iframe``.

    ``nodes``: dicts with ``id``, ``label``, ``tip`` (plain text) and vis styling (shape, color,
    size); ``edges``: dicts with ``from``, ``to``, ``tip`` and styling (color, dashes, width).
    ``legend``: (text, colour, symbol) entries in a strip above the canvas.
    """
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    net.nodes = [{**n, "id": str(n["id"]), "label": html.escape(str(n.get("label", "")), quote=False),
                  "tip": html.escape(str(n.get("tip", "")))} for n in nodes]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = [{**e, "id": f"e{i}", "from": str(e["from"]), "to": str(e["to"]),
                  "tip": html.escape(str(e.get("tip", "")))} for i, e in enumerate(edges)]
    net.set_options(json.dumps(OPTIONS))
    page = _EXTERNAL.sub("", net.generate_html())
    page = page.replace(_DRAW, _TIPS + _DRAW, 1)
    if legend:
        rows = "".join(f"<span><span style='color:{html.escape(colour)};font-size:15px'>{html.escape(symbol)}</span>"
                       f" {html.escape(text)}</span>" for text, colour, symbol in legend)
        page = page.replace('<div id="mynetwork"', f"<div style='{_LEGEND_STYLE}'>{rows}</div>"
                            '<div id="mynetwork"', 1)
    return page
