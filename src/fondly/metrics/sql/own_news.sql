-- metric: own_news
-- name: Own news shared
-- practice: growth
-- kind: share
-- grain: cell
-- unit: share of turns sharing one's own good news (G1)
-- direction: higher
-- min_n: 20
-- citation: Gable et al. 2004 (JPSP 87:228); Drigotas et al. 1999 (JPSP 77:293)
-- description: Telling the other about your own progress and good news gives them the chance
--   to celebrate with you, which benefits the teller.
--
-- Counted once for many metrics in the unit turn_cells (n_good_news, k_good_news, ev_good_news),
-- where the conditions are spelled out. n: turns whose good news was scored; k: turns sharing one's own good news.
SELECT other_id, who, month, recent, n_good_news AS n, k_good_news AS k, ev_good_news AS evidence_id
FROM turn_cells
WHERE n_good_news > 0
