-- metric: double_texting
-- name: Double texting
-- practice: rhythm
-- kind: share
-- grain: cell
-- unit: share of a person's turns followed by another turn of theirs with no reply in between (D5)
-- direction: descriptive
-- min_n: 20
-- citation: Ohadi et al. 2018 (Comput Hum Behav); psychology.md D5/S4
-- description: Writing again (10 minutes or more later) before the other has answered, within
--   the same conversation. Used to suggest giving room, never as a tactic.
--
-- Counted in the unit turn_cells (n_followed, k_double, ev_double): n is a person's turns
-- that have a next turn, k those whose next turn is theirs again; the evidence is that second turn.
SELECT other_id, who, month, recent, n_followed AS n, k_double AS k, ev_double AS evidence_id
FROM turn_cells
WHERE n_followed > 0
