// Professional challenge (CHALLENGED): a party that disagreed with a decision, a meeting's outcome
// or a referral's outcome about a child, when, and whether the source says it was escalated (to a
// manager, through the escalation protocol, not at all, or unknown). One branch per kind of
// target, each starting from the child.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(t:Decision)
WITH c, t
WHERE t IS NOT NULL
OPTIONAL MATCH (t)<-[ch:CHALLENGED]-(p)
WITH c, t, ch, p
WHERE ch IS NOT NULL
RETURN c.id AS child, p.id AS challenger, p.name AS challenger_name, t.id AS target, 'decision' AS target_kind,
       t.outcome AS target_text, ch.date_text AS date, ch.date_from AS date_from, ch.escalation AS escalation,
       ch.escalated_text AS escalated, coalesce(ch.outcome, '') AS outcome, ch.source + t.source AS evidence
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(t:Meeting)
WITH c, t
WHERE t IS NOT NULL
OPTIONAL MATCH (t)<-[ch:CHALLENGED]-(p)
WITH c, t, ch, p
WHERE ch IS NOT NULL
RETURN c.id AS child, p.id AS challenger, p.name AS challenger_name, t.id AS target, 'meeting' AS target_kind,
       t.name AS target_text, ch.date_text AS date, ch.date_from AS date_from, ch.escalation AS escalation,
       ch.escalated_text AS escalated, coalesce(ch.outcome, '') AS outcome, ch.source + t.source AS evidence
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(t:Referral)
WITH c, t
WHERE t IS NOT NULL
OPTIONAL MATCH (t)<-[ch:CHALLENGED]-(p)
WITH c, t, ch, p
WHERE ch IS NOT NULL
RETURN c.id AS child, p.id AS challenger, p.name AS challenger_name, t.id AS target, 'referral' AS target_kind,
       t.reason AS target_text, ch.date_text AS date, ch.date_from AS date_from, ch.escalation AS escalation,
       ch.escalated_text AS escalated, coalesce(ch.outcome, '') AS outcome, ch.source + t.source AS evidence
