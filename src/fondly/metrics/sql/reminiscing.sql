-- metric: reminiscing
-- name: Reminiscing
-- practice: shared
-- kind: share
-- grain: cell
-- unit: share of turns recalling shared memories ("remember when", "that time we")
-- direction: higher
-- min_n: 20
-- citation: Bazzini et al. 2007 (Motiv Emot 31:25); Alea & Bluck 2007 (Appl Cogn Psych 21:1091)
-- description: Bringing back times you shared. Recalling shared laughter raised satisfaction
--   in an experiment.
--
-- Counted once for many metrics in the unit turn_cells (n_reminiscence, k_reminiscence, ev_reminiscence),
-- where the conditions are spelled out. n: turns whose reminiscence was scored; k: turns recalling a shared memory.
SELECT other_id, who, month, recent, n_reminiscence AS n, k_reminiscence AS k, ev_reminiscence AS evidence_id
FROM turn_cells
WHERE n_reminiscence > 0
