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
-- Candidate phrases per relationship. The engine splits each distinct text
-- into tokens natively (lists are outside the shared SQL subset); here each
-- text's phrases are counted once and weighted by how often each person sent
-- that text (idiom_groups). fondly.metrics.idioms applies the "rare
-- elsewhere" test and keeps the longest form of each phrase.
WITH pt AS (
    -- how often each person of a relationship sent each text
    SELECT other_id, text_id,
           sum(CASE WHEN who = 'me' THEN n ELSE 0 END) AS n_me,
           sum(CASE WHEN who = 'them' THEN n ELSE 0 END) AS n_them
    FROM idiom_groups
    WHERE other_id IS NOT NULL
    GROUP BY other_id, text_id
), ok_tok AS (
    -- Pruning that loses nothing: a phrase each person uses 3 times has every
    -- token used 3 times by each, and a 3-word phrase needs both its 2-word
    -- parts to qualify (on real chats this drops most of the vocabulary).
    SELECT p.other_id, k.tok
    FROM pt p
    JOIN idiom_tokens k ON k.text_id = p.text_id
    GROUP BY p.other_id, k.tok
    HAVING sum(p.n_me) >= 3 AND sum(p.n_them) >= 3
), kept AS (
    SELECT p.other_id, p.text_id, p.n_me, p.n_them, k.pos, k.tok, k.common, k.is_word
    FROM pt p
    JOIN idiom_tokens k ON k.text_id = p.text_id
    JOIN ok_tok o ON o.other_id = p.other_id AND o.tok = k.tok
), bigrams AS (
    SELECT a.other_id, a.text_id, a.n_me, a.n_them, a.pos,
           a.tok AS t1, b.tok AS t2, a.common AS c1, b.common AS c2
    FROM kept a
    JOIN kept b ON b.other_id = a.other_id AND b.text_id = a.text_id AND b.pos = a.pos + 1
), ok_bi AS (
    -- (the 3-day rule is checked on the final phrases; here it would only prune)
    SELECT other_id, t1, t2
    FROM bigrams
    GROUP BY other_id, t1, t2
    HAVING sum(n_me) >= 3 AND sum(n_them) >= 3
), trigrams AS (
    SELECT ab.other_id, ab.text_id, ab.n_me, ab.n_them, ab.t1, ab.t2, c.tok AS t3,
           ab.c1, ab.c2, c.common AS c3
    FROM bigrams ab
    JOIN ok_bi k1 ON k1.other_id = ab.other_id AND k1.t1 = ab.t1 AND k1.t2 = ab.t2
    JOIN kept c ON c.other_id = ab.other_id AND c.text_id = ab.text_id AND c.pos = ab.pos + 2
    JOIN ok_bi k2 ON k2.other_id = ab.other_id AND k2.t1 = ab.t2 AND k2.t2 = c.tok
), grams AS (
    SELECT other_id, text_id, n_me, n_them, tok AS first_tok, tok AS gram
    FROM kept
    WHERE common = 0 AND (is_word = 0 OR length(tok) >= 3)
    UNION ALL
    SELECT other_id, text_id, n_me, n_them, t1 AS first_tok, concat(t1, ' ', t2) AS gram
    FROM bigrams
    WHERE c1 = 0 OR c2 = 0
    UNION ALL
    SELECT other_id, text_id, n_me, n_them, t1 AS first_tok,
           concat(t1, ' ', t2, ' ', t3) AS gram
    FROM trigrams
    WHERE c1 = 0 OR c2 = 0 OR c3 = 0
), uses AS (
    SELECT other_id, gram, max(first_tok) AS first_tok,
           sum(n_me) AS uses_me, sum(n_them) AS uses_them
    FROM grams
    GROUP BY other_id, gram
), frequent AS (
    SELECT other_id, gram, first_tok, uses_me, uses_them,
           ROW_NUMBER() OVER (ORDER BY other_id, gram) AS gram_no
    FROM uses
    WHERE uses_me >= 3 AND uses_them >= 3
), holders AS (
    -- the texts of the relationship that hold each frequent phrase
    SELECT DISTINCT f.gram_no, g.other_id, g.text_id
    FROM grams g
    JOIN frequent f ON f.other_id = g.other_id AND f.gram = g.gram
), spread AS (
    SELECT gram_no, count(*) AS n_texts FROM holders GROUP BY gram_no
), text_days AS (
    SELECT other_id, text_id, count(DISTINCT day_no) AS days, max(month) AS last_month,
           max(evidence_id) AS evidence_id
    FROM idiom_groups
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
    JOIN idiom_groups d ON d.other_id = h.other_id AND d.text_id = h.text_id
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
    FROM idiom_groups
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
)
SELECT c.other_id, c.gram, c.uses_me, c.uses_them, c.days, c.last_month, c.evidence_id,
       coalesce(b.uses_all, 0) AS uses_all
FROM candidates c
LEFT JOIN background b ON b.gram = c.gram
