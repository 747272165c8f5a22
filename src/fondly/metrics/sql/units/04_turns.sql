-- unit: turns
-- One row per turn. Flags are 1 when any bubble of the turn carries the
-- feature, 0 when none does, and NULL when no bubble was scored (a language
-- the features layer cannot read): metrics count only scored turns.
-- next_turn_who and next_turn_id say who wrote the next turn and its first
-- message (NULL for a relationship's last turn); next_turn_ms when it starts, and
-- ends_stretch whether a pause of `gap` or more follows this turn.
-- Most turns are one bubble (it both starts and ends the turn): those rows
-- are the turn as they are, and only the bubbles of longer turns are grouped,
-- which spares a hash aggregation over nearly every message.
SELECT other_id, turn_no, session_no, who, month,
       ts_ms AS start_ms,
       ts_ms AS end_ms,
       local_ms AS end_local_ms,
       message_id AS first_id,
       CAST(1 AS BIGINT) AS n_msgs,
       CAST(words AS BIGINT) AS words,
       has_reply_link,
       next_turn_who,
       next_turn_id,
       next_turn_ms,
       ends_session AS ends_stretch,
       CAST(sentiment AS DOUBLE) AS sentiment,
       {{single_turn_flags}}
FROM dm
WHERE new_turn = 1 AND ends_turn = 1
UNION ALL
SELECT other_id, turn_no,
       min(session_no) AS session_no,
       min(who) AS who,
       min(month) AS month,
       min(ts_ms) AS start_ms,
       max(ts_ms) AS end_ms,
       max(CASE WHEN ends_turn = 1 THEN local_ms END) AS end_local_ms,
       max(CASE WHEN new_turn = 1 THEN message_id END) AS first_id,
       count(*) AS n_msgs,
       sum(words) AS words,
       max(has_reply_link) AS has_reply_link,
       max(next_turn_who) AS next_turn_who,
       max(next_turn_id) AS next_turn_id,
       max(next_turn_ms) AS next_turn_ms,
       max(CASE WHEN ends_turn = 1 THEN ends_session END) AS ends_stretch,
       avg(sentiment) AS sentiment,
       {{turn_flags}}
FROM dm
WHERE NOT (new_turn = 1 AND ends_turn = 1)
GROUP BY other_id, turn_no
