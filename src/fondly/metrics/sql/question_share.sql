-- metric: question_share
-- name: Questions asked
-- practice: presence
-- kind: share
-- grain: cell
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
-- Counted once for many metrics in the unit turn_cells (n_question, k_question, ev_question),
-- where the conditions are spelled out. n: turns whose questions were scored; k: turns with a question.
SELECT other_id, who, month, recent, n_question AS n, k_question AS k, ev_question AS evidence_id
FROM turn_cells
WHERE n_question > 0
