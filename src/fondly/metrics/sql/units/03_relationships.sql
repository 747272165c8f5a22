-- unit: relationships
-- One row per relationship (the user and one other person, across platforms):
-- size and time span, and the instant the rolling 30-day window ends.
SELECT other_id,
       count(*) AS n_messages,
       sum(CASE WHEN who = 'me' THEN 1 ELSE 0 END) AS n_me,
       sum(CASE WHEN who = 'them' THEN 1 ELSE 0 END) AS n_them,
       min(ts_local) AS first_local,
       max(ts_local) AS last_local,
       min(ts_ms) AS first_ms,
       max(ts_ms) AS last_ms
FROM dm
GROUP BY other_id
