-- metric: words
-- name: Words
-- practice: rhythm
-- kind: count
-- unit: words written
-- direction: descriptive
-- min_n: 20
-- citation: Ohadi et al. 2018 (Comput Hum Behav); Bhattacharya et al. 2016 (EPJ Data Sci)
-- description: How much each of you wrote. Similar volume, not more volume, tracks satisfaction.
SELECT other_id, who, month, min(ts_ms) AS start_ms,
       CAST(sum(words) AS DOUBLE) AS num, 1.0 AS den, CAST(NULL AS TEXT) AS evidence_id
FROM dm
GROUP BY other_id, who, month, session_no
UNION ALL
SELECT other_id, 'pair' AS who, month, min(ts_ms) AS start_ms,
       CAST(sum(words) AS DOUBLE) AS num, 1.0 AS den, CAST(NULL AS TEXT) AS evidence_id
FROM dm
GROUP BY other_id, month, session_no
