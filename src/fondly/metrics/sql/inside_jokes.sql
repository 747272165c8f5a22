-- metric: inside_jokes
-- name: Inside jokes and shared phrases
-- practice: reminders
-- kind: python
-- unit: phrases (1-3 words or emoji) both use >= 3 times on >= 3 days, rare in your other chats
-- direction: higher
-- min_n: 1
-- citation: Bell, Buerkel-Rothfuss & Gore 1987 (Hum Commun Res 14); Hall 2017 (Pers Relationships)
-- description: Private idioms: nicknames, running jokes, your own words for things. Couples
--   average more than half a dozen; they are counted here, and listed for you to read.
--
-- Candidate phrases per relationship, from the phrases of each text
-- (idiom_grams, counted once per text and weighted by how often each person
-- sent it), kept only when the user rarely uses them elsewhere: the user's rate of
-- the phrase in their other chats is under {{elsewhere_ratio}} times the pair's rate
-- (fondly.metrics.idioms.ELSEWHERE_RATIO). Testing that here, not in Python, leaves
-- a few hundred rows to read instead of tens of thousands. fondly.metrics.idioms
-- keeps the longest form of each phrase.
WITH uses AS (
    SELECT other_id, gram, max(first_tok) AS first_tok,
           sum(n_me) AS uses_me, sum(n_them) AS uses_them
    FROM idiom_grams
    GROUP BY other_id, gram
), frequent AS (
    SELECT other_id, gram, first_tok, uses_me, uses_them,
           ROW_NUMBER() OVER (ORDER BY other_id, gram) AS gram_no
    FROM uses
    WHERE uses_me >= 3 AND uses_them >= 3
), holders AS (
    -- the texts of the relationship that hold each frequent phrase
    SELECT DISTINCT f.gram_no, g.other_id, g.text_id
    FROM idiom_grams g
    JOIN frequent f ON f.other_id = g.other_id AND f.gram = g.gram
), spread AS (
    SELECT gram_no, count(*) AS n_texts FROM holders GROUP BY gram_no
), text_days AS (
    SELECT other_id, text_id, count(DISTINCT day_no) AS days, max(month) AS last_month,
           max(evidence_id) AS evidence_id
    FROM idiom_uses
    WHERE other_id IS NOT NULL
    GROUP BY other_id, text_id
), dated AS (
    -- Most phrases live in one text of the pair: its days are that text's. Only
    -- phrases spread over several texts need the union of their days.
    SELECT h.gram_no, t.days, t.last_month, t.evidence_id
    FROM holders h
    JOIN spread s ON s.gram_no = h.gram_no
    JOIN text_days t ON t.other_id = h.other_id AND t.text_id = h.text_id
    WHERE s.n_texts = 1
    UNION ALL
    SELECT h.gram_no, count(DISTINCT d.day_no) AS days, max(d.month) AS last_month,
           max(d.evidence_id) AS evidence_id
    FROM holders h
    JOIN spread s ON s.gram_no = h.gram_no
    JOIN idiom_uses d ON d.other_id = h.other_id AND d.text_id = h.text_id
    WHERE s.n_texts > 1
    GROUP BY h.gram_no
), candidates AS (
    SELECT f.other_id, f.gram, f.first_tok, f.uses_me, f.uses_them, d.days, d.last_month,
           d.evidence_id
    FROM frequent f
    JOIN dated d ON d.gram_no = f.gram_no
    WHERE d.days >= 3
), my_texts AS (
    -- the user's uses of each text in every chat (this one included)
    SELECT text_id, sum(n) AS n
    FROM idiom_uses
    WHERE who = 'me'
    GROUP BY text_id
), background AS (
    -- built only from tokens that start some candidate
    SELECT g.gram, sum(g.n) AS uses_all
    FROM (
        SELECT m.n, a.tok AS gram
        FROM my_texts m
        JOIN idiom_tokens a ON a.text_id = m.text_id
        WHERE a.tok IN (SELECT first_tok FROM candidates)
        UNION ALL
        SELECT m.n, concat(a.tok, ' ', b.tok) AS gram
        FROM my_texts m
        JOIN idiom_tokens a ON a.text_id = m.text_id
        JOIN idiom_tokens b ON b.text_id = a.text_id AND b.pos = a.pos + 1
        WHERE a.tok IN (SELECT first_tok FROM candidates)
        UNION ALL
        SELECT m.n, concat(a.tok, ' ', b.tok, ' ', c.tok) AS gram
        FROM my_texts m
        JOIN idiom_tokens a ON a.text_id = m.text_id
        JOIN idiom_tokens b ON b.text_id = a.text_id AND b.pos = a.pos + 1
        JOIN idiom_tokens c ON c.text_id = a.text_id AND c.pos = a.pos + 2
        WHERE a.tok IN (SELECT first_tok FROM candidates)
    ) g
    WHERE g.gram IN (SELECT gram FROM candidates)
    GROUP BY g.gram
), sizes AS (
    -- text messages of the pair, and the user's among them
    SELECT other_id, sum(n) AS pair_msgs, sum(CASE WHEN who = 'me' THEN n ELSE 0 END) AS my_msgs
    FROM idiom_uses
    WHERE other_id IS NOT NULL
    GROUP BY other_id
), my_all AS (
    -- the user's text messages in every chat
    SELECT coalesce(sum(n), 0) AS my_total FROM idiom_uses WHERE who = 'me'
)
SELECT c.other_id, c.gram, c.uses_me, c.uses_them, c.days, c.last_month, c.evidence_id
FROM candidates c
JOIN sizes s ON s.other_id = c.other_id
CROSS JOIN my_all t
LEFT JOIN background b ON b.gram = c.gram
WHERE t.my_total - s.my_msgs <= 0
   OR CAST(coalesce(b.uses_all, 0) - c.uses_me AS DOUBLE) / (t.my_total - s.my_msgs)
      < {{elsewhere_ratio}} * (CAST(c.uses_me + c.uses_them AS DOUBLE) / greatest(1, s.pair_msgs))
