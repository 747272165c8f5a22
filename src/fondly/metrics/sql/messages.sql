-- metric: messages
-- name: Messages
-- practice: rhythm
-- kind: count
-- unit: messages sent
-- direction: descriptive
-- min_n: 20
-- citation: Roberts & Dunbar 2015 (Human Nature 26:426); Gilbert & Karahalios 2009 (CHI)
-- description: How many messages each of you sent, per month and in all. A sustained drop
--   against the pair's own history is the decay signal; volume itself is not a goal.
SELECT other_id, who, month, min(ts_ms) AS start_ms,
       CAST(count(*) AS DOUBLE) AS num, 1.0 AS den, max(message_id) AS evidence_id
FROM dm
GROUP BY other_id, who, month, session_no
UNION ALL
SELECT other_id, 'pair' AS who, month, min(ts_ms) AS start_ms,
       CAST(count(*) AS DOUBLE) AS num, 1.0 AS den, max(message_id) AS evidence_id
FROM dm
GROUP BY other_id, month, session_no
