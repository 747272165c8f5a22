-- metric: shared_laughter
-- name: Shared laughter
-- practice: shared
-- kind: share
-- unit: share of replies that laugh at the other's turn (M4)
-- direction: higher
-- min_n: 5
-- citation: Kurtz & Algoe 2015 (Pers Relationships); Hall 2017 (Pers Relationships, meta-analysis)
-- description: Laughing with each other; shared humour has the largest humour-satisfaction
--   association. "lol" is often a softener, so this is a noisy proxy.
SELECT other_id, responder AS who, month, bid_end_ms AS start_ms,
       CAST(reply_laughter AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN reply_laughter = 1 THEN reply_id END AS evidence_id
FROM replies
WHERE replied = 1 AND reply_laughter IS NOT NULL
