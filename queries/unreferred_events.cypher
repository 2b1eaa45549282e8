// Events that guidance says must be passed on (queries/referral_expectations.yaml, with its
// citation: self-harm to CAMHS, a disclosure to children's social care and the police, a missing
// child to the police), where nobody of the expected sector took part and no participant (or its
// agency, or its staff) referred it or shared it (shared, late, or received but not acted on)
// with that sector while the event lasted, as the review dates it. A professional counts for
// their agency's sector. Only events with a recorded agency or professional participant are
// judged: silence in the source is not an absence.
UNWIND $expected AS x
MATCH (e:Event)-[:CONCERNS]->(c:Child)
WHERE e.kind = x.kind AND ($child = '' OR c.id = $child)
MATCH (p:Agency|Professional)-[pi:PARTICIPATED_IN]->(e)
OPTIONAL MATCH (p)-[:WORKS_FOR]->(employer:Agency)
OPTIONAL MATCH (p)<-[:WORKS_FOR]-(staff:Professional)
WITH x, e, c, collect(DISTINCT p.name) AS participants, collect(pi.source) AS partRefs,
     collect(DISTINCT p.id) + collect(DISTINCT employer.id) + collect(DISTINCT staff.id) AS senders
UNWIND x.sectors AS sector
OPTIONAL MATCH (a:Agency)-[:PARTICIPATED_IN]->(e)
  WHERE a.sector = sector AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(a.name) CONTAINS w))
OPTIONAL MATCH (e)<-[:PARTICIPATED_IN]-(:Professional)-[:WORKS_FOR]->(pa:Agency)
  WHERE pa.sector = sector AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(pa.name) CONTAINS w))
WITH x, e, c, participants, partRefs, senders, sector, count(a) + count(pa) AS tookPart
OPTIONAL MATCH (sender:Agency|Professional)-[r:REFERRED|SHARED]->(y:Agency)
  WHERE sender.id IN senders AND r.child = c.id AND r.date_from <= e.date_to AND r.date_to >= e.date_from
    AND coalesce(r.outcome, '') <> 'not_made' AND coalesce(r.status, 'shared') IN ['shared', 'late', 'no_action']
    AND y.sector = sector AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(y.name) CONTAINS w))
OPTIONAL MATCH (sender2:Agency|Professional)-[r2:REFERRED|SHARED]->(yp:Professional)-[:WORKS_FOR]->(ye:Agency)
  WHERE sender2.id IN senders AND r2.child = c.id AND r2.date_from <= e.date_to AND r2.date_to >= e.date_from
    AND coalesce(r2.outcome, '') <> 'not_made' AND coalesce(r2.status, 'shared') IN ['shared', 'late', 'no_action']
    AND ye.sector = sector
    AND (size(x.services) = 0 OR any(w IN x.services WHERE toLower(ye.name + ' ' + yp.name) CONTAINS w))
WITH x, e, c, participants, partRefs, sector, tookPart, count(r) + count(r2) AS referred
WHERE tookPart = 0 AND referred = 0
UNWIND partRefs + [e.source] AS refList
UNWIND refList AS ref
WITH x, e, c, participants, sector, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, e.id AS event, e.name AS event_name, e.kind AS event_kind, e.date_text AS event_date,
       participants AS participants, sector AS expected_sector, x.services AS expected_services,
       x.citation AS guidance, evidence AS evidence
ORDER BY child, event, expected_sector
