-- metric: encouragement
-- name: Encouragement
-- practice: cheering
-- kind: share
-- grain: cell
-- unit: share of the other's plans, goals or worries answered within 24 h with encouragement
-- direction: higher
-- min_n: 5
-- citation: Feeney 2004 (JPSP 87:631); Feeney & Thrush 2010 (JPSP 98:57)
-- description: "You got this", "good luck": supporting their goals without taking them over.
--
-- Counted once for many metrics in the unit reply_cells (n_encouraged, k_encouraged, ev_encouraged),
-- where the conditions are spelled out. n: the other's turns with plans, future talk or distress; k: answered within 24 h
--   with encouragement.
SELECT other_id, who, month, recent, n_encouraged AS n, k_encouraged AS k, ev_encouraged AS evidence_id
FROM reply_cells
WHERE n_encouraged > 0
