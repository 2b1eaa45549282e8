// A child's missing episodes in date order: how long (where the review says), what came of it,
// who took part and who was notified. Frequency, duration and who knew are what a panel checks
// against missing-from-care protocols.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(e:Event)
WITH c, e
WHERE e.kind = 'missing_episode'
OPTIONAL MATCH (p)-[pi:PARTICIPATED_IN]->(e)
WITH c, e, collect(CASE WHEN pi IS NOT NULL THEN p.name + ' (' + pi.role + ')' END) AS participants,
     collect(CASE WHEN toLower(pi.role) CONTAINS 'notif' THEN p.name END) AS notified,
     collect(pi.source) AS partRefs
UNWIND partRefs + [e.source] AS refList
UNWIND refList AS ref
WITH c, e, participants, notified, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, e.id AS event, e.date_text AS date, e.name AS event_name, e.duration_hours AS duration_hours,
       e.outcome AS outcome, participants AS participants, notified AS notified, evidence AS evidence
ORDER BY child, coalesce(e.date_from, date('1900-01-01')), coalesce(e.date_to, date('9999-12-31')), event
