// Involved but not in the room: agencies and professionals involved with a child while a
// multi-agency meeting about that child was held, that were neither invited nor present.
// A professional counts as present when their agency was, and an agency when one of its staff was.
MATCH (c:Child {case_id: $case_id})
WHERE $child = '' OR c.id = $child
OPTIONAL MATCH (c)<-[:CONCERNS]-(m:Meeting)
WITH c, m WHERE m IS NOT NULL AND m.status IN ['held', 'series'] AND m.kind IN $kinds
MATCH (p:Agency|Professional)-[inv:INVOLVED_WITH]->(c)
WHERE coalesce(inv.period_from, date('1900-01-01')) <= coalesce(m.date_to, date('9999-12-31'))
  AND coalesce(inv.period_to, date('9999-12-31')) >= coalesce(m.date_from, date('1900-01-01'))
OPTIONAL MATCH (p)-[direct:INVITED_TO|ATTENDED|CONVENED]->(m)
OPTIONAL MATCH (p)-[:WORKS_FOR]->(employer:Agency)-[viaEmployer:INVITED_TO|ATTENDED|CONVENED]->(m)
OPTIONAL MATCH (p)<-[:WORKS_FOR]-(staff:Professional)-[viaStaff:INVITED_TO|ATTENDED|CONVENED]->(m)
WITH c, m, p, inv, direct, viaEmployer, viaStaff
WHERE direct IS NULL AND viaEmployer IS NULL AND viaStaff IS NULL
OPTIONAL MATCH (p)-[:WORKS_FOR]->(emp:Agency)
RETURN c.id AS child, m.id AS meeting, m.name AS meeting_name, m.kind AS meeting_kind,
       m.date_text AS meeting_date, p.id AS party, p.name AS party_name,
       coalesce(p.sector, emp.sector) AS sector, inv.role AS involvement,
       inv.period_text AS involved, m.source + inv.source + p.source AS evidence
ORDER BY child, meeting, party
