// Who could have known it, and by when: for an information item, the agencies and people that
// held it, and those reachable from a holder by a time-respecting chain of recorded sharing
// (each step no earlier than the one before, and by the date asked about). Up to three steps.
// Flows recorded as anything but shared or late carried nothing, so they break the chain. A
// chain never uses the same flow twice (Neo4j's rule; the embedded engine must be told).
// One walk out from the holders, one step per OPTIONAL MATCH (each step's evidence built on the last's), then
// each chain's holder and up to three recipients as rows (UNWIND of the step numbers); a step's row recurs on
// every chain through it, so the rows are DISTINCT (identical rows say nothing twice). The embedded engine's
// time for one child is mostly its plan's (6 of 8 ms with no child found), not the rows' (issue 17): one
// branch instead of three took it from 17.0 to 10.8 ms of CPU at 20,000 children.
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
WITH c, i, hold, h, s1, x1, coalesce(s1.date_from, date('9999-12-31')) AS from1, i.source + hold.source AS ev0,
     'from ' + h.name AS how
OPTIONAL MATCH (s1)-[:SENT_TO]->(y1)-[:SENT]->(s2:Flow)-[:CARRIES]->(i),
               (s2)-[:SENT_TO]->(x2:Agency|Professional|Meeting)
WHERE y1.id = x1.id AND s2.id <> s1.id AND s2.status IN ['shared', 'late'] AND s2.date_to >= from1
WITH c, i, hold, h, s1, x1, s2, x2, coalesce(s2.date_from, date('9999-12-31')) AS from2, ev0, ev0 + s1.source AS ev1,
     how
OPTIONAL MATCH (s2)-[:SENT_TO]->(y2)-[:SENT]->(s3:Flow)-[:CARRIES]->(i),
               (s3)-[:SENT_TO]->(x3:Agency|Professional|Meeting)
WHERE y2.id = x2.id AND s3.id <> s1.id AND s3.id <> s2.id AND s3.status IN ['shared', 'late']
  AND s3.date_to >= from2 AND s3.date_from <= date($by)
WITH c, i, hold, h, s1, x1, s2, x2, s3, x3, ev0, ev1, ev1 + s2.source AS ev2, how
UNWIND [0, 1, 2, 3] AS steps
WITH c, i, steps, how,
     CASE steps WHEN 0 THEN h.id WHEN 1 THEN CASE WHEN s1.date_from <= date($by) THEN x1.id END
                WHEN 2 THEN CASE WHEN s2.date_from <= date($by) THEN x2.id END ELSE x3.id END AS party,
     CASE steps WHEN 0 THEN h.name WHEN 1 THEN x1.name WHEN 2 THEN x2.name ELSE x3.name END AS partyName,
     CASE steps WHEN 0 THEN hold.date_text WHEN 1 THEN s1.date_text WHEN 2 THEN s2.date_text ELSE s3.date_text END
       AS knownFrom,
     CASE steps WHEN 0 THEN ev0 WHEN 1 THEN ev1 WHEN 2 THEN ev2 ELSE ev2 + s3.source END AS evidence
WHERE party IS NOT NULL
RETURN DISTINCT c.id AS child, i.id AS item, i.name AS item_name, party, partyName AS party_name, steps,
       knownFrom AS known_from, CASE steps WHEN 0 THEN 'held it' ELSE how END AS how, evidence
