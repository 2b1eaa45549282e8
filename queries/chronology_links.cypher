// Who the child's flows and referrals went between, and who each agency's chronology records at
// each meeting (an ATTENDED edge cites the accounts that list the attendee): what the chronology
// cross-checks compare one agency's account against.
MATCH (c:Child {case_id: $case_id})
WHERE $child = '' OR c.id = $child
OPTIONAL MATCH (c)<-[:CONCERNS]-(f:Flow|Referral)
WITH c, f WHERE f IS NOT NULL
MATCH (s)-[x:SENT]->(f)-[y:SENT_TO]->(t)
RETURN c.id AS child, f.id AS record_id, 'sent' AS link, s.id AS party, s.name AS party_name, t.id AS other,
       x.source + y.source AS evidence
UNION ALL
MATCH (c:Child {case_id: $case_id})
WHERE $child = '' OR c.id = $child
OPTIONAL MATCH (c)<-[:CONCERNS]-(m:Meeting)
WITH c, m WHERE m IS NOT NULL
MATCH (p)-[rec:ATTENDED]->(m)
RETURN c.id AS child, m.id AS record_id, 'attended' AS link, p.id AS party, p.name AS party_name, '' AS other,
       rec.source AS evidence
