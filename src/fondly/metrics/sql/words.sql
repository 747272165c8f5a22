-- metric: words
-- name: Words
-- practice: rhythm
-- kind: count
-- grain: cell
-- unit: words written
-- direction: descriptive
-- min_n: 20
-- citation: Ohadi et al. 2018 (Comput Hum Behav); Bhattacharya et al. 2016 (EPJ Data Sci)
-- description: How much each of you wrote. Similar volume, not more volume, tracks satisfaction.
--
-- Counted in the unit volume per person, month and recent flag: words written.
SELECT other_id, who, month, recent, n AS n, words AS k, CAST(NULL AS TEXT) AS evidence_id
FROM volume
