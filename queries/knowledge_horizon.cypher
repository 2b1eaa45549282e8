// Who could have known it, and by when: for an information item, the agencies and people that
// held it, and those reachable from a holder by a time-respecting chain of recorded sharing
// (each step no earlier than the one before, and by the date asked about). Up to three steps.
// Flows recorded as anything but shared or late carried nothing, so they break the chain. A
// chain never uses the same flow twice (Neo4j's rule; the embedded engine must be told).
// Each branch starts from the child and walks out from the holders, one step at a time. The second and third
// steps share one walk: a second step's row and the third steps beyond it are collected together and unwound
// (the embedded engine's time for one child is a cost per operator of the plan, not the rows: issue 17); a
// third step's conditions on the second's dates are tested inside the collect, not in its OPTIONAL MATCH
// (queries/README.md, performance rule 6: a null outer value there reads as not null).
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(i:InformationItem)<-[hold:HOLDS]-(h:Agency|Professional)
WITH c, i, hold, h
WHERE hold IS NOT NULL AND ($item = '' OR i.id = $item) AND coalesce(hold.date_from, date('1900-01-01')) <= date($by)
RETURN c.id AS child, i.id AS item, i.name AS item_name, h.id AS party, h.name AS party_name,
       0 AS steps, hold.date_text AS known_from, 'held it' AS how, i.source + hold.source AS evidence
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(i:InformationItem)<-[hold:HOLDS]-(h:Agency|Professional)
WITH c, i, hold, h
WHERE hold IS NOT NULL AND ($item = '' OR i.id = $item) AND coalesce(hold.date_from, date('1900-01-01')) <= date($by)
OPTIONAL MATCH (i)<-[:CARRIES]-(s1:Flow)<-[:SENT]-(h), (s1)-[:SENT_TO]->(x1:Agency|Professional|Meeting)
WITH c, i, hold, h, s1, x1
WHERE s1.status IN ['shared', 'late'] AND s1.date_to >= coalesce(hold.date_from, date('1900-01-01'))
  AND s1.date_from <= date($by)
RETURN c.id AS child, i.id AS item, i.name AS item_name, x1.id AS party, x1.name AS party_name,
       1 AS steps, s1.date_text AS known_from, 'from ' + h.name AS how,
       i.source + hold.source + s1.source AS evidence
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(i:InformationItem)<-[hold:HOLDS]-(h:Agency|Professional)
WITH c, i, hold, h
WHERE hold IS NOT NULL AND ($item = '' OR i.id = $item) AND coalesce(hold.date_from, date('1900-01-01')) <= date($by)
OPTIONAL MATCH (i)<-[:CARRIES]-(s1:Flow)<-[:SENT]-(h), (s1)-[:SENT_TO]->(x1:Agency|Professional|Meeting)
WITH c, i, hold, h, s1, x1
WHERE s1.status IN ['shared', 'late'] AND s1.date_to >= coalesce(hold.date_from, date('1900-01-01'))
OPTIONAL MATCH (i)<-[:CARRIES]-(s2:Flow)<-[:SENT]-(x1), (s2)-[:SENT_TO]->(x2:Agency|Professional|Meeting)
WITH c, i, hold, h, s1, s2, x2
WHERE s1.id <> s2.id AND s2.status IN ['shared', 'late'] AND s2.date_to >= s1.date_from
OPTIONAL MATCH (i)<-[:CARRIES]-(s3:Flow)<-[:SENT]-(x2), (s3)-[:SENT_TO]->(x3:Agency|Professional|Meeting)
WITH c, i, hold, h, s1, s2, x2,
     collect({party: CASE WHEN s2.id <> s3.id AND s1.id <> s3.id AND s3.status IN ['shared', 'late']
                               AND s3.date_to >= s2.date_from AND s3.date_from <= date($by) THEN x3.id END,
              party_name: x3.name, steps: 3, known_from: s3.date_text,
              evidence: i.source + hold.source + s1.source + s2.source + s3.source}) AS further
UNWIND [{party: CASE WHEN s2.date_from <= date($by) THEN x2.id END, party_name: x2.name, steps: 2,
         known_from: s2.date_text, evidence: i.source + hold.source + s1.source + s2.source}] + further AS row
WITH c, i, h, row
WHERE row.party IS NOT NULL
RETURN c.id AS child, i.id AS item, i.name AS item_name, row.party AS party, row.party_name AS party_name,
       row.steps AS steps, row.known_from AS known_from, 'from ' + h.name AS how, row.evidence AS evidence
