-- metric: positive_share
-- name: Positive messages
-- practice: positivity
-- kind: share
-- unit: share of scored messages with VADER compound >= 0.05
-- direction: higher
-- min_n: 20
-- citation: Hutto & Gilbert 2014 (ICWSM); Ogolsky & Bowers 2013 (JSPR 30:343)
-- description: How much of what each of you writes reads as positive. Messages in languages
--   the sentiment lexicon cannot read are left out.
SELECT other_id, who, month, ts_ms AS start_ms,
       CASE WHEN sentiment >= 0.05 THEN 1.0 ELSE 0.0 END AS num, 1.0 AS den,
       CASE WHEN sentiment >= 0.5 THEN message_id END AS evidence_id
FROM dm
WHERE sentiment IS NOT NULL
