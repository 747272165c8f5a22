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
), paired AS (
    -- Each kept token beside the next kept token of its text: a window, not a
    -- self-join on position. Joins on (relationship, text, position) let the
    -- optimiser chain the phrase tables first, and in a store of one long chat
    -- (a single relationship) that chained ~120M rows for 1M messages.
    SELECT other_id, text_id, n_me, n_them, pos, tok, common,
           LEAD(pos) OVER (PARTITION BY other_id, text_id ORDER BY pos) AS next_pos,
           LEAD(tok) OVER (PARTITION BY other_id, text_id ORDER BY pos) AS next_tok,
           LEAD(common) OVER (PARTITION BY other_id, text_id ORDER BY pos) AS next_common
    FROM kept
), bigrams AS (
    SELECT other_id, text_id, n_me, n_them, pos,
           tok AS t1, next_tok AS t2, common AS c1, next_common AS c2
    FROM paired
    WHERE next_pos = pos + 1
), ok_bi AS (
    -- (the 3-day rule is checked on the final phrases; here it would only prune)
    SELECT other_id, t1, t2
    FROM bigrams
    GROUP BY other_id, t1, t2
    HAVING sum(n_me) >= 3 AND sum(n_them) >= 3
), good_bi AS (
    -- where the bigrams both use often enough occur: a 3-word phrase is two of them in a row
    SELECT b.other_id, b.text_id, b.n_me, b.n_them, b.pos, b.t1, b.t2, b.c1, b.c2
    FROM bigrams b
    JOIN ok_bi k ON k.other_id = b.other_id AND k.t1 = b.t1 AND k.t2 = b.t2
), chained AS (
    SELECT other_id, text_id, n_me, n_them, pos, t1, t2, c1, c2,
           LEAD(pos) OVER (PARTITION BY other_id, text_id ORDER BY pos) AS next_pos,
           LEAD(t2) OVER (PARTITION BY other_id, text_id ORDER BY pos) AS t3,
           LEAD(c2) OVER (PARTITION BY other_id, text_id ORDER BY pos) AS c3
    FROM good_bi
), trigrams AS (
    SELECT other_id, text_id, n_me, n_them, t1, t2, t3, c1, c2, c3
    FROM chained
    WHERE next_pos = pos + 1
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
