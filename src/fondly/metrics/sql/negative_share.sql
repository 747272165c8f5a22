-- metric: negative_share
-- name: Negative messages
-- practice: positivity
-- kind: share
-- unit: share of scored messages with VADER compound <= -0.05
-- direction: lower
-- min_n: 20
-- citation: Hutto & Gilbert 2014 (ICWSM); Gottman & Levenson 1992 (JPSP 63)
-- description: How much of what each of you writes reads as negative, about anything. Venting
--   about a bad day is negative but not hostile; see negativity and hostility for that.
SELECT other_id, who, month, ts_ms AS start_ms,
       CASE WHEN sentiment <= -0.05 THEN 1.0 ELSE 0.0 END AS num, 1.0 AS den,
       CASE WHEN sentiment <= -0.5 THEN message_id END AS evidence_id
FROM dm
WHERE sentiment IS NOT NULL
