-- metric: timely_replies
-- name: Timely replies
-- practice: presence
-- kind: share
-- unit: share of the other person's turns answered within 24 h (sleep-adjusted)
-- direction: higher
-- min_n: 5
-- citation: Reis & Shaver 1988; Kalman & Rafaeli 2011 (Communication Research 38:54)
-- description: Of the turns the other person left for you to answer, how many got a reply
--   within a day once your sleep window is taken out. Speed beyond "within a day" is not
--   rewarded: in texting, replying to what was said matters more than replying fast.
SELECT other_id, responder AS who, month, bid_end_ms AS start_ms,
       CAST(timely AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN timely = 1 THEN reply_id END AS evidence_id
FROM replies
