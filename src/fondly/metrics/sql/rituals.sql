-- metric: rituals
-- name: Rituals
-- practice: reminders
-- kind: count
-- unit: weekday-and-hour slots where a conversation started in at least 3 of 4 consecutive weeks
-- direction: higher
-- min_n: 1
-- citation: Bruess & Pearson 1997 (Commun Monogr); Campbell & Ponzetti 2007 (Pers Relationships)
-- description: Recurring contact at the same time of the week (the Sunday-evening call, the
--   Monday-morning hello). Each ritual counts once, in the month it was last kept up.
WITH starts AS (
    SELECT other_id, start_ms, month, first_id,
           CAST(FLOOR(start_local_ms / 86400000) AS BIGINT) AS day_no,
           CAST(FLOOR((start_local_ms - CAST(FLOOR(start_local_ms / 86400000) AS BIGINT) * 86400000)
                      / 3600000) AS BIGINT) AS hour_no
    FROM sessions
), slotted AS (
    SELECT other_id, (day_no + 3) % 7 AS weekday, hour_no,
           CAST(FLOOR((day_no + 3) / 7) AS BIGINT) AS week_no,
           max(start_ms) AS start_ms, max(month) AS month, max(first_id) AS first_id
    FROM starts
    GROUP BY other_id, (day_no + 3) % 7, hour_no, CAST(FLOOR((day_no + 3) / 7) AS BIGINT)
), runs AS (
    SELECT slotted.*,
           LAG(week_no, 2) OVER (PARTITION BY other_id, weekday, hour_no ORDER BY week_no)
               AS week_two_before
    FROM slotted
), kept AS (
    SELECT other_id, weekday, hour_no, start_ms, month, first_id,
           ROW_NUMBER() OVER (PARTITION BY other_id, weekday, hour_no ORDER BY week_no DESC)
               AS rk
    FROM runs
    WHERE week_no - week_two_before <= 3
)
SELECT other_id, 'pair' AS who, month, start_ms, 1.0 AS num, 1.0 AS den,
       first_id AS evidence_id
FROM kept
WHERE rk = 1
