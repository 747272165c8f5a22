-- unit: idiom_messages
-- The text the inside-jokes metric tokenises: every text message of the user
-- in any chat (the background that tells "ours" from "how I always talk"),
-- and the other person's messages in each relationship. The text is case-folded
-- here, once, as the tokens are.
SELECT m.message_id, d.other_id,
       CASE WHEN h.person_id = {{me_id}} THEN 'me' ELSE 'them' END AS who,
       CAST(FLOOR((m.ts_ms + CAST(m.tz_offset_min AS BIGINT) * 60000) / 86400000) AS BIGINT)
           AS day_no,
       strftime(m.ts_local, '%Y-%m') AS month, lower(m.text) AS text
FROM messages m
JOIN handles h ON h.handle_id = m.handle_id
LEFT JOIN dyads d ON d.conversation_id = m.conversation_id
WHERE m.text IS NOT NULL AND m.kind = 'text'
  AND (h.person_id = {{me_id}} OR h.person_id = d.other_id)
