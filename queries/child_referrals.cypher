// Every referral about a child (Referral): who sent it, where it went, why, the receiving door's
// decision on it (outcome) and what the source says of that decision (review_says). A referral's
// outcome is the front door's decision, so the decision rules read front-door closures here and
// never expect a Decision for them.
MATCH (c:Child)
WHERE c.case_id = $case_id AND ($child = '' OR c.id = $child)
MATCH (c)<-[:CONCERNS]-(r:Referral)
OPTIONAL MATCH (s)-[:SENT]->(r)
OPTIONAL MATCH (r)-[:SENT_TO]->(t)
RETURN c.id AS child, r.id AS referral, collect(DISTINCT s.id) AS senders, collect(DISTINCT t.id) AS recipients,
       collect(DISTINCT t.name) AS recipient_names, r.reason AS reason, r.outcome AS outcome,
       coalesce(r.review_says, 'not_stated') AS review_says, r.review_words AS review_words,
       r.date_text AS date, r.date_from AS date_from,
       r.date_to AS date_to, r.source AS evidence
ORDER BY child, date_from, referral
