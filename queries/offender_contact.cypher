// Every contact a person of concern had with the child (or a family member acting as one):
// who, how (channel), where, when and what came of it, in date order. A CSE team's first
// question: who has access to this child, and by what route.
MATCH (c:Child {case_id: $case_id})
WHERE $child = '' OR c.id = $child
MATCH (c)<-[:REACHED]-(k:Contact)<-[:HAD]-(o:PersonOfConcern|FamilyMember)
// peers (¶123 "older children", ¶146 "peers, boyfriends") are never described as a risk: kept as records only
WHERE coalesce(o.kind, '') <> 'peers'
OPTIONAL MATCH (k)-[:AT]->(pl:Place)
RETURN c.id AS child, k.id AS contact, o.id AS person, o.name AS person_name,
       coalesce(o.kind, o.relationship) AS person_kind,
       k.channel AS channel, coalesce(k.certainty, 'stated') AS certainty, pl.id AS place_id, pl.name AS place, k.date_text AS date, k.date_from AS date_from,
       k.date_to AS date_to, k.outcome AS outcome,
       k.source + o.source AS evidence, coalesce(k.inferred, '') AS inferred
ORDER BY child, coalesce(k.date_from, date('1900-01-01')), coalesce(k.date_to, date('9999-12-31')), person, contact
