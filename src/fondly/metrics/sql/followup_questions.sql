-- metric: followup_questions
-- name: Follow-up questions
-- practice: presence
-- kind: share
-- grain: cell
-- unit: share of replies that ask a follow-up question (A3)
-- direction: higher
-- min_n: 5
-- citation: Huang, Yeomans, Brooks, Minson & Gino 2017 (JPSP 113:430)
-- description: Of your replies to the other person, how many ask more about what they just
--   said. In randomised chats, follow-up questions made people like the asker more.
--
-- Counted once for many metrics in the unit reply_cells (n_followup, k_followup, ev_followup),
-- where the conditions are spelled out. n: replies whose follow-up was scored; k: follow-up questions.
SELECT other_id, who, month, recent, n_followup AS n, k_followup AS k, ev_followup AS evidence_id
FROM reply_cells
WHERE n_followup > 0
