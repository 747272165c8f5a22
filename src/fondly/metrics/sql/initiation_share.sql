-- metric: initiation_share
-- name: Who starts conversations
-- practice: rhythm
-- kind: share
-- unit: share of conversations (see "Conversations"; a slow reply to an unanswered call does not start one) each person opened; me + them = 1
-- direction: balanced
-- min_n: 5
-- citation: Ohadi et al. 2018 (Comput Hum Behav); Raeder et al. 2011 (Soc Networks 33:245)
-- description: Who reaches out first. Lopsided initiation is common and not alarming by
--   itself; similar habits, not maximal contact, go with satisfaction.
SELECT s.other_id, p.who, s.month, s.start_ms,
       CASE WHEN s.initiator = p.who THEN 1.0 ELSE 0.0 END AS num, 1.0 AS den,
       CASE WHEN s.initiator = p.who THEN s.first_id END AS evidence_id
FROM sessions s
CROSS JOIN (SELECT 'me' AS who UNION ALL SELECT 'them' AS who) p
