// Every contact a person of concern had with the child (or a family member acting as one):
// who, how (channel), where, when and what came of it, in date order. A CSE team's first
// question: who has access to this child, and by what route.
// It starts from the child's key and walks one hop per clause (as every one-child question does): at 20,000
// children the earlier single pattern from the person, filtered by child id, read every contact (12 ms).
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:REACHED]-(k:Contact)
WITH c, k WHERE k IS NOT NULL
OPTIONAL MATCH (k)<-[:HAD]-(o:PersonOfConcern|FamilyMember)
WITH c, k, o
// peers (¶123 "older children", ¶146 "peers, boyfriends") are never described as a risk: kept as records only
WHERE o IS NOT NULL AND coalesce(o.kind, '') <> 'peers'
OPTIONAL MATCH (k)-[:HAPPENED_AT]->(pl:Place)
RETURN c.id AS child, k.id AS contact, o.id AS person, o.name AS person_name,
       coalesce(o.kind, o.relationship) AS person_kind,
       k.channel AS channel, coalesce(k.certainty, 'stated') AS certainty, pl.id AS place_id, pl.name AS place, k.date_text AS date, k.date_from AS date_from,
       k.date_to AS date_to, k.outcome AS outcome,
       k.source + o.source AS evidence, coalesce(k.inferred, '') AS inferred
ORDER BY child, coalesce(k.date_from, date('1900-01-01')), coalesce(k.date_to, date('9999-12-31')), person, contact
