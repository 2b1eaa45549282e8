// Every recorded information flow about a child, to a party or to a meeting, with its status as
// the review records it (shared, late, not_shared, …) and its dates. The findings engine reads
// failures from it (recorded) and successes as counter-evidence, so both come from one place.
// Flows are nodes that CONCERN their child, so the query starts from the child.
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
MATCH (c)<-[:CONCERNS]-(f:Flow)-[:SENT_TO]->(t:Agency|Professional|FamilyMember)
MATCH (a:Agency|Professional|FamilyMember|Child)-[:SENT]->(f)
OPTIONAL MATCH (f)-[:CARRIES]->(i:InformationItem)
RETURN c.id AS child, f.id AS flow, a.id AS from_party, a.name AS from_name, t.id AS to_party,
       t.name AS to_name, 'party' AS to_kind, coalesce(i.id, '') AS item, f.information AS information,
       f.status AS status, f.date_text AS date, f.date_from AS date_from, f.date_to AS date_to,
       f.source AS evidence
UNION ALL
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
MATCH (c)<-[:CONCERNS]-(f:Flow)-[:SENT_TO]->(t:Meeting)
MATCH (a:Agency|Professional|FamilyMember|Child)-[:SENT]->(f)
OPTIONAL MATCH (f)-[:CARRIES]->(i:InformationItem)
RETURN c.id AS child, f.id AS flow, a.id AS from_party, a.name AS from_name, t.id AS to_party,
       t.name AS to_name, 'meeting' AS to_kind, coalesce(i.id, '') AS item, f.information AS information,
       f.status AS status, f.date_text AS date, f.date_from AS date_from, f.date_to AS date_to,
       f.source AS evidence
