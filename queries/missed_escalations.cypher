// Missed escalations: referrals closed without action (no action, closed as low risk, not
// indicated, or never made) and concerns passed on but not acted on, for a child who then came
// to harm. Hindsight is the point: the harm events recorded afterwards (missing episodes,
// disclosures, self-harm, …) are what tells a panel the concern was real. An event counts as
// after the referral when its earliest possible date is later than the referral's.
// Each branch starts from the child; its later harm events are read from it. `evidence` holds the
// concern's refs and its later harm's; `concern_evidence` the concern's alone (what a finding about
// the concern cites: later harm is not evidence of it unless the review links them).
// The sender and recipient are labelled with SENT's and SENT_TO's schema ends and kept as their id and name at
// once: an unlabelled node carries every column of every node table through each later clause (planning
// took 4/5 of the time at 20,000 children).
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(r:Referral)
WITH c, r
WHERE r IS NOT NULL AND r.outcome IN $outcomes
OPTIONAL MATCH (a:Agency|Professional|FamilyMember|Child)-[:SENT]->(r)
WITH c, r, a WHERE a IS NOT NULL
WITH c, r, a.id AS fromParty, a.name AS fromName
OPTIONAL MATCH (r)-[:SENT_TO]->(b:Agency|Professional|FamilyMember|Meeting)
WITH c, r, fromParty, fromName, b WHERE b IS NOT NULL
WITH c, r, fromParty, fromName, b.id AS toParty, b.name AS toName
OPTIONAL MATCH (c)<-[:CONCERNS]-(e:Event)
WITH c, r, fromParty, fromName, toParty, toName, e
WHERE e.kind IN $harm_kinds AND e.date_from > r.date_from
WITH c, r, fromParty, fromName, toParty, toName, count(DISTINCT e) AS harmEvents, min(e.date_from) AS firstHarm,
     collect(DISTINCT e.kind) AS harmKinds, collect(e.source) AS harmRefs
OPTIONAL MATCH (c)<-[:CONCERNS]-(fe:Event)
WITH c, r, fromParty, fromName, toParty, toName, harmEvents, harmKinds, harmRefs,
     collect(DISTINCT CASE WHEN fe.kind IN $harm_kinds AND fe.date_from = firstHarm THEN fe.date_text END) AS firstDates
UNWIND harmRefs + [r.source] AS refList
UNWIND refList AS ref
WITH c, r, fromParty, fromName, toParty, toName, harmEvents, harmKinds, firstDates, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, r.id AS concern, 'referral' AS route, fromParty AS from_party, fromName AS from_name,
       toParty AS to_party, toName AS to_name, r.reason AS concern_text, r.outcome AS outcome,
       coalesce(r.certainty, 'stated') AS certainty,
       r.date_text AS date, r.date_from AS date_from, r.date_to AS date_to, harmEvents AS harm_events, harmKinds AS harm_kinds, firstDates AS first_harm,
       evidence AS evidence, r.source AS concern_evidence, coalesce(r.inferred, '') AS inferred
ORDER BY child, concern
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(s:Flow)
WITH c, s
WHERE s IS NOT NULL AND s.status IN $flow_statuses
OPTIONAL MATCH (a:Agency|Professional|FamilyMember|Child)-[:SENT]->(s)
WITH c, s, a WHERE a IS NOT NULL
WITH c, s, a.id AS fromParty, a.name AS fromName
OPTIONAL MATCH (s)-[:SENT_TO]->(b:Agency|Professional|FamilyMember|Meeting)
WITH c, s, fromParty, fromName, b WHERE b IS NOT NULL
WITH c, s, fromParty, fromName, b.id AS toParty, b.name AS toName
OPTIONAL MATCH (c)<-[:CONCERNS]-(e:Event)
WITH c, s, fromParty, fromName, toParty, toName, e
WHERE e.kind IN $harm_kinds AND e.date_from > s.date_from
WITH c, s, fromParty, fromName, toParty, toName, count(DISTINCT e) AS harmEvents, min(e.date_from) AS firstHarm,
     collect(DISTINCT e.kind) AS harmKinds, collect(e.source) AS harmRefs
OPTIONAL MATCH (c)<-[:CONCERNS]-(fe:Event)
WITH c, s, fromParty, fromName, toParty, toName, harmEvents, harmKinds, harmRefs,
     collect(DISTINCT CASE WHEN fe.kind IN $harm_kinds AND fe.date_from = firstHarm THEN fe.date_text END) AS firstDates
UNWIND harmRefs + [s.source] AS refList
UNWIND refList AS ref
WITH c, s, fromParty, fromName, toParty, toName, harmEvents, harmKinds, firstDates, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, s.id AS concern, 'information flow' AS route, fromParty AS from_party, fromName AS from_name,
       toParty AS to_party, toName AS to_name, s.information AS concern_text, s.status AS outcome,
       coalesce(s.certainty, 'stated') AS certainty,
       s.date_text AS date, s.date_from AS date_from, s.date_to AS date_to, harmEvents AS harm_events, harmKinds AS harm_kinds, firstDates AS first_harm,
       evidence AS evidence, s.source AS concern_evidence, coalesce(s.inferred, '') AS inferred
ORDER BY child, concern
