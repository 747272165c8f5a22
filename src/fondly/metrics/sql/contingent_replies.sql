-- metric: contingent_replies
-- name: On-topic replies
-- practice: presence
-- kind: share
-- unit: share of timely replies that pick up what the other just said
-- direction: higher
-- min_n: 5
-- citation: Reis & Shaver 1988; Hughes et al. 2025 (EMNLP); Laurenceau et al. 1998 (JPSP 74:1238)
-- description: A timely reply counts as contingent when it explicitly replies to the other's
--   message, asks a follow-up question, answers their question, comforts their distress or
--   celebrates their good news. Replies whose features were not scored are left out.
SELECT other_id, responder AS who, month, bid_end_ms AS start_ms,
       CASE WHEN reply_link = 1 OR reply_followup = 1 OR bid_question = 1
                 OR (bid_distress = 1 AND reply_support = 1)
                 OR (bid_good_news = 1 AND reply_enthusiasm = 1)
            THEN 1.0 ELSE 0.0 END AS num,
       1.0 AS den,
       CASE WHEN reply_link = 1 OR reply_followup = 1 OR bid_question = 1 THEN reply_id END
           AS evidence_id
FROM replies
WHERE timely = 1 AND (reply_followup IS NOT NULL OR reply_link = 1 OR bid_question IS NOT NULL)
