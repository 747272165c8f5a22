-- metric: timely_replies
-- name: Timely replies
-- practice: presence
-- kind: share
-- grain: cell
-- unit: share of the other person's turns answered within 24 h (sleep-adjusted)
-- direction: higher
-- min_n: 5
-- citation: Reis & Shaver 1988; Kalman & Rafaeli 2011 (Communication Research 38:54)
-- description: Of the turns the other person left for you to answer, how many got a reply
--   within a day once your sleep window is taken out. Speed beyond "within a day" is not
--   rewarded: in texting, replying to what was said matters more than replying fast.
--
-- Counted once for many metrics in the unit reply_cells (n_timely, k_timely, ev_timely),
-- where the conditions are spelled out. n: every reply opportunity; k: those answered within 24 h, sleep-adjusted.
SELECT other_id, who, month, recent, n_timely AS n, k_timely AS k, ev_timely AS evidence_id
FROM reply_cells
WHERE n_timely > 0
