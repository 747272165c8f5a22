-- metric: airtime
-- name: Airtime
-- practice: meaningful
-- kind: ratio
-- unit: each person's share of the words in their conversations (A7); me + them = 1
-- direction: balanced
-- min_n: 5
-- citation: Huang et al. 2017 (JPSP 113:430); Sprecher et al. 2013 (JESP 49:860)
-- description: Who does the talking. Between 35% and 65% is a balance heuristic (no study gives
--   a cut-off); both feeling listened to is what the research supports.
SELECT s.other_id, p.who, s.month, s.start_ms,
       CAST(CASE WHEN p.who = 'me' THEN s.words_me ELSE s.words_them END AS DOUBLE) AS num,
       CAST(s.words_me + s.words_them AS DOUBLE) AS den,
       CAST(NULL AS TEXT) AS evidence_id
FROM sessions s
CROSS JOIN (SELECT 'me' AS who UNION ALL SELECT 'them' AS who) p
WHERE s.words_me + s.words_them > 0
