// For each decision-making meeting: what the agencies involved with the child held before it,
// and whether each item reached the meeting (a recorded flow to it, or an attendee or invitee
// who held it). The question a panel asks: what did the room know, against what was known.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(m:Meeting)
WITH c, m
WHERE m IS NOT NULL AND ($meeting = '' OR m.id = $meeting) AND m.kind IN $kinds AND m.status IN ['held', 'series']
OPTIONAL MATCH (inRoom:Agency|Professional|FamilyMember|Child)-[:INVITED_TO|ATTENDED|CONVENED]->(m)
WITH c, m, collect(inRoom.id) AS inRoomIds
OPTIONAL MATCH (c)<-[:CONCERNS]-(i:InformationItem)<-[hold:HOLDS]-(h:Agency|Professional)
WITH c, m, inRoomIds, i, hold, h
WHERE hold IS NOT NULL AND hold.date_from <= coalesce(m.date_to, date('9999-12-31'))
WITH c, m, inRoomIds, i, collect(DISTINCT h.name) AS held_by, collect(hold.source) AS holdSources
OPTIONAL MATCH (i)<-[:HOLDS]-(holder:Agency|Professional)
WITH c, m, inRoomIds, i, held_by, holdSources, collect(holder.id) AS holders
OPTIONAL MATCH (i)<-[:CARRIES]-(s:Flow)-[:SENT_TO]->(m)
WITH c, m, i, held_by, holdSources, any(x IN inRoomIds WHERE x IN holders) AS holderInRoom,
     count(CASE WHEN s.status IN ['shared', 'late'] THEN 1 END) AS flows,
     collect(CASE WHEN s.status IN ['shared', 'late'] THEN s.source END) AS flowSources
RETURN c.id AS child, m.id AS meeting, m.name AS meeting_name, m.date_text AS meeting_date,
       i.id AS item, i.name AS item_name, held_by AS held_by, flows > 0 OR holderInRoom AS reached,
       holdSources + flowSources + [m.source, i.source] AS evidence
ORDER BY child, meeting, item
