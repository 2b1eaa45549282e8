// What the review praises or mitigates (a Praise a good-practice point GAVE, or from the review document
// where the praise or mitigation is in a paragraph of its text): the party, meeting, flow, referral,
// decision or omission, for which aspect of practice, over which period, about which child. The findings
// engine shows a finding on the same subject, aspect and time as downgraded ("but see").
// Its evidence is the praise's own refs (the point and the ¶ that praise this subject): the point's
// other sources (App5, the appendix that collates every point) praise nothing in particular.
MATCH (g:GoodPracticePoint|SourceDocument)-[:GAVE]->(p:Praise)-[:PRAISED]->(t:Agency|Professional|Meeting|Flow|Referral|Decision|Omission|PersonOfConcern|InformationItem)
WHERE g.case_id = $case_id
OPTIONAL MATCH (p)-[:ABOUT]->(c:Child)
RETURN g.id AS point, g.name AS point_name, p.aspect AS aspect, coalesce(p.kind, 'praise') AS kind,
       coalesce(c.id, '') AS child, t.id AS target, p.period_text AS period, p.period_from AS period_from,
       p.period_to AS period_to, p.source AS evidence, coalesce(p.review_words, '') AS review_words
