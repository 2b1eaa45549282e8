// Who was involved with a child and when (INVOLVED_WITH), as the review dates it.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (p:Agency|Professional)-[v:INVOLVED_WITH]->(c)
WITH c, p, v
WHERE v IS NOT NULL
RETURN c.id AS child, p.id AS party, p.name AS party_name, coalesce(v.role, '') AS role, v.period_text AS period,
       v.period_from AS period_from, v.period_to AS period_to, v.source AS evidence
