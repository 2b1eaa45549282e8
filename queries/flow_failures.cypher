// Information flows the review records as late, not shared, not requested, disputed, lost to a
// system gap, unclear, or received but not acted on.
MATCH (f)-[s:SHARED]->(t)
WHERE s.case_id = $case_id AND ($child = '' OR s.child = $child) AND s.status IN $statuses
RETURN s.child AS child, s.id AS flow, f.id AS from_party, f.name AS from_name,
       t.id AS to_party, t.name AS to_name, s.information AS information, s.item AS item,
       s.status AS status, s.date_text AS date, s.source AS evidence
ORDER BY child, flow
