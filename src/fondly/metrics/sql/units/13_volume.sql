-- unit: volume
-- Messages per relationship, person ('me', 'them' and 'pair' for both), month
-- and "in the last 30 days" flag: the cells a metric's enough-data test counts.
-- The same pass counts the message-level sentiment shares (grain: cell): n_scored
-- messages with a sentiment score, k_positive (VADER compound >= 0.05) and k_negative
-- (<= -0.05), each with the newest strongly positive or negative message as evidence.
-- It also sums the words and keeps the newest message id (the messages and words counts).
-- Pair rows carry n, words and that id.
--
WITH cells AS (
    SELECT d.other_id, d.who, d.month,
           CASE WHEN d.ts_ms >= r.last_ms - 2592000000 THEN 1 ELSE 0 END AS recent,
           count(*) AS n,
           sum(d.words) AS words,
           max(d.message_id) AS ev_any,
           count(d.sentiment) AS n_scored,
           sum(CASE WHEN d.sentiment >= 0.05 THEN 1 ELSE 0 END) AS k_positive,
           max(CASE WHEN d.sentiment >= 0.5 THEN d.message_id END) AS ev_positive,
           sum(CASE WHEN d.sentiment <= -0.05 THEN 1 ELSE 0 END) AS k_negative,
           max(CASE WHEN d.sentiment <= -0.5 THEN d.message_id END) AS ev_negative
    FROM dm d JOIN relationships r ON r.other_id = d.other_id
    GROUP BY d.other_id, d.who, d.month,
             CASE WHEN d.ts_ms >= r.last_ms - 2592000000 THEN 1 ELSE 0 END
)
SELECT other_id, who, month, recent, n, words, ev_any, n_scored, k_positive, ev_positive,
       k_negative, ev_negative
FROM cells
UNION ALL
SELECT other_id, 'pair' AS who, month, recent, sum(n) AS n, sum(words) AS words,
       max(ev_any) AS ev_any,
       CAST(NULL AS BIGINT) AS n_scored, CAST(NULL AS BIGINT) AS k_positive,
       CAST(NULL AS TEXT) AS ev_positive, CAST(NULL AS BIGINT) AS k_negative,
       CAST(NULL AS TEXT) AS ev_negative
FROM cells
GROUP BY other_id, month, recent
