-- metric: style_matching
-- name: Style in sync
-- practice: reminders
-- kind: ratio
-- unit: language style matching (LSM, 0-1) of the pair's function words, per month (R4)
-- direction: descriptive
-- min_n: 1
-- citation: Ireland & Pennebaker 2010 (JPSP 99:549); Ireland et al. 2011 (Psych Sci 22:39); Bierstetel et al. 2020 (JSPR)
-- description: How alike your small words are (pronouns, articles, prepositions...): people in
--   sync drift toward each other's style. In speed dates and couples' chats more matching went
--   with mutual interest and staying together, but later studies found small effects, and in
--   conflict matching amplifies the tone. A descriptive "in sync" trend, not a verdict.
--
-- For each of the nine categories, LSM_c = 1 - |p_me - p_them| / (p_me + p_them + 0.0001)
-- with p = the category's share of a person's words; LSM is their mean. Only months (split
-- at the start of the last 30 days) where both wrote at least 100 scored words count: the
-- measure is unstable on short texts (psychology.md R4).
WITH pair AS (
    SELECT other_id, month, recent, min(start_ms) AS start_ms,
           CAST(sum(CASE WHEN who = 'me' THEN words END) AS DOUBLE) AS words_me,
           CAST(sum(CASE WHEN who = 'them' THEN words END) AS DOUBLE) AS words_them,
           sum(CASE WHEN who = 'me' THEN fw_ppron END) AS ppron_me,
           sum(CASE WHEN who = 'them' THEN fw_ppron END) AS ppron_them,
           sum(CASE WHEN who = 'me' THEN fw_ipron END) AS ipron_me,
           sum(CASE WHEN who = 'them' THEN fw_ipron END) AS ipron_them,
           sum(CASE WHEN who = 'me' THEN fw_article END) AS article_me,
           sum(CASE WHEN who = 'them' THEN fw_article END) AS article_them,
           sum(CASE WHEN who = 'me' THEN fw_prep END) AS prep_me,
           sum(CASE WHEN who = 'them' THEN fw_prep END) AS prep_them,
           sum(CASE WHEN who = 'me' THEN fw_auxverb END) AS auxverb_me,
           sum(CASE WHEN who = 'them' THEN fw_auxverb END) AS auxverb_them,
           sum(CASE WHEN who = 'me' THEN fw_adverb END) AS adverb_me,
           sum(CASE WHEN who = 'them' THEN fw_adverb END) AS adverb_them,
           sum(CASE WHEN who = 'me' THEN fw_conj END) AS conj_me,
           sum(CASE WHEN who = 'them' THEN fw_conj END) AS conj_them,
           sum(CASE WHEN who = 'me' THEN fw_negate END) AS negate_me,
           sum(CASE WHEN who = 'them' THEN fw_negate END) AS negate_them,
           sum(CASE WHEN who = 'me' THEN fw_quant END) AS quant_me,
           sum(CASE WHEN who = 'them' THEN fw_quant END) AS quant_them
    FROM style
    GROUP BY other_id, month, recent
)
SELECT other_id, 'pair' AS who, month, start_ms,
       (1 - abs(ppron_me / words_me - ppron_them / words_them)
            / (ppron_me / words_me + ppron_them / words_them + 0.0001) +
        1 - abs(ipron_me / words_me - ipron_them / words_them)
            / (ipron_me / words_me + ipron_them / words_them + 0.0001) +
        1 - abs(article_me / words_me - article_them / words_them)
            / (article_me / words_me + article_them / words_them + 0.0001) +
        1 - abs(prep_me / words_me - prep_them / words_them)
            / (prep_me / words_me + prep_them / words_them + 0.0001) +
        1 - abs(auxverb_me / words_me - auxverb_them / words_them)
            / (auxverb_me / words_me + auxverb_them / words_them + 0.0001) +
        1 - abs(adverb_me / words_me - adverb_them / words_them)
            / (adverb_me / words_me + adverb_them / words_them + 0.0001) +
        1 - abs(conj_me / words_me - conj_them / words_them)
            / (conj_me / words_me + conj_them / words_them + 0.0001) +
        1 - abs(negate_me / words_me - negate_them / words_them)
            / (negate_me / words_me + negate_them / words_them + 0.0001) +
        1 - abs(quant_me / words_me - quant_them / words_them)
            / (quant_me / words_me + quant_them / words_them + 0.0001)) / 9.0 AS num,
       1.0 AS den,
       CAST(NULL AS TEXT) AS evidence_id
FROM pair
WHERE words_me >= 100 AND words_them >= 100
