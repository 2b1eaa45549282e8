// Which sectors statutory guidance expects at each kind of meeting (queries/expectations.yaml),
// with the guidance cited: the findings engine asks about an involved party of an expected sector
// missing from a meeting's record only where guidance expects it there.
UNWIND $expected AS e
RETURN e.kind AS kind, e.sectors AS sectors, [e.citation] AS evidence
