-- metric: reminiscing
-- name: Reminiscing
-- practice: shared
-- kind: share
-- unit: share of turns recalling shared memories ("remember when", "that time we")
-- direction: higher
-- min_n: 20
-- citation: Bazzini et al. 2007 (Motiv Emot 31:25); Alea & Bluck 2007 (Appl Cogn Psych 21:1091)
-- description: Bringing back times you shared. Recalling shared laughter raised satisfaction
--   in an experiment.
SELECT other_id, who, month, start_ms,
       CAST(reminiscence AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN reminiscence = 1 THEN first_id END AS evidence_id
FROM turns
WHERE reminiscence IS NOT NULL
