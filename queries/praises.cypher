// What the review praises (PRAISES from a good-practice point): the party, meeting, flow,
// referral or decision, for which aspect of practice, over which period, about which child. The
// findings engine shows a finding on the same subject, aspect and time as downgraded ("but see").
// Its evidence is the link's own refs (the point and the ¶ that praise this subject): the point's
// other sources (App5, the appendix that collates every point) praise nothing in particular.
MATCH (g:GoodPracticePoint)-[p:PRAISES]->(t:Agency|Professional|Meeting|Flow|Referral|Decision)
WHERE g.case_id = $case_id
RETURN g.id AS point, g.name AS point_name, p.aspect AS aspect, coalesce(p.child, '') AS child,
       t.id AS target, p.period_text AS period, p.period_from AS period_from, p.period_to AS period_to,
       p.source AS evidence
