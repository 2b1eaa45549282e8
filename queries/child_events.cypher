// The events about a child of the kinds asked for, with their dates as intervals: what the decision
// rules count as harm after a closure, or as a concern recurring while the level of intervention
// stayed the same. "After" and "within" are decided in Python from date_from / date_to, since the
// portable Cypher subset has no temporal arithmetic.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(e:Event)
WITH c, e
WHERE e IS NOT NULL AND e.kind IN $kinds
RETURN c.id AS child, e.id AS event, e.kind AS kind, e.name AS name, coalesce(e.certainty, 'stated') AS certainty,
       e.date_text AS date, e.date_from AS date_from,
       e.date_to AS date_to, e.source AS evidence
ORDER BY child, date_from, event
