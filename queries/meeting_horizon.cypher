// For each decision-making meeting: what the agencies involved with the child held before it,
// and whether each item reached the meeting (a recorded flow to it, or an attendee or invitee
// who held it). The question a panel asks: what did the room know, against what was known.
MATCH (m:Meeting)-[:CONCERNS]->(c:Child)<-[:CONCERNS]-(i:InformationItem)<-[hold:HOLDS]-(h)
WHERE ($child = '' OR c.id = $child) AND ($meeting = '' OR m.id = $meeting)
  AND m.kind IN $kinds AND m.status IN ['held', 'series']
  AND hold.date_from <= coalesce(m.date_to, date('9999-12-31'))
OPTIONAL MATCH (x)-[s:SHARED]->(m) WHERE s.item = i.id AND s.status IN ['shared', 'late']
OPTIONAL MATCH (holderInRoom)-[inRoom:INVITED_TO|ATTENDED|CONVENED]->(m)
  WHERE (holderInRoom)-[:HOLDS]->(i)
WITH c, m, i, collect(DISTINCT h.name) AS held_by, collect(hold.source) AS holdSources,
     count(s) + count(inRoom) AS routes, collect(s.source) AS flowSources
UNWIND holdSources + flowSources + [m.source, i.source] AS srcList
UNWIND srcList AS ref
RETURN c.id AS child, m.id AS meeting, m.name AS meeting_name, m.date_text AS meeting_date,
       i.id AS item, i.name AS item_name, held_by AS held_by, routes > 0 AS reached,
       collect(DISTINCT ref) AS evidence
ORDER BY child, meeting, item
