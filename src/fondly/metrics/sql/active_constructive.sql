-- metric: active_constructive
-- name: Celebrating their good news
-- practice: cheering
-- kind: share
-- unit: share of the other's good-news turns answered within 24 h with enthusiasm (C2)
-- direction: higher
-- min_n: 5
-- citation: Gable et al. 2004 (JPSP 87:228); Gable, Gonzaga & Strachman 2006 (JPSP 91:904)
-- description: Active-constructive responding: when they share good news, answering with
--   enthusiasm ("congrats!! tell me everything") rather than "nice" or silence. Responses to
--   good news predicted break-up two months later.
SELECT other_id, responder AS who, month, bid_end_ms AS start_ms,
       CASE WHEN timely = 1 AND reply_enthusiasm = 1 THEN 1.0 ELSE 0.0 END AS num, 1.0 AS den,
       CASE WHEN timely = 1 AND reply_enthusiasm = 1 THEN reply_id END AS evidence_id
FROM replies
WHERE bid_good_news = 1
