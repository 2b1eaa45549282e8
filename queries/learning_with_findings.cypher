// Learning points beside the findings that bear them out: for each learning point and each agency
// it names, the failed information flows and the involved-but-not-invited findings (the same
// logic as flow_failures and uninvited_agencies) that touch that agency: the agency itself, its
// staff, or its teams and units. A learning point about particular children is matched only to
// findings about them. This shows which learning the graph evidences, and where.
MATCH (lp:LearningPoint)-[n:NAMES]->(a:Agency)
WHERE $point = '' OR lp.id = $point
MATCH (f)-[s:SHARED]->(t)
WHERE ($child = '' OR s.child = $child) AND s.status IN $statuses
  AND (f.id = a.id OR t.id = a.id OR (f)-[:WORKS_FOR|PART_OF*1..3]->(a) OR (t)-[:WORKS_FOR|PART_OF*1..3]->(a))
  AND ((lp)-[:CONCERNS]->(:Child {id: s.child}) OR NOT (lp)-[:CONCERNS]->(:Child))
RETURN lp.id AS point, lp.number AS number, lp.name AS point_name, a.id AS agency, a.name AS agency_name,
       s.child AS child, 'flow failure' AS finding_kind, s.id AS finding,
       f.name + ' → ' + t.name + ': ' + s.information + ' (' + s.status + ')' AS detail,
       lp.source + n.source + s.source AS evidence
ORDER BY number, agency, child, finding
UNION ALL
MATCH (lp:LearningPoint)-[n:NAMES]->(a:Agency)
WHERE $point = '' OR lp.id = $point
MATCH (m:Meeting)-[:CONCERNS]->(c:Child)
WHERE ($child = '' OR c.id = $child) AND m.status IN ['held', 'series'] AND m.kind IN $kinds
  AND ((lp)-[:CONCERNS]->(c) OR NOT (lp)-[:CONCERNS]->(:Child))
MATCH (p:Agency|Professional)-[inv:INVOLVED_WITH]->(c)
WHERE (p.id = a.id OR (p)-[:WORKS_FOR|PART_OF*1..3]->(a))
  AND coalesce(inv.period_from, date('1900-01-01')) <= coalesce(m.date_to, date('9999-12-31'))
  AND coalesce(inv.period_to, date('9999-12-31')) >= coalesce(m.date_from, date('1900-01-01'))
OPTIONAL MATCH (p)-[direct:INVITED_TO|ATTENDED|CONVENED]->(m)
OPTIONAL MATCH (p)-[:WORKS_FOR]->(employer:Agency)-[viaEmployer:INVITED_TO|ATTENDED|CONVENED]->(m)
OPTIONAL MATCH (p)<-[:WORKS_FOR]-(staff:Professional)-[viaStaff:INVITED_TO|ATTENDED|CONVENED]->(m)
WITH lp, n, a, c, m, p, inv, direct, viaEmployer, viaStaff
WHERE direct IS NULL AND viaEmployer IS NULL AND viaStaff IS NULL
UNWIND [lp.source, n.source, m.source, inv.source] AS refList
UNWIND refList AS ref
WITH lp, a, c, m, p, collect(DISTINCT ref) AS evidence
RETURN lp.id AS point, lp.number AS number, lp.name AS point_name, a.id AS agency, a.name AS agency_name,
       c.id AS child, 'not invited' AS finding_kind, m.id + ' / ' + p.id AS finding,
       p.name + ' not at ' + m.name + ' (' + m.date_text + ')' AS detail, evidence AS evidence
ORDER BY number, agency, child, finding
