// Events that guidance says must be passed on (queries/referral_expectations.yaml, with its
// citation: self-harm to CAMHS, a disclosure to children's social care and the police, a missing
// child to the police), where nobody of the expected sector took part and no participant (or its
// agency, or its staff) referred it or shared it (shared, late, or received but not acted on)
// with that sector while the event lasted, as the review dates it. A professional counts for
// their agency's sector. Only events with a recorded agency or professional participant are
// judged: silence in the source is not an absence.
// Every step starts from the child, its events and their participants (one child is quick on the
// embedded engine); each check is counted before the next so rows never multiply.
MATCH (c:Child {case_id: $case_id})
WHERE $child = '' OR c.id = $child
OPTIONAL MATCH (c)<-[:CONCERNS]-(e:Event)
WITH c, e
WHERE e IS NOT NULL
UNWIND $expected AS x
WITH c, e, x
WHERE e.kind = x.kind
OPTIONAL MATCH (p:Agency|Professional)-[:PARTICIPATED_IN]->(e)
WITH c, e, x, count(p) AS participantCount
WHERE participantCount > 0
UNWIND x.sectors AS sector
// Took part: an agency of the sector (and service), or a professional of one.
OPTIONAL MATCH (a:Agency)-[:PARTICIPATED_IN]->(e)
WITH c, e, x, sector,
     count(CASE WHEN a.sector = sector
                 AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(a.name) CONTAINS w)) THEN 1 END) AS agencies
OPTIONAL MATCH (e)<-[:PARTICIPATED_IN]-(:Professional)-[:WORKS_FOR]->(pa:Agency)
WITH c, e, x, sector, agencies,
     count(CASE WHEN pa.sector = sector
                 AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(pa.name) CONTAINS w)) THEN 1 END) AS staff
WHERE agencies = 0 AND staff = 0
// Passed on while the event lasted, by a participant, its agency or its staff, to an agency of the
// sector or to a professional of one.
OPTIONAL MATCH (e)<-[:PARTICIPATED_IN]-(:Agency|Professional)-[r:REFERRED|SHARED]->(y:Agency)
WITH c, e, x, sector, count(CASE WHEN r.child = c.id AND r.date_from <= e.date_to AND r.date_to >= e.date_from
    AND coalesce(r.outcome, '') <> 'not_made' AND coalesce(r.status, 'shared') IN ['shared', 'late', 'no_action']
    AND y.sector = sector AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(y.name) CONTAINS w))
    THEN 1 END) AS passed
WHERE passed = 0
OPTIONAL MATCH (e)<-[:PARTICIPATED_IN]-(:Agency|Professional)-[:WORKS_FOR]->(:Agency)-[r:REFERRED|SHARED]->(y:Agency)
WITH c, e, x, sector, count(CASE WHEN r.child = c.id AND r.date_from <= e.date_to AND r.date_to >= e.date_from
    AND coalesce(r.outcome, '') <> 'not_made' AND coalesce(r.status, 'shared') IN ['shared', 'late', 'no_action']
    AND y.sector = sector AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(y.name) CONTAINS w))
    THEN 1 END) AS passed
WHERE passed = 0
OPTIONAL MATCH (e)<-[:PARTICIPATED_IN]-(:Agency|Professional)<-[:WORKS_FOR]-(:Professional)-[r:REFERRED|SHARED]->(y:Agency)
WITH c, e, x, sector, count(CASE WHEN r.child = c.id AND r.date_from <= e.date_to AND r.date_to >= e.date_from
    AND coalesce(r.outcome, '') <> 'not_made' AND coalesce(r.status, 'shared') IN ['shared', 'late', 'no_action']
    AND y.sector = sector AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(y.name) CONTAINS w))
    THEN 1 END) AS passed
WHERE passed = 0
OPTIONAL MATCH (e)<-[:PARTICIPATED_IN]-(:Agency|Professional)-[r:REFERRED|SHARED]->(yp:Professional)-[:WORKS_FOR]->(ye:Agency)
WITH c, e, x, sector, count(CASE WHEN r.child = c.id AND r.date_from <= e.date_to AND r.date_to >= e.date_from
    AND coalesce(r.outcome, '') <> 'not_made' AND coalesce(r.status, 'shared') IN ['shared', 'late', 'no_action']
    AND ye.sector = sector
    AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(ye.name + ' ' + yp.name) CONTAINS w))
    THEN 1 END) AS passed
WHERE passed = 0
OPTIONAL MATCH (e)<-[:PARTICIPATED_IN]-(:Agency|Professional)-[:WORKS_FOR]->(:Agency)-[r:REFERRED|SHARED]->(yp:Professional)-[:WORKS_FOR]->(ye:Agency)
WITH c, e, x, sector, count(CASE WHEN r.child = c.id AND r.date_from <= e.date_to AND r.date_to >= e.date_from
    AND coalesce(r.outcome, '') <> 'not_made' AND coalesce(r.status, 'shared') IN ['shared', 'late', 'no_action']
    AND ye.sector = sector
    AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(ye.name + ' ' + yp.name) CONTAINS w))
    THEN 1 END) AS passed
WHERE passed = 0
OPTIONAL MATCH (e)<-[:PARTICIPATED_IN]-(:Agency|Professional)<-[:WORKS_FOR]-(:Professional)-[r:REFERRED|SHARED]->(yp:Professional)-[:WORKS_FOR]->(ye:Agency)
WITH c, e, x, sector, count(CASE WHEN r.child = c.id AND r.date_from <= e.date_to AND r.date_to >= e.date_from
    AND coalesce(r.outcome, '') <> 'not_made' AND coalesce(r.status, 'shared') IN ['shared', 'late', 'no_action']
    AND ye.sector = sector
    AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(ye.name + ' ' + yp.name) CONTAINS w))
    THEN 1 END) AS passed
WHERE passed = 0
OPTIONAL MATCH (p:Agency|Professional)-[pi:PARTICIPATED_IN]->(e)
WITH c, e, x, sector, collect(DISTINCT p.name) AS participants, collect(pi.source) AS partRefs
UNWIND partRefs + [e.source] AS refList
UNWIND refList AS ref
WITH x, e, c, participants, sector, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, e.id AS event, e.name AS event_name, e.kind AS event_kind, e.date_text AS event_date,
       participants AS participants, sector AS expected_sector, x.services AS expected_services,
       x.citation AS guidance, evidence AS evidence
ORDER BY child, event, expected_sector
