"""Silo analytics: who exchanged information about a child with whom, and how fragile that was.

Reviews praise or regret single people and agencies that carried information across sector and
area boundaries; a trainer needs to show silo working. Both are network questions — components,
brokers, single points of failure — that Cypher's portable subset cannot answer, so they are
computed here with networkx on the child's neighbourhood read from the store (``child_graph``). What-if
questions about *who would have known what* are not re-implemented: the neighbourhood is copied into
an in-memory store, the change is written there, and the registered knowledge-horizon queries run
on the copy before and after. docs/analytics.md explains each measure and the tie weights.

The package's modules: ``network`` (the flow network), ``measures`` (silos, brokers, single points
of failure, crossings, periods compared, one child's summary), ``changes`` (a what-if as writes)
and ``whatif`` (the copy, before and after). Callers use the names below.
"""

from findings.silo.changes import case_from_graph, change_statements, named_records
from findings.silo.measures import (
    EXACT_BETWEENNESS,
    SAMPLED_SOURCES,
    analyse,
    analyse_network,
    articulation_points,
    betweenness,
    bridges,
    brokers,
    centrality,
    compare_periods,
    components,
    crossings,
    density,
    headline,
    sector_pairs,
    silo_summary,
)
from findings.silo.network import (
    CARRIED,
    STRENGTH,
    TIE_KINDS,
    WHOLE_CASE,
    NewEdge,
    Window,
    child_graph,
    flow_network,
)
from findings.silo.whatif import what_if, what_if_with_network

__all__ = [
    "CARRIED",
    "EXACT_BETWEENNESS",
    "SAMPLED_SOURCES",
    "STRENGTH",
    "TIE_KINDS",
    "WHOLE_CASE",
    "NewEdge",
    "Window",
    "analyse",
    "analyse_network",
    "articulation_points",
    "betweenness",
    "brokers",
    "bridges",
    "case_from_graph",
    "centrality",
    "change_statements",
    "child_graph",
    "compare_periods",
    "components",
    "crossings",
    "density",
    "flow_network",
    "headline",
    "named_records",
    "sector_pairs",
    "silo_summary",
    "what_if",
    "what_if_with_network",
]
