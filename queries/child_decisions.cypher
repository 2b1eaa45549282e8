// Every decision about a child as the source records it (Decision): its stage, outcome, the level
// of intervention that followed, what the source says of it (review_says, never the tool's
// opinion), who decided and what it responded to. The decision rules read the source's
// judgements and the run of levels over time (drift, repeated closures) from here.
UNWIND $children AS key
MATCH (c:Child)
WHERE c.uid = key AND c.case_id = $case_id
OPTIONAL MATCH (c)<-[:CONCERNS]-(d:Decision)
WITH c, d
WHERE d IS NOT NULL
OPTIONAL MATCH (p:Agency|Professional|Meeting)-[decided:DECIDED]->(d)
OPTIONAL MATCH (d)-[:RESPONDS_TO]->(x:Referral|Flow|Event|Meeting)
WITH c, d, collect(DISTINCT p.id) AS deciders, collect(DISTINCT p.name) AS deciderNames,
     collect(DISTINCT x.id) AS respondsTo, collect(decided.source) AS decidedRefs
UNWIND decidedRefs + [d.source] AS refList
UNWIND refList AS ref
WITH c, d, deciders, deciderNames, respondsTo, collect(DISTINCT ref) AS evidence
RETURN c.id AS child, d.id AS decision, d.stage AS stage, d.outcome AS outcome, d.level AS level,
       coalesce(d.review_says, 'not_stated') AS review_says, d.review_words AS review_words,
       d.date_text AS date, d.date_from AS date_from,
       d.date_to AS date_to, deciders AS deciders, deciderNames AS decider_names, respondsTo AS responds_to,
       evidence AS evidence, coalesce(d.inferred, '') AS inferred
ORDER BY child, date_from, decision
