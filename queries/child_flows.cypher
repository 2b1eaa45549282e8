// Every recorded information flow about a child, to a party or to a meeting, with its status as
// the review records it (shared, late, not_shared, …) and its dates. The findings engine reads
// failures from it (recorded) and successes as counter-evidence, so both come from one place.
// A flow goes SENT_TO a party or a meeting (the schema's ends); of those, only a Meeting has a date, which is
// how `to_kind` tells them apart in one walk (a branch per kind doubled the engine's operators). Party rows first.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(s:Flow)
WITH c, s
WHERE s IS NOT NULL
OPTIONAL MATCH (s)-[:SENT_TO]->(t:Agency|Professional|FamilyMember|Meeting)
WITH c, s, t
WHERE t IS NOT NULL
OPTIONAL MATCH (a:Agency|Professional|FamilyMember|Child)-[:SENT]->(s)
WITH c, s, t, a
WHERE a IS NOT NULL
OPTIONAL MATCH (s)-[:CARRIES]->(i:InformationItem)
RETURN c.id AS child, s.id AS flow, a.id AS from_party, a.name AS from_name, t.id AS to_party,
       t.name AS to_name, CASE WHEN t.date_text IS NULL THEN 'party' ELSE 'meeting' END AS to_kind,
       coalesce(i.id, '') AS item, s.information AS information,
       s.status AS status, coalesce(s.certainty, 'stated') AS certainty, s.date_text AS date, s.date_from AS date_from, s.date_to AS date_to,
       s.source AS evidence, coalesce(s.inferred, '') AS inferred
ORDER BY to_kind DESC, child, date_from, flow, to_party
