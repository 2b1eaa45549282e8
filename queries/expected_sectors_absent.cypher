// Sectors statutory guidance expects at this kind of meeting (queries/expectations.yaml, with
// its citation) with nobody from that sector invited or present. Only meetings whose
// participants the review records are judged: silence in the source is not an absence.
MATCH (c:Child {case_id: $case_id})
WHERE $child = '' OR c.id = $child
OPTIONAL MATCH (c)<-[:CONCERNS]-(m:Meeting)
WITH c, m
WHERE m IS NOT NULL AND m.status IN ['held', 'series']
UNWIND $expected AS e
WITH c, m, e
WHERE m.kind = e.kind
OPTIONAL MATCH (anyone)-[rec:INVITED_TO|ATTENDED|CONVENED]->(m)
WITH c, m, e, count(rec) AS recorded
WHERE recorded > 0
UNWIND e.sectors AS sector
OPTIONAL MATCH (a:Agency)-[:INVITED_TO|ATTENDED|CONVENED]->(m)
WITH c, m, e, sector, count(CASE WHEN a.sector = sector THEN 1 END) AS agencies
OPTIONAL MATCH (m)<-[:INVITED_TO|ATTENDED|CONVENED]-(:Professional)-[:WORKS_FOR]->(pa:Agency)
WITH c, m, e, sector, agencies, count(CASE WHEN pa.sector = sector THEN 1 END) AS staff
WHERE agencies = 0 AND staff = 0
RETURN c.id AS child, m.id AS meeting, m.name AS meeting_name, m.kind AS meeting_kind,
       m.date_text AS meeting_date, sector AS missing_sector, e.citation AS guidance,
       m.source AS evidence
ORDER BY child, meeting, missing_sector
