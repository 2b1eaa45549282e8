// Information an agency held before decision-making meetings about the child that never
// reached them: no recorded flow of it to the meeting, and its holder not in the room. One row
// per item and holder, listing every such meeting, so a reviewer reads each lost fact once.
MATCH (c:Child {case_id: $case_id})
WHERE $child = '' OR c.id = $child
OPTIONAL MATCH (c)<-[:CONCERNS]-(i:InformationItem)<-[hold:HOLDS]-(h)
WITH c, i, hold, h
WHERE hold IS NOT NULL
OPTIONAL MATCH (c)<-[:CONCERNS]-(m:Meeting)
WITH c, i, hold, h, m
WHERE m IS NOT NULL AND m.kind IN $kinds AND m.status IN ['held', 'series']
  AND hold.date_from <= coalesce(m.date_to, date('9999-12-31'))
OPTIONAL MATCH (h)-[present:INVITED_TO|ATTENDED|CONVENED]->(m)
WITH c, i, hold, h, m, present
WHERE present IS NULL
OPTIONAL MATCH ()-[s:SHARED]->(m)
WITH c, i, hold, h, m,
     count(CASE WHEN s.item = i.id AND s.status IN ['shared', 'late'] THEN 1 END) AS reached
WHERE reached = 0
OPTIONAL MATCH ()-[failed:SHARED]->(m)
WITH c, h, hold, i, collect(DISTINCT m.id) AS meeting_ids,
     collect(DISTINCT m.name + ' (' + m.date_text + ')') AS meetings,
     collect(DISTINCT CASE WHEN failed.item = i.id THEN failed.status END) AS recorded,
     collect(m.source) AS meetingSources,
     collect(CASE WHEN failed.item = i.id THEN failed.source END) AS failedSources
UNWIND meetingSources + failedSources + [i.source, hold.source] AS srcList
UNWIND srcList AS ref
RETURN c.id AS child, i.id AS item, i.name AS item_name, h.id AS holder, h.name AS holder_name,
       hold.date_text AS held_from, size(meeting_ids) AS meeting_count, meeting_ids AS meeting_ids,
       meetings AS meetings, recorded AS recorded_flows, collect(DISTINCT ref) AS evidence
ORDER BY child, item, holder
