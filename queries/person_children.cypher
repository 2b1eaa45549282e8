// Every child a person of concern is linked to, and how: direct contact (channel, place), an
// event they took part in (with their role), or an event, information item or meeting the review
// records about both. One offender with access to several children is the pattern CSE teams
// look for. A family member appears only through contact, as a person of concern.
// leaves out: CONCERNS from LearningPoint, GoodPracticePoint, Flow, Referral, Decision, RiskAssessment, Omission — the
// review's own structure, and records about one child's handling, do not link a person to a child.
MATCH (o:PersonOfConcern|FamilyMember)-[:HAD]->(k:Contact)-[:REACHED]->(c:Child)
WHERE o.case_id = $case_id AND ($person = '' OR o.id = $person)
OPTIONAL MATCH (k)-[:HAPPENED_AT]->(pl:Place)
RETURN o.id AS person, o.name AS person_name, c.id AS child, c.name AS child_name, 'contact' AS link,
       k.channel AS detail, coalesce(pl.name, '') AS place, k.date_text AS date, k.source + o.source AS evidence
ORDER BY person, child, coalesce(k.date_from, date('1900-01-01')), k.id
UNION ALL
MATCH (o:PersonOfConcern)-[pp:PARTICIPATED_IN]->(e:Event)-[:CONCERNS]->(c:Child)
WHERE o.case_id = $case_id AND ($person = '' OR o.id = $person)
RETURN o.id AS person, o.name AS person_name, c.id AS child, c.name AS child_name,
       'took part in an event: ' + pp.role AS link, e.name AS detail, '' AS place, e.date_text AS date,
       pp.source + e.source AS evidence
ORDER BY person, child, coalesce(e.date_from, date('1900-01-01')), e.id, link
UNION ALL
MATCH (o:PersonOfConcern)<-[:CONCERNS]-(e:Event)-[:CONCERNS]->(c:Child)
WHERE o.case_id = $case_id AND ($person = '' OR o.id = $person)
RETURN o.id AS person, o.name AS person_name, c.id AS child, c.name AS child_name, 'event about both' AS link,
       e.name AS detail, '' AS place, e.date_text AS date, e.source AS evidence
ORDER BY person, child, coalesce(e.date_from, date('1900-01-01')), e.id
UNION ALL
MATCH (o:PersonOfConcern)<-[:CONCERNS]-(i:InformationItem)-[:CONCERNS]->(c:Child)
WHERE o.case_id = $case_id AND ($person = '' OR o.id = $person)
RETURN o.id AS person, o.name AS person_name, c.id AS child, c.name AS child_name,
       'information about both' AS link, i.name AS detail, '' AS place, i.date_text AS date, i.source AS evidence
ORDER BY person, child, coalesce(i.date_from, date('1900-01-01')), i.id
UNION ALL
MATCH (o:PersonOfConcern)<-[:CONCERNS]-(m:Meeting)-[:CONCERNS]->(c:Child)
WHERE o.case_id = $case_id AND ($person = '' OR o.id = $person)
RETURN o.id AS person, o.name AS person_name, c.id AS child, c.name AS child_name, 'meeting about both' AS link,
       m.name AS detail, coalesce(m.place, '') AS place, m.date_text AS date, m.source AS evidence
ORDER BY person, child, coalesce(m.date_from, date('1900-01-01')), m.id
