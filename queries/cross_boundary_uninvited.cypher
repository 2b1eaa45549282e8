// Involved but not in the room, from across the boundary: an agency or professional outside the
// child's responsible area (the placing authority's area, Child.responsible_area) that was involved
// with the child when a multi-agency meeting about the child was held, and was neither invited
// nor present. Out-of-area agencies are the ones a home authority forgets to invite.
// Not invited is judged as in uninvited_agencies; areas as in cross_boundary_flow_failures.
MATCH (c:Child {case_id: $case_id})
WHERE ($child = '' OR c.id = $child) AND c.responsible_area IS NOT NULL
OPTIONAL MATCH (c)<-[:CONCERNS]-(m:Meeting)
WITH c, m
WHERE m IS NOT NULL AND m.status IN ['held', 'series'] AND m.kind IN $kinds
MATCH (p:Agency|Professional)-[inv:INVOLVED_WITH]->(c)
WHERE coalesce(inv.period_from, date('1900-01-01')) <= coalesce(m.date_to, date('9999-12-31'))
  AND coalesce(inv.period_to, date('9999-12-31')) >= coalesce(m.date_from, date('1900-01-01'))
OPTIONAL MATCH (p)-[direct:INVITED_TO|ATTENDED|CONVENED]->(m)
OPTIONAL MATCH (p)-[:WORKS_FOR]->(employer:Agency)-[viaEmployer:INVITED_TO|ATTENDED|CONVENED]->(m)
OPTIONAL MATCH (p)<-[:WORKS_FOR]-(staff:Professional)-[viaStaff:INVITED_TO|ATTENDED|CONVENED]->(m)
WITH c, m, p, inv, direct, viaEmployer, viaStaff
WHERE direct IS NULL AND viaEmployer IS NULL AND viaStaff IS NULL
OPTIONAL MATCH (p)-[l1:LOCATED_IN]->(a1:Area)
OPTIONAL MATCH (p)-[:WORKS_FOR|PART_OF*1..3]->(up)
OPTIONAL MATCH (up)-[l2:LOCATED_IN|COVERS]->(a2:Area)
WITH c, m, p, inv, collect(DISTINCT a1.id) + collect(DISTINCT a2.id) AS areas,
     collect(l1.source) + collect(l2.source) AS areaRefs
WHERE size(areas) > 0 AND NOT c.responsible_area IN areas
UNWIND areas AS area
WITH c, m, p, inv, areaRefs, collect(DISTINCT area) AS areas
OPTIONAL MATCH (p)-[:WORKS_FOR]->(emp:Agency)
UNWIND areaRefs + [m.source, inv.source, p.source] AS refList
UNWIND refList AS ref
WITH c, m, p, inv, areas, emp, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, c.responsible_area AS responsible_area, m.id AS meeting, m.name AS meeting_name,
       m.kind AS meeting_kind, m.date_text AS meeting_date, p.id AS party, p.name AS party_name,
       coalesce(p.sector, emp.sector) AS sector, areas AS party_areas, inv.role AS involvement,
       inv.period_text AS involved, evidence AS evidence
ORDER BY child, meeting, party, involvement, involved
