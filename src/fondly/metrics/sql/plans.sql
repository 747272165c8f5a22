-- metric: plans
-- name: Plans made
-- practice: shared
-- kind: share
-- unit: share of turns proposing a plan with a time (M1)
-- direction: higher
-- min_n: 20
-- citation: Aron et al. 2000 (JPSP 78:273); Hall 2019 (JSPR)
-- description: "Let's ... on Saturday": proposals to do something together. Time spent together
--   builds closeness; plans made by voice are invisible here.
SELECT other_id, who, month, start_ms,
       CAST(plan AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN plan = 1 THEN first_id END AS evidence_id
FROM turns
WHERE plan IS NOT NULL
