-- metric: contingent_replies
-- name: On-topic replies
-- practice: presence
-- kind: share
-- grain: cell
-- unit: share of timely replies that pick up what the other just said
-- direction: higher
-- min_n: 5
-- citation: Reis & Shaver 1988; Hughes et al. 2025 (EMNLP); Laurenceau et al. 1998 (JPSP 74:1238)
-- description: A timely reply counts as contingent when it explicitly replies to the other's
--   message, asks a follow-up question, answers their question, comforts their distress or
--   celebrates their good news. Replies whose features were not scored are left out.
--
-- Counted once for many metrics in the unit reply_cells (n_contingent, k_contingent, ev_contingent),
-- where the conditions are spelled out. n: timely replies that can be judged (a scored follow-up, a reply link or a question
--   before them); k: those with a reply link, a follow-up, an answer to a question, comfort for
--   distress or enthusiasm for good news.
SELECT other_id, who, month, recent, n_contingent AS n, k_contingent AS k, ev_contingent AS evidence_id
FROM reply_cells
WHERE n_contingent > 0
