-- unit: sessions
-- One row per session (a run of messages with no silence of `gap` or more):
-- who opened it, who spoke last, how much each person wrote, and the other's first turn.
SELECT other_id, session_no,
       min(month) AS month,
       min(ts_ms) AS start_ms,
       max(ts_ms) AS end_ms,
       max(CASE WHEN new_session = 1 THEN who END) AS initiator,
       max(CASE WHEN ends_session = 1 THEN who END) AS last_who,
       max(CASE WHEN new_session = 1 THEN message_id END) AS first_id,
       min(local_ms) AS start_local_ms,
       count(*) AS n_msgs,
       sum(CASE WHEN who = 'me' THEN 1 ELSE 0 END) AS msgs_me,
       sum(CASE WHEN who = 'them' THEN 1 ELSE 0 END) AS msgs_them,
       sum(CASE WHEN who = 'me' THEN words ELSE 0 END) AS words_me,
       sum(CASE WHEN who = 'them' THEN words ELSE 0 END) AS words_them,
       sum(CASE WHEN who = 'me' AND new_turn = 1 THEN 1 ELSE 0 END) AS turns_me,
       sum(CASE WHEN who = 'them' AND new_turn = 1 THEN 1 ELSE 0 END) AS turns_them,
       max(disclosure_emotional) AS any_emotional,
       max(future_talk) AS any_future,
       max(CASE WHEN who = 'them' THEN coalesce(missing, 0) + coalesce(reminder, 0) END)
           AS them_missing_raw,
       max(CASE WHEN who = 'them' THEN missing END) AS them_missing_scored,
       min(CASE WHEN who = 'them' THEN turn_no END) AS first_them_turn
FROM dm
GROUP BY other_id, session_no
