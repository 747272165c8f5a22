-- metric: novelty
-- name: Something new
-- practice: growth
-- kind: share
-- unit: share of turns with novelty cues (first time, new, trip, concert)
-- direction: higher
-- min_n: 20
-- citation: Aron et al. 2000 (JPSP 78:273); Aron & Aron 1986 (self-expansion)
-- description: Talk about new things, done alone or together. Doing new things is what the
--   experiments support; the chat only shows its trace.
SELECT other_id, who, month, start_ms,
       CAST(novelty AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN novelty = 1 THEN first_id END AS evidence_id
FROM turns
WHERE novelty IS NOT NULL
