// Where the child lived, in order: every placement with its period, area, provider and how it
// ended. Placement instability (moves per year) is a risk factor reviews count; the dates are
// returned as period_from / period_to (earliest start, latest end) so the app counts moves per
// year in Python, since the portable subset has no temporal accessors.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)-[pa:PLACED_AT]->(pl:Placement)
WITH c, pa, pl
WHERE pa IS NOT NULL
OPTIONAL MATCH (pl)-[li:LOCATED_IN]->(ar:Area)
OPTIONAL MATCH (pl)-[:PROVIDED_BY]->(prov:Agency)
WITH c, pa, pl, collect(DISTINCT ar.id) AS areas, collect(DISTINCT prov.name) AS providers,
     collect(li.source) AS areaRefs
UNWIND areaRefs + [pa.source, pl.source] AS refList
UNWIND refList AS ref
WITH c, pa, pl, areas, providers, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, pl.id AS placement, pl.name AS placement_name, pl.kind AS kind, areas AS areas,
       CASE WHEN size(areas) > 0 THEN NOT c.responsible_area IN areas END AS out_of_area, providers AS providers,
       pa.period_text AS period, pa.period_from AS period_from, pa.period_to AS period_to, pa.ended AS ended,
       evidence AS evidence
ORDER BY child, coalesce(pa.period_from, date('1900-01-01')), coalesce(pa.period_to, date('9999-12-31')), placement
