// Sectors statutory guidance expects at this kind of meeting (queries/expectations.yaml, with
// its citation) with nobody from that sector invited or present. Only meetings whose
// participants the review records are judged: silence in the source is not an absence.
UNWIND $expected AS e
MATCH (m:Meeting)-[:CONCERNS]->(c:Child)
WHERE m.kind = e.kind AND ($child = '' OR c.id = $child) AND m.status IN ['held', 'series']
MATCH (anyone)-[rec:INVITED_TO|ATTENDED|CONVENED]->(m)
WITH c, m, e, collect(rec.source) AS recorded
UNWIND e.sectors AS sector
OPTIONAL MATCH (a:Agency)-[r1:INVITED_TO|ATTENDED|CONVENED]->(m) WHERE a.sector = sector
OPTIONAL MATCH (pr:Professional)-[r2:INVITED_TO|ATTENDED|CONVENED]->(m)
  WHERE (pr)-[:WORKS_FOR]->(:Agency {sector: sector})
WITH c, m, e, sector, recorded, count(r1) + count(r2) AS present
WHERE present = 0
RETURN c.id AS child, m.id AS meeting, m.name AS meeting_name, m.kind AS meeting_kind,
       m.date_text AS meeting_date, sector AS missing_sector, e.citation AS guidance,
       m.source AS evidence
ORDER BY child, meeting, missing_sector
