// Children linked through the people who reached them: the same person of concern in contact
// with both, or contacts with different people at the same place (compared ignoring case). Peer
// networks and shared venues are how exploitation spreads between children in care.
MATCH (c1:Child)<-[k1:CONTACTED]-(o:PersonOfConcern|FamilyMember)-[k2:CONTACTED]->(c2:Child)
WHERE c1.id < c2.id AND ($child = '' OR c1.id = $child OR c2.id = $child)
WITH c1, c2, o, collect(DISTINCT c1.id + ': ' + k1.date_text + ' (' + k1.channel + ')')
       + collect(DISTINCT c2.id + ': ' + k2.date_text + ' (' + k2.channel + ')') AS contacts,
     collect(k1.source) + collect(k2.source) AS refLists
UNWIND refLists + [o.source] AS refList
UNWIND refList AS ref
WITH c1, c2, o, contacts, collect(DISTINCT ref) AS evidence
RETURN c1.id AS child_a, c1.name AS child_a_name, c2.id AS child_b, c2.name AS child_b_name,
       'same person' AS link, o.id AS via, o.name AS via_name, contacts AS contacts, evidence AS evidence
ORDER BY child_a, child_b, via
UNION ALL
MATCH (c1:Child)<-[k1:CONTACTED]-(o1:PersonOfConcern|FamilyMember)
MATCH (c2:Child)<-[k2:CONTACTED]-(o2:PersonOfConcern|FamilyMember)
WHERE c1.id < c2.id AND ($child = '' OR c1.id = $child OR c2.id = $child)
  AND toLower(k1.place) = toLower(k2.place)
WITH c1, c2, toLower(k1.place) AS place, min(k1.place) AS placeName,
     collect(DISTINCT c1.id + ': ' + k1.date_text + ' (' + o1.name + ')')
       + collect(DISTINCT c2.id + ': ' + k2.date_text + ' (' + o2.name + ')') AS contacts,
     collect(k1.source) + collect(k2.source) AS refLists
UNWIND refLists AS refList
UNWIND refList AS ref
WITH c1, c2, place, placeName, contacts, collect(DISTINCT ref) AS evidence
RETURN c1.id AS child_a, c1.name AS child_a_name, c2.id AS child_b, c2.name AS child_b_name,
       'same place' AS link, place AS via, placeName AS via_name, contacts AS contacts, evidence AS evidence
ORDER BY child_a, child_b, via
