// A child's two-step network within the case: step 1, the persons of concern (or family members) in
// contact with the child and the Places of those contacts; step 2, the other children those persons
// contacted and the other children contacted at those Places. Each row is one link, with its date and
// evidence, so a team can see who stands between two children. `$child = ''` gives every child's.
// The rows are ordered once by the library (registry `order`): the engine returns a union's branches in either order.
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
MATCH (c)<-[:REACHED]-(k:Contact)<-[:HAD]-(o:PersonOfConcern|FamilyMember)
// `via` is the child itself, written unlike `child`: the embedded engine folds two identical columns
// of a UNION branch into one and then hands the next branches' `child` the value of their `via`
RETURN c.id AS child, 1 AS step, 'person' AS kind, o.id AS id, o.name AS name, coalesce(c.id, '') AS via, k.date_text AS date,
       k.source + o.source AS evidence
UNION ALL
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
MATCH (c)<-[:REACHED]-(k:Contact)-[:HAPPENED_AT]->(pl:Place), (o:PersonOfConcern|FamilyMember)-[:HAD]->(k)
RETURN c.id AS child, 1 AS step, 'place' AS kind, pl.id AS id, pl.name AS name, o.id AS via, k.date_text AS date,
       k.source + pl.source AS evidence
UNION ALL
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
MATCH (c)<-[:REACHED]-(:Contact)<-[:HAD]-(o:PersonOfConcern|FamilyMember)
WITH DISTINCT c, o
MATCH (o)-[:HAD]->(k2:Contact)-[:REACHED]->(other:Child)
WHERE other.id <> c.id
RETURN c.id AS child, 2 AS step, 'child' AS kind, other.id AS id, other.name AS name, o.id AS via, k2.date_text AS date,
       k2.source AS evidence
UNION ALL
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
MATCH (c)<-[:REACHED]-(:Contact)-[:HAPPENED_AT]->(pl:Place)
WITH DISTINCT c, pl
MATCH (pl)<-[:HAPPENED_AT]-(k2:Contact)-[:REACHED]->(other:Child), (:PersonOfConcern|FamilyMember)-[:HAD]->(k2)
WHERE other.id <> c.id
RETURN c.id AS child, 2 AS step, 'child' AS kind, other.id AS id, other.name AS name, pl.id AS via, k2.date_text AS date,
       k2.source AS evidence
