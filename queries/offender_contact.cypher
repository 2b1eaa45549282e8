// Every contact a person of concern had with the child (or a family member acting as one):
// who, how (channel), where, when and what came of it, in date order. A CSE team's first
// question: who has access to this child, and by what route.
MATCH (o:PersonOfConcern|FamilyMember)-[k:CONTACTED]->(c:Child {case_id: $case_id})
WHERE ($child = '' OR c.id = $child)
  // peers (¶123 "older children", ¶146 "peers, boyfriends") are never described as a risk: kept as records only
  AND coalesce(o.kind, '') <> 'peers'
OPTIONAL MATCH (pl:Place {case_id: $case_id})
WHERE pl.id = k.place
RETURN c.id AS child, k.id AS contact, o.id AS person, o.name AS person_name,
       coalesce(o.kind, o.relationship) AS person_kind,
       k.channel AS channel, coalesce(k.certainty, 'stated') AS certainty, pl.id AS place_id, pl.name AS place, k.date_text AS date, k.date_from AS date_from,
       k.date_to AS date_to, k.outcome AS outcome,
       k.source + o.source AS evidence
ORDER BY child, coalesce(k.date_from, date('1900-01-01')), coalesce(k.date_to, date('9999-12-31')), person, contact
