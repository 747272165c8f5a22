-- metric: supportive_replies
-- name: Support when it is hard
-- practice: care
-- kind: share
-- grain: cell
-- unit: share of the other's hard disclosures answered within 24 h with support (C1)
-- direction: higher
-- min_n: 5
-- citation: Sharma et al. 2020 (EMNLP, EPITOME); Reis & Shaver 1988
-- description: When they told you something hard, did your next turn, within a day, offer
--   warmth, understanding or a question about it? Disclosures left unanswered count as not.
--
-- Counted once for many metrics in the unit reply_cells (n_support, k_support, ev_support),
-- where the conditions are spelled out. n: the other's turns with distress; k: answered within 24 h with support.
SELECT other_id, who, month, recent, n_support AS n, k_support AS k, ev_support AS evidence_id
FROM reply_cells
WHERE n_support > 0
