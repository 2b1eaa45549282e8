// Lost sight of a child placed out of area. For each placement located outside the child's
// responsible area (Child.responsible_area), two kinds of row:
// - home-area agencies and professionals that were still involved when the child's previous
//   placement ended (or, with none recorded, when this one began) and dropped out before this one
//   ended: reviews date too loosely to insist on "the day it began", and an involvement that had
//   ended before the move was not lost to it;
// - agencies and professionals of the placement's area, involved during it, with no recorded flow
//   about the child during it (shared, late, or received but not acted on) to or from anyone in
//   the responsible area.
// Areas as in cross_boundary_flow_failures; a party in both areas belongs to the responsible area.
// Every step starts from the child (one child is then a few milliseconds on the embedded engine).
MATCH (c:Child {case_id: $case_id})
WHERE ($child = '' OR c.id = $child) AND c.responsible_area IS NOT NULL
OPTIONAL MATCH (c)-[pa:PLACED_AT]->(pl:Placement)-[pli:LOCATED_IN]->(area:Area)
WITH c, pa, pl, pli, area
WHERE area IS NOT NULL AND area.id <> c.responsible_area
OPTIONAL MATCH (pl)-[:LOCATED_IN]->(plArea:Area)
WITH c, pa, pl, pli, area, collect(plArea.id) AS plAreas
WHERE NOT c.responsible_area IN plAreas
OPTIONAL MATCH (c)-[before:PLACED_AT]->(:Placement)
WITH c, pa, pl, pli, area, max(CASE WHEN before.period_from < pa.period_from THEN before.period_from END) AS previousStart
OPTIONAL MATCH (c)-[previous:PLACED_AT]->(:Placement)
WITH c, pa, pl, pli, area, max(CASE WHEN previous.period_from = previousStart THEN previous.period_to END) AS previousEnd
MATCH (p:Agency|Professional)-[inv:INVOLVED_WITH]->(c)
WHERE coalesce(inv.period_from, date('1900-01-01')) < pa.period_from
  AND inv.period_to >= coalesce(previousEnd, pa.period_from)
  AND inv.period_to < coalesce(pa.period_to, date('9999-12-31'))
OPTIONAL MATCH (p)-[l1:LOCATED_IN]->(a1:Area)
OPTIONAL MATCH (p)-[:WORKS_FOR|PART_OF*1..3]->(up)
OPTIONAL MATCH (up)-[l2:LOCATED_IN|COVERS]->(a2:Area)
WITH c, pa, pl, pli, area, p, inv, collect(DISTINCT a1.id) + collect(DISTINCT a2.id) AS areas,
     collect(l1.source) + collect(l2.source) AS areaRefs
WHERE c.responsible_area IN areas
UNWIND areas AS partyArea
WITH c, pa, pl, pli, area, p, inv, areaRefs, collect(DISTINCT partyArea) AS areas
UNWIND areaRefs + [pa.source, pli.source, inv.source] AS refList
UNWIND refList AS ref
WITH c, pa, pl, area, p, inv, areas, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, c.responsible_area AS responsible_area, pl.id AS placement, pl.name AS placement_name,
       area.id AS placement_area, pa.period_text AS placed, 'left the responsible area' AS side, p.id AS party,
       p.name AS party_name, areas AS party_areas, inv.role AS involvement, inv.period_text AS involved,
       evidence AS evidence
ORDER BY child, placement, placement_area, party, involvement, involved
UNION ALL
MATCH (c:Child {case_id: $case_id})
WHERE ($child = '' OR c.id = $child) AND c.responsible_area IS NOT NULL
OPTIONAL MATCH (c)-[pa:PLACED_AT]->(pl:Placement)-[pli:LOCATED_IN]->(area:Area)
WITH c, pa, pl, pli, area
WHERE area IS NOT NULL AND area.id <> c.responsible_area
OPTIONAL MATCH (pl)-[:LOCATED_IN]->(plArea:Area)
WITH c, pa, pl, pli, area, collect(plArea.id) AS plAreas
WHERE NOT c.responsible_area IN plAreas
MATCH (p:Agency|Professional)-[inv:INVOLVED_WITH]->(c)
WHERE coalesce(inv.period_from, date('1900-01-01')) <= coalesce(pa.period_to, date('9999-12-31'))
  AND coalesce(inv.period_to, date('9999-12-31')) >= coalesce(pa.period_from, date('1900-01-01'))
OPTIONAL MATCH (p)-[l1:LOCATED_IN]->(a1:Area)
OPTIONAL MATCH (p)-[:WORKS_FOR|PART_OF*1..3]->(up)
OPTIONAL MATCH (up)-[l2:LOCATED_IN|COVERS]->(a2:Area)
WITH c, pa, pl, pli, area, p, inv, collect(DISTINCT a1.id) + collect(DISTINCT a2.id) AS areas,
     collect(l1.source) + collect(l2.source) AS areaRefs
WHERE area.id IN areas AND NOT c.responsible_area IN areas
OPTIONAL MATCH (p)-[s:SHARED]-(x)
  WHERE s.child = c.id AND s.status IN ['shared', 'late', 'no_action']
WITH c, pa, pl, pli, area, p, inv, areas, areaRefs, x,
     s.date_from <= coalesce(pa.period_to, date('9999-12-31'))
       AND s.date_to >= coalesce(pa.period_from, date('1900-01-01')) AS during
OPTIONAL MATCH (x)-[:LOCATED_IN]->(h1:Area)
OPTIONAL MATCH (x)-[:WORKS_FOR|PART_OF*1..3]->(xUp)
OPTIONAL MATCH (xUp)-[:LOCATED_IN|COVERS]->(h2:Area)
OPTIONAL MATCH (x)<-[:CONVENED]-(convener)
OPTIONAL MATCH (convener)-[:LOCATED_IN]->(h3:Area)
OPTIONAL MATCH (convener)-[:WORKS_FOR|PART_OF*1..3]->(convenerUp)
OPTIONAL MATCH (convenerUp)-[:LOCATED_IN|COVERS]->(h4:Area)
WITH c, pa, pl, pli, area, p, inv, areas, areaRefs,
     count(CASE WHEN during AND (h1.id = c.responsible_area OR h2.id = c.responsible_area
                 OR h3.id = c.responsible_area OR h4.id = c.responsible_area) THEN 1 END) AS homeFlows
WHERE homeFlows = 0
UNWIND areas AS partyArea
WITH c, pa, pl, pli, area, p, inv, areaRefs, collect(DISTINCT partyArea) AS areas
UNWIND areaRefs + [pa.source, pli.source, inv.source] AS refList
UNWIND refList AS ref
WITH c, pa, pl, area, p, inv, areas, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, c.responsible_area AS responsible_area, pl.id AS placement, pl.name AS placement_name,
       area.id AS placement_area, pa.period_text AS placed, 'in the placement area' AS side, p.id AS party,
       p.name AS party_name, areas AS party_areas, inv.role AS involvement, inv.period_text AS involved,
       evidence AS evidence
ORDER BY child, placement, placement_area, party, involvement, involved
