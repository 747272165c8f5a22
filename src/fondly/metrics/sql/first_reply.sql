-- metric: first_reply
-- name: Answering an opening
-- practice: presence
-- kind: median
-- unit: median minutes from the first message of a conversation the other opened to your first answer, within 48 h (clock time)
-- direction: descriptive
-- min_n: 5
-- citation: Kalman & Rafaeli 2011 (Communication Research 38:54); Templeton et al. 2022 (PNAS 119:e2116915119)
-- description: How long an opening waits for its answer, a slow reply included (see
--   "Conversations" in docs/metrics.md): the "replies in minutes instead of hours" of a
--   chat. Clock time, because an opening that waits overnight is felt as waiting.
--
-- A conversation answered only after 48 h is two conversations (the silence floor), so
-- every answer here comes within 48 h; an unanswered opening has no row.
SELECT s.other_id,
       CASE WHEN s.initiator = 'me' THEN 'them' ELSE 'me' END AS who,
       s.month, s.start_ms,
       CAST(t.start_ms - s.start_ms AS DOUBLE) / 60000 AS num, 1.0 AS den,
       t.first_id AS evidence_id
FROM sessions s
JOIN turns t ON t.other_id = s.other_id
            AND t.turn_no = CASE WHEN s.initiator = 'me' THEN s.first_them_turn
                                 ELSE s.first_me_turn END
