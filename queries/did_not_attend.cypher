// Invited (or expected) but did not attend, with the reason where the review gives one.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(m:Meeting)
WITH c, m
WHERE m IS NOT NULL
OPTIONAL MATCH (m)<-[d:DID_NOT_ATTEND]-(p)
WITH c, m, d, p
WHERE d IS NOT NULL
RETURN c.id AS child, m.id AS meeting, m.name AS meeting_name, m.date_text AS meeting_date,
       p.id AS party, p.name AS party_name, d.reason AS reason, m.source + d.source AS evidence,
       d.source AS absence_evidence, d.mitigation AS mitigation,
       coalesce(d.inferred, '') AS inferred
ORDER BY child, meeting, party
