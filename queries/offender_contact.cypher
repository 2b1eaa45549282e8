// Every contact a person of concern had with the child (or a family member acting as one):
// who, how (channel), where, when and what came of it, in date order. A CSE team's first
// question: who has access to this child, and by what route.
// One pattern from the person to the child: measured 2-3x faster on the embedded engine at 5,000 children than
// matching the child first and walking from it in a second MATCH
MATCH (o:PersonOfConcern|FamilyMember)-[:HAD]->(k:Contact)-[:REACHED]->(c:Child {case_id: $case_id})
WHERE ($child = '' OR c.id = $child)
  // peers (¶123 "older children", ¶146 "peers, boyfriends") are never described as a risk: kept as records only
  AND coalesce(o.kind, '') <> 'peers'
OPTIONAL MATCH (k)-[:HAPPENED_AT]->(pl:Place)
RETURN c.id AS child, k.id AS contact, o.id AS person, o.name AS person_name,
       coalesce(o.kind, o.relationship) AS person_kind,
       k.channel AS channel, coalesce(k.certainty, 'stated') AS certainty, pl.id AS place_id, pl.name AS place, k.date_text AS date, k.date_from AS date_from,
       k.date_to AS date_to, k.outcome AS outcome,
       k.source + o.source AS evidence, coalesce(k.inferred, '') AS inferred
ORDER BY child, coalesce(k.date_from, date('1900-01-01')), coalesce(k.date_to, date('9999-12-31')), person, contact
