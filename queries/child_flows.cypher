// Every recorded information flow about a child, to a party or to a meeting, with its status as
// the review records it (shared, late, not_shared, …) and its dates. The findings engine reads
// failures from it (recorded) and successes as counter-evidence, so both come from one place.
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
MATCH (c)<-[:CONCERNS]-(s:Flow)
MATCH (a:Agency|Professional|FamilyMember|Child)-[:SENT]->(s)-[:SENT_TO]->(t:Agency|Professional|FamilyMember)
OPTIONAL MATCH (s)-[:CARRIES]->(i:InformationItem)
RETURN c.id AS child, s.id AS flow, a.id AS from_party, a.name AS from_name, t.id AS to_party,
       t.name AS to_name, 'party' AS to_kind, coalesce(i.id, '') AS item, s.information AS information,
       s.status AS status, coalesce(s.certainty, 'stated') AS certainty, s.date_text AS date, s.date_from AS date_from, s.date_to AS date_to,
       s.source AS evidence
ORDER BY child, date_from, flow, to_party
UNION ALL
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
MATCH (c)<-[:CONCERNS]-(s:Flow)
MATCH (a:Agency|Professional|FamilyMember|Child)-[:SENT]->(s)-[:SENT_TO]->(t:Meeting)
OPTIONAL MATCH (s)-[:CARRIES]->(i:InformationItem)
RETURN c.id AS child, s.id AS flow, a.id AS from_party, a.name AS from_name, t.id AS to_party,
       t.name AS to_name, 'meeting' AS to_kind, coalesce(i.id, '') AS item, s.information AS information,
       s.status AS status, coalesce(s.certainty, 'stated') AS certainty, s.date_text AS date, s.date_from AS date_from, s.date_to AS date_to,
       s.source AS evidence
ORDER BY child, date_from, flow, to_party
