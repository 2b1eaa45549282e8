// Children linked through the people who reached them: the same person of concern in contact
// with both, or contacts with different people at the same Place (a place id, never a channel). Peer
// networks and shared venues are how exploitation spreads between children in care.
// Both branches walk from the child asked about (the place branch through its contacts' Places), by its
// key, one hop per OPTIONAL MATCH (every child for ''). child_a is the pair's lower id; when every child
// is asked, each pair is taken once, from its lower id (a case of one child has no pair either way).
// The rows are ordered once by the library (registry `order`): the engine returns a union's branches in either order.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:REACHED]-(k:Contact)
WITH c, k WHERE k IS NOT NULL
OPTIONAL MATCH (k)<-[:HAD]-(o:PersonOfConcern|FamilyMember)
WITH c, k, o WHERE o IS NOT NULL
OPTIONAL MATCH (o)-[:HAD]->(k2:Contact)
WITH c, k, o, k2 WHERE k2 IS NOT NULL
OPTIONAL MATCH (k2)-[:REACHED]->(other:Child)
WITH c, k, o, k2, other
WHERE other IS NOT NULL AND c.id <> other.id AND (size($children) = 1 OR c.id < other.id)
WITH c, other, o, collect(DISTINCT c.id + ': ' + k.date_text + ' (' + k.channel + ')')
       + collect(DISTINCT other.id + ': ' + k2.date_text + ' (' + k2.channel + ')') AS contacts,
     collect(k.source) + collect(k2.source) + [o.source] AS evidence
RETURN CASE WHEN c.id < other.id THEN c.id ELSE other.id END AS child_a,
       CASE WHEN c.id < other.id THEN c.name ELSE other.name END AS child_a_name,
       CASE WHEN c.id < other.id THEN other.id ELSE c.id END AS child_b,
       CASE WHEN c.id < other.id THEN other.name ELSE c.name END AS child_b_name,
       'same person' AS link, o.id AS via, o.name AS via_name, contacts AS contacts, evidence AS evidence
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:REACHED]-(k:Contact)
WITH c, k WHERE k IS NOT NULL
OPTIONAL MATCH (k)-[:HAPPENED_AT]->(pl:Place)
WITH c, k, pl WHERE pl IS NOT NULL
OPTIONAL MATCH (pl)<-[:HAPPENED_AT]-(k2:Contact)
WITH c, k, pl, k2 WHERE k2 IS NOT NULL
OPTIONAL MATCH (k2)-[:REACHED]->(other:Child)
WITH c, k, pl, k2, other
WHERE other IS NOT NULL AND c.id <> other.id AND (size($children) = 1 OR c.id < other.id)
OPTIONAL MATCH (k)<-[:HAD]-(o:PersonOfConcern|FamilyMember)
WITH c, k, pl, k2, other, o WHERE o IS NOT NULL
OPTIONAL MATCH (k2)<-[:HAD]-(o2:PersonOfConcern|FamilyMember)
WITH c, k, pl, k2, other, o, o2 WHERE o2 IS NOT NULL
WITH c, other, pl.id AS place, pl.name AS placeName, pl.source AS placeRefs,
     collect(DISTINCT c.id + ': ' + k.date_text + ' (' + o.name + ')')
       + collect(DISTINCT other.id + ': ' + k2.date_text + ' (' + o2.name + ')') AS contacts,
     collect(k.source) + collect(k2.source) AS refLists
WITH c, other, place, placeName, contacts, refLists + [placeRefs] AS evidence
RETURN CASE WHEN c.id < other.id THEN c.id ELSE other.id END AS child_a,
       CASE WHEN c.id < other.id THEN c.name ELSE other.name END AS child_a_name,
       CASE WHEN c.id < other.id THEN other.id ELSE c.id END AS child_b,
       CASE WHEN c.id < other.id THEN other.name ELSE c.name END AS child_b_name,
       'same place' AS link, place AS via, placeName AS via_name, contacts AS contacts, evidence AS evidence
