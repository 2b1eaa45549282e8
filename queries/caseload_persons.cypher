// The persons of concern (or family members acting as one) in contact with the most children of the
// case: whom an exploitation team disrupts first. Counted in the store, one row per person, with the
// span of their recorded contacts and the evidence; contact is the link counted (person_children
// lists the other ways a person is linked to a child).
MATCH (o:PersonOfConcern|FamilyMember)-[:HAD]->(k:Contact)-[:REACHED]->(c:Child)
WHERE o.case_id = $case_id
WITH o, count(DISTINCT c.id) AS children, min(k.date_from) AS first_contact, max(k.date_to) AS last_contact,
     collect(k.source) AS refLists
UNWIND refLists + [o.source] AS refList
UNWIND refList AS ref
WITH o, children, first_contact, last_contact, collect(DISTINCT ref) AS evidence
RETURN o.id AS person, o.name AS person_name, children AS children, first_contact AS first_contact,
       last_contact AS last_contact, evidence AS evidence
ORDER BY children DESC, person
