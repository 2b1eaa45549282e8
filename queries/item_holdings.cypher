// Who held which information item from when (HOLDS), with the item's own date: "informed by
// date T" in findings/facts.py is an item held (or received in a recorded flow) no later than T.
MATCH (p:Agency|Professional)-[h:HOLDS]->(i:InformationItem)
WHERE i.case_id = $case_id
OPTIONAL MATCH (i)-[:CONCERNS]->(c:Child)
RETURN i.id AS item, i.name AS item_name, coalesce(i.category, '') AS category, p.id AS party,
       h.date_text AS date, h.date_from AS date_from, h.date_to AS date_to, collect(DISTINCT c.id) AS children,
       h.source AS evidence
