-- unit: idiom_texts
-- Each distinct (case-folded) text of idiom_messages once, numbered. Chats
-- repeat themselves ("ok", "on my way", a running joke), so the engine
-- tokenises each text once and the phrase counts multiply by how often it
-- was sent, instead of splitting and joining every message's tokens.
SELECT text, ROW_NUMBER() OVER (ORDER BY text) AS text_id
FROM (SELECT DISTINCT text FROM idiom_messages) t
