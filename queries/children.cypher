// The children of a case, so reports and views can go child by child.
MATCH (c:Child {case_id: $case_id})
RETURN c.id AS child, c.name AS name, c.case_id AS case_id, c.born_text AS born,
       c.responsible_area AS responsible_area, c.source AS evidence
ORDER BY child
