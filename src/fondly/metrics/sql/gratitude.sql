-- metric: gratitude
-- name: Gratitude
-- practice: care
-- kind: share
-- unit: share of turns with thanks or appreciation (C3)
-- direction: higher
-- min_n: 20
-- citation: Algoe, Gable & Maisel 2010 (Pers Relationships 17:217); Gordon et al. 2012 (JPSP)
-- description: Thanks and appreciation; in diary studies gratitude one day predicted both
--   partners' connection the next.
SELECT other_id, who, month, start_ms,
       CAST(gratitude AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN gratitude = 1 THEN first_id END AS evidence_id
FROM turns
WHERE gratitude IS NOT NULL
