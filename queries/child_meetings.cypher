// Every meeting about a child with who the review records in the room: invited, attended,
// convened, did not attend; its status (held, series, cancelled, …) and how complete the record
// of its participants is (`attendance`). The findings engine decides absence only from here and
// only where the record is complete (open world: "not recorded" is not "absent").
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
MATCH (c)<-[:CONCERNS]-(m:Meeting)
OPTIONAL MATCH (i)-[:INVITED_TO]->(m)
OPTIONAL MATCH (a)-[:ATTENDED]->(m)
OPTIONAL MATCH (v)-[:CONVENED]->(m)
OPTIONAL MATCH (d)-[:DID_NOT_ATTEND]->(m)
RETURN c.id AS child, m.id AS meeting, m.name AS name, m.kind AS kind, m.status AS status,
       coalesce(m.attendance, 'not_recorded') AS attendance, m.date_text AS date, m.date_from AS date_from,
       m.date_to AS date_to, collect(DISTINCT i.id) AS invited, collect(DISTINCT a.id) AS attended,
       collect(DISTINCT v.id) AS convened, collect(DISTINCT d.id) AS did_not_attend, m.source AS evidence,
       coalesce(m.inferred, '') AS inferred
ORDER BY child, date_from, meeting
