-- unit: idiom_groups
-- idiom_messages collapsed to one row per relationship (NULL: a group chat),
-- sender, local day and text: what the inside-jokes counts need (uses, the
-- distinct days, the newest month and message) without a row per message.
SELECT m.other_id, m.who, m.day_no, t.text_id,
       count(*) AS n, max(m.month) AS month, max(m.message_id) AS evidence_id
FROM idiom_messages m
JOIN idiom_texts t ON t.text = m.text
GROUP BY m.other_id, m.who, m.day_no, t.text_id
