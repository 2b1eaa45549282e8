// Every recorded information flow about a child, to a party or to a meeting, with its status as
// the review records it (shared, late, not_shared, …) and its dates. The findings engine reads
// failures from it (recorded) and successes as counter-evidence, so both come from one place.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(s:Flow)
WITH c, s
WHERE s IS NOT NULL
OPTIONAL MATCH (s)-[:SENT_TO]->(t:Agency|Professional|FamilyMember)
WITH c, s, t
WHERE t IS NOT NULL
OPTIONAL MATCH (a:Agency|Professional|FamilyMember|Child)-[:SENT]->(s)
WITH c, s, t, a
WHERE a IS NOT NULL
OPTIONAL MATCH (s)-[:CARRIES]->(i:InformationItem)
RETURN c.id AS child, s.id AS flow, a.id AS from_party, a.name AS from_name, t.id AS to_party,
       t.name AS to_name, 'party' AS to_kind, coalesce(i.id, '') AS item, s.information AS information,
       s.status AS status, coalesce(s.certainty, 'stated') AS certainty, s.date_text AS date, s.date_from AS date_from, s.date_to AS date_to,
       s.source AS evidence, coalesce(s.inferred, '') AS inferred
ORDER BY child, date_from, flow, to_party
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(s:Flow)
WITH c, s
WHERE s IS NOT NULL
OPTIONAL MATCH (s)-[:SENT_TO]->(t:Meeting)
WITH c, s, t
WHERE t IS NOT NULL
OPTIONAL MATCH (a:Agency|Professional|FamilyMember|Child)-[:SENT]->(s)
WITH c, s, t, a
WHERE a IS NOT NULL
OPTIONAL MATCH (s)-[:CARRIES]->(i:InformationItem)
RETURN c.id AS child, s.id AS flow, a.id AS from_party, a.name AS from_name, t.id AS to_party,
       t.name AS to_name, 'meeting' AS to_kind, coalesce(i.id, '') AS item, s.information AS information,
       s.status AS status, coalesce(s.certainty, 'stated') AS certainty, s.date_text AS date, s.date_from AS date_from, s.date_to AS date_to,
       s.source AS evidence, coalesce(s.inferred, '') AS inferred
ORDER BY child, date_from, flow, to_party
