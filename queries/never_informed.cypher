// Information an agency held before a decision-making meeting about the child that never
// reached the meeting: no recorded flow of it to the meeting, and its holder not in the room.
MATCH (h)-[hold:HOLDS]->(i:InformationItem)-[:CONCERNS]->(c:Child)<-[:CONCERNS]-(m:Meeting)
WHERE ($child = '' OR c.id = $child) AND m.kind IN $kinds AND m.status IN ['held', 'series']
  AND hold.date_from <= coalesce(m.date_to, date('9999-12-31'))
OPTIONAL MATCH (x)-[s:SHARED]->(m) WHERE s.item = i.id AND s.status IN ['shared', 'late']
OPTIONAL MATCH (h)-[present:INVITED_TO|ATTENDED|CONVENED]->(m)
WITH c, h, hold, i, m, s, present
WHERE s IS NULL AND present IS NULL
OPTIONAL MATCH (y)-[failed:SHARED]->(m) WHERE failed.item = i.id
RETURN c.id AS child, i.id AS item, i.name AS item_name, h.id AS holder, h.name AS holder_name,
       hold.date_text AS held_from, m.id AS meeting, m.name AS meeting_name, m.date_text AS meeting_date,
       failed.status AS recorded_flow, i.source + hold.source + m.source + coalesce(failed.source, []) AS evidence
ORDER BY child, item, meeting, holder
