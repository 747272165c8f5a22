-- unit: idiom_uses
-- idiom_messages with their text's number instead of the text: one row per text
-- message of a relationship (other_id NULL: a group chat), with its sender,
-- local day, month and id (n = 1, the weight the phrase counts add up). The
-- inside-jokes counts (uses, distinct days, newest month and message) group
-- these rows themselves; collapsing them here first, per sender, day and
-- text, was a hash aggregation over nearly every message that saved them little.
SELECT m.other_id, m.who, m.day_no, t.text_id,
       CAST(1 AS BIGINT) AS n, m.month, m.message_id AS evidence_id
FROM idiom_messages m
JOIN idiom_texts t ON t.text = m.text
