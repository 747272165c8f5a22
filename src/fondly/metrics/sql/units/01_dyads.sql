-- unit: dyads
-- One row per 1:1 conversation between the user and exactly one other person.
-- Group chats are excluded: a relationship's metrics must describe the two of
-- them, and group traffic would inflate contact and leak other people's words.
-- The other person is found from who wrote in the chat (after `people merge`),
-- so every platform's chat with the same person lands in one relationship.
SELECT conversation_id, other_id, platform
FROM (
    SELECT m.conversation_id,
           max(h.person_id) AS other_id,
           max(c.platform) AS platform,
           count(DISTINCT h.person_id) AS n_others
    FROM messages m
    JOIN handles h ON h.handle_id = m.handle_id
    JOIN conversations c ON c.conversation_id = m.conversation_id
    WHERE NOT c.is_group AND h.person_id <> {{me_id}}
    GROUP BY m.conversation_id
) x
WHERE n_others = 1 {{person_filter}}
