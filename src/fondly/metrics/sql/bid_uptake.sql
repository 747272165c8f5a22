-- metric: bid_uptake
-- name: Turning toward their bids
-- practice: presence
-- kind: share
-- unit: share of the other's bids (a question, a disclosure, good or hard news) you take up in your usual time (A4)
-- direction: higher
-- min_n: 5
-- citation: Reis & Shaver 1988; Laurenceau et al. 1998 (JPSP 74:1238); Driver & Gottman 2004 (Fam Process 43:301)
-- description: When they reach for your attention, do you turn toward them? A bid is taken up
--   when your next turn comes within your own usual pace with them (your 75th-percentile reply
--   time, sleep-adjusted, at most 24 h) and engages with it: answers their question, replies to
--   the message, asks back, comforts, celebrates, laughs, encourages or shares back.
--
-- Measured against each responder's own pace in this relationship, never against the other
-- person's or a norm: reply speed depends on work and habits more than on care. Shared media
-- and "guess what"-style calls are not yet bids here (the features layer does not mark them).
WITH bids AS (
    SELECT * FROM replies
    WHERE bid_question = 1 OR bid_disclosure = 1 OR bid_good_news = 1 OR bid_distress = 1
), pace AS (
    SELECT other_id, responder, quantile_cont(adj_ms, 0.75) AS p75_ms
    FROM replies
    WHERE timely = 1
    GROUP BY other_id, responder
), judged AS (
    SELECT b.other_id, b.responder, b.month, b.bid_end_ms, b.reply_id,
           CASE WHEN b.timely = 1 AND b.adj_ms <= p.p75_ms
                     AND (b.bid_question = 1 OR b.reply_link = 1 OR b.reply_followup = 1
                          OR b.reply_question = 1 OR b.reply_support = 1
                          OR b.reply_enthusiasm = 1 OR b.reply_passive = 1
                          OR b.reply_laughter = 1 OR b.reply_encouragement = 1
                          OR b.reply_disclosure = 1)
                THEN 1 ELSE 0 END AS taken_up
    FROM bids b
    LEFT JOIN pace p ON p.other_id = b.other_id AND p.responder = b.responder
)
SELECT other_id, responder AS who, month, bid_end_ms AS start_ms,
       CAST(taken_up AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN taken_up = 1 THEN reply_id END AS evidence_id
FROM judged
