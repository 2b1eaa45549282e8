// Which agencies each learning point and good-practice point names, and the children it is about (none:
// every child): the review's learning, agency by agency, for the trainer who briefs one agency and the
// reviewer who checks that every agency's learning was taken up. The findings engine sets each finding
// beside the learning points naming an agency it is about (findings/learning.py). The rows are ordered once
// by the library (registry `order`): the engine returns a union's branches in either order.
MATCH (lp:LearningPoint {case_id: $case_id})-[n:NAMES]->(a:Agency)
WHERE $agency = '' OR a.id = $agency
OPTIONAL MATCH (lp)-[:CONCERNS]->(c:Child)
WITH lp, n, a, collect(c.id) AS children
RETURN 'learning point' AS point_kind, lp.id AS point, lp.number AS number, lp.name AS point_name,
       a.id AS agency, a.name AS agency_name, a.sector AS sector, children AS children,
       lp.source + n.source AS evidence
UNION ALL
MATCH (gp:GoodPracticePoint {case_id: $case_id})-[n:NAMES]->(a:Agency)
WHERE $agency = '' OR a.id = $agency
OPTIONAL MATCH (gp)-[:CONCERNS]->(c:Child)
WITH gp, n, a, collect(c.id) AS children
RETURN 'good practice' AS point_kind, gp.id AS point, gp.number AS number, gp.name AS point_name,
       a.id AS agency, a.name AS agency_name, a.sector AS sector, children AS children,
       gp.source + n.source AS evidence
