// Every agency, professional and police force of a case, with its label and sector as recorded,
// and its links: `member_of` (a team PART_OF an agency, a unit PART_OF a force, a professional
// WORKS_FOR an employer) and `located_in` (an agency LOCATED_IN an area; a force COVERS one).
// findings/facts.py closes these over the hierarchy, so every rule and view counts a team for its
// agency (and the agency for its team) in the same way. One row per party and link; a party
// with no link has one row whose `target` is null.
MATCH (p:Agency)
WHERE p.case_id = $case_id
OPTIONAL MATCH (p)-[:PART_OF]->(o:Agency|PoliceForce)
RETURN p.id AS party, p.name AS name, 'Agency' AS label, p.sector AS sector, 'member_of' AS link, o.id AS target,
       p.source AS evidence
UNION ALL
MATCH (p:Professional)
WHERE p.case_id = $case_id
OPTIONAL MATCH (p)-[:WORKS_FOR]->(o:Agency)
RETURN p.id AS party, p.name AS name, 'Professional' AS label, '' AS sector, 'member_of' AS link, o.id AS target,
       p.source AS evidence
UNION ALL
MATCH (p:PoliceForce)
WHERE p.case_id = $case_id
RETURN p.id AS party, p.name AS name, 'PoliceForce' AS label, 'police' AS sector, 'member_of' AS link,
       p.id AS target, p.source AS evidence
UNION ALL
MATCH (p:Agency|PoliceForce)-[:LOCATED_IN|COVERS]->(a:Area)
WHERE p.case_id = $case_id
RETURN p.id AS party, p.name AS name, '' AS label, '' AS sector, 'located_in' AS link, a.id AS target,
       p.source AS evidence
