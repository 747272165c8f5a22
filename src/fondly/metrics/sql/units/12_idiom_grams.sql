-- unit: idiom_grams
-- Candidate phrases (1-3 tokens) of each relationship's texts, one row per
-- occurrence in a text, weighted by how often each person sent that text.
-- A unit rather than part of inside_jokes.sql: the phrase counts read it
-- several times, and Spark would otherwise plan this whole subtree once per
-- read (it ran out of memory doing so). Reads idiom_tokens, which the engine
-- makes from idiom_texts before this unit.
WITH pt AS (
    -- how often each person of a relationship sent each text
    SELECT other_id, text_id,
           sum(CASE WHEN who = 'me' THEN n ELSE 0 END) AS n_me,
           sum(CASE WHEN who = 'them' THEN n ELSE 0 END) AS n_them
    FROM idiom_uses
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
)
SELECT other_id, text_id, n_me, n_them, first_tok, gram FROM grams
