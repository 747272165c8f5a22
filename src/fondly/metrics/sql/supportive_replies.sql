-- metric: supportive_replies
-- name: Support when it is hard
-- practice: care
-- kind: share
-- unit: share of the other's hard disclosures answered within 24 h with support (C1)
-- direction: higher
-- min_n: 5
-- citation: Sharma et al. 2020 (EMNLP, EPITOME); Reis & Shaver 1988
-- description: When they told you something hard, did your next turn, within a day, offer
--   warmth, understanding or a question about it? Disclosures left unanswered count as not.
SELECT other_id, responder AS who, month, bid_end_ms AS start_ms,
       CASE WHEN timely = 1 AND reply_support = 1 THEN 1.0 ELSE 0.0 END AS num, 1.0 AS den,
       CASE WHEN timely = 1 AND reply_support = 1 THEN reply_id END AS evidence_id
FROM replies
WHERE bid_distress = 1
