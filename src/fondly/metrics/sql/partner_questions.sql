-- metric: partner_questions
-- name: Questions about them
-- practice: presence
-- kind: share
-- unit: share of a person's questions that are about the other (2nd-person reference; A2)
-- direction: higher
-- min_n: 5
-- citation: Huang, Yeomans, Brooks, Minson & Gino 2017 (JPSP 113:430); Kardas, Kumar & Epley 2022 (JPSP 122:367)
-- description: Of the questions each of you asks, how many are about the other person ("how
--   was your day?", "did you get the job?"). Questions about the partner, follow-ups most of
--   all, are what made askers liked.
--
-- Counted per message: a question with a you-word (you/your/u/ur; du/dich, tú/te, tu/toi,
-- tu/ti, você...) from the pronoun lists of the features layer.
SELECT other_id, who, month, start_ms,
       CAST(you_questions AS DOUBLE) AS num, CAST(questions AS DOUBLE) AS den,
       you_question_id AS evidence_id
FROM style
WHERE questions > 0
