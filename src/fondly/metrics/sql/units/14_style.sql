-- unit: style
-- One row per relationship, person, month and recent flag: the word counts that
-- language style matching (R4), we-talk (R5) and partner-focused questions (A2)
-- read. Only messages whose language has pronoun lists count (the counts are NULL
-- otherwise), so `words` is the denominator of exactly the words that were scored.
--
SELECT d.other_id, d.who, d.month,
       CASE WHEN d.ts_ms >= r.last_ms - 2592000000 THEN 1 ELSE 0 END AS recent,
       min(d.ts_ms) AS start_ms,
       count(*) AS n_msgs,
       sum(d.words) AS words,
       sum(d.we_words) AS we_words,
       sum(d.i_words) AS i_words,
       sum(d.you_words) AS you_words,
       sum(d.fw_ppron) AS fw_ppron,
       sum(d.fw_ipron) AS fw_ipron,
       sum(d.fw_article) AS fw_article,
       sum(d.fw_prep) AS fw_prep,
       sum(d.fw_auxverb) AS fw_auxverb,
       sum(d.fw_adverb) AS fw_adverb,
       sum(d.fw_conj) AS fw_conj,
       sum(d.fw_negate) AS fw_negate,
       sum(d.fw_quant) AS fw_quant,
       sum(CASE WHEN d.question = 1 THEN 1 ELSE 0 END) AS questions,
       sum(CASE WHEN d.question = 1 AND d.you_words > 0 THEN 1 ELSE 0 END) AS you_questions,
       max(CASE WHEN d.question = 1 AND d.you_words > 0 THEN d.message_id END) AS you_question_id,
       max(CASE WHEN d.we_words > 0 THEN d.message_id END) AS we_id
FROM dm d
JOIN relationships r ON r.other_id = d.other_id
WHERE d.we_words IS NOT NULL
GROUP BY d.other_id, d.who, d.month,
         CASE WHEN d.ts_ms >= r.last_ms - 2592000000 THEN 1 ELSE 0 END
