// Who could have known it, and by when: for an information item, the agencies and people that
// held it, and those reachable from a holder by a time-respecting chain of recorded sharing
// (each step no earlier than the one before, and by the date asked about). Up to three steps.
// Flows recorded as anything but shared or late carried nothing, so they break the chain. A
// chain never uses the same flow twice (Neo4j's rule; the embedded engine must be told).
// One walk out from the holders, one step per OPTIONAL MATCH, then each chain's holder and up to three
// recipients as rows; a step's row recurs on every chain through it, so the rows are DISTINCT (identical rows
// say nothing twice). The embedded engine's time for one child is mostly the plan's, not the rows' (issue 17):
// one branch instead of three took knowledge_horizon from 17.0 to 10.8 ms of CPU at 20,000 children.
// A step walks on from the flow, not from the recipient bound before it (queries/README.md, portable subset
// 12), to a sender left unlabelled (SENT's schema ends; tied to that recipient by id: each label of a
// multi-label node costs the engine's plan a table, 10.0 against 11.4 ms), and an open date reaches a later
// OPTIONAL MATCH coalesced, never null (performance rule 6).
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(i:InformationItem)<-[hold:HOLDS]-(h:Agency|Professional)
WITH c, i, hold, h, coalesce(hold.date_from, date('1900-01-01')) AS heldFrom
WHERE hold IS NOT NULL AND ($item = '' OR i.id = $item) AND heldFrom <= date($by)
OPTIONAL MATCH (i)<-[:CARRIES]-(s1:Flow)<-[:SENT]-(h), (s1)-[:SENT_TO]->(x1:Agency|Professional|Meeting)
WHERE s1.status IN ['shared', 'late'] AND s1.date_to >= heldFrom
WITH c, i, hold, h, s1, x1, coalesce(s1.date_from, date('9999-12-31')) AS from1
OPTIONAL MATCH (s1)-[:SENT_TO]->(y1)-[:SENT]->(s2:Flow)-[:CARRIES]->(i),
               (s2)-[:SENT_TO]->(x2:Agency|Professional|Meeting)
WHERE y1.id = x1.id AND s2.id <> s1.id AND s2.status IN ['shared', 'late'] AND s2.date_to >= from1
WITH c, i, hold, h, s1, x1, s2, x2, coalesce(s2.date_from, date('9999-12-31')) AS from2
OPTIONAL MATCH (s2)-[:SENT_TO]->(y2)-[:SENT]->(s3:Flow)-[:CARRIES]->(i),
               (s3)-[:SENT_TO]->(x3:Agency|Professional|Meeting)
WHERE y2.id = x2.id AND s3.id <> s1.id AND s3.id <> s2.id AND s3.status IN ['shared', 'late']
  AND s3.date_to >= from2 AND s3.date_from <= date($by)
UNWIND [{party: h.id, party_name: h.name, steps: 0, known_from: hold.date_text, how: 'held it',
         evidence: i.source + hold.source},
        {party: CASE WHEN s1.date_from <= date($by) THEN x1.id END, party_name: x1.name, steps: 1,
         known_from: s1.date_text, how: 'from ' + h.name, evidence: i.source + hold.source + s1.source},
        {party: CASE WHEN s2.date_from <= date($by) THEN x2.id END, party_name: x2.name, steps: 2,
         known_from: s2.date_text, how: 'from ' + h.name, evidence: i.source + hold.source + s1.source + s2.source},
        {party: x3.id, party_name: x3.name, steps: 3, known_from: s3.date_text, how: 'from ' + h.name,
         evidence: i.source + hold.source + s1.source + s2.source + s3.source}] AS row
WITH c.id AS child, i.id AS item, i.name AS item_name, row
WHERE row.party IS NOT NULL
RETURN DISTINCT child, item, item_name, row.party AS party, row.party_name AS party_name, row.steps AS steps,
       row.known_from AS known_from, row.how AS how, row.evidence AS evidence
