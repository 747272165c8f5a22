-- metric: we_talk
-- name: We-talk
-- practice: reminders
-- kind: ratio
-- unit: we/us/our words per 100 words a person writes (R5)
-- direction: higher
-- min_n: 1
-- citation: Karan, Rosenthal & Robbins 2019 (JSPR, meta-analysis); Seider et al. 2009 (Psychol Aging 24:604)
-- description: How often each of you speaks as a "we". Across 30 studies, we-talk went with
--   better relationship outcomes, the partner's more than one's own; the effects are small and
--   depend on context.
--
-- Rows are months (split at the start of the last 30 days), so the interval treats months
-- as clusters. Words in languages without pronoun lists are left out of both counts.
SELECT other_id, who, month, start_ms,
       100.0 * CAST(we_words AS DOUBLE) AS num, CAST(words AS DOUBLE) AS den,
       we_id AS evidence_id
FROM style
WHERE words > 0
