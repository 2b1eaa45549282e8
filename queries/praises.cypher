// What the review praises (PRAISES from a good-practice point): the party, meeting, flow,
// referral or decision, for which aspect of practice, over which period, about which child. The
// findings engine shows a finding on the same subject, aspect and time as downgraded ("but see").
MATCH (g:GoodPracticePoint)-[p:PRAISES]->(t:Agency|Professional|Meeting|Flow|Referral|Decision)
WHERE g.case_id = $case_id
RETURN g.id AS point, g.name AS point_name, p.aspect AS aspect, coalesce(p.child, '') AS child,
       t.id AS target, p.period_text AS period, p.period_from AS period_from, p.period_to AS period_to,
       g.source + p.source AS evidence
