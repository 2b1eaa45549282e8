// Agencies involved with the same child at the same time with no recorded information flow
// between them in either direction, and never together at a meeting about the child. Pairs in
// the same sector, or where one is part of the other, share systems and line management, so by
// default only pairs across sectors are reported (the silos reviews are about).
MATCH (c:Child {case_id: $case_id})
WHERE $child = '' OR c.id = $child
OPTIONAL MATCH (a:Agency)-[ia:INVOLVED_WITH]->(c)
WITH c, a, ia
WHERE a IS NOT NULL
OPTIONAL MATCH (a)-[:ATTENDED|INVITED_TO|CONVENED]->(am:Meeting)-[:CONCERNS]->(c)
WITH c, a, ia, collect(am.id) AS aMeetings
OPTIONAL MATCH (b:Agency)-[ib:INVOLVED_WITH]->(c)
WITH c, a, ia, aMeetings, b, ib
WHERE b IS NOT NULL AND a.id < b.id AND ($same_sector OR a.sector <> b.sector)
  AND coalesce(ia.period_from, date('1900-01-01')) <= coalesce(ib.period_to, date('9999-12-31'))
  AND coalesce(ib.period_from, date('1900-01-01')) <= coalesce(ia.period_to, date('9999-12-31'))
OPTIONAL MATCH (b)-[:ATTENDED|INVITED_TO|CONVENED]->(bm:Meeting)-[:CONCERNS]->(c)
WITH c, a, ia, aMeetings, b, ib, collect(bm.id) AS bMeetings
WHERE NOT any(x IN aMeetings WHERE x IN bMeetings)
OPTIONAL MATCH (a)-[po:PART_OF]-(b)
WITH c, a, ia, b, ib, po
WHERE po IS NULL
OPTIONAL MATCH (a)-[s:SHARED]-(b)
WITH c, a, ia, b, ib, collect(s.child) AS flowChildren
WHERE NOT c.id IN flowChildren
RETURN DISTINCT c.id AS child, a.id AS agency_a, a.name AS agency_a_name, a.sector AS sector_a,
       b.id AS agency_b, b.name AS agency_b_name, b.sector AS sector_b,
       ia.period_text AS a_involved, ib.period_text AS b_involved,
       ia.source + ib.source AS evidence
ORDER BY child, agency_a, agency_b
