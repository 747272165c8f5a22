-- metric: own_news
-- name: Own news shared
-- practice: growth
-- kind: share
-- unit: share of turns sharing one's own good news (G1)
-- direction: higher
-- min_n: 20
-- citation: Gable et al. 2004 (JPSP 87:228); Drigotas et al. 1999 (JPSP 77:293)
-- description: Telling the other about your own progress and good news gives them the chance
--   to celebrate with you, which benefits the teller.
SELECT other_id, who, month, start_ms,
       CAST(good_news AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN good_news = 1 THEN first_id END AS evidence_id
FROM turns
WHERE good_news IS NOT NULL
