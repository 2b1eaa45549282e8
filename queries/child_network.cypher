// A child's two-step network within the case: step 1, the persons of concern (or family members) in
// contact with the child and the Places of those contacts; step 2, the other children those persons
// contacted and the other children contacted at those Places. Each row is one link, with its date and
// evidence, so a team can see who stands between two children. `$child = ''` gives every child's.
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
OPTIONAL MATCH (c)<-[k:CONTACTED]-(o:PersonOfConcern|FamilyMember)
WITH c, k, o
WHERE o IS NOT NULL
// `via` is the child itself, written unlike `child`: the embedded engine folds two identical columns
// of a UNION branch into one and then hands the next branches' `child` the value of their `via`
RETURN c.id AS child, 1 AS step, 'person' AS kind, o.id AS id, o.name AS name, coalesce(c.id, '') AS via, k.date_text AS date,
       k.source + o.source AS evidence
ORDER BY child, id, date
UNION ALL
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
OPTIONAL MATCH (c)<-[k:CONTACTED]-(o:PersonOfConcern|FamilyMember)
WITH c, k, o
WHERE k IS NOT NULL AND k.place IS NOT NULL
MATCH (pl:Place {case_id: $case_id})
WHERE pl.id = k.place
RETURN c.id AS child, 1 AS step, 'place' AS kind, pl.id AS id, pl.name AS name, o.id AS via, k.date_text AS date,
       k.source + pl.source AS evidence
ORDER BY child, id, via, date
UNION ALL
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
OPTIONAL MATCH (c)<-[:CONTACTED]-(o:PersonOfConcern|FamilyMember)
WITH DISTINCT c, o
WHERE o IS NOT NULL
OPTIONAL MATCH (o)-[k2:CONTACTED]->(other:Child)
WITH c, o, k2, other
WHERE other IS NOT NULL AND other.id <> c.id
RETURN c.id AS child, 2 AS step, 'child' AS kind, other.id AS id, other.name AS name, o.id AS via, k2.date_text AS date,
       k2.source AS evidence
ORDER BY child, id, via, date
UNION ALL
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
OPTIONAL MATCH (c)<-[k:CONTACTED]-(:PersonOfConcern|FamilyMember)
WITH DISTINCT c, k.place AS place
WHERE place IS NOT NULL
MATCH (o2:PersonOfConcern|FamilyMember)-[k2:CONTACTED]->(other:Child)
WHERE o2.case_id = $case_id AND k2.place = place AND other.id <> c.id
RETURN c.id AS child, 2 AS step, 'child' AS kind, other.id AS id, other.name AS name, place AS via, k2.date_text AS date,
       k2.source AS evidence
ORDER BY child, id, via, date
