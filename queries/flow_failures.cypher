// Information flows the review records as late, not shared, not requested, disputed, lost to a
// system gap, unclear, or received but not acted on. Each starts from the child the flow CONCERNS.
MATCH (c:Child {case_id: $case_id})
WHERE $child = '' OR c.id = $child
MATCH (c)<-[:CONCERNS]-(s:Flow)
WHERE s.status IN $statuses
MATCH (f)-[:SENT]->(s)-[:SENT_TO]->(t)
OPTIONAL MATCH (s)-[:CARRIES]->(i:InformationItem)
RETURN c.id AS child, s.id AS flow, f.id AS from_party, f.name AS from_name,
       t.id AS to_party, t.name AS to_name, s.information AS information, i.id AS item,
       s.status AS status, s.date_text AS date, s.source AS evidence
ORDER BY child, flow
