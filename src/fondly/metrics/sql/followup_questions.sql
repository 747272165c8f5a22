-- metric: followup_questions
-- name: Follow-up questions
-- practice: presence
-- kind: share
-- unit: share of replies that ask a follow-up question (A3)
-- direction: higher
-- min_n: 5
-- citation: Huang, Yeomans, Brooks, Minson & Gino 2017 (JPSP 113:430)
-- description: Of your replies to the other person, how many ask more about what they just
--   said. In randomised chats, follow-up questions made people like the asker more.
SELECT other_id, responder AS who, month, bid_end_ms AS start_ms,
       CAST(reply_followup AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN reply_followup = 1 THEN reply_id END AS evidence_id
FROM replies
WHERE replied = 1 AND reply_followup IS NOT NULL
