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
-- Candidate phrases per relationship, from the tokens of idiom_messages (the
-- engine splits text into tokens natively: lists are outside the shared SQL
-- subset). fondly.metrics.idioms applies the "rare elsewhere" test and keeps
-- the longest form of each phrase.
WITH toks AS (
    SELECT * FROM idiom_tokens WHERE other_id IS NOT NULL
), ok_tok AS (
    -- Pruning that loses nothing: a phrase each person uses 3 times has every
    -- token used 3 times by each, and a 3-word phrase needs both its 2-word
    -- parts to qualify (on real chats this drops most of the vocabulary).
    SELECT other_id, tok
    FROM toks
    GROUP BY other_id, tok
    HAVING sum(CASE WHEN who = 'me' THEN 1 ELSE 0 END) >= 3
       AND sum(CASE WHEN who = 'them' THEN 1 ELSE 0 END) >= 3
), kept AS (
    SELECT t.* FROM toks t JOIN ok_tok k ON k.other_id = t.other_id AND k.tok = t.tok
), bigrams AS (
    SELECT a.message_id, a.other_id, a.who, a.day_no, a.month, a.pos,
           a.tok AS t1, b.tok AS t2, a.common AS c1, b.common AS c2
    FROM kept a
    JOIN kept b ON b.message_id = a.message_id AND b.pos = a.pos + 1
), ok_bi AS (
    SELECT other_id, t1, t2
    FROM bigrams
    GROUP BY other_id, t1, t2
    HAVING sum(CASE WHEN who = 'me' THEN 1 ELSE 0 END) >= 3
       AND sum(CASE WHEN who = 'them' THEN 1 ELSE 0 END) >= 3
       AND count(DISTINCT day_no) >= 3
), trigrams AS (
    SELECT ab.message_id, ab.other_id, ab.who, ab.day_no, ab.month, ab.t1, ab.t2,
           c.tok AS t3, ab.c1, ab.c2, c.common AS c3
    FROM bigrams ab
    JOIN ok_bi k1 ON k1.other_id = ab.other_id AND k1.t1 = ab.t1 AND k1.t2 = ab.t2
    JOIN kept c ON c.message_id = ab.message_id AND c.pos = ab.pos + 2
    JOIN ok_bi k2 ON k2.other_id = ab.other_id AND k2.t1 = ab.t2 AND k2.t2 = c.tok
), grams AS (
    SELECT message_id, other_id, who, day_no, month, tok AS first_tok, tok AS gram
    FROM kept
    WHERE common = 0 AND (is_word = 0 OR length(tok) >= 3)
    UNION ALL
    SELECT message_id, other_id, who, day_no, month, t1 AS first_tok,
           concat(t1, ' ', t2) AS gram
    FROM bigrams
    WHERE c1 = 0 OR c2 = 0
    UNION ALL
    SELECT message_id, other_id, who, day_no, month, t1 AS first_tok,
           concat(t1, ' ', t2, ' ', t3) AS gram
    FROM trigrams
    WHERE c1 = 0 OR c2 = 0 OR c3 = 0
), pair AS (
    SELECT other_id, gram, max(first_tok) AS first_tok,
           sum(CASE WHEN who = 'me' THEN 1 ELSE 0 END) AS uses_me,
           sum(CASE WHEN who = 'them' THEN 1 ELSE 0 END) AS uses_them,
           count(DISTINCT day_no) AS days,
           max(month) AS last_month,
           max(message_id) AS evidence_id
    FROM grams
    GROUP BY other_id, gram
), candidates AS (
    SELECT * FROM pair WHERE uses_me >= 3 AND uses_them >= 3 AND days >= 3
), background AS (
    -- the user's uses of each candidate in every chat (this one included),
    -- built only from tokens that start some candidate
    SELECT g.gram, count(*) AS uses_all
    FROM (
        SELECT a.tok AS gram
        FROM idiom_tokens a
        WHERE a.who = 'me' AND a.tok IN (SELECT first_tok FROM candidates)
        UNION ALL
        SELECT concat(a.tok, ' ', b.tok) AS gram
        FROM idiom_tokens a
        JOIN idiom_tokens b ON b.message_id = a.message_id AND b.pos = a.pos + 1
        WHERE a.who = 'me' AND a.tok IN (SELECT first_tok FROM candidates)
        UNION ALL
        SELECT concat(a.tok, ' ', b.tok, ' ', c.tok) AS gram
        FROM idiom_tokens a
        JOIN idiom_tokens b ON b.message_id = a.message_id AND b.pos = a.pos + 1
        JOIN idiom_tokens c ON c.message_id = a.message_id AND c.pos = a.pos + 2
        WHERE a.who = 'me' AND a.tok IN (SELECT first_tok FROM candidates)
    ) g
    WHERE g.gram IN (SELECT gram FROM candidates)
    GROUP BY g.gram
)
SELECT c.other_id, c.gram, c.uses_me, c.uses_them, c.days, c.last_month, c.evidence_id,
       coalesce(b.uses_all, 0) AS uses_all
FROM candidates c
LEFT JOIN background b ON b.gram = c.gram
