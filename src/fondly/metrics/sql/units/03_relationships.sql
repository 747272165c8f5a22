-- unit: relationships
-- One row per relationship (the user and one other person, across platforms):
-- size and time span, the instant the rolling 30-day window ends, and its
-- sessions counted at 30 min, at the chosen gap and at 6 h (section 1's sensitivity).
SELECT other_id,
       count(*) AS n_messages,
       sum(CASE WHEN who = 'me' THEN 1 ELSE 0 END) AS n_me,
       sum(CASE WHEN who = 'them' THEN 1 ELSE 0 END) AS n_them,
       min(ts_local) AS first_local,
       max(ts_local) AS last_local,
       min(ts_ms) AS first_ms,
       max(ts_ms) AS last_ms,
       sum(new_session_30m) AS sessions_30m,
       sum(new_session) AS sessions_gap,
       sum(new_session_6h) AS sessions_6h
FROM dm
GROUP BY other_id
