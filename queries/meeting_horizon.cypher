// For each decision-making meeting: what the agencies involved with the child held before it,
// and whether each item reached the meeting (a recorded flow to it, or an attendee or invitee
// who held it). The question a panel asks: what did the room know, against what was known.
// Each item is read once per meeting, with its checks side by side and one aggregate: a holder who was
// invited, attended or convened, and a flow to the meeting. Both walks are bound at both ends (the item and
// the meeting), so they multiply few rows; their counts are only tested above zero and the lists are
// DISTINCT (issue 17: 14.6 -> 10.1 ms of CPU for one child at 20,000 children, against three aggregates).
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(m:Meeting)
WITH c, m
WHERE m IS NOT NULL AND ($meeting = '' OR m.id = $meeting) AND m.kind IN $kinds AND m.status IN ['held', 'series']
OPTIONAL MATCH (c)<-[:CONCERNS]-(i:InformationItem)<-[hold:HOLDS]-(h:Agency|Professional)
WITH c, m, i, hold, h
WHERE hold IS NOT NULL AND hold.date_from <= coalesce(m.date_to, date('9999-12-31'))
OPTIONAL MATCH (i)<-[:HOLDS]-(holder:Agency|Professional)-[:INVITED_TO|ATTENDED|CONVENED]->(m)
OPTIONAL MATCH (i)<-[:CARRIES]-(s:Flow)-[:SENT_TO]->(m)
WITH c, m, i, collect(DISTINCT h.name) AS held_by, collect(DISTINCT hold.source) AS holdSources,
     count(holder) AS holdersInRoom, count(CASE WHEN s.status IN ['shared', 'late'] THEN 1 END) AS flows,
     collect(DISTINCT CASE WHEN s.status IN ['shared', 'late'] THEN s.source END) AS flowSources
RETURN c.id AS child, m.id AS meeting, m.name AS meeting_name, m.date_text AS meeting_date,
       i.id AS item, i.name AS item_name, held_by AS held_by, flows > 0 OR holdersInRoom > 0 AS reached,
       holdSources + flowSources + [m.source, i.source] AS evidence
ORDER BY child, meeting, item
