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
-- Text of every message the user sent in any chat, and of the other person in
-- each relationship; fondly.metrics.idioms counts n-grams over it in Python.
SELECT m.message_id, d.other_id,
       CASE WHEN h.person_id = {{me_id}} THEN 'me' ELSE 'them' END AS who,
       CAST(FLOOR((m.ts_ms + CAST(m.tz_offset_min AS BIGINT) * 60000) / 86400000) AS BIGINT)
           AS day_no,
       strftime(m.ts_local, '%Y-%m') AS month, m.ts_ms, m.text
FROM messages m
JOIN handles h ON h.handle_id = m.handle_id
LEFT JOIN dyads d ON d.conversation_id = m.conversation_id
WHERE m.text IS NOT NULL AND m.kind = 'text'
  AND (h.person_id = {{me_id}} OR h.person_id = d.other_id)
