// Which sectors statutory guidance expects at each kind of meeting (queries/expectations.yaml),
// with the guidance cited: the findings engine asks about an involved party of an expected sector
// missing from a meeting's record only where guidance expects it there.
// Guidance is the same for every case; $case_id is named so the library's one calling convention holds.
UNWIND $expected AS e
WITH e WHERE $case_id <> ''
RETURN e.kind AS kind, e.sectors AS sectors, [e.citation] AS evidence
