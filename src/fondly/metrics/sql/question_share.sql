-- metric: question_share
-- name: Questions asked
-- practice: presence
-- kind: share
-- unit: share of a person's turns that ask a question (A1)
-- direction: descriptive
-- min_n: 20
-- citation: Huang, Yeomans, Brooks, Minson & Gino 2017 (JPSP 113:430)
-- description: How often each of you asks something. In Huang et al.'s chats, people who asked
--   more questions (9 or more in 15 minutes against 4 or fewer) were liked more; there is no
--   norm for texting, so compare the two of you and your own past, not a number.
--
-- A turn asks when any of its bubbles is a question ('?', a wh-word or inverted auxiliary,
-- a tag question; the features layer's is_question).
SELECT other_id, who, month, start_ms,
       CAST(question AS DOUBLE) AS num, 1.0 AS den,
       CASE WHEN question = 1 THEN first_id END AS evidence_id
FROM turns
WHERE question IS NOT NULL
