-- unit: turns
-- One row per turn. Flags are 1 when any bubble of the turn carries the
-- feature, 0 when none does, and NULL when no bubble was scored (a language
-- the features layer cannot read): metrics count only scored turns.
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
       avg(sentiment) AS sentiment,
       {{turn_flags}}
FROM dm
GROUP BY other_id, turn_no
