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
WITH grams AS (
    SELECT message_id, other_id, who, day_no, month, tok AS first_tok, tok AS gram
    FROM idiom_tokens
    WHERE other_id IS NOT NULL AND common = 0 AND (is_word = 0 OR length(tok) >= 3)
    UNION ALL
    SELECT a.message_id, a.other_id, a.who, a.day_no, a.month, a.tok AS first_tok,
           concat(a.tok, ' ', b.tok) AS gram
    FROM idiom_tokens a
    JOIN idiom_tokens b ON b.message_id = a.message_id AND b.pos = a.pos + 1
    WHERE a.other_id IS NOT NULL AND (a.common = 0 OR b.common = 0)
    UNION ALL
    SELECT a.message_id, a.other_id, a.who, a.day_no, a.month, a.tok AS first_tok,
           concat(a.tok, ' ', b.tok, ' ', c.tok) AS gram
    FROM idiom_tokens a
    JOIN idiom_tokens b ON b.message_id = a.message_id AND b.pos = a.pos + 1
    JOIN idiom_tokens c ON c.message_id = a.message_id AND c.pos = a.pos + 2
    WHERE a.other_id IS NOT NULL AND (a.common = 0 OR b.common = 0 OR c.common = 0)
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
