-- metric: encouragement
-- name: Encouragement
-- practice: cheering
-- kind: share
-- unit: share of the other's plans, goals or worries answered within 24 h with encouragement
-- direction: higher
-- min_n: 5
-- citation: Feeney 2004 (JPSP 87:631); Feeney & Thrush 2010 (JPSP 98:57)
-- description: "You got this", "good luck": supporting their goals without taking them over.
SELECT other_id, responder AS who, month, bid_end_ms AS start_ms,
       CASE WHEN timely = 1 AND reply_encouragement = 1 THEN 1.0 ELSE 0.0 END AS num, 1.0 AS den,
       CASE WHEN timely = 1 AND reply_encouragement = 1 THEN reply_id END AS evidence_id
FROM replies
WHERE bid_future = 1 OR bid_plan = 1 OR bid_distress = 1
