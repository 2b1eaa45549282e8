// What the review praises (PRAISES from a good-practice point): the party, meeting, flow,
// referral or decision, for which aspect of practice, over which period, about which child. The
// findings engine shows a finding on the same subject, aspect and time as downgraded ("but see").
// Its evidence is the link's own source (the point and the paragraphs praising this target), not
// the point's: a point's source ends with Appendix 5, the collated copy of every point, and names
// the section's paragraph even where this link rests on another, so "but see" would cite both.
MATCH (g:GoodPracticePoint)-[p:PRAISES]->(t:Agency|Professional|Meeting|Flow|Referral|Decision)
WHERE g.case_id = $case_id
RETURN g.id AS point, g.name AS point_name, p.aspect AS aspect, coalesce(p.child, '') AS child,
       t.id AS target, p.period_text AS period, p.period_from AS period_from, p.period_to AS period_to,
       p.source AS evidence
