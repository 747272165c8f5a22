-- metric: gratitude
-- name: Gratitude
-- practice: care
-- kind: share
-- grain: cell
-- unit: share of turns with thanks or appreciation (C3)
-- direction: higher
-- min_n: 20
-- citation: Algoe, Gable & Maisel 2010 (Pers Relationships 17:217); Gordon et al. 2012 (JPSP)
-- description: Thanks and appreciation; in diary studies gratitude one day predicted both
--   partners' connection the next.
--
-- Counted once for many metrics in the unit turn_cells (n_gratitude, k_gratitude, ev_gratitude),
-- where the conditions are spelled out. n: turns whose gratitude was scored; k: turns with thanks.
SELECT other_id, who, month, recent, n_gratitude AS n, k_gratitude AS k, ev_gratitude AS evidence_id
FROM turn_cells
WHERE n_gratitude > 0
