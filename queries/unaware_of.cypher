// Information a party never knew, as the review says (UNAWARE_OF): a recorded information-sharing
// gap, with the children the item concerns.
MATCH (p:Agency|Professional)-[u:UNAWARE_OF]->(i:InformationItem)
WHERE i.case_id = $case_id
OPTIONAL MATCH (i)-[:CONCERNS]->(c:Child)
RETURN p.id AS party, p.name AS party_name, i.id AS item, i.name AS item_name, collect(DISTINCT c.id) AS children,
       coalesce(u.certainty, 'stated') AS certainty, u.period_text AS period, u.period_from AS period_from, u.period_to AS period_to, u.source AS evidence
