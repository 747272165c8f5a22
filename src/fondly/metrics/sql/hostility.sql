-- metric: hostility
-- name: Negativity and hostility
-- practice: positivity
-- kind: share
-- unit: share of turns that are strongly negative toward the other or critical/contemptuous (C5)
-- direction: lower
-- min_n: 20
-- citation: Schade et al. 2013 (J Couple Relatsh Ther 12:314); meta-analysis of 64 longitudinal studies (negative communication -> dissolution d = -0.41)
-- description: Turns aimed at the other person with strong negativity, criticism or contempt
--   ("you always", eye-rolls). The best-evidenced warning sign; teasing can look like it.
SELECT other_id, who, month, start_ms,
       CASE WHEN negativity = 1 OR hostility = 1 THEN 1.0 ELSE 0.0 END AS num, 1.0 AS den,
       CASE WHEN negativity = 1 OR hostility = 1 THEN first_id END AS evidence_id
FROM turns
WHERE negativity IS NOT NULL OR hostility IS NOT NULL
