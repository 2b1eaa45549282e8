// Every agency's account (a row of its chronology) of the records about the child: which record
// it is an account of, of what kind, the account's own date, words and direction, and the return
// it is a row of (whose, and the period it declares itself complete for). The chronology
// cross-checks (findings/rules/crosscheck.py) read a loaded case through this query.
// Flows and referrals are one branch, told apart as missed_escalations does (a Referral has an `outcome`, a
// Flow never): each branch costs the embedded engine's plan more than its rows (issue 17: 13.0 -> 10.3 ms of
// CPU for one child at 20,000 children, against four branches).
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(r:Meeting)
WITH c, r WHERE r IS NOT NULL
OPTIONAL MATCH (r)<-[:ACCOUNT_OF]-(a:Account)
WITH c, r, a WHERE a IS NOT NULL
MATCH (a)-[:GIVEN_BY]->(g:Agency)
OPTIONAL MATCH (d:SourceDocument {case_id: $case_id})
WHERE d.id = a.doc
RETURN c.id AS child, 'meeting' AS record_kind, r.id AS record_id, r.kind AS subkind, 'unknown' AS channel,
       a.id AS account, a.doc AS doc, g.id AS agency, g.name AS agency_name, a.direction AS direction,
       a.details AS details, a.date_text AS date_text, a.date_from AS date_from, a.date_to AS date_to,
       a.date_precision AS date_precision, d.kind AS doc_kind, d.agency AS return_agency,
       d.complete_text AS complete, a.source AS evidence
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(r:Flow|Referral)
WITH c, r WHERE r IS NOT NULL
OPTIONAL MATCH (r)<-[:ACCOUNT_OF]-(a:Account)
WITH c, r, a WHERE a IS NOT NULL
MATCH (a)-[:GIVEN_BY]->(g:Agency)
OPTIONAL MATCH (d:SourceDocument {case_id: $case_id})
WHERE d.id = a.doc
RETURN c.id AS child, CASE WHEN r.outcome IS NULL THEN 'flow' ELSE 'referral' END AS record_kind, r.id AS record_id,
       coalesce(r.outcome, 'other') AS subkind, CASE WHEN r.outcome IS NULL THEN r.channel ELSE 'unknown' END AS channel,
       a.id AS account, a.doc AS doc, g.id AS agency, g.name AS agency_name, a.direction AS direction,
       a.details AS details, a.date_text AS date_text, a.date_from AS date_from, a.date_to AS date_to,
       a.date_precision AS date_precision, d.kind AS doc_kind, d.agency AS return_agency,
       d.complete_text AS complete, a.source AS evidence
UNION ALL
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(r:Event)
WITH c, r WHERE r IS NOT NULL
OPTIONAL MATCH (r)<-[:ACCOUNT_OF]-(a:Account)
WITH c, r, a WHERE a IS NOT NULL
MATCH (a)-[:GIVEN_BY]->(g:Agency)
OPTIONAL MATCH (d:SourceDocument {case_id: $case_id})
WHERE d.id = a.doc
RETURN c.id AS child, 'event' AS record_kind, r.id AS record_id, r.kind AS subkind, 'unknown' AS channel,
       a.id AS account, a.doc AS doc, g.id AS agency, g.name AS agency_name, a.direction AS direction,
       a.details AS details, a.date_text AS date_text, a.date_from AS date_from, a.date_to AS date_to,
       a.date_precision AS date_precision, d.kind AS doc_kind, d.agency AS return_agency,
       d.complete_text AS complete, a.source AS evidence
