// Every referral about a child (Referral): who sent it, where it went, why, the receiving door's
// decision on it (outcome) and what the source says of that decision (review_says). A referral's
// outcome is the front door's decision, so the decision rules read front-door closures here and
// never expect a Decision for them.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(r:Referral)
WITH c, r
WHERE r IS NOT NULL
OPTIONAL MATCH (s)-[:SENT]->(r)
OPTIONAL MATCH (r)-[:SENT_TO]->(t)
RETURN c.id AS child, r.id AS referral, collect(DISTINCT s.id) AS senders, collect(DISTINCT t.id) AS recipients,
       collect(DISTINCT t.name) AS recipient_names, r.reason AS reason, r.outcome AS outcome,
       coalesce(r.certainty, 'stated') AS certainty,
       coalesce(r.review_says, 'not_stated') AS review_says, r.review_words AS review_words,
       r.date_text AS date, r.date_from AS date_from,
       r.date_to AS date_to, r.source AS evidence, coalesce(r.inferred, '') AS inferred
ORDER BY child, date_from, referral
