-- metric: disclosure_balance
-- name: Disclosure balance
-- practice: disclosure
-- kind: share
-- unit: each person's share of the pair's self-disclosing turns (D1); me + them = 1
-- direction: balanced
-- min_n: 5
-- citation: Collins & Miller 1994 (Psych Bull 116:457); Sprecher et al. 2013 (JESP 49:860)
-- description: Who opens up. Near half each is the reciprocal pattern that builds liking;
--   sustained above 65% means one person carries the disclosure.
SELECT t.other_id, p.who, t.month, t.start_ms,
       CASE WHEN t.who = p.who THEN 1.0 ELSE 0.0 END AS num, 1.0 AS den,
       CASE WHEN t.who = p.who THEN t.first_id END AS evidence_id
FROM turns t
CROSS JOIN (SELECT 'me' AS who UNION ALL SELECT 'them' AS who) p
WHERE t.disclosure_any = 1
