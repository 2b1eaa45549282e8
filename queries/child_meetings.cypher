// Every meeting about a child with who the review records in the room: invited, attended,
// convened, did not attend; its status (held, series, cancelled, …) and how complete the record
// of its participants is (`attendance`). The findings engine decides absence only from here and
// only where the record is complete (open world: "not recorded" is not "absent").
// The four kinds of participant are read side by side and collected in one aggregate (DISTINCT, so their
// product of rows counts once): each aggregate costs the embedded engine's plan more than its rows do
// (issue 17: 8.5 -> 7.0 ms of CPU for one child at 20,000 children, against four).
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(m:Meeting)
WITH c, m
WHERE m IS NOT NULL
OPTIONAL MATCH (i:Agency|Professional|FamilyMember)-[:INVITED_TO]->(m)
OPTIONAL MATCH (a:Agency|Professional|FamilyMember|Child)-[:ATTENDED]->(m)
OPTIONAL MATCH (v:Agency|Professional)-[:CONVENED]->(m)
OPTIONAL MATCH (d:Agency|Professional|FamilyMember)-[:DID_NOT_ATTEND]->(m)
WITH c, m, collect(DISTINCT i.id) AS invited, collect(DISTINCT a.id) AS attended, collect(DISTINCT v.id) AS convened,
     collect(DISTINCT d.id) AS did_not_attend
RETURN c.id AS child, m.id AS meeting, m.name AS name, m.kind AS kind, m.status AS status,
       coalesce(m.attendance, 'not_recorded') AS attendance, m.date_text AS date, m.date_from AS date_from,
       m.date_to AS date_to, invited AS invited, attended AS attended, convened AS convened,
       did_not_attend AS did_not_attend, m.source AS evidence, coalesce(m.inferred, '') AS inferred
ORDER BY child, date_from, meeting
