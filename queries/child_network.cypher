// A child's two-step network within the case: step 1, the persons of concern (or family members) in
// contact with the child and the Places of those contacts; step 2, the other children those persons
// contacted and the other children contacted at those Places. Each row is one link, with its date and
// evidence, so a team can see who stands between two children. `$child = ''` gives every child's.
// Each branch starts from the child's key and walks out one hop per OPTIONAL MATCH.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:REACHED]-(k:Contact)
WITH c, k WHERE k IS NOT NULL
OPTIONAL MATCH (k)<-[:HAD]-(o:PersonOfConcern|FamilyMember)
WITH c, k, o WHERE o IS NOT NULL
// `via` is the child itself, written unlike `child`: the embedded engine folds two identical columns
// of a UNION branch into one and then hands the next branches' `child` the value of their `via`
RETURN c.id AS child, 1 AS step, 'person' AS kind, o.id AS id, o.name AS name, coalesce(c.id, '') AS via, k.date_text AS date,
       k.source + o.source AS evidence
ORDER BY child, id, date
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:REACHED]-(k:Contact)
WITH c, k WHERE k IS NOT NULL
OPTIONAL MATCH (k)-[:HAPPENED_AT]->(pl:Place)
WITH c, k, pl WHERE pl IS NOT NULL
OPTIONAL MATCH (k)<-[:HAD]-(o:PersonOfConcern|FamilyMember)
WITH c, k, pl, o WHERE o IS NOT NULL
RETURN c.id AS child, 1 AS step, 'place' AS kind, pl.id AS id, pl.name AS name, o.id AS via, k.date_text AS date,
       k.source + pl.source AS evidence
ORDER BY child, id, via, date
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:REACHED]-(k:Contact)
WITH c, k WHERE k IS NOT NULL
OPTIONAL MATCH (k)<-[:HAD]-(o:PersonOfConcern|FamilyMember)
WITH DISTINCT c, o WHERE o IS NOT NULL
OPTIONAL MATCH (o)-[:HAD]->(k2:Contact)
WITH c, o, k2 WHERE k2 IS NOT NULL
OPTIONAL MATCH (k2)-[:REACHED]->(other:Child)
WITH c, o, k2, other WHERE other IS NOT NULL AND other.id <> c.id
RETURN c.id AS child, 2 AS step, 'child' AS kind, other.id AS id, other.name AS name, o.id AS via, k2.date_text AS date,
       k2.source AS evidence
ORDER BY child, id, via, date
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:REACHED]-(k:Contact)
WITH c, k WHERE k IS NOT NULL
OPTIONAL MATCH (k)-[:HAPPENED_AT]->(pl:Place)
WITH DISTINCT c, pl WHERE pl IS NOT NULL
OPTIONAL MATCH (pl)<-[:HAPPENED_AT]-(k2:Contact)
WITH c, pl, k2 WHERE k2 IS NOT NULL
OPTIONAL MATCH (k2)-[:REACHED]->(other:Child)
WITH c, pl, k2, other WHERE other IS NOT NULL AND other.id <> c.id
OPTIONAL MATCH (k2)<-[:HAD]-(o2:PersonOfConcern|FamilyMember)
WITH c, pl, k2, other, o2 WHERE o2 IS NOT NULL
RETURN c.id AS child, 2 AS step, 'child' AS kind, other.id AS id, other.name AS name, pl.id AS via, k2.date_text AS date,
       k2.source AS evidence
ORDER BY child, id, via, date
