// Failed information flows that had to cross a boundary: sender and recipient sit in different
// local authority areas and police forces. Reviews keep finding that information stops at the
// boundary (a child placed out of area, a force that cannot see another force's records).
// A party's areas: where it is located, where the agency it works for or is part of is located,
// and every area its police force covers (a force spans several areas, so a unit of it shares
// all of them); a meeting's are its own and its convener's. A party with no known area is not
// judged, and two parties sharing any area are not across a boundary.
// Each step walks out from a node already found (a path ending in a scan of every location is slow).
MATCH (f)-[s:SHARED]->(t)
WHERE s.case_id = $case_id AND ($child = '' OR s.child = $child) AND s.status IN $statuses
OPTIONAL MATCH (f)-[fl1:LOCATED_IN]->(fa1:Area)
OPTIONAL MATCH (f)-[:WORKS_FOR|PART_OF*1..3]->(fromUp)
OPTIONAL MATCH (fromUp)-[fl2:LOCATED_IN|COVERS]->(fa2:Area)
WITH s, f, t, collect(DISTINCT fa1.id) + collect(DISTINCT fa2.id) AS fromAreas,
     collect(fl1.source) + collect(fl2.source) AS fromRefs
OPTIONAL MATCH (t)-[tl1:LOCATED_IN]->(ta1:Area)
OPTIONAL MATCH (t)-[:WORKS_FOR|PART_OF*1..3]->(toUp)
OPTIONAL MATCH (toUp)-[tl2:LOCATED_IN|COVERS]->(ta2:Area)
OPTIONAL MATCH (t)<-[:CONVENED]-(convener)
OPTIONAL MATCH (convener)-[tl3:LOCATED_IN]->(ta3:Area)
OPTIONAL MATCH (convener)-[:WORKS_FOR|PART_OF*1..3]->(convenerUp)
OPTIONAL MATCH (convenerUp)-[tl4:LOCATED_IN|COVERS]->(ta4:Area)
WITH s, f, t, fromAreas, fromRefs,
     collect(DISTINCT ta1.id) + collect(DISTINCT ta2.id) + collect(DISTINCT ta3.id)
       + collect(DISTINCT ta4.id) AS toAreas,
     collect(tl1.source) + collect(tl2.source) + collect(tl3.source) + collect(tl4.source) AS toRefs
WHERE size(fromAreas) > 0 AND size(toAreas) > 0 AND NOT any(x IN fromAreas WHERE x IN toAreas)
UNWIND fromAreas AS fromArea
WITH s, f, t, toAreas, fromRefs + toRefs + [s.source] AS refLists, collect(DISTINCT fromArea) AS fromAreas
UNWIND toAreas AS toArea
WITH s, f, t, fromAreas, refLists, collect(DISTINCT toArea) AS toAreas
UNWIND refLists AS refList
UNWIND refList AS ref
WITH s, f, t, fromAreas, toAreas, collect(DISTINCT ref) AS evidence
RETURN s.child AS child, s.id AS flow, f.id AS from_party, f.name AS from_name, fromAreas AS from_areas,
       t.id AS to_party, t.name AS to_name, toAreas AS to_areas, s.information AS information,
       s.status AS status, s.date_text AS date, evidence AS evidence
ORDER BY child, flow
