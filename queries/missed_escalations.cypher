// Missed escalations: referrals closed without action (no action, closed as low risk, not
// indicated, or never made) and concerns passed on but not acted on, for a child who then came
// to harm. Hindsight is the point: the harm events recorded afterwards (missing episodes,
// disclosures, self-harm, …) are what tells a panel the concern was real. An event counts as
// after the referral when its earliest possible date is later than the referral's.
// It starts from the child and reads its referrals and flows as one (a Referral has an `outcome`, a Flow a
// `status`, never both), then their later harm events. `evidence` holds the
// concern's refs and its later harm's; `concern_evidence` the concern's alone (what a finding about
// the concern cites: later harm is not evidence of it unless the review links them).
// The sender and recipient are labelled with SENT's and SENT_TO's schema ends, read in one pattern and kept as
// their id and name at once: an unlabelled node carries every column of every node table through each later
// clause (planning took 4/5 of the time at 20,000 children). The first harm's dates come from the harm events
// already collected, not from a second read of the child's events (issue 17: 13.1 -> 9.9 ms of CPU for one
// child at 20,000 children).
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(r:Referral|Flow)
WITH c, r
WHERE r IS NOT NULL AND (r.outcome IN $outcomes OR r.status IN $flow_statuses)
OPTIONAL MATCH (a:Agency|Professional|FamilyMember|Child)-[:SENT]->(r)-[:SENT_TO]->(b:Agency|Professional|FamilyMember|Meeting)
WITH c, r, a, b WHERE b IS NOT NULL
WITH c, r, a.id AS fromParty, a.name AS fromName, b.id AS toParty, b.name AS toName
OPTIONAL MATCH (c)<-[:CONCERNS]-(e:Event)
WITH c, r, fromParty, fromName, toParty, toName, e
WHERE e.kind IN $harm_kinds AND e.date_from > r.date_from
WITH c, r, fromParty, fromName, toParty, toName, count(DISTINCT e) AS harmEvents, min(e.date_from) AS firstHarm,
     collect(DISTINCT e.kind) AS harmKinds, collect(e.source) AS harmRefs,
     collect({date_from: e.date_from, date_text: e.date_text}) AS harms
UNWIND harms AS harm
WITH c, r, fromParty, fromName, toParty, toName, harmEvents, harmKinds, harmRefs,
     collect(DISTINCT CASE WHEN harm.date_from = firstHarm THEN harm.date_text END) AS firstDates
RETURN c.id AS child, r.id AS concern, CASE WHEN r.outcome IS NULL THEN 'information flow' ELSE 'referral' END AS route,
       fromParty AS from_party, fromName AS from_name, toParty AS to_party, toName AS to_name,
       coalesce(r.reason, r.information) AS concern_text, coalesce(r.outcome, r.status) AS outcome,
       coalesce(r.certainty, 'stated') AS certainty,
       r.date_text AS date, r.date_from AS date_from, r.date_to AS date_to, harmEvents AS harm_events, harmKinds AS harm_kinds, firstDates AS first_harm,
       harmRefs + [r.source] AS evidence, r.source AS concern_evidence, coalesce(r.inferred, '') AS inferred
ORDER BY route DESC, child, concern
