-- metric: substantive_sessions
-- name: Deep conversations
-- practice: meaningful
-- kind: share
-- unit: share of conversations with >= 6 turns each that hold an emotional disclosure or hopes/fears/future talk
-- direction: higher
-- min_n: 5
-- citation: Mehl et al. 2010 (Psych Sci 21:539); Milek et al. 2018 (Psych Sci); Kardas et al. 2022 (JPSP)
-- description: Substantive conversations, not small talk. People with more of them were
--   happier; deep talk also feels less awkward than people expect.
SELECT other_id, 'pair' AS who, month, start_ms,
       CASE WHEN turns_me >= 6 AND turns_them >= 6
                 AND (any_emotional = 1 OR any_future = 1) THEN 1.0 ELSE 0.0 END AS num,
       1.0 AS den,
       CASE WHEN turns_me >= 6 AND turns_them >= 6
                 AND (any_emotional = 1 OR any_future = 1) THEN first_id END AS evidence_id
FROM sessions
WHERE any_emotional IS NOT NULL OR any_future IS NOT NULL
