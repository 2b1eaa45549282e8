// Learning points beside the findings that bear them out: for each learning point and each agency
// it names, the failed information flows and the involved-but-not-invited findings (the same
// logic as flow_failures and uninvited_agencies) that touch that agency: the agency itself, its
// staff, or its teams and units. A learning point about particular children is matched only to
// findings about them. This shows which learning the graph evidences, and where.
// Both branches find the findings first (from the flows, or from the child) and then the
// learning points naming an agency they touch: the few NAMES links are cheap to join.
// The sender and recipient are labelled with what SENT and SENT_TO join (the schema's ends), and kept as id and
// name once their teams are read: an unlabelled node carries every column of every node table.
// The embedded engine's time for one child is a cost per operator of the plan, not the rows (issue 17), so
// each branch reads its finding in one pattern, "in the room" is one pattern (the party, its employer or its
// staff: WORKS_FOR either way, zero or one step), a learning point's children are a pattern test, and the rows are
// ordered once by the library (registry `order`), not by each branch.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(s:Flow)<-[:SENT]-(f:Agency|Professional|FamilyMember|Child),
               (s)-[:SENT_TO]->(t:Agency|Professional|FamilyMember|Meeting)
WITH c, s, f, t
WHERE t IS NOT NULL AND s.status IN $statuses
OPTIONAL MATCH (f)-[:WORKS_FOR|PART_OF*1..3]->(fUp:Agency)
WITH c, f, s, t, collect(fUp.id) AS fromIds
OPTIONAL MATCH (t)-[:WORKS_FOR|PART_OF*1..3]->(tUp:Agency)
WITH c, f.id AS fromId, f.name AS fromName, s, t.id AS toId, t.name AS toName, fromIds, collect(tUp.id) AS toIds
MATCH (lp:LearningPoint {case_id: $case_id})-[n:NAMES]->(a:Agency)
WHERE ($point = '' OR lp.id = $point)
  AND (a.id = fromId OR a.id = toId OR a.id IN fromIds OR a.id IN toIds)
  AND (NOT (lp)-[:CONCERNS]->(:Child) OR (lp)-[:CONCERNS]->(c))
RETURN lp.id AS point, lp.number AS number, lp.name AS point_name, a.id AS agency, a.name AS agency_name,
       c.id AS child, 'flow failure' AS finding_kind, s.id AS finding,
       fromName + ' → ' + toName + ': ' + s.information + ' (' + s.status + ')' AS detail,
       [lp.source + n.source + s.source] AS evidence
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (m:Meeting)-[:CONCERNS]->(c)<-[inv:INVOLVED_WITH]-(p:Agency|Professional)
WITH c, m, p, inv
WHERE inv IS NOT NULL AND m.status IN ['held', 'series'] AND m.kind IN $kinds
  AND coalesce(inv.period_from, date('1900-01-01')) <= coalesce(m.date_to, date('9999-12-31'))
  AND coalesce(inv.period_to, date('9999-12-31')) >= coalesce(m.date_from, date('1900-01-01'))
OPTIONAL MATCH (p)-[:WORKS_FOR*0..1]-(q:Agency|Professional)-[via:INVITED_TO|ATTENDED|CONVENED]->(m)
WITH c, m, p, inv, via
WHERE via IS NULL
OPTIONAL MATCH (p)-[:WORKS_FOR|PART_OF*1..3]->(pUp:Agency)
WITH c, m, p, inv, collect(pUp.id) AS upIds
MATCH (lp:LearningPoint {case_id: $case_id})-[n:NAMES]->(a:Agency)
WHERE ($point = '' OR lp.id = $point) AND (a.id = p.id OR a.id IN upIds)
  AND (NOT (lp)-[:CONCERNS]->(:Child) OR (lp)-[:CONCERNS]->(c))
WITH lp, a, c, m, p, collect(lp.source + n.source + m.source + inv.source) AS evidence
RETURN lp.id AS point, lp.number AS number, lp.name AS point_name, a.id AS agency, a.name AS agency_name,
       c.id AS child, 'not invited' AS finding_kind, m.id + ' / ' + p.id AS finding,
       p.name + ' not at ' + m.name + ' (' + m.date_text + ')' AS detail, evidence AS evidence
