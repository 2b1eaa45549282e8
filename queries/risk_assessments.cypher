// Every risk assessment of a child (RiskAssessment): the tool, the level it gave, when, and who
// assessed. The threshold rule reads which assessments below the high band were followed by a
// closure at the assessor's door and then by harm.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(r:RiskAssessment)
WITH c, r
WHERE r IS NOT NULL
OPTIONAL MATCH (p:Agency|Professional)-[a:ASSESSED]->(r)
WITH c, r, collect(DISTINCT p.id) AS assessors, collect(a.source) AS assessedRefs
UNWIND assessedRefs + [r.source] AS refList
UNWIND refList AS ref
WITH c, r, assessors, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, r.id AS assessment, r.tool AS tool, r.level AS level, r.review_words AS review_words,
       r.date_text AS date,
       r.date_from AS date_from, r.date_to AS date_to, assessors AS assessors, evidence AS evidence
ORDER BY child, date_from, assessment
