// What the review says should have happened and did not (Omission), about a child: who it was
// expected of (a party or a meeting), its kind and date.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(o:Omission)
WITH c, o
WHERE o IS NOT NULL
OPTIONAL MATCH (o)-[:EXPECTED_OF]->(t:Agency|Professional|Meeting)
RETURN c.id AS child, o.id AS omission, o.kind AS kind, o.description AS description, o.date_text AS date,
       o.date_from AS date_from, o.date_to AS date_to, collect(DISTINCT t.id) AS expected_of, o.source AS evidence,
       coalesce(o.inferred, '') AS inferred,
       coalesce(o.learning, '') AS learning
