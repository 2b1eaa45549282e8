// Which agencies each learning point and good-practice point names: the review's learning,
// agency by agency, for the trainer who briefs one agency and the reviewer who checks that every
// agency's learning was taken up.
MATCH (lp:LearningPoint {case_id: $case_id})-[n:NAMES]->(a:Agency)
WHERE $agency = '' OR a.id = $agency
RETURN 'learning point' AS point_kind, lp.id AS point, lp.number AS number, lp.name AS point_name,
       a.id AS agency, a.name AS agency_name, a.sector AS sector, lp.source + n.source AS evidence
ORDER BY number, agency
UNION ALL
MATCH (gp:GoodPracticePoint {case_id: $case_id})-[n:NAMES]->(a:Agency)
WHERE $agency = '' OR a.id = $agency
RETURN 'good practice' AS point_kind, gp.id AS point, gp.number AS number, gp.name AS point_name,
       a.id AS agency, a.name AS agency_name, a.sector AS sector, gp.source + n.source AS evidence
ORDER BY number, agency
