-- metric: hostility
-- name: Negativity and hostility
-- practice: positivity
-- kind: share
-- grain: cell
-- unit: share of turns that are strongly negative toward the other or critical/contemptuous (C5)
-- direction: lower
-- min_n: 20
-- citation: Schade et al. 2013 (J Couple Relatsh Ther 12:314); meta-analysis of 64 longitudinal studies (negative communication -> dissolution d = -0.41)
-- description: Turns aimed at the other person with strong negativity, criticism or contempt
--   ("you always", eye-rolls). The best-evidenced warning sign; teasing can look like it.
--
-- Counted once for many metrics in the unit turn_cells (n_hostile, k_hostile, ev_hostile),
-- where the conditions are spelled out. n: turns where negativity or hostility was scored; k: turns with either.
SELECT other_id, who, month, recent, n_hostile AS n, k_hostile AS k, ev_hostile AS evidence_id
FROM turn_cells
WHERE n_hostile > 0
