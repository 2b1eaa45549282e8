// Agencies involved with the same child at the same time with no recorded information flow
// between them in either direction, and never together at a meeting about the child. Pairs in
// the same sector, or where one is part of the other, share systems and line management, so by
// default only pairs across sectors are reported (the silos reviews are about).
MATCH (a:Agency)-[ia:INVOLVED_WITH]->(c:Child)<-[ib:INVOLVED_WITH]-(b:Agency)
WHERE ($child = '' OR c.id = $child) AND a.id < b.id AND ($same_sector OR a.sector <> b.sector)
  AND NOT (a)-[:PART_OF]-(b)
  AND coalesce(ia.period_from, date('1900-01-01')) <= coalesce(ib.period_to, date('9999-12-31'))
  AND coalesce(ib.period_from, date('1900-01-01')) <= coalesce(ia.period_to, date('9999-12-31'))
OPTIONAL MATCH (a)-[s:SHARED]-(b) WHERE s.child = c.id
OPTIONAL MATCH (a)-[:ATTENDED|INVITED_TO|CONVENED]->(m:Meeting)<-[:ATTENDED|INVITED_TO|CONVENED]-(b)
  WHERE (m)-[:CONCERNS]->(c)
WITH c, a, b, ia, ib, s, m
WHERE s IS NULL AND m IS NULL
RETURN DISTINCT c.id AS child, a.id AS agency_a, a.name AS agency_a_name, a.sector AS sector_a,
       b.id AS agency_b, b.name AS agency_b_name, b.sector AS sector_b,
       ia.period_text AS a_involved, ib.period_text AS b_involved,
       ia.source + ib.source AS evidence
ORDER BY child, agency_a, agency_b
