// Missed escalations: referrals closed without action (no action, closed as low risk, not
// indicated, or never made) and concerns passed on but not acted on, for a child who then came
// to harm. Hindsight is the point: the harm events recorded afterwards (missing episodes,
// disclosures, self-harm, …) are what tells a panel the concern was real. An event counts as
// after the referral when its earliest possible date is later than the referral's.
MATCH (a)-[r:REFERRED]->(b)
WHERE ($child = '' OR r.child = $child) AND r.outcome IN $outcomes
MATCH (e:Event)-[:CONCERNS]->(c:Child)
WHERE c.id = r.child AND e.kind IN $harm_kinds AND e.date_from > r.date_from
WITH r, a, b, count(DISTINCT e) AS harmEvents, min(e.date_from) AS firstHarm,
     collect(DISTINCT e.kind) AS harmKinds, collect(e.source) AS harmRefs
MATCH (fe:Event)-[:CONCERNS]->(fc:Child)
WHERE fc.id = r.child AND fe.kind IN $harm_kinds AND fe.date_from = firstHarm
UNWIND harmRefs + [r.source] AS refList
UNWIND refList AS ref
WITH r, a, b, harmEvents, harmKinds, collect(DISTINCT fe.date_text) AS firstDates,
     collect(DISTINCT ref) AS evidence
RETURN r.child AS child, r.id AS concern, 'referral' AS route, a.id AS from_party, a.name AS from_name,
       b.id AS to_party, b.name AS to_name, r.reason AS concern_text, r.outcome AS outcome,
       r.date_text AS date, harmEvents AS harm_events, harmKinds AS harm_kinds, firstDates AS first_harm,
       evidence AS evidence
ORDER BY child, concern
UNION ALL
MATCH (a)-[s:SHARED]->(b)
WHERE ($child = '' OR s.child = $child) AND s.status IN $flow_statuses
MATCH (e:Event)-[:CONCERNS]->(c:Child)
WHERE c.id = s.child AND e.kind IN $harm_kinds AND e.date_from > s.date_from
WITH s, a, b, count(DISTINCT e) AS harmEvents, min(e.date_from) AS firstHarm,
     collect(DISTINCT e.kind) AS harmKinds, collect(e.source) AS harmRefs
MATCH (fe:Event)-[:CONCERNS]->(fc:Child)
WHERE fc.id = s.child AND fe.kind IN $harm_kinds AND fe.date_from = firstHarm
UNWIND harmRefs + [s.source] AS refList
UNWIND refList AS ref
WITH s, a, b, harmEvents, harmKinds, collect(DISTINCT fe.date_text) AS firstDates,
     collect(DISTINCT ref) AS evidence
RETURN s.child AS child, s.id AS concern, 'information flow' AS route, a.id AS from_party, a.name AS from_name,
       b.id AS to_party, b.name AS to_name, s.information AS concern_text, s.status AS outcome,
       s.date_text AS date, harmEvents AS harm_events, harmKinds AS harm_kinds, firstDates AS first_harm,
       evidence AS evidence
ORDER BY child, concern
