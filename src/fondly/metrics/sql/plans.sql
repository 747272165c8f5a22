-- metric: plans
-- name: Plans made
-- practice: shared
-- kind: share
-- grain: cell
-- unit: share of turns proposing a plan with a time (M1)
-- direction: higher
-- min_n: 20
-- citation: Aron et al. 2000 (JPSP 78:273); Hall 2019 (JSPR)
-- description: "Let's ... on Saturday": proposals to do something together. Time spent together
--   builds closeness; plans made by voice are invisible here.
--
-- Counted once for many metrics in the unit turn_cells (n_plan, k_plan, ev_plan),
-- where the conditions are spelled out. n: turns whose plans were scored; k: turns proposing a plan with a time.
SELECT other_id, who, month, recent, n_plan AS n, k_plan AS k, ev_plan AS evidence_id
FROM turn_cells
WHERE n_plan > 0
